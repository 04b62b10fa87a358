import { Injectable, Logger } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { CoalescingBatcher } from '../../../common/coalescing-batcher';
import { SecretCipher } from '../credentials/secret-cipher';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
import { ReceivedEvent, WebhookEventStore } from './webhook-event.store';
import { WebhookTokenCache } from './webhook-token.cache';

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
    private readonly tokens: WebhookTokenCache,
  ) {}

  /** Tokens of workspaces not in the cache: the ones asked for while a read runs are read together. */
  private readonly sealedTokens = new CoalescingBatcher<string, string | null>(
    (workspaceIds) => this.state.webhookTokensOf(workspaceIds),
    2,
    100,
  );

  /**
   * True only for a connected workspace whose stored token equals `authorization` (compared in
   * constant time). A token that authenticated recently is trusted without a query (WebhookTokenCache).
   */
  async authenticated(workspaceId: string, authorization: string | undefined): Promise<boolean> {
    if (authorization === undefined) return false;
    const presented = createHash('sha256').update(authorization).digest();
    const cached = UUID.test(workspaceId) ? this.tokens.digestOf(workspaceId) : null;
    if (cached && timingSafeEqual(presented, cached)) return true;
    const expected = await this.storedDigest(workspaceId);
    const matches = timingSafeEqual(presented, expected) && expected !== NO_TOKEN_DIGEST;
    if (matches) this.tokens.remember(workspaceId, expected);
    return matches;
  }

  /** One INSERT … ON CONFLICT DO NOTHING: no transaction, no other write, no lock on the integration. */
  async store(workspaceId: string, event: ReceivedEvent): Promise<void> {
    await this.events.record(workspaceId, event);
  }

  private async storedDigest(workspaceId: string): Promise<Buffer> {
    if (!UUID.test(workspaceId)) return NO_TOKEN_DIGEST;
    const sealed = await this.sealedTokens.run(workspaceId);
    if (!sealed) return NO_TOKEN_DIGEST;
    try {
      return createHash('sha256').update(this.cipher.decrypt(sealed, workspaceId)).digest();
    } catch (error) {
      this.logger.warn(
        `workspace=${workspaceId} webhook token unreadable with the configured keys: ${(error as Error).message}`,
      );
      return NO_TOKEN_DIGEST;
    }
  }
}
