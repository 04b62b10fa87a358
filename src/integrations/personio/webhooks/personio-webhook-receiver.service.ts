import { Injectable, Logger } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { SecretCipher } from '../credentials/secret-cipher';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
import { ReceivedEvent, WebhookEventStore } from './webhook-event.store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Compared when there is no stored token, so an unknown workspace costs the same as a wrong token.
const NO_TOKEN_DIGEST = createHash('sha256').update('no webhook token stored').digest();

/** What the receiver needs: is the caller Personio for this workspace, and store its event. No Personio call. */
@Injectable()
export class PersonioWebhookReceiverService {
  private readonly logger = new Logger(PersonioWebhookReceiverService.name);

  constructor(
    private readonly state: PersonioIntegrationStateService,
    private readonly cipher: SecretCipher,
    private readonly events: WebhookEventStore,
  ) {}

  /** True only for a connected workspace whose stored token equals `authorization` (compared in constant time). */
  async authenticated(workspaceId: string, authorization: string | undefined): Promise<boolean> {
    const presented = createHash('sha256')
      .update(authorization ?? '')
      .digest();
    let expected = NO_TOKEN_DIGEST;
    if (UUID.test(workspaceId)) {
      const integration = await this.state.find(workspaceId);
      const sealed = integration?.webhookTokenEncrypted;
      if (sealed) {
        try {
          expected = createHash('sha256').update(this.cipher.decrypt(sealed, workspaceId)).digest();
        } catch (error) {
          this.logger.warn(
            `workspace=${workspaceId} webhook token unreadable with the configured keys: ${(error as Error).message}`,
          );
        }
      }
    }
    return timingSafeEqual(presented, expected) && expected !== NO_TOKEN_DIGEST && authorization !== undefined;
  }

  /** One INSERT (duplicates ignored) and one UPDATE of lastEventAt: short, no transaction held open. */
  async store(workspaceId: string, event: ReceivedEvent): Promise<void> {
    const receivedAt = new Date();
    await this.events.record(workspaceId, event, receivedAt);
    await this.state.webhookEventReceived(workspaceId, receivedAt);
  }
}
