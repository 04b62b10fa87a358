import { Injectable, Logger } from '@nestjs/common';
import { fromDayNumber, toDayNumber } from '../../../common/calendar-days';
import { Clock } from '../../../common/clock';
import { AppConfig } from '../../../config/app-config';
import { AworkHostPort } from '../../awork-host.port';
import { DateRange, DesiredAbsence, StoredExternalAbsence } from '../../awork-host.types';
import { ListedAbsencePeriod, PersonioAbsenceType, PersonioCredentials } from '../client/personio-api.types';
import { PersonioClient } from '../client/personio-client.port';
import { PersonioCredentialService } from '../credentials/personio-credential.service';
import { PersonMatchStore } from '../matching/person-match.store';
import { PersonioMatcherService } from '../matching/personio-matcher.service';
import type { PersonUserMatching } from '../matching/match-by-email';
import { PersonioIntegration } from '../personio-integration.entity';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
import { PERSONIO_PROVIDER } from '../personio-provider';
import { isPlanEligible } from '../plan-eligibility';
import { AbsenceApplyService } from './absence-apply.service';
import { listWindowPartitioned } from './partitioned-absence-listing';
import { AbsencePlan, planAbsenceChanges } from './plan-absence-changes';
import { RunProgressReporter } from './run-progress.reporter';
import { HeldClaim, SyncAlreadyRunningError, SyncClaimsService } from './sync-claims.service';
import { describeSyncError, syncFailureOutcome } from './sync-error-policy';
import { SyncRun, SyncTrigger } from './sync-run.entity';
import { noSyncCounts, SyncRunRecorder } from './sync-run.recorder';
import { syncWindowFor } from './sync-window';
import { SyncLeaseRepository } from './sync-lease.repository';
import { TransferableAbsenceCollector } from './transferable-absences';
import { PersonioWebhookSubscriptionService } from '../webhooks/personio-webhook-subscription.service';
import { PersonioAlertsService } from '../alerts/personio-alerts.service';
import { PersonioDuplicatesService } from '../duplicates/personio-duplicates.service';

/** An unlisted copy ending this close to the window's end may be an open-ended one stored before they were marked. */
const MAYBE_OPEN_ENDED_DAYS = 30;
/**
 * Absence periods held while the persons are still listed; beyond this the partitions wait for the matching.
 * At Personio's rates 5,000 persons take about 25 s, in which the periods' 10 requests/s bring about 24,000.
 */
const MAX_EARLY_PERIODS = 30_000;
/** How many malformed items one run's log line names. */
const LOGGED_INVALID_ITEMS = 20;

/**
 * One full sync of one workspace: under the workspace's claim, fetch the complete window from
 * Personio with no transaction open, plan the changes against what awork holds, and write them
 * through the apply step. A failed or incomplete fetch changes nothing.
 */
@Injectable()
export class PersonioSyncService {
  private readonly logger = new Logger(PersonioSyncService.name);

  constructor(
    private readonly client: PersonioClient,
    private readonly host: AworkHostPort,
    private readonly credentials: PersonioCredentialService,
    private readonly state: PersonioIntegrationStateService,
    private readonly matcher: PersonioMatcherService,
    private readonly apply: AbsenceApplyService,
    private readonly claims: SyncClaimsService,
    private readonly runs: SyncRunRecorder,
    private readonly clock: Clock,
    private readonly leases: SyncLeaseRepository,
    private readonly matches: PersonMatchStore,
    private readonly subscriptions: PersonioWebhookSubscriptionService,
    private readonly alerts: PersonioAlertsService,
    private readonly duplicates: PersonioDuplicatesService,
    private readonly config: AppConfig,
  ) {}

  /** Claims the workspace and runs now; throws SyncAlreadyRunningError when another run holds it. */
  runNow(workspaceId: string, trigger: SyncTrigger): Promise<SyncRun | null> {
    return this.claims.withNewClaim(workspaceId, (claim) => this.execute(workspaceId, trigger, claim));
  }

