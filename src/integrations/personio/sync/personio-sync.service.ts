import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../../../config/app-config';
import { Clock } from '../../../common/clock';
import { AworkHostPort } from '../../awork-host.port';
import { PersonioAbsenceType, PersonioCredentials } from '../client/personio-api.types';
import { PersonioClient } from '../client/personio-client.port';
import { PersonioError, PersonioErrorKind } from '../client/personio-error';
import { StoredCredentialsUnreadableError } from '../credentials/personio-credential.service';
import { PersonioCredentialService } from '../credentials/personio-credential.service';
import { matchPersonsToUsers } from '../matching/match-by-email';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
import { isPlanEligible } from '../plan-eligibility';
import { AbsenceChangeSet, DesiredAbsence, StoredExternalAbsence } from '../../awork-host.types';
import { diffAbsences } from './absence-diff';
import { RetryUntilDone } from './retry-until-done';
import { SyncLeaseRepository } from './sync-lease.repository';
import { SyncRun, SyncTrigger } from './sync-run.entity';
import { SyncCounts, SyncRunRecorder } from './sync-run.recorder';
import { syncWindowFor } from './sync-window';
import { TransferableAbsenceCollector, TransferableAbsences } from './transferable-absences';

export const PERSONIO_PROVIDER = 'personio';
export const SYNC_INSTANCE_ID = Symbol('SYNC_INSTANCE_ID');
const DISCONNECT_WAIT_MS = 30_000;
const CLAIM_POLL_MS = 100;
/** How many malformed items one run's log line names. */
const LOGGED_INVALID_ITEMS = 20;
const CLAIM_RELEASE_BACKOFF = { firstDelayMs: 250, maxDelayMs: 5_000 };

export class SyncAlreadyRunningError extends Error {
  constructor(workspaceId: string) {
    super(`A Personio sync is already running for workspace ${workspaceId}`);
  }
}

/**
 * One sync of one workspace: fetch the complete window from Personio with no transaction open,
 * then diff against what awork holds and apply it in one transaction through AworkHostPort.
 * A failed or incomplete fetch changes nothing.
 */
@Injectable()
export class PersonioSyncService implements OnModuleDestroy {
  private readonly logger = new Logger(PersonioSyncService.name);
  private readonly inFlight = new Map<string, Set<Promise<unknown>>>();
  /** Ends of runs (closing the run, releasing the claim) the database refused, retried until it answers. */
  private readonly unreleased = new Map<string, Set<RetryUntilDone>>();
  /** Counts this instance's claims per workspace, so a late release never frees a newer run's claim. */
  private readonly claimGeneration = new Map<string, number>();

  constructor(
    private readonly client: PersonioClient,
    private readonly host: AworkHostPort,
    private readonly credentials: PersonioCredentialService,
    private readonly state: PersonioIntegrationStateService,
    private readonly runs: SyncRunRecorder,
    private readonly leases: SyncLeaseRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @Inject(SYNC_INSTANCE_ID) private readonly instanceId: string,
  ) {}

  /** Claims the workspace and runs now; throws SyncAlreadyRunningError when another run holds it. */
  runNow(workspaceId: string, trigger: SyncTrigger): Promise<SyncRun | null> {
    return this.track(workspaceId, async () => {
      if (!(await this.claim(workspaceId))) throw new SyncAlreadyRunningError(workspaceId);
      return this.executeAndRelease(workspaceId, trigger);
    });
  }

  /**
   * Fire and forget (the setup sync); failures are recorded in the run, never thrown. When a run of
   * this instance still holds the workspace (it started with the old settings), this one follows it.
   */
  runInBackground(workspaceId: string, trigger: SyncTrigger): void {
    this.runNow(workspaceId, trigger)
      .catch(async (error: Error) => {
        if (!(error instanceof SyncAlreadyRunningError)) throw error;
        await this.whenIdle(workspaceId);
        return this.runNow(workspaceId, trigger);
      })
      .catch((error: Error) =>
        this.logger.warn(
          `workspace=${workspaceId} background ${trigger} sync not started: ${error.message}; the next tick runs it`,
        ),
      );
  }

  /** Runs a sync whose claim this instance already holds (the scheduler's), releasing it at the end. */
  runClaimed(workspaceId: string, trigger: SyncTrigger): Promise<SyncRun | null> {
    return this.track(workspaceId, () => this.executeAndRelease(workspaceId, trigger));
  }

