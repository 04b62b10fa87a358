import { Injectable } from '@nestjs/common';

/** How long a token that authenticated stays trusted without reading the integration again. */
export const WEBHOOK_TOKEN_CACHE_SECONDS = 60;

interface CachedToken {
  digest: Buffer;
  until: number;
}

/**
 * The SHA-256 of each workspace's webhook token after it authenticated a delivery, so a burst of
 * deliveries costs one integration read and one decryption, not one per request. Only matches are
 * kept: a token the cache does not know is always checked against the database, so a new
 * subscription works at once on every instance. A change on this instance (new credentials,
 * resubscription, removal, disconnect) forgets the entry at once; another instance's change is
 * seen within WEBHOOK_TOKEN_CACHE_SECONDS (events stored meanwhile are applied with the
 * integration as it is then, or dropped when it is gone).
 */
@Injectable()
export class WebhookTokenCache {
  private readonly byWorkspace = new Map<string, CachedToken>();

  /** The digest trusted for this workspace, or null when there is none or it is too old. */
  digestOf(workspaceId: string): Buffer | null {
    const cached = this.byWorkspace.get(workspaceId);
    if (!cached) return null;
    if (cached.until <= Date.now()) {
      this.byWorkspace.delete(workspaceId);
      return null;
    }
    return cached.digest;
  }

  remember(workspaceId: string, digest: Buffer): void {
    this.byWorkspace.set(workspaceId, { digest, until: Date.now() + WEBHOOK_TOKEN_CACHE_SECONDS * 1000 });
  }

  forget(workspaceId: string): void {
    this.byWorkspace.delete(workspaceId);
  }
}
