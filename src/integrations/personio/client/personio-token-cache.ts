import { createHash } from 'node:crypto';
import { PersonioCredentials } from './personio-api.types';

export interface CachedToken {
  accessToken: string;
  /** When to fetch a new one: ~60 s before expiry (half the lifetime for very short-lived tokens). */
  renewAtMs: number;
}

const RENEW_BEFORE_EXPIRY_MS = 60_000;

export function renewalTime(issuedAtMs: number, expiresInSeconds: number): number {
  const lifetimeMs = expiresInSeconds * 1000;
  return issuedAtMs + Math.max(lifetimeMs / 2, lifetimeMs - RENEW_BEFORE_EXPIRY_MS);
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
    if (cached && this.isFresh(cached)) return cached;
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

  private isFresh(token: CachedToken): boolean {
    return this.now() < token.renewAtMs;
  }
}
