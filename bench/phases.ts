/**
 * The measured phases (download-only, sync; the fleet tick uses measure directly) and the DB snapshots they are
 * checked against. Timing, SQL counts and the app's RSS come from the app child; the snapshots are read on the
 * bench's own DataSource, outside the measured call.
 */
import { AppFigures, TimedResult } from './app-process-client';
import { Bench, check } from './context';
import { DbRow, diffSnapshots, Window } from './expectation';
import { mb, SqlCounts } from './instruments';

export interface PhaseFigures {
  wallMs: number;
  personioRequests: number;
  requestsByEndpoint: Record<string, number>;
  /** Requests the simulator answered 429 (rate limit), included in personioRequests. */
  rateLimited: number;
  /** The app's statements only (counted in the app child). */
  sql: SqlCounts;
  /** The app child's: RSS after a forced GC before the call, peak sampled every 50 ms during it, kernel maxRSS so far (= app.*). */
  rssBeforeMb: number;
  peakRssMb: number;
  maxRssMb: number;
  /** The app child's memory over the phase, measured inside it. */
  app: AppFigures;
  /** This bench driver's RSS right after the phase and its maxRSS so far (not the app's). */
  driver: { rssMb: number; maxRssMb: number };
  /** The simulator child's RSS right after the phase and its lifetime maxRSS so far. */
  simulator: { rssMb: number; maxRssMb: number };
}

export interface SyncPhase extends PhaseFigures {
  status: string;
  counts: { fetched: number; created: number; updated: number; deleted: number; unchanged: number; skipped: number };
  db: { inserted: number; updated: number; deleted: number; rows: number };
}

export interface DownloadPhase extends PhaseFigures {
  persons: number;
  absenceTypes: number;
  absencePeriods: number;
}

/** One phase in the app child: it collects its heap, times the call, counts SQL and samples its RSS. */
export async function measure<T>(
  bench: Bench,
  work: () => Promise<TimedResult<T>>,
): Promise<{ result: T; figures: PhaseFigures }> {
  await bench.simulator.resetStats();
  const timed = await work();
  const stats = await bench.simulator.stats();
  const simulatorProcess = await bench.simulator.processInfo();
  return {
    result: timed.result,
    figures: {
      wallMs: timed.wallMs,
      personioRequests: stats.total,
      requestsByEndpoint: stats.byEndpoint,
      rateLimited: stats.rateLimited.total,
      sql: timed.sql,
      rssBeforeMb: timed.app.baselineRssMb,
      peakRssMb: timed.app.peakRssMb,
      maxRssMb: timed.app.maxRssMb,
      app: timed.app,
      driver: { rssMb: mb(process.memoryUsage().rss), maxRssMb: mb(process.resourceUsage().maxRSS * 1024) },
      simulator: { rssMb: mb(simulatorProcess.rssBytes), maxRssMb: mb(simulatorProcess.maxRssBytes) },
    },
  };
}

export async function snapshotAbsences(bench: Bench, workspaceId: string): Promise<Map<string, DbRow>> {
  const placeholder = bench.kind === 'postgres' ? '$1' : '?';
  const rows: Array<Record<string, unknown>> = await bench.dataSource.query(
    `SELECT id, external_id, user_id, start_on, end_on, is_half_day_on_start, is_half_day_on_end, description, updated_on
       FROM absences WHERE workspace_id = ${placeholder} AND external_provider = 'personio'`,
    [workspaceId],
  );
  return new Map(
    rows.map((row) => [
      String(row.external_id),
      {
        id: String(row.id),
        externalId: String(row.external_id),
        userId: String(row.user_id),
        startOn: String(row.start_on),
        endOn: String(row.end_on),
        isHalfDayOnStart: Boolean(row.is_half_day_on_start),
        isHalfDayOnEnd: Boolean(row.is_half_day_on_end),
        description: (row.description as string | null) ?? null,
        updatedOn: row.updated_on instanceof Date ? row.updated_on.toISOString() : String(row.updated_on),
      },
    ]),
  );
}

export async function countAbsences(bench: Bench): Promise<number> {
  const [row] = await bench.dataSource.query(`SELECT COUNT(*) AS n FROM absences WHERE external_provider = 'personio'`);
  return Number(row.n);
}

/** The floor: the app's PersonioHttpClient lists everything a sync reads, in the app child (same process as the syncs). */
export async function downloadOnly(
  bench: Bench,
  credentials: { clientId: string; clientSecret: string },
  window: Window,
): Promise<DownloadPhase> {
  const { result, figures } = await measure(bench, () => bench.app.download(credentials, window));
  return { ...figures, ...result };
}

export async function syncPhase(
  bench: Bench,
  workspaceId: string,
): Promise<{ phase: SyncPhase; after: Map<string, DbRow> }> {
  const before = await snapshotAbsences(bench, workspaceId);
  const { result: run, figures } = await measure(bench, () => bench.app.sync(workspaceId));
  const after = await snapshotAbsences(bench, workspaceId);
  if (!run) throw new Error('runNow returned no run');
  const counts = {
    fetched: run.fetched,
    created: run.created,
    updated: run.updated,
    deleted: run.deleted,
    unchanged: run.unchanged,
    skipped: run.skipped,
  };
  check(run.status === 'succeeded', `sync run ${run.id} ${run.status}: ${run.error}`);
  const db = { ...diffSnapshots(before, after), rows: after.size };
  check(
    db.inserted === counts.created && db.updated === counts.updated && db.deleted === counts.deleted,
    `run counts ${JSON.stringify(counts)} disagree with the DB ${JSON.stringify(db)}`,
  );
  return { phase: { ...figures, status: run.status, counts, db }, after };
}
