import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Equal, In, LessThan, Repository } from 'typeorm';
import { DateRange } from '../../awork-host.types';
import { truncate } from '../personio-integration-state.service';
import { FULL_SYNC_TRIGGERS, SyncRun, SyncTrigger } from './sync-run.entity';
import { SyncRunView } from './sync-run.view';

/** Per workspace, of full runs and of event (`webhook`) runs each. */
export const KEPT_RUNS_PER_WORKSPACE = 500;
/** The error of a run whose instance died: such a run did not sync (the recovery pass still owes one). */
export const LOST_RUN_ERROR = 'abandoned: the instance running it stopped before it finished';

export interface SyncCounts {
  fetched: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  skipped: number;
  invalid: number;
  /** Manual absences a transferred one duplicates at the run's end; null when not counted. */
  duplicates: number | null;
}

export interface SyncProgress {
  pages: number;
  absencesFetched: number;
}

export function noSyncCounts(): SyncCounts {
  return { fetched: 0, created: 0, updated: 0, deleted: 0, unchanged: 0, skipped: 0, invalid: 0, duplicates: null };
}

/** Every run is recorded: started, then finished with its counts or a readable error. */
@Injectable()
export class SyncRunRecorder {
  constructor(@InjectRepository(SyncRun) private readonly runs: Repository<SyncRun>) {}

  async started(workspaceId: string, trigger: SyncTrigger, window: DateRange): Promise<SyncRun> {
    const run = this.runs.create({
      id: randomUUID(),
      workspaceId,
      trigger,
      status: 'running',
      startedAt: new Date(),
      finishedAt: null,
      windowStart: window.start,
      windowEnd: window.end,
      ...noSyncCounts(),
      error: null,
      progressPages: null,
      progressAbsencesFetched: null,
    });
    await this.runs.insert(run);
    return run;
  }

  /**
   * An event batch's run, written once when it has ended (one INSERT, no pruning: pruneEventRuns
   * does that for all workspaces now and then), so a batch costs one statement for its record.
   */
  async eventBatchFinished(
    workspaceId: string,
    window: DateRange,
    startedAt: Date,
    counts: SyncCounts,
    error: string | null,
  ): Promise<void> {
    await this.runs.insert({
      id: randomUUID(),
      workspaceId,
      trigger: 'webhook',
      status: error === null ? 'succeeded' : 'failed',
      startedAt,
      finishedAt: new Date(),
      windowStart: window.start,
      windowEnd: window.end,
      ...counts,
      error: error === null ? null : truncate(error),
    });
  }

  /** Keeps the newest KEPT_RUNS_PER_WORKSPACE event runs of every workspace; returns how many went. */
  async pruneEventRuns(): Promise<number> {
    const result = await this.runs
      .createQueryBuilder()
      .delete()
      .from(SyncRun)
      .where(`trigger = 'webhook'`)
      .andWhere(
        `started_at < (SELECT newer.started_at FROM personio_sync_runs newer
                        WHERE newer.workspace_id = personio_sync_runs.workspace_id AND newer.trigger = 'webhook'
                        ORDER BY newer.started_at DESC LIMIT 1 OFFSET ${KEPT_RUNS_PER_WORKSPACE - 1})`,
      )
      .execute();
    return result.affected ?? 0;
  }

  /** A running run's progress; a run already closed is left alone. */
  async progressed(run: SyncRun, progress: SyncProgress): Promise<void> {
    await this.runs.update(
      { id: run.id, status: 'running' },
      { progressPages: progress.pages, progressAbsencesFetched: progress.absencesFetched },
    );
  }

  /** The newest full run of the workspace, the one running now included (the status's `lastRun`). */
  async newestFull(workspaceId: string): Promise<SyncRunView | null> {
    const run = await this.runs.findOne({
      where: { workspaceId, trigger: In([...FULL_SYNC_TRIGGERS]) },
      order: { startedAt: 'DESC', id: 'DESC' },
    });
    return run ? toSyncRunView(run) : null;
  }

  /** Absence periods the newest succeeded full run fetched: how large the next listing will be. */
  async lastSucceededFetched(workspaceId: string): Promise<number | null> {
    const run = await this.runs.findOne({
      select: { id: true, fetched: true },
      where: { workspaceId, trigger: In([...FULL_SYNC_TRIGGERS]), status: 'succeeded' },
      order: { startedAt: 'DESC', id: 'DESC' },
    });
    return run ? run.fetched : null;
  }

