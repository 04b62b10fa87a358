import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from '../../../common/clock';
import { AppConfig } from '../../../config/app-config';
import { AworkHostPort } from '../../awork-host.port';
import { ListedAbsencePeriod, PersonioCredentials } from '../client/personio-api.types';
import { PersonioClient } from '../client/personio-client.port';
import { PersonioError, PersonioErrorKind } from '../client/personio-error';
import { PersonioCredentialService } from '../credentials/personio-credential.service';
import { PersonMatchStore } from '../matching/person-match.store';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
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
    const interval = setInterval(() => this.nudge(), EVENT_POLL_INTERVAL_MS);
    this.registry.addInterval(WEBHOOK_EVENTS_INTERVAL_NAME, interval);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.registry.doesExist('interval', WEBHOOK_EVENTS_INTERVAL_NAME))
      this.registry.deleteInterval(WEBHOOK_EVENTS_INTERVAL_NAME);
    await this.running;
    await Promise.allSettled([...this.personSyncs]);
  }

  /** Starts a pass now; one in progress is followed by another, so an event stored meanwhile is not left waiting. */
  nudge(): void {
    void this.process();
  }

  /** One pass (joined when one runs); resolves when every claimed event was handled. */
  process(): Promise<void> {
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
      const byWorkspace = new Map<string, ClaimedEvent[]>();
      for (const event of claimed)
        byWorkspace.set(event.workspaceId, [...(byWorkspace.get(event.workspaceId) ?? []), event]);
      const queue = [...byWorkspace];
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await this.processWorkspace(next[0], next[1]);
      };
      await Promise.all(Array.from({ length: this.config.syncConcurrency }, worker));
    }
    await this.startDuePersonSyncs();
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = Date.now();
      const pruned = await this.events.prune(EVENT_RETENTION_SECONDS);
      if (pruned > 0) this.logger.log(`pruned processed webhook events count=${pruned}`);
    }
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
    const integration = await this.state.find(workspaceId);
    const workspace = await this.host.getWorkspace(workspaceId);
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
    const run = await this.runs.started(workspaceId, 'webhook', window);
    const log = `workspace=${workspaceId} run=${run.id}`;
    const counts = noSyncCounts();
    try {
      const credentials = this.credentials.credentialsOf(integration);
      const { periods, typeNameById } = await withinBudget(
        () => this.fetch(credentials, periodIds, integration.hideAbsenceDetails),
        BATCH_FETCH_BUDGET_MS,
      );
      counts.fetched = periods.length;
      const collector = new TransferableAbsenceCollector({
        userIdByPersonId: await this.matches.userIdByPersonId(workspaceId),
        typeNameById,
        hideDetails: integration.hideAbsenceDetails,
        window,
        // Read with the integration, so an event after a PATCH already honours the new choice.
        excludedTypeIds: new Set(integration.excludedAbsenceTypeIds ?? []),
      });
      collector.addPage(periods);
      const plan = planAbsenceChanges({
        listed: collector.result(),
        stored: await this.host.findExternalAbsencesByExternalId(workspaceId, PERSONIO_PROVIDER, periodIds),
        window,
        scope: { externalIds: new Set(periodIds) },
      });
      Object.assign(counts, plan.counts);
      if (!(await claim.renew())) {
        await this.runs.failed(run, 'abandoned: the claim on this workspace expired and was taken over', counts);
        await this.events.release(this.instanceId, eventIds, BUSY_WORKSPACE_DELAY_SECONDS, 'claim lost', false);
        return;
      }
      const outcome = await this.apply.apply(integration, plan.changes);
      if (outcome.kind === 'abandoned') {
        // Disconnected or new credentials meanwhile: the setup sync that follows repairs everything.
        await this.runs.failed(run, outcome.reason, counts);
        await this.events.processed(this.instanceId, eventIds);
        return;
      }
      Object.assign(counts, outcome.applied);
      counts.duplicates = await this.duplicates.countOrNull(workspaceId);
      await this.runs.succeeded(run, counts);
      await this.events.processed(this.instanceId, eventIds);
      this.logger.log(
        `${log} webhook batch applied events=${eventIds.length} periods=${periodIds.length} fetched=${counts.fetched} created=${counts.created} updated=${counts.updated} deleted=${counts.deleted} unchanged=${counts.unchanged} skipped=${counts.skipped}`,
      );
    } catch (error) {
      const message = describeSyncError(error);
      this.logger.warn(`${log} webhook batch failed, nothing deleted: ${message}`);
      counts.duplicates = await this.duplicates.countOrNull(workspaceId);
      await this.runs.failed(run, message, counts);
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

  /** The current state of these periods (one GET for one id, the list's id filter for several), with retries. */
  private async fetch(
    credentials: PersonioCredentials,
    ids: string[],
    hideDetails: boolean,
  ): Promise<{ periods: ListedAbsencePeriod[]; typeNameById: Map<string, string> }> {
    const deadline = Date.now() + BATCH_FETCH_BUDGET_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        const periods =
          ids.length === 1
            ? [await this.client.getAbsencePeriod(credentials, ids[0])].filter((p) => p !== null)
            : await this.client.listAbsencePeriodsByIds(credentials, ids);
        const typeNameById = new Map<string, string>();
        if (!hideDetails)
          for await (const page of this.client.listAbsenceTypes(credentials))
            for (const type of page) typeNameById.set(type.id, type.name);
        return { periods, typeNameById };
      } catch (error) {
        // No retry that would end after the budget: the batch has given up by then.
        const retryable = isTemporary(error) && attempt < FETCH_BACKOFF_MS.length;
        if (!retryable || Date.now() + FETCH_BACKOFF_MS[attempt] >= deadline) throw error;
        await sleep(FETCH_BACKOFF_MS[attempt]);
      }
    }
  }
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