  /**
   * Takes the workspace's claim so no sync on any instance starts or writes, waiting up to
   * `maxWaitMs` for one that runs now. False when the wait ran out: that run then finds the
   * integration gone when it re-checks, and writes nothing or removes what it wrote.
   */
  async claimForRemoval(workspaceId: string, maxWaitMs = DISCONNECT_WAIT_MS): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    while (!(await this.claim(workspaceId))) {
      if (Date.now() >= deadline) return false;
      await sleep(CLAIM_POLL_MS);
    }
    return true;
  }

  /** Resolves once this instance runs no sync for the workspace (used by disconnect and tests). */
  async whenIdle(workspaceId: string): Promise<void> {
    for (let running = this.inFlight.get(workspaceId); running?.size; running = this.inFlight.get(workspaceId)) {
      await Promise.allSettled([...running]);
    }
  }

  onModuleDestroy(): void {
    for (const retries of this.unreleased.values()) for (const retry of retries) retry.stop();
    this.unreleased.clear();
  }

  /**
   * Claims the workspace now. A claim this instance still holds from an ended run (its release
   * failed) is let go first, so a 409 only ever means a sync really runs.
   */
  private async claim(workspaceId: string): Promise<boolean> {
    await Promise.all([...(this.unreleased.get(workspaceId) ?? [])].map((retry) => retry.tryNow()));
    return this.leases.claim(workspaceId, this.instanceId, this.config.syncLeaseSeconds);
  }

  private async executeAndRelease(workspaceId: string, trigger: SyncTrigger): Promise<SyncRun | null> {
    const generation = (this.claimGeneration.get(workspaceId) ?? 0) + 1;
    this.claimGeneration.set(workspaceId, generation);
    // A long sync keeps its claim alive, so no other instance mistakes it for a crashed one.
    const renewal = setInterval(
      () => void this.leases.renew(workspaceId, this.instanceId, this.config.syncLeaseSeconds).catch(() => undefined),
      Math.max(1000, (this.config.syncLeaseSeconds * 1000) / 3),
    );
    const attempt: RunAttempt = { run: null };
    let unrecorded: string | null = null;
    try {
      return await this.execute(workspaceId, trigger, attempt);
    } catch (error) {
      // Personio errors end inside the run; what escapes is the database failing to record its end.
      if (attempt.run) unrecorded = describeSyncError(error);
      throw error;
    } finally {
      clearInterval(renewal);
      await this.endClaim(workspaceId, generation, attempt.run, unrecorded);
    }
  }

  /** Closes an unrecorded run and releases the claim; when the database refuses, retries until it answers. */
  private async endClaim(
    workspaceId: string,
    generation: number,
    run: SyncRun | null,
    unrecorded: string | null,
  ): Promise<void> {
    const end = async () => {
      if (run && unrecorded !== null) await this.runs.closeIfRunning(run, unrecorded);
      if (this.claimGeneration.get(workspaceId) === generation) await this.leases.release(workspaceId, this.instanceId);
    };
    const retries = this.unreleased.get(workspaceId) ?? new Set<RetryUntilDone>();
    const retry = new RetryUntilDone(
      end,
      CLAIM_RELEASE_BACKOFF,
      (error, attempts) =>
        this.logger.warn(
          `workspace=${workspaceId}${run ? ` run=${run.id}` : ''} could not end the run's claim (attempt ${attempts}): ${(error as Error)?.message ?? String(error)}; retrying until the database answers`,
        ),
      () => {
        retries.delete(retry);
        if (retries.size === 0 && this.unreleased.get(workspaceId) === retries) this.unreleased.delete(workspaceId);
      },
    );
    retries.add(retry);
    this.unreleased.set(workspaceId, retries);
    await retry.tryNow();
  }

  private track<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(workspaceId) ?? new Set<Promise<unknown>>();
    this.inFlight.set(workspaceId, running);
    const promise = work();
    running.add(promise);
    const forget = () => {
      running.delete(promise);
      if (running.size === 0 && this.inFlight.get(workspaceId) === running) this.inFlight.delete(workspaceId);
    };
    promise.then(forget, forget);
    return promise;
  }

  private async execute(workspaceId: string, trigger: SyncTrigger, attempt: RunAttempt): Promise<SyncRun | null> {
    const integration = await this.state.find(workspaceId);
    const workspace = await this.host.getWorkspace(workspaceId);
    if (!integration || !workspace || !isPlanEligible(workspace.plan) || integration.status === 'needs_reauth')
      return null;

    const window = syncWindowFor(this.clock.now(), workspace.timeZone);
    await this.runs.abandonStale(workspaceId, new Date(Date.now() - this.config.syncLeaseSeconds * 1000));
    const run = await this.runs.started(workspaceId, trigger, window);
    attempt.run = run;
    const log = `workspace=${workspaceId} run=${run.id}`;
    this.logger.log(`${log} sync started trigger=${trigger} window=${window.start}..${window.end}`);
    const counts: SyncCounts = {
      fetched: 0,
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: 0,
      skipped: 0,
      invalid: 0,
    };
    try {
      const started = Date.now();
      const credentials = this.credentials.credentialsOf(integration);
      // Reading awork's side needs no transaction and touches nothing: it runs while Personio answers.
      const users = settleLater(this.host.listUsers(workspaceId));
      const storedInWindow = settleLater(
        this.host.findExternalAbsencesOverlapping(workspaceId, PERSONIO_PROVIDER, window),
      );
      const persons = await collectAll(this.client.listPersons(credentials));
      const matching = matchPersonsToUsers(persons, await users());
      const typeNameById = integration.hideAbsenceDetails
        ? new Map<string, string>()
        : await this.absenceTypeNames(credentials);

      const collector = new TransferableAbsenceCollector({
        userIdByPersonId: matching.userIdByPersonId,
        typeNameById,
        hideDetails: integration.hideAbsenceDetails,
        window,
      });
      let pages = 0;
      for await (const page of this.client.listAbsencePeriods(credentials, window)) {
        collector.addPage(page);
        counts.fetched += page.length;
        if (++pages % 50 === 0) this.logger.log(`${log} progress pages=${pages} absencesProcessed=${counts.fetched}`);
      }
      const inWindow = await storedInWindow();
      const unconfirmed = await this.confirmUnlistedOpenEnded(log, credentials, inWindow, collector);
      const transferable = collector.result();
      const { unmatched, notApproved, unknownStatus } = transferable.skipped;
      counts.skipped = unmatched + notApproved + unknownStatus;
      counts.invalid = transferable.invalid;
      this.logSkippedItems(log, transferable);

      const fetchedAt = Date.now();
      const stored = await this.withMovedIn(workspaceId, inWindow, transferable.desired);
      const changes = diffAbsences({
        desired: transferable.desired,
        stored,
        window,
        keep: new Set([...transferable.keepExternalIds, ...unconfirmed]),
      });
      counts.unchanged = changes.unchanged;
      this.logger.log(
        `${log} fetched pages=${pages} absencesProcessed=${counts.fetched}; applying creates=${changes.creates.length} updates=${changes.updates.length} deletes=${changes.deletes.length}`,
      );

      // Another instance may have taken the claim over (a lease that ran out): then it writes, not us.
      if (!(await this.leases.renew(workspaceId, this.instanceId, this.config.syncLeaseSeconds))) {
        return this.runs.failed(run, 'abandoned: the claim on this workspace expired and was taken over', counts);
      }
      // Settings may have changed while we fetched: a DELETE means write nothing, and details
      // hidden meanwhile must not come back with this run's descriptions.
      const current = await this.state.find(workspaceId);
      if (!current) return this.runs.failed(run, 'abandoned: the integration was disconnected during the run', counts);
      const applied = await this.host.applyExternalAbsenceChanges(
        workspaceId,
        PERSONIO_PROVIDER,
        current.hideAbsenceDetails && !integration.hideAbsenceDetails ? withoutDescriptions(changes) : changes,
      );
      Object.assign(counts, applied);
      const appliedAt = Date.now();
      // The same two checks once more for a DELETE or PATCH that landed while the transaction ran.
      const after = await this.state.find(workspaceId);
      if (!after) await this.host.deleteAllExternalAbsences(workspaceId, PERSONIO_PROVIDER);
      else if (after.hideAbsenceDetails && !integration.hideAbsenceDetails)
        await this.host.clearExternalAbsenceDescriptions(workspaceId, PERSONIO_PROVIDER);

      await this.state.syncSucceeded(integration, run.id);
      this.logger.log(
        `${log} sync succeeded fetched=${counts.fetched} created=${counts.created} updated=${counts.updated} deleted=${counts.deleted} unchanged=${counts.unchanged} skipped=${counts.skipped} invalid=${counts.invalid} unmatchedPersons=${matching.unmatchedPersonio.length} fetchMs=${fetchedAt - started} diffAndApplyMs=${appliedAt - fetchedAt}`,
      );
      return await this.runs.succeeded(run, counts);
    } catch (error) {
      const message = describeSyncError(error);
      this.logger.warn(`${log} sync failed: ${message}`);
      const finished = await this.runs.failed(run, message, counts);
      if (error instanceof PersonioError && isReauthError(error))
        await this.state.credentialsRejected(integration, run.id, message);
      else await this.state.syncFailed(integration, run.id, message);
      return finished;
    }
  }

  /**
   * Whether a period without an end matches Personio's `ends_at.date_time.gte` filter is not
   * documented, so a stored open-ended absence the listing did not return is asked for by id before
   * it may be deleted: 404 = deleted; found = classified like a listed one. Returns the external ids
   * whose fetch failed: those are kept (never deleted on a failed fetch).
   */
  private async confirmUnlistedOpenEnded(
    log: string,
    credentials: PersonioCredentials,
    stored: StoredExternalAbsence[],
    collector: TransferableAbsenceCollector,
  ): Promise<string[]> {
    const unconfirmed: string[] = [];
    let gone = 0;
    for (const absence of stored) {
      if (!absence.openEnded || collector.has(absence.externalId)) continue;
      try {
        const period = await this.client.getAbsencePeriod(credentials, absence.externalId);
        if (period) collector.addPage([period]);
        else gone++;
      } catch (error) {
        unconfirmed.push(absence.externalId);
        this.logger.warn(
          `${log} open-ended absence period ${absence.externalId} not listed and its fetch failed, kept: ${describeSyncError(error)}`,
        );
      }
    }
    if (gone > 0) this.logger.log(`${log} open-ended absence periods confirmed deleted in Personio count=${gone}`);
    return unconfirmed;
  }

  /** Once per run: the malformed items (with their ids) and the unknown status values. */
  private logSkippedItems(log: string, transferable: TransferableAbsences): void {
    const { invalidPeriods, unknownStatuses } = transferable;
    if (invalidPeriods.length > 0) {
      const named = invalidPeriods
        .slice(0, LOGGED_INVALID_ITEMS)
        .map(
          (item) =>
            `${item.externalId === null ? '(no id)' : JSON.stringify(item.externalId.slice(0, 200))} ${item.reason}: ${item.detail}`,
        );
      const more =
        invalidPeriods.length > LOGGED_INVALID_ITEMS
          ? `; and ${invalidPeriods.length - LOGGED_INVALID_ITEMS} more`
          : '';
      this.logger.warn(
        `${log} skipped malformed absence periods invalid=${invalidPeriods.length}: ${named.join('; ')}${more}`,
      );
    }
    if (unknownStatuses.size > 0) {
      const values = [...unknownStatuses].map(([status, count]) => `${JSON.stringify(status)}×${count}`).join(', ');
      this.logger.warn(
        `${log} unknown approval status values ${values}: such absences are neither created nor deleted`,
      );
    }
  }

  /** What this integration holds in the window, plus rows a listed absence may have moved in from outside it. */
  private async withMovedIn(
    workspaceId: string,
    inWindow: StoredExternalAbsence[],
    desired: DesiredAbsence[],
  ): Promise<StoredExternalAbsence[]> {
    const known = new Set(inWindow.map((absence) => absence.externalId));
    const missing = desired.map((absence) => absence.externalId).filter((id) => !known.has(id));
    if (missing.length === 0) return inWindow;
    return [
      ...inWindow,
      ...(await this.host.findExternalAbsencesByExternalId(workspaceId, PERSONIO_PROVIDER, missing)),
    ];
  }

  private async absenceTypeNames(credentials: PersonioCredentials): Promise<Map<string, string>> {
    const types: PersonioAbsenceType[] = await collectAll(this.client.listAbsenceTypes(credentials));
    return new Map(types.map((type) => [type.id, type.name]));
  }
}

interface RunAttempt {
  run: SyncRun | null;
}

function withoutDescriptions(changes: AbsenceChangeSet): AbsenceChangeSet {
  return {
    ...changes,
    creates: changes.creates.map((absence) => ({ ...absence, description: null })),
    updates: changes.updates.map((absence) => ({ ...absence, description: null })),
  };
}

/** Starts work now and hands back its result later; a failure surfaces only when the result is asked for. */
function settleLater<T>(promise: Promise<T>): () => Promise<T> {
  promise.catch(() => undefined);
  return () => promise;
}

async function collectAll<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...page);
  return items;
}

function isReauthError(error: PersonioError): boolean {
  return (
    error.kind === PersonioErrorKind.CredentialsRejected || error.kind === PersonioErrorKind.InsufficientPermissions
  );
}

export function describeSyncError(error: unknown): string {
  if (error instanceof PersonioError) return `Personio: ${error.message}`;
  if (error instanceof StoredCredentialsUnreadableError) return error.message;
  return `internal error: ${(error as Error)?.message ?? String(error)}`;
}
