import { randomBytes } from 'node:crypto';

const TOKEN_LIFETIME_SECONDS = 86_400;

export interface IssuedToken {
  companyId: string;
  clientId: string;
  scopes: ReadonlySet<string>;
  expiresAtMs: number;
}

/** Access tokens issued by `/v2/auth/token`, each belonging to one company and one credential. */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly now: () => number) {}

  /** The credential's live token for exactly these scopes, or a new one; drops expired tokens on the way. */
  stableToken(companyId: string, clientId: string, scopes: readonly string[]): [string, IssuedToken] {
    const now = this.now();
    for (const [token, issued] of this.tokens) {
      if (issued.expiresAtMs <= now) {
        this.tokens.delete(token);
        continue;
      }
      if (issued.companyId === companyId && issued.clientId === clientId && sameScopes(issued.scopes, scopes))
        return [token, issued];
    }
    const issued: IssuedToken = {
      companyId,
      clientId,
      scopes: new Set(scopes),
      expiresAtMs: now + TOKEN_LIFETIME_SECONDS * 1000,
    };
    const token = `papi-${randomBytes(24).toString('hex')}`;
    this.tokens.set(token, issued);
    return [token, issued];
  }

  /** The token as stored, expired or not. */
  get(token: string): IssuedToken | undefined {
    return this.tokens.get(token);
  }

  delete(token: string): void {
    this.tokens.delete(token);
  }

  /** The unexpired token an `Authorization: Bearer …` header carries. */
  validBearer(authorization: string | undefined): IssuedToken | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const issued = match ? this.tokens.get(match[1]) : undefined;
    if (!issued || issued.expiresAtMs <= this.now()) return undefined;
    return issued;
  }

  /** Revokes every token of one company, or of all companies. */
  revoke(companyId?: string): number {
    let revoked = 0;
    for (const [token, issued] of this.tokens) {
      if (companyId === undefined || issued.companyId === companyId) {
        this.tokens.delete(token);
        revoked += 1;
      }
    }
    return revoked;
  }

  /** Moves every token of one company (or all) closer to its expiry, as if that much time had passed. */
  age(seconds: number, companyId?: string): number {
    if (!Number.isFinite(seconds)) throw new Error('seconds must be a number');
    let aged = 0;
    for (const issued of this.tokens.values()) {
      if (companyId === undefined || issued.companyId === companyId) {
        issued.expiresAtMs -= seconds * 1000;
        aged += 1;
      }
    }
    return aged;
  }

  issuedTo(companyId: string): string[] {
    return [...this.tokens].filter(([, issued]) => issued.companyId === companyId).map(([token]) => token);
  }
}

function sameScopes(granted: ReadonlySet<string>, scopes: readonly string[]): boolean {
  return granted.size === new Set(scopes).size && scopes.every((scope) => granted.has(scope));
}
