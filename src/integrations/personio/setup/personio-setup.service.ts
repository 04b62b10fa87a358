import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { AworkHostPort } from '../../awork-host.port';
import { HostWorkspace } from '../../awork-host.types';
import { PersonioClient } from '../client/personio-client.port';
import {
  PersonioCredentialService,
  StoredCredentialsUnreadableError,
} from '../credentials/personio-credential.service';
import { PersonioMatcherService, UsersReport } from '../matching/personio-matcher.service';
import { PersonioIntegration } from '../personio-integration.entity';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
import { isPlanEligible } from '../plan-eligibility';
import { PERSONIO_PROVIDER } from '../personio-provider';
import { PersonioSyncService } from '../sync/personio-sync.service';
import { SyncAlreadyRunningError, SyncClaimsService } from '../sync/sync-claims.service';
import { SyncRunRecorder, toSyncRunView } from '../sync/sync-run.recorder';
import { SyncRunView } from '../sync/sync-run.view';
import { PersonMatchStore } from '../matching/person-match.store';
import { PersonLinkStore } from '../matching/person-link.store';
import { PersonioWebhookSubscriptionService } from '../webhooks/personio-webhook-subscription.service';
import { WebhookEventStore } from '../webhooks/webhook-event.store';
import { PersonioCredentials } from '../client/personio-api.types';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectPersonioDto, PersonioStatusView, UpdatePersonioDto } from './dto/personio-setup.dto';
import { callPersonio, notConnected } from './personio-http-errors';

const EVENT_BATCH_WAIT_MS = 30_000;
const EVENT_BATCH_POLL_MS = 100;

/** What the setup routes do; the controller stays thin. */
@Injectable()
export class PersonioSetupService {
  private readonly logger = new Logger(PersonioSetupService.name);

  constructor(
    private readonly client: PersonioClient,
    private readonly host: AworkHostPort,
    private readonly credentials: PersonioCredentialService,
    private readonly state: PersonioIntegrationStateService,
    private readonly matcher: PersonioMatcherService,
    private readonly sync: PersonioSyncService,
    private readonly claims: SyncClaimsService,
    private readonly runs: SyncRunRecorder,
    private readonly subscriptions: PersonioWebhookSubscriptionService,
    private readonly events: WebhookEventStore,
    private readonly matches: PersonMatchStore,
    private readonly links: PersonLinkStore,
  ) {}

  async connect(workspaceId: string, input: ConnectPersonioDto): Promise<PersonioStatusView> {
    const workspace = await this.workspace(workspaceId);
    if (!isPlanEligible(workspace.plan)) {
      throw new ForbiddenException(
        `The Personio integration needs the Business plan or above; this workspace is on the ${workspace.plan} plan`,
      );
    }
    // Checked before anything is stored: a rejected or unreachable Personio saves nothing.
    await this.callPersonio(() =>
      this.client.verifyCredentials({ clientId: input.clientId, clientSecret: input.clientSecret }),
    );
    const before = await this.state.find(workspaceId);
    const credentials = { clientId: input.clientId, clientSecret: input.clientSecret };
    const saved = await this.state.connected(workspaceId, {
      clientId: input.clientId,
      clientSecretEncrypted: this.credentials.seal(workspaceId, input.clientSecret),
      hideAbsenceDetails: input.hideAbsenceDetails,
    });
    // Person ids of another Personio client may mean other people: its links go (the same client keeps
    // them), and so does the stored matching, so that no event maps a new id with the old company's pairs.
    // After the new credentials are stored: a sync of the old ones that stores its matching later sees them and
    // drops it again (PersonioSyncService).
    if (before && before.clientId !== input.clientId) {
      await this.links.deleteAll(workspaceId);
      await this.matches.deleteAll(workspaceId);
    }
    // New credentials replace the subscription; a failure leaves the PUT successful with `unavailable`.
    await this.subscriptions.subscribe(saved, credentials, {
      webhookId: before?.webhookId ?? null,
      credentials: before ? this.readableCredentials(before) : null,
    });
    const integration = (await this.state.find(workspaceId)) ?? saved;
    if (integration.hideAbsenceDetails && before && !before.hideAbsenceDetails)
      await this.host.clearExternalAbsenceDescriptions(workspaceId, PERSONIO_PROVIDER);
    this.logger.log(`workspace=${workspaceId} Personio connected clientId=${input.clientId}`);
    this.sync.runInBackground(workspaceId, 'setup');
    return this.view(integration, workspace);
  }

