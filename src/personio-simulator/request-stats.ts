export interface SimulatorStats {
  total: number;
  /** Requests per path, e.g. `{ '/v2/auth/token': 1, '/v2/absence-periods': 3 }`. */
  byEndpoint: Record<string, number>;
  /** The same per company (requests whose company could be told from client_id or token). */
  byCompany: Record<string, Record<string, number>>;
  /** Requests per `X-Personio-App-ID` value (`(none)` when missing), then per path. */
  byAppId: Record<string, Record<string, number>>;
  /** Requests per `X-Personio-Partner-ID` value (`(none)` when missing), then per path. */
  byPartnerId: Record<string, Record<string, number>>;
  /** The requests answered 429 by a rate-limit bucket (also counted above), in total, per path and per company. */
  rateLimited: { total: number; byEndpoint: Record<string, number>; byCompany: Record<string, Record<string, number>> };
}

export interface ClientIdentity {
  appId?: string;
  partnerId?: string;
}

const NONE = '(none)';

export class RequestStats {
  private total = 0;
  private byEndpoint = new Map<string, number>();
  private byCompany = new Map<string, Map<string, number>>();
  private byAppId = new Map<string, Map<string, number>>();
  private byPartnerId = new Map<string, Map<string, number>>();
  private rateLimitedTotal = 0;
  private rateLimitedByEndpoint = new Map<string, number>();
  private rateLimitedByCompany = new Map<string, Map<string, number>>();

  /** A request (already recorded) that a rate-limit bucket answered with 429. */
  recordRateLimited(endpoint: string, companyId: string | undefined): void {
    this.rateLimitedTotal += 1;
    increment(this.rateLimitedByEndpoint, endpoint);
    if (companyId !== undefined) incrementNested(this.rateLimitedByCompany, companyId, endpoint);
  }

  record(endpoint: string, companyId: string | undefined, identity: ClientIdentity = {}): void {
    this.total += 1;
    increment(this.byEndpoint, endpoint);
    incrementNested(this.byAppId, identity.appId ?? NONE, endpoint);
    incrementNested(this.byPartnerId, identity.partnerId ?? NONE, endpoint);
    if (companyId !== undefined) incrementNested(this.byCompany, companyId, endpoint);
  }

  count(endpoint: string, companyId?: string): number {
    const counts = companyId === undefined ? this.byEndpoint : this.byCompany.get(companyId);
    return counts?.get(endpoint) ?? 0;
  }

  snapshot(): SimulatorStats {
    return {
      total: this.total,
      byEndpoint: Object.fromEntries(this.byEndpoint),
      byCompany: nestedObject(this.byCompany),
      byAppId: nestedObject(this.byAppId),
      byPartnerId: nestedObject(this.byPartnerId),
      rateLimited: {
        total: this.rateLimitedTotal,
        byEndpoint: Object.fromEntries(this.rateLimitedByEndpoint),
        byCompany: nestedObject(this.rateLimitedByCompany),
      },
    };
  }

  reset(): void {
    this.total = 0;
    this.byEndpoint = new Map();
    this.byCompany = new Map();
    this.byAppId = new Map();
    this.byPartnerId = new Map();
    this.rateLimitedTotal = 0;
    this.rateLimitedByEndpoint = new Map();
    this.rateLimitedByCompany = new Map();
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function incrementNested(counts: Map<string, Map<string, number>>, outer: string, inner: string): void {
  let nested = counts.get(outer);
  if (!nested) counts.set(outer, (nested = new Map()));
  increment(nested, inner);
}

function nestedObject(counts: Map<string, Map<string, number>>): Record<string, Record<string, number>> {
  const result: Record<string, Record<string, number>> = {};
  for (const [key, nested] of counts) result[key] = Object.fromEntries(nested);
  return result;
}
