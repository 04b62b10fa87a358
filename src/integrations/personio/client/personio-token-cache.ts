import { createHash } from 'node:crypto';
import { PersonioCredentials } from './personio-api.types';

export interface CachedToken {
  accessToken: string;
  /** When Personio stops accepting it, as reported by `expires_in` when it arrived. */
  expiresAtMs: number;
}

/** A missing or zero `expires_in` says nothing about the lifetime: assume a short one, never 24 h. */
export const UNKNOWN_TOKEN_LIFETIME_SECONDS = 3_600;

/**
 * Personio tokens are stable: asking again within their lifetime returns the same token with the
 * time it has left. So a token is used until it expires, never renewed early (that loops on the
 * same token near its end); a 401 from a resource call is what renews it.
 */
export function tokenExpiry(receivedAtMs: number, expiresInSeconds: unknown): number {
  const lifetime =
    typeof expiresInSeconds === 'number' && Number.isFinite(expiresInSeconds) && expiresInSeconds > 0
      ? expiresInSeconds
      : UNKNOWN_TOKEN_LIFETIME_SECONDS;
  return receivedAtMs + lifetime * 1000;
}

/** The cache key names the client ID and a hash of the secret, so a rotated secret gets a fresh token. */
export function credentialCacheKey(credentials: PersonioCredentials): string {
  const secretHash = createHash('sha256').update(credentials.clientSecret).digest('base64url').slice(0, 22);
  return `${credentials.clientId}:${secretHash}`;
}

/** Tokens per credential; concurrent callers with the same credential share one in-flight request. */
export class PersonioTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string, fetchToken: () => Promise<CachedToken>): Promise<CachedToken> {
    const cached = this.tokens.get(key);
    if (cached && this.now() < cached.expiresAtMs) return cached;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const request = fetchToken()
      .then((token) => {
        this.tokens.set(key, token);
        return token;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, request);
    return request;
  }

  /** Drops the token after a 401, unless another caller already replaced it. */
  invalidate(key: string, accessToken: string): void {
    if (this.tokens.get(key)?.accessToken === accessToken) this.tokens.delete(key);
  }

  clear(): void {
    this.tokens.clear();
  }
}