  async status(workspaceId: string): Promise<PersonioStatusView> {
    return this.view(await this.integration(workspaceId), await this.workspace(workspaceId));
  }

  /**
   * Hiding details scrubs what was already transferred at once; showing them again waits for the
   * next sync. A changed choice of absence types starts a sync at once, which removes the copies
   * of newly excluded types and transfers the absences of types included again.
   */
  async update(workspaceId: string, input: UpdatePersonioDto): Promise<PersonioStatusView> {
    const { hideAbsenceDetails, excludedAbsenceTypeIds } = input;
    if (hideAbsenceDetails === undefined && excludedAbsenceTypeIds === undefined)
      throw new BadRequestException('Give hideAbsenceDetails, excludedAbsenceTypeIds or both');
    const integration = await this.integration(workspaceId);
    if (hideAbsenceDetails !== undefined) {
      await this.state.hideAbsenceDetailsChanged(workspaceId, hideAbsenceDetails);
      if (hideAbsenceDetails) await this.host.clearExternalAbsenceDescriptions(workspaceId, PERSONIO_PROVIDER);
    }
    if (excludedAbsenceTypeIds !== undefined) {
      const before = (integration.excludedAbsenceTypeIds ?? []).join('\n');
      const excluded = await this.state.excludedAbsenceTypesChanged(workspaceId, excludedAbsenceTypeIds);
      if (excluded.join('\n') !== before) {
        this.logger.log(`workspace=${workspaceId} excluded absence types changed to [${excluded.join(', ')}]`);
        this.sync.runInBackground(workspaceId, 'manual');
      }
    }
    return this.view((await this.state.find(workspaceId)) ?? integration, await this.workspace(workspaceId));
  }

  /**
   * `keepAbsences`: the transferred absences become ordinary manual ones (no Personio mark, editable)
   * instead of being deleted, for teams that leave Personio and keep their history.
   */
  async disconnect(workspaceId: string, keepAbsences = false): Promise<void> {
    await this.integration(workspaceId);
    // A sync running now, on any instance, finishes first; then everything it wrote goes too.
    await this.claims.claimForRemoval(workspaceId);
    // Best effort, logged: after this the receiver answers 401 for the workspace anyway.
    const integration = await this.state.find(workspaceId);
    if (integration) await this.subscriptions.unsubscribe(integration, this.readableCredentials(integration));
    if (!(await this.state.disconnected(workspaceId))) throw notConnected();
    await this.claims.whenIdle(workspaceId);
    // No apply writes after the integration row is gone (its gate finds none), so this sees them all.
    const touched = keepAbsences
      ? await this.host.releaseAllExternalAbsences(workspaceId, PERSONIO_PROVIDER)
      : await this.host.deleteAllExternalAbsences(workspaceId, PERSONIO_PROVIDER);
    await this.runs.deleteAll(workspaceId);
    await this.events.deleteAll(workspaceId);
    await this.matches.deleteAll(workspaceId);
    await this.links.deleteAll(workspaceId);
    this.logger.log(
      `workspace=${workspaceId} Personio disconnected; ${keepAbsences ? 'kept as manual absences' : 'removed'} ${touched} transferred absences`,
    );
  }

  async users(workspaceId: string): Promise<UsersReport> {
    const integration = await this.integration(workspaceId);
    return this.callPersonio(() => this.matcher.report(workspaceId, this.credentials.credentialsOf(integration)));
  }