  async succeeded(run: SyncRun, counts: SyncCounts): Promise<SyncRun> {
    return this.finish(run, { ...counts, status: 'succeeded', error: null });
  }

  async failed(run: SyncRun, error: string, counts: Partial<SyncCounts> = {}): Promise<SyncRun> {
    return this.finish(run, { ...counts, status: 'failed', error: truncate(error) });
  }

  /** Closes a run whose end could not be recorded (the database went away); a run already closed stays as it is. */
  async closeIfRunning(run: SyncRun, error: string): Promise<void> {
    await this.runs.update(
      { id: run.id, status: 'running' },
      { status: 'failed', finishedAt: new Date(), error: truncate(error) },
    );
  }

  /**
   * Runs left "running" by an instance that died: closed as failed so history stays truthful. A run
   * started before `startedBefore` is stale only while no live claim holds its workspace (a long
   * run renews its claim). Returns how many were closed.
   */
  async abandonStale(startedBefore: Date): Promise<number> {
    // The lease is compared on the database clock, as the claims are made.
    const liveLease =
      this.runs.manager.connection.options.type === 'postgres'
        ? `i.lease_expires_at >= (now() at time zone 'utc')`
        : `strftime('%Y-%m-%d %H:%M:%f', i.lease_expires_at) >= strftime('%Y-%m-%d %H:%M:%f', 'now')`;
    const result = await this.runs
      .createQueryBuilder()
      .update(SyncRun)
      .set({
        status: 'failed',
        finishedAt: new Date(),
        error: LOST_RUN_ERROR,
      })
      .where({ status: 'running', startedAt: LessThan(startedBefore) })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM personio_integrations i WHERE i.workspace_id = personio_sync_runs.workspace_id AND ${liveLease})`,
      )
      .execute();
    return result.affected ?? 0;
  }

  async list(workspaceId: string, limit: number): Promise<SyncRunView[]> {
    const runs = await this.runs.find({
      where: { workspaceId },
      order: { startedAt: 'DESC', id: 'DESC' },
      take: limit,
    });
    return runs.map(toSyncRunView);
  }

  async find(runId: string | null): Promise<SyncRunView | null> {
    if (!runId) return null;
    const run = await this.runs.findOne({ where: { id: runId } });
    return run ? toSyncRunView(run) : null;
  }

  async deleteAll(workspaceId: string): Promise<void> {
    await this.runs.delete({ workspaceId });
  }

  private async finish(run: SyncRun, changes: Partial<SyncRun>): Promise<SyncRun> {
    Object.assign(run, changes, { finishedAt: new Date() });
    await this.runs.update({ id: run.id }, { ...changes, finishedAt: run.finishedAt });
    await this.prune(run.workspaceId, run.trigger);
    return run;
  }

  /** Full runs and event runs are kept apart, so a busy stream of events never pushes the last full run out. */
  private async prune(workspaceId: string, trigger: SyncTrigger): Promise<void> {
    const kind = trigger === 'webhook' ? Equal<SyncTrigger>('webhook') : In([...FULL_SYNC_TRIGGERS]);
    const boundary = await this.runs.find({
      select: { startedAt: true },
      where: { workspaceId, trigger: kind },
      order: { startedAt: 'DESC' },
      skip: KEPT_RUNS_PER_WORKSPACE - 1,
      take: 1,
    });
    if (boundary.length > 0)
      await this.runs.delete({ workspaceId, trigger: kind, startedAt: LessThan(boundary[0].startedAt) });
  }
}

export function toSyncRunView(run: SyncRun): SyncRunView {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: run.finishedAt ? new Date(run.finishedAt).toISOString() : null,
    windowStart: run.windowStart,
    windowEnd: run.windowEnd,
    fetched: run.fetched,
    created: run.created,
    updated: run.updated,
    deleted: run.deleted,
    unchanged: run.unchanged,
    skipped: run.skipped,
    invalid: run.invalid,
    duplicates: run.duplicates ?? null,
    error: run.error,
    ...(run.status === 'running' && run.trigger !== 'webhook'
      ? { progress: { pages: run.progressPages ?? 0, absencesFetched: run.progressAbsencesFetched ?? 0 } }
      : {}),
  };
}