  /**
   * Fire and forget (the setup sync); failures are recorded in the run, never thrown. When a run of
   * this instance still holds the workspace (it started with the old settings), this one follows it.
   */
  runInBackground(workspaceId: string, trigger: SyncTrigger): void {
    this.runNow(workspaceId, trigger)
      .catch(async (error: Error) => {
        if (!(error instanceof SyncAlreadyRunningError)) throw error;
        await this.claims.whenIdle(workspaceId);
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
    return this.claims.withHeldClaim(workspaceId, (claim) => this.execute(workspaceId, trigger, claim));
  }

  /** Reads the integration once; everything after works with that copy (the apply step re-checks it in its transaction). */
  private async execute(workspaceId: string, trigger: SyncTrigger, claim: HeldClaim): Promise<SyncRun | null> {
    const integration = await this.state.find(workspaceId);
    const workspace = await this.host.getWorkspace(workspaceId);
    if (!integration || !workspace || !isPlanEligible(workspace.plan) || integration.status === 'needs_reauth')
      return null;

    const window = syncWindowFor(this.clock.now(), workspace.timeZone);
    // Satisfies the person events received so far (PRODUCT.md §7: at most one such sync a minute).
    await this.leases.fullSyncStarted(workspaceId);
    const run = await this.runs.started(workspaceId, trigger, window);
    try {
      return await this.recorded(integration, window, run, claim);
    } catch (error) {
      // Personio errors end inside the run; what escapes is the database failing to record its end.
      claim.beforeRelease(() => this.runs.closeIfRunning(run, describeSyncError(error)));
      throw error;
    }
  }

  private async recorded(
    integration: PersonioIntegration,
    window: DateRange,
    run: SyncRun,
    claim: HeldClaim,
  ): Promise<SyncRun> {
    const { workspaceId } = integration;
    const log = `workspace=${workspaceId} run=${run.id}`;
    this.logger.log(`${log} sync started trigger=${run.trigger} window=${window.start}..${window.end}`);
    const counts = noSyncCounts();
    try {
      const started = Date.now();
      const credentials = this.credentials.credentialsOf(integration);
      // Reading awork's side needs no transaction and touches nothing: it runs while Personio answers.
      const storedInWindow = settleLater(
        this.host.findExternalAbsencesOverlapping(workspaceId, PERSONIO_PROVIDER, window),
      );
      // Persons, absence types and every partition of the absence periods are fetched at once; the client's
      // request budget keeps them within Personio's rate limits. Periods arriving before the matching is
      // known wait in `early`.
      const stop = new AbortController();
      let collector: TransferableAbsenceCollector | null = null;
      const early: ListedAbsencePeriod[][] = [];
      let earlyPeriods = 0;
      let matchingSettled = () => {};
      const matchingDone = new Promise<void>((resolve) => (matchingSettled = resolve));
      const progress = new RunProgressReporter(this.runs, run, (error) =>
        this.logger.warn(`${log} progress not recorded: ${describeSyncError(error)}`),
      );
      const listing = settleLater(
        listWindowPartitioned(this.client, {
          credentials,
          window,
          previousFetched: await this.runs.lastSucceededFetched(workspaceId),
          maxPartitions: this.config.syncMaxPartitions,
          signal: stop.signal,
          onPeriods: (periods) => {
            counts.fetched += periods.length;
            if (collector) collector.addPage(periods);
            else {
              early.push(periods);
              earlyPeriods += periods.length;
            }
          },
          beforeNextPage: () => (collector === null && earlyPeriods >= MAX_EARLY_PERIODS ? matchingDone : undefined),
          onPage: (pages) => {
            progress.report({ pages, absencesFetched: counts.fetched });
            if (pages % 50 === 0) this.logger.log(`${log} progress pages=${pages} absencesProcessed=${counts.fetched}`);
          },
        }),
      );
      let matching: PersonUserMatching;
      let typeNameById: Map<string, string>;
      try {
        [matching, typeNameById] = await Promise.all([
          this.matcher.match(workspaceId, credentials),
          integration.hideAbsenceDetails ? new Map<string, string>() : this.absenceTypeNames(credentials),
        ]);
      } catch (error) {
        stop.abort();
        throw error;
      } finally {
        matchingSettled();
      }

      const ready = new TransferableAbsenceCollector({
        userIdByPersonId: matching.userIdByPersonId,
        typeNameById,
        hideDetails: integration.hideAbsenceDetails,
        window,
        excludedTypeIds: new Set(integration.excludedAbsenceTypeIds ?? []),
      });
      for (const periods of early.splice(0)) ready.addPage(periods);
      collector = ready;
      const { pages, partitions } = await listing();
      const inWindow = await storedInWindow();
      const unconfirmed = await this.confirmUnlistedOpenEnded(log, credentials, inWindow, ready, window);
      const listed = ready.result();

      const fetchedAt = Date.now();
      const plan = planAbsenceChanges({
        listed,
        stored: await this.withMovedIn(workspaceId, inWindow, listed.desired),
        window,
        scope: 'window',
        unconfirmed,
      });
      Object.assign(counts, plan.counts);
      this.logSkippedItems(log, plan);
      if (plan.deletionsHeldBack)
        this.logger.warn(`${log} items without an id were listed: no transferred absence is deleted in this run`);
      const { changes } = plan;
      this.logger.log(
        `${log} fetched pages=${pages} absencesProcessed=${counts.fetched}; applying creates=${changes.creates.length} updates=${changes.updates.length} deletes=${changes.deletes.length} (listed in partitions=${partitions})`,
      );

      // Another instance may have taken the claim over (a lease that ran out): then it writes, not us.
      if (!(await claim.renew()))
        return await this.runs.failed(run, 'abandoned: the claim on this workspace expired and was taken over', counts);
      const outcome = await this.apply.apply(integration, changes);
      if (outcome.kind === 'abandoned') return await this.runs.failed(run, outcome.reason, counts);
      Object.assign(counts, outcome.applied);
      const appliedAt = Date.now();
      // The event path maps with exactly this matching until the next full sync.
      await this.matches.replace(workspaceId, matching);
      // Another client ID saved meanwhile cleared the matching after storing itself: these pairs are the old
      // company's, so they go again (the setup sync of the new client stores its own). A new secret of the same
      // client keeps them, as the PUT does.
      const current = await this.state.find(workspaceId);
      if (current === null || current.clientId !== integration.clientId) await this.matches.deleteAll(workspaceId);

      if (await this.state.syncSucceeded(integration, run.id))
        await this.alerts.afterFullRun(workspaceId, 'succeeded', null);
      // The setup sync follows the PUT that just subscribed; every other full sync checks the subscription.
      if (run.trigger !== 'setup') await this.checkSubscription(integration, credentials);
      counts.duplicates = await this.duplicates.countOrNull(workspaceId);
      this.logger.log(
        `${log} sync succeeded fetched=${counts.fetched} created=${counts.created} updated=${counts.updated} deleted=${counts.deleted} unchanged=${counts.unchanged} skipped=${counts.skipped} invalid=${counts.invalid} duplicates=${counts.duplicates} unmatchedPersons=${matching.unmatchedPersonio.length} fetchMs=${fetchedAt - started} diffAndApplyMs=${appliedAt - fetchedAt}`,
      );
      return await this.runs.succeeded(run, counts);
    } catch (error) {
      const message = describeSyncError(error);
      this.logger.warn(`${log} sync failed: ${message}`);
      counts.duplicates = await this.duplicates.countOrNull(workspaceId);
      const finished = await this.runs.failed(run, message, counts);
      const outcome = syncFailureOutcome(error);
      const recorded =
        outcome === 'needs_reauth'
          ? await this.state.credentialsRejected(integration, run.id, message)
          : await this.state.syncFailed(integration, run.id, message);
      if (recorded)
        await this.alerts.afterFullRun(workspaceId, outcome === 'needs_reauth' ? 'needs_reauth' : 'failed', message);
      return finished;
    }
  }

  private async checkSubscription(integration: PersonioIntegration, credentials: PersonioCredentials): Promise<void> {
    try {
      await this.subscriptions.ensure(integration, credentials);
    } catch (error) {
      this.logger.warn(
        `workspace=${integration.workspaceId} webhook subscription not checked: ${describeSyncError(error)}`,
      );
    }
  }

  /**
   * Whether a period without an end matches Personio's `ends_at.date_time.gte` filter is not
   * documented, so a stored open-ended absence the listing did not return is asked for by id before
   * it may be deleted: 404 = deleted; found = classified like a listed one. Copies stored before
   * rows were marked open-ended end near the window's end, so those are asked for too (a false
   * positive costs one request). Returns the external ids whose fetch failed: those are kept
   * (never deleted on a failed fetch).
   */
  private async confirmUnlistedOpenEnded(
    log: string,
    credentials: PersonioCredentials,
    stored: StoredExternalAbsence[],
    collector: TransferableAbsenceCollector,
    window: DateRange,
  ): Promise<string[]> {
    const nearWindowEnd = fromDayNumber(toDayNumber(window.end) - MAYBE_OPEN_ENDED_DAYS);
    const unconfirmed: string[] = [];
    let gone = 0;
    for (const absence of stored) {
      const maybeOpenEnded = absence.openEnded || absence.endOn >= nearWindowEnd;
      if (!maybeOpenEnded || collector.has(absence.externalId)) continue;
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
  private logSkippedItems(log: string, { invalidPeriods, unknownStatuses }: AbsencePlan): void {
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
    const types: PersonioAbsenceType[] = [];
    for await (const page of this.client.listAbsenceTypes(credentials)) types.push(...page);
    return new Map(types.map((type) => [type.id, type.name]));
  }
}

/** Starts work now and hands back its result later; a failure surfaces only when the result is asked for. */
function settleLater<T>(promise: Promise<T>): () => Promise<T> {
  promise.catch(() => undefined);
  return () => promise;
}