  async syncNow(workspaceId: string): Promise<SyncRunView> {
    const integration = await this.integration(workspaceId);
    const workspace = await this.workspace(workspaceId);
    if (!isPlanEligible(workspace.plan))
      throw new ForbiddenException(
        `Syncing needs the Business plan or above; this workspace is on the ${workspace.plan} plan`,
      );
    if (integration.status === 'needs_reauth')
      throw new ConflictException(
        'Personio rejected the stored credentials: save new ones with PUT /integrations/personio first',
      );
    try {
      const run = await this.runAfterEventBatch(workspaceId);
      if (!run) throw notConnected();
      // The run is recorded failed and the integration failing; the admin also gets the fix at once.
      if (run.status === 'failed') this.assertCredentialsReadable(integration);
      return toSyncRunView(run);
    } catch (error) {
      if (error instanceof SyncAlreadyRunningError)
        throw new ConflictException('A Personio sync is already running for this workspace');
      throw error;
    }
  }

  /**
   * An event batch holds the workspace's claim only briefly (its Personio retries are bounded to
   * 20 s): a manual sync arriving meanwhile waits for it instead of answering 409.
   */
  private async runAfterEventBatch(workspaceId: string) {
    const deadline = Date.now() + EVENT_BATCH_WAIT_MS;
    for (;;) {
      try {
        return await this.sync.runNow(workspaceId, 'manual');
      } catch (error) {
        if (!(error instanceof SyncAlreadyRunningError) || !(await this.events.applying(workspaceId))) throw error;
        if (Date.now() >= deadline)
          throw new ConflictException(
            'Personio events are being applied for this workspace and did not finish within 30 s; try again shortly',
          );
        await sleep(EVENT_BATCH_POLL_MS);
      }
    }
  }

  async listRuns(workspaceId: string, limit: number): Promise<SyncRunView[]> {
    await this.integration(workspaceId);
    return this.runs.list(workspaceId, limit);
  }

  private async view(integration: PersonioIntegration, workspace: HostWorkspace): Promise<PersonioStatusView> {
    const planActive = isPlanEligible(workspace.plan);
    const schedulable = planActive && integration.status !== 'needs_reauth';
    return {
      connected: true,
      clientId: integration.clientId,
      hasClientSecret: Boolean(integration.clientSecretEncrypted),
      hideAbsenceDetails: integration.hideAbsenceDetails,
      excludedAbsenceTypeIds: integration.excludedAbsenceTypeIds ?? [],
      status: planActive ? integration.status : 'plan_inactive',
      lastError: integration.lastError,
      // From the moment a full run starts, so its progress shows while it runs.
      lastRun: await this.runs.newestFull(integration.workspaceId),
      nextRunAt: schedulable ? (integration.nextRunAt ?? nextFullHour(new Date())).toISOString() : null,
      webhooks: {
        state: integration.webhookState ?? 'off',
        reason: integration.webhookReason ?? null,
        lastEventAt: integration.webhookLastEventAt ? new Date(integration.webhookLastEventAt).toISOString() : null,
      },
    };
  }

  private async integration(workspaceId: string): Promise<PersonioIntegration> {
    const integration = await this.state.find(workspaceId);
    if (!integration) throw notConnected();
    return integration;
  }

  private async workspace(workspaceId: string): Promise<HostWorkspace> {
    const workspace = await this.host.getWorkspace(workspaceId);
    if (!workspace) throw new NotFoundException('Workspace not found');
    return workspace;
  }

  private callPersonio<T>(call: () => Promise<T>): Promise<T> {
    return callPersonio(call);
  }

  /** The stored credentials, or null when this instance cannot open them (a best-effort call is then skipped). */
  private readableCredentials(integration: PersonioIntegration): PersonioCredentials | null {
    try {
      return this.credentials.credentialsOf(integration);
    } catch {
      return null;
    }
  }

  private assertCredentialsReadable(integration: PersonioIntegration): void {
    try {
      this.credentials.credentialsOf(integration);
    } catch (error) {
      if (error instanceof StoredCredentialsUnreadableError) throw new ServiceUnavailableException(error.message);
      throw error;
    }
  }
}

function nextFullHour(now: Date): Date {
  const next = new Date(now);
  next.setUTCMinutes(0, 0, 0);
  next.setUTCHours(next.getUTCHours() + 1);
  return next;
}
