import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from '../../../common/clock';
import { AppConfig } from '../../../config/app-config';
import { AworkHostPort } from '../../awork-host.port';
import { isMalformedPeriod, ListedAbsencePeriod, PersonioCredentials } from '../client/personio-api.types';
import { PersonioClient } from '../client/personio-client.port';
import { PersonioError, PersonioErrorKind } from '../client/personio-error';
import { PersonioCredentialService } from '../credentials/personio-credential.service';
import { PersonMatchStore } from '../matching/person-match.store';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
import { PersonioIntegration } from '../personio-integration.entity';
import { PERSONIO_PROVIDER } from '../personio-provider';
import { isPlanEligible } from '../plan-eligibility';
import { AbsenceApplyService } from '../sync/absence-apply.service';
import { PersonioSyncService } from '../sync/personio-sync.service';
import { planAbsenceChanges } from '../sync/plan-absence-changes';
import { HeldClaim, SYNC_INSTANCE_ID, SyncAlreadyRunningError, SyncClaimsService } from '../sync/sync-claims.service';
import { describeSyncError } from '../sync/sync-error-policy';
import { SyncLeaseRepository } from '../sync/sync-lease.repository';
import { noSyncCounts, SyncRunRecorder } from '../sync/sync-run.recorder';
import { PersonioDuplicatesService } from '../duplicates/personio-duplicates.service';
import { syncWindowFor } from '../sync/sync-window';
import { TransferableAbsenceCollector } from '../sync/transferable-absences';
import { isAbsenceEvent, isPersonEvent } from './webhook-envelope';
import { ClaimedEvent, WebhookEventStore } from './webhook-event.store';

export const WEBHOOK_EVENTS_INTERVAL_NAME = 'personio-webhook-events';
/** How often every instance looks for stored events (a 202 on this instance also starts a pass at once). */
export const EVENT_POLL_INTERVAL_MS = 1_000;
/** Person events: at most one full sync a minute per workspace. */
export const PERSON_SYNC_MIN_INTERVAL_SECONDS = 60;
/** Processed events are kept this long, then pruned. */
export const EVENT_RETENTION_SECONDS = 7 * 24 * 3600;
/** A batch's Personio calls, retries included, end within this; then the events wait for the next attempt. */
export const BATCH_FETCH_BUDGET_MS = 20_000;
/** After this many failed batches an event is left to the hourly sync (nothing is deleted for it). */
export const MAX_EVENT_ATTEMPTS = 5;
/**
 * Workspaces whose events one instance applies at once: the work waits on Personio and the
 * database, not on the CPU, so this is well above SYNC_CONCURRENCY (full syncs hold whole windows).
 */
export const EVENT_WORKSPACE_CONCURRENCY = 32;
/**
 * Absence type names are reused this long per workspace (one request less per batch). A period of
 * a type not among them fetches them again; a renamed type reaches awork with the hourly sync,
 * like the other edits no event reports.
 */
export const ABSENCE_TYPES_CACHE_SECONDS = 300;
/**
 * After a delivery on this instance, processing starts once deliveries have paused for
 * RECEIVE_QUIET_MS, at most RECEIVE_MAX_DEFER_MS after the first: a burst's acknowledgements
 * (Personio wants them fast) do not share the CPU with applying that same burst.
 */
export const RECEIVE_QUIET_MS = 25;
export const RECEIVE_MAX_DEFER_MS = 250;
const CLAIM_LIMIT = 500;
const FETCH_BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000, 8_000];
const BUSY_WORKSPACE_DELAY_SECONDS = 1;
const RETRY_DELAY_SECONDS = [5, 30, 120, 600];
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Applies stored webhook events, on every instance: claims pending events (each once, with their
 * own lease), groups them per workspace and applies each group under the workspace's claim,
 * never interleaved with a full sync. Absence events fetch the current state of their periods
 * and go through the same planning and apply steps as the full sync, mapped with the matching the
 * last full sync stored. Person events ask for a full sync, at most one a minute.
 */
