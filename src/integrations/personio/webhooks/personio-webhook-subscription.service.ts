import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import { PersonioCredentials } from '../client/personio-api.types';
import { PersonioClient } from '../client/personio-client.port';
import { PersonioError, PersonioErrorKind } from '../client/personio-error';
import { PERSONIO_WEBHOOK_EVENTS } from '../client/personio-webhook-events';
import { SecretCipher } from '../credentials/secret-cipher';
import { PersonioIntegration } from '../personio-integration.entity';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
import { describeSyncError } from '../sync/sync-error-policy';

export const WEBHOOK_RECEIVER_PATH = '/api/v1/integrations/personio/webhooks';
export const WEBHOOKS_WRITE_PERMISSION = 'personio:webhooks:write';
/** ≥ 32 random bytes (PRODUCT.md §7); base64url gives 43 characters. */
const WEBHOOK_TOKEN_BYTES = 32;

type Subscribed = Pick<PersonioIntegration, 'workspaceId' | 'webhookId'>;

/**
 * The workspace's webhook subscription in Personio: made when credentials are saved, checked (one
 * GET) and remade by the full sync, removed on disconnect. A failure never fails the caller: the
 * state says `unavailable` with the reason, and the hourly sync tries again.
 */
@Injectable()
export class PersonioWebhookSubscriptionService {
  private readonly logger = new Logger(PersonioWebhookSubscriptionService.name);

  constructor(
    private readonly client: PersonioClient,
    private readonly state: PersonioIntegrationStateService,
    private readonly cipher: SecretCipher,
    private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.publicBaseUrl !== undefined;
  }

  /** After credentials were saved: a new subscription with a fresh token; the old one (if any) goes, best effort. */
  async subscribe(
    integration: Subscribed,
    credentials: PersonioCredentials,
    previous?: { webhookId: string | null; credentials: PersonioCredentials | null },
  ): Promise<void> {
    const { workspaceId } = integration;
    if (!this.enabled) {
      if (previous?.webhookId)
        await this.removeQuietly(workspaceId, previous.credentials ?? credentials, previous.webhookId);
      if (integration.webhookId) await this.state.webhookOff(workspaceId);
      return;
    }
    if (previous?.webhookId)
      await this.removeQuietly(workspaceId, previous.credentials ?? credentials, previous.webhookId);
    await this.create(workspaceId, credentials);
  }

  /** The full sync's check: one GET; a subscription that is gone (or was never made) is made. */
  async ensure(integration: Subscribed, credentials: PersonioCredentials): Promise<void> {
    const { workspaceId, webhookId } = integration;
    if (!this.enabled) {
      // PUBLIC_BASE_URL was unset since: Personio stops delivering, and the status says `off`.
      if (webhookId) {
        await this.removeQuietly(workspaceId, credentials, webhookId);
        await this.state.webhookOff(workspaceId);
      }
      return;
    }
    if (webhookId) {
      try {
        const existing = await this.client.getWebhook(credentials, webhookId);
        if (existing?.url === this.receiverUrl(workspaceId)) return;
        if (existing) {
          // PUBLIC_BASE_URL changed (or the demo listens on a new port): the old address is dropped.
          this.logger.warn(`workspace=${workspaceId} webhook ${webhookId} points elsewhere; subscribing again`);
          await this.removeQuietly(workspaceId, credentials, webhookId);
        } else this.logger.warn(`workspace=${workspaceId} webhook ${webhookId} is gone in Personio; subscribing again`);
      } catch (error) {
        await this.unavailable(workspaceId, error);
        return;
      }
    }
    await this.create(workspaceId, credentials);
  }

  /** Before the local data goes on disconnect: best effort, logged. */
  async unsubscribe(integration: Subscribed, credentials: PersonioCredentials | null): Promise<void> {
    if (!integration.webhookId || !credentials) return;
    await this.removeQuietly(integration.workspaceId, credentials, integration.webhookId);
  }

  private async create(workspaceId: string, credentials: PersonioCredentials): Promise<void> {
    const token = randomBytes(WEBHOOK_TOKEN_BYTES).toString('base64url');
    try {
      const { id } = await this.client.createWebhook(credentials, {
        url: this.receiverUrl(workspaceId),
        description: `awork absence sync (workspace ${workspaceId})`,
        enabledEvents: PERSONIO_WEBHOOK_EVENTS,
        token,
      });
      await this.state.webhookSubscribed(workspaceId, id, this.cipher.encrypt(token, workspaceId));
      this.logger.log(`workspace=${workspaceId} subscribed to Personio webhooks webhook=${id}`);
    } catch (error) {
      await this.unavailable(workspaceId, error);
    }
  }

  private receiverUrl(workspaceId: string): string {
    return `${this.config.publicBaseUrl}${WEBHOOK_RECEIVER_PATH}/${workspaceId}`;
  }

  private async unavailable(workspaceId: string, error: unknown): Promise<void> {
    const reason = unavailableReason(error);
    this.logger.warn(`workspace=${workspaceId} Personio webhooks unavailable: ${reason}`);
    await this.state.webhookUnavailable(workspaceId, reason);
  }

  private async removeQuietly(workspaceId: string, credentials: PersonioCredentials, webhookId: string): Promise<void> {
    try {
      const removed = await this.client.deleteWebhook(credentials, webhookId);
      this.logger.log(
        `workspace=${workspaceId} webhook ${webhookId} ${removed ? 'removed' : 'was already gone'} in Personio`,
      );
    } catch (error) {
      this.logger.warn(
        `workspace=${workspaceId} could not remove webhook ${webhookId} in Personio: ${describeSyncError(error)}; it points at a receiver that now answers 401`,
      );
    }
  }
}

/** What the status object says when subscribing failed. */
export function unavailableReason(error: unknown): string {
  const status = error instanceof PersonioError ? error.status : undefined;
  const refused =
    error instanceof PersonioError &&
    (status === 401 || status === 403 || error.kind === PersonioErrorKind.InsufficientPermissions);
  if (refused)
    return `Personio refused the webhook subscription: the credential needs the ${WEBHOOKS_WRITE_PERMISSION} permission; until then the workspace is synced hourly only`;
  return `Subscribing to Personio webhooks failed: ${describeSyncError(error)}; the next hourly sync tries again`;
}