@Injectable()
export class WebhookEventsProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookEventsProcessor.name);
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private lastPrune = 0;
  private readonly personSyncs = new Set<Promise<unknown>>();
  /** Claimed events waiting for their workspace's worker on this instance (coalesced into its next batch). */
  private readonly queued = new Map<string, ClaimedEvent[]>();
  /** One worker per workspace with queued or running events: its batches run one after another. */
  private readonly workers = new Map<string, Promise<void>>();
  private activeBatches = 0;
  private readonly slotWaiters: Array<() => void> = [];
  private deferred: { timer: NodeJS.Timeout; firstAt: number; lastAt: number } | null = null;
  private readonly absenceTypes = new Map<string, { key: string; until: number; names: Map<string, string> }>();

  constructor(
    private readonly events: WebhookEventStore,
    private readonly claims: SyncClaimsService,
    private readonly leases: SyncLeaseRepository,
    private readonly state: PersonioIntegrationStateService,
    private readonly credentials: PersonioCredentialService,
    private readonly client: PersonioClient,
    private readonly host: AworkHostPort,
    private readonly matches: PersonMatchStore,
    private readonly apply: AbsenceApplyService,
    private readonly runs: SyncRunRecorder,
    private readonly sync: PersonioSyncService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly registry: SchedulerRegistry,
    @Inject(SYNC_INSTANCE_ID) private readonly instanceId: string,
    private readonly duplicates: PersonioDuplicatesService,
  ) {}

  onApplicationBootstrap(): void {
    // Events stored by other instances (or left by a crashed one) are found by this poll.
    const interval = setInterval(() => {
      if (!this.deferred) this.nudge();
    }, EVENT_POLL_INTERVAL_MS);
    this.registry.addInterval(WEBHOOK_EVENTS_INTERVAL_NAME, interval);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.deferred) clearTimeout(this.deferred.timer);
    this.deferred = null;
    if (this.registry.doesExist('interval', WEBHOOK_EVENTS_INTERVAL_NAME))
      this.registry.deleteInterval(WEBHOOK_EVENTS_INTERVAL_NAME);
    await this.running;
    await this.drained();
    await Promise.allSettled([...this.personSyncs]);
  }

  /**
   * Claims now; a claim in progress is followed by another, so an event stored meanwhile is not left
   * waiting. Claimed events go to their workspace's worker at once: no pass waits for another
   * workspace's batch.
   */
  nudge(): void {
    void this.claimPass();
  }

  /** The receiver stored an event: processing starts when this burst of deliveries pauses (RECEIVE_QUIET_MS). */
  eventStored(): void {
    const now = Date.now();
    if (this.deferred) {
      this.deferred.lastAt = now;
      return;
    }
    const check = () => {
      const deferred = this.deferred!;
      const wait = Math.min(deferred.lastAt + RECEIVE_QUIET_MS, deferred.firstAt + RECEIVE_MAX_DEFER_MS) - Date.now();
      if (wait > 0) {
        deferred.timer = setTimeout(check, wait);
        return;
      }
      this.deferred = null;
      this.nudge();
    };
    this.deferred = { timer: setTimeout(check, RECEIVE_QUIET_MS), firstAt: now, lastAt: now };
  }

  /** One claim pass (joined when one runs); resolves when every event claimed so far was handled. */
  async process(): Promise<void> {
    await this.claimPass();
    await this.drained();
  }

  private async drained(): Promise<void> {
    while (this.workers.size > 0) await Promise.allSettled([...this.workers.values()]);
  }

  private claimPass(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass().catch((error: Error) =>
          // The next pass tries again; an interval callback must never reject.
          this.logger.warn(`webhook event pass failed: ${error?.message ?? String(error)}`),
        );
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<void> {
    if (await this.events.anyPending()) {
      const claimed = await this.events.claim(this.instanceId, this.config.webhookEventLeaseSeconds, CLAIM_LIMIT);
      for (const event of claimed) {
        const queue = this.queued.get(event.workspaceId);
        if (queue) queue.push(event);
        else this.queued.set(event.workspaceId, [event]);
      }
      const workspaceIds = [...new Set(claimed.map((event) => event.workspaceId))];
      for (const workspaceId of workspaceIds) this.startWorker(workspaceId);
      if (workspaceIds.length > 0)
        await this.state
          .webhookEventsReceived(workspaceIds)
          .catch((error: Error) =>
            this.logger.warn(`could not record webhooks.lastEventAt: ${error?.message ?? String(error)}`),
          );
      // More were waiting than one claim takes: claim again once this pass ends.
      if (claimed.length === CLAIM_LIMIT) this.again = true;
    }
    await this.startDuePersonSyncs();
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = Date.now();
      const pruned = await this.events.prune(EVENT_RETENTION_SECONDS);
      if (pruned > 0) this.logger.log(`pruned processed webhook events count=${pruned}`);
      const prunedRuns = await this.runs.pruneEventRuns();
      if (prunedRuns > 0) this.logger.log(`pruned webhook runs count=${prunedRuns}`);
    }
  }

  /** The workspace's worker, unless it has one: takes everything queued for it as one batch, until none is left. */
  private startWorker(workspaceId: string): void {
    if (this.workers.has(workspaceId)) return;
    const worker = (async () => {
      for (;;) {
        await this.freeSlot();
        const events = this.queued.get(workspaceId) ?? [];
        this.queued.delete(workspaceId);
        if (events.length === 0) {
          // Removed in the same synchronous step that found the queue empty, so a later enqueue starts a new worker.
          this.workers.delete(workspaceId);
          this.releaseSlot();
          return;
        }
        try {
          // Shutting down: what waits here goes back to pending at once, for any instance.
          if (this.stopped)
            await this.events.release(
              this.instanceId,
              events.map((event) => event.id),
              0,
              'instance stopping',
              false,
            );
          else await this.processWorkspace(workspaceId, events);
        } catch (error) {
          this.logger.warn(`workspace=${workspaceId} webhook batch ended badly: ${describeSyncError(error)}`);
        } finally {
          this.releaseSlot();
        }
      }
    })();
    this.workers.set(workspaceId, worker);
  }

  private async freeSlot(): Promise<void> {
    while (this.activeBatches >= EVENT_WORKSPACE_CONCURRENCY) await new Promise<void>((r) => this.slotWaiters.push(r));
    this.activeBatches++;
  }

  private releaseSlot(): void {
    this.activeBatches--;
    this.slotWaiters.shift()?.();
  }

  /** Full syncs asked for by person events, once their minute is up; they run like scheduled ones. */
  private async startDuePersonSyncs(): Promise<void> {
    if (!(await this.leases.anyPersonSyncRequested())) return;
    const due = await this.leases.claimPersonSyncDue(this.instanceId, this.config.syncLeaseSeconds, CLAIM_LIMIT);
    for (const workspaceId of due) {
      this.logger.log(`workspace=${workspaceId} full sync for person changes reported by Personio`);
      const run = this.sync
        .runClaimed(workspaceId, 'schedule')
        .catch((error: Error) =>
          this.logger.warn(`workspace=${workspaceId} person-event sync crashed: ${error.message}`),
        );
      this.personSyncs.add(run);
      void run.finally(() => this.personSyncs.delete(run));
    }
  }

  private async processWorkspace(workspaceId: string, events: ClaimedEvent[]): Promise<void> {
    const ids = events.map((event) => event.id);
    try {
      await this.claims.withNewClaim(workspaceId, (claim) => this.applyBatch(workspaceId, events, claim));
    } catch (error) {
      if (error instanceof SyncAlreadyRunningError) {
        // A full sync (or another batch) holds the workspace: these events wait for it, uncounted.
        await this.events.release(this.instanceId, ids, BUSY_WORKSPACE_DELAY_SECONDS, 'workspace busy', false);
        return;
      }
      this.logger.warn(`workspace=${workspaceId} webhook batch crashed: ${describeSyncError(error)}`);
      await this.retryLater(workspaceId, events, describeSyncError(error));
    }
  }

  private async applyBatch(workspaceId: string, events: ClaimedEvent[], claim: HeldClaim): Promise<void> {
    const claimedAt = Date.now();
    const [integration, workspace] = await Promise.all([
      this.state.find(workspaceId),
      this.host.getWorkspace(workspaceId),
    ]);
    const all = events.map((event) => event.id);
    if (!integration || !workspace || !isPlanEligible(workspace.plan) || integration.status === 'needs_reauth') {
      // Acknowledged, not applied: the next successful full sync repairs everything.
      await this.events.processed(this.instanceId, all);
      return;
    }
    const personEvents = events.filter((event) => isPersonEvent(event.eventName));
    if (personEvents.length > 0) {
      await this.leases.personSyncRequested(workspaceId, PERSON_SYNC_MIN_INTERVAL_SECONDS);
      await this.events.processed(
        this.instanceId,
        personEvents.map((event) => event.id),
      );
    }
    const absenceEvents = events.filter((event) => isAbsenceEvent(event.eventName));
    if (absenceEvents.length === 0) return;
    const periodIds = [...new Set(absenceEvents.map((event) => event.resourceId))];
    const eventIds = absenceEvents.map((event) => event.id);

    const window = syncWindowFor(this.clock.now(), workspace.timeZone);
    const startedAt = new Date();
    const log = `workspace=${workspaceId}`;
    const counts = noSyncCounts();
    // The batch's one run row, written when it has ended.
    const recordRun = (error: string | null) =>
      this.runs.eventBatchFinished(workspaceId, window, startedAt, counts, error);
    try {
      const credentials = this.credentials.credentialsOf(integration);
      const [{ periods, typeNameById }, userIdByPersonId, stored] = await Promise.all([
        withinBudget(() => this.fetch(workspaceId, integration, credentials, periodIds), BATCH_FETCH_BUDGET_MS),
        this.matches.userIdByPersonId(workspaceId),
        this.host.findExternalAbsencesByExternalId(workspaceId, PERSONIO_PROVIDER, periodIds),
      ]);
      counts.fetched = periods.length;
      const collector = new TransferableAbsenceCollector({
        userIdByPersonId,
        typeNameById,
        hideDetails: integration.hideAbsenceDetails,
        window,
        // Read with the integration, so an event after a PATCH already honours the new choice.
        excludedTypeIds: new Set(integration.excludedAbsenceTypeIds ?? []),
      });
      collector.addPage(periods);
      const plan = planAbsenceChanges({
        listed: collector.result(),
        stored,
        window,
        scope: { externalIds: new Set(periodIds) },
      });
      Object.assign(counts, plan.counts);
      // A claim taken moments ago cannot have expired; a batch that ran long asks the database.
      const young = Date.now() - claimedAt < (this.config.syncLeaseSeconds * 1000) / 3;
      if (!young && !(await claim.renew())) {
        await recordRun('abandoned: the claim on this workspace expired and was taken over');
        await this.events.release(this.instanceId, eventIds, BUSY_WORKSPACE_DELAY_SECONDS, 'claim lost', false);
        return;
      }
      const outcome = await this.apply.apply(integration, plan.changes);
      if (outcome.kind === 'abandoned') {
        // Disconnected or new credentials meanwhile: the setup sync that follows repairs everything.
        await recordRun(outcome.reason);
        await this.events.processed(this.instanceId, eventIds);
        return;
      }
      Object.assign(counts, outcome.applied);
      counts.duplicates = await this.duplicates.countOrNull(workspaceId);
      await recordRun(null);
      await this.events.processed(this.instanceId, eventIds);
      this.logger.log(
        `${log} webhook batch applied events=${eventIds.length} periods=${periodIds.length} fetched=${counts.fetched} created=${counts.created} updated=${counts.updated} deleted=${counts.deleted} unchanged=${counts.unchanged} skipped=${counts.skipped}`,
      );
    } catch (error) {
      const message = describeSyncError(error);
      this.logger.warn(`${log} webhook batch failed, nothing deleted: ${message}`);
      counts.duplicates = await this.duplicates.countOrNull(workspaceId);
      await recordRun(message);
      await this.retryLater(workspaceId, absenceEvents, message);
    }
  }

  /** Backoff between batches; after MAX_EVENT_ATTEMPTS the hourly sync repairs it. */
  private async retryLater(workspaceId: string, events: ClaimedEvent[], error: string): Promise<void> {
    const attempts = Math.max(...events.map((event) => event.attempts)) + 1;
    if (attempts >= MAX_EVENT_ATTEMPTS) {
      this.logger.warn(
        `workspace=${workspaceId} ${events.length} webhook events failed ${attempts} times; left to the hourly sync`,
      );
      await this.events.processed(
        this.instanceId,
        events.map((event) => event.id),
      );
      return;
    }
    const delay = RETRY_DELAY_SECONDS[Math.min(attempts - 1, RETRY_DELAY_SECONDS.length - 1)];
    await this.events.release(
      this.instanceId,
      events.map((event) => event.id),
      delay,
      error,
    );
  }

  /**
   * The current state of these periods (one GET for one id, the list's id filter for several) and
   * the absence type names (cached per workspace), with retries.
   */
  private async fetch(
    workspaceId: string,
    integration: PersonioIntegration,
    credentials: PersonioCredentials,
    ids: string[],
  ): Promise<{ periods: ListedAbsencePeriod[]; typeNameById: Map<string, string> }> {
    const deadline = Date.now() + BATCH_FETCH_BUDGET_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        const cached = this.cachedAbsenceTypes(workspaceId, integration);
        // Without cached names, both requests go out at once.
        const types =
          integration.hideAbsenceDetails || cached
            ? null
            : this.fetchAbsenceTypes(workspaceId, integration, credentials);
        types?.catch(() => undefined);
        const periods =
          ids.length === 1
            ? [await this.client.getAbsencePeriod(credentials, ids[0])].filter((p) => p !== null)
            : await this.client.listAbsencePeriodsByIds(credentials, ids);
        if (integration.hideAbsenceDetails) return { periods, typeNameById: new Map() };
        if (types) return { periods, typeNameById: await types };
        const unknownType = periods.some(
          (period) => !isMalformedPeriod(period) && period.absenceTypeId !== null && !cached!.has(period.absenceTypeId),
        );
        return {
          periods,
          typeNameById: unknownType ? await this.fetchAbsenceTypes(workspaceId, integration, credentials) : cached!,
        };
      } catch (error) {
        // No retry that would end after the budget: the batch has given up by then.
        const retryable = isTemporary(error) && attempt < FETCH_BACKOFF_MS.length;
        if (!retryable || Date.now() + FETCH_BACKOFF_MS[attempt] >= deadline) throw error;
        await sleep(FETCH_BACKOFF_MS[attempt]);
      }
    }
  }

  /** The workspace's type names fetched within ABSENCE_TYPES_CACHE_SECONDS with the same credentials, if any. */
  private cachedAbsenceTypes(workspaceId: string, integration: PersonioIntegration): Map<string, string> | null {
    const cached = this.absenceTypes.get(workspaceId);
    if (!cached || cached.key !== credentialsKey(integration) || cached.until <= Date.now()) return null;
    return cached.names;
  }

  private async fetchAbsenceTypes(
    workspaceId: string,
    integration: PersonioIntegration,
    credentials: PersonioCredentials,
  ): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for await (const page of this.client.listAbsenceTypes(credentials))
      for (const type of page) names.set(type.id, type.name);
    this.absenceTypes.set(workspaceId, {
      key: credentialsKey(integration),
      until: Date.now() + ABSENCE_TYPES_CACHE_SECONDS * 1000,
      names,
    });
    return names;
  }
}

function credentialsKey(integration: PersonioIntegration): string {
  return `${integration.clientId}\u0000${integration.clientSecretEncrypted}`;
}

function isTemporary(error: unknown): boolean {
  return (
    error instanceof PersonioError &&
    (error.kind === PersonioErrorKind.Temporary || error.kind === PersonioErrorKind.IncompleteListing)
  );
}

/** The work's result, or a failure once `budgetMs` has passed (the work's late result is dropped). */
async function withinBudget<T>(work: () => Promise<T>, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new PersonioError(
            PersonioErrorKind.Temporary,
            `no answer within ${budgetMs / 1000} s (retries included); the events wait for the next attempt`,
          ),
        ),
      budgetMs,
    );
  });
  const attempt = work();
  attempt.catch(() => undefined);
  try {
    return await Promise.race([attempt, expired]);
  } finally {
    clearTimeout(timer);
  }
}
