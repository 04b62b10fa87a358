export type SimEndpoint =
  | '/v2/auth/token'
  | '/v2/auth/revoke'
  | '/v2/persons'
  | '/v2/absence-periods'
  | '/v2/absence-periods/{id}'
  | '/v2/absence-types';
export type EndpointSelector = SimEndpoint | '*';

interface PageSelector {
  endpoint: EndpointSelector;
  /** 1-based page; omitted = every page. The token endpoint only has page 1. */
  page?: number;
  /** How many matching requests this fault hits; omitted = forever. */
  times?: number;
}

export interface PageFailureFault extends PageSelector {
  status: number;
  /** Sent verbatim as `Retry-After` (seconds, fractional seconds or an HTTP date). */
  retryAfter?: string;
}

export type ConnectionResetFault = PageSelector;

export interface StallFault extends PageSelector {
  /** The response is held this long before it is sent (pick more than the client's timeout). */
  ms: number;
}

export interface RateLimitFault {
  /** Token bucket per endpoint: `capacity` requests in a burst, refilled at `refillPerSecond`. */
  capacity: number;
  refillPerSecond: number;
  /** `auto` = seconds until the next token; omitted = no Retry-After header (Personio's usual 429). */
  retryAfter?: 'auto' | string;
  endpoint?: EndpointSelector;
}

export interface FaultSettings {
  latencyMs?: number;
  rateLimit?: RateLimitFault | null;
  /** The token endpoint answers 400 invalid_client whatever the credentials. */
  rejectCredentials?: boolean;
  relativeNextLinks?: boolean;
  pageFailures?: PageFailureFault[];
  connectionResets?: ConnectionResetFault[];
  stalls?: StallFault[];
}

export interface RateLimitVerdict {
  headers: Record<string, string>;
}

interface Rule<T extends PageSelector> {
  fault: T;
  remaining: number;
}

/** The faults of one scope (one company, or the whole simulator). */
export class FaultSet {
  latencyMs = 0;
  rejectCredentials = false;
  relativeNextLinks: boolean | undefined;
  private rateLimit: RateLimitFault | null = null;
  private readonly buckets = new Map<string, { tokens: number; refilledAt: number }>();
  private pageFailures: Array<Rule<PageFailureFault>> = [];
  private connectionResets: Array<Rule<ConnectionResetFault>> = [];
  private stalls: Array<Rule<StallFault>> = [];

  /** Merges: scalar settings replace, fault lists are appended. */
  apply(settings: FaultSettings): void {
    if (settings.latencyMs !== undefined) this.latencyMs = settings.latencyMs;
    if (settings.rejectCredentials !== undefined) this.rejectCredentials = settings.rejectCredentials;
    if (settings.relativeNextLinks !== undefined) this.relativeNextLinks = settings.relativeNextLinks;
    if (settings.rateLimit !== undefined) {
      this.rateLimit = settings.rateLimit;
      this.buckets.clear();
    }
    const rules = <T extends PageSelector>(faults: T[] | undefined) =>
      (faults ?? []).map((fault) => ({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY }));
    this.pageFailures.push(...rules(settings.pageFailures));
    this.connectionResets.push(...rules(settings.connectionResets));
    this.stalls.push(...rules(settings.stalls));
  }

  clear(): void {
    this.latencyMs = 0;
    this.rejectCredentials = false;
    this.relativeNextLinks = undefined;
    this.rateLimit = null;
    this.buckets.clear();
    this.pageFailures = [];
    this.connectionResets = [];
    this.stalls = [];
  }

  takePageFailure(endpoint: SimEndpoint, page: number): PageFailureFault | null {
    return take(this.pageFailures, endpoint, page);
  }

  takeConnectionReset(endpoint: SimEndpoint, page: number): boolean {
    return take(this.connectionResets, endpoint, page) !== null;
  }

  takeStallMs(endpoint: SimEndpoint, page: number): number {
    return take(this.stalls, endpoint, page)?.ms ?? 0;
  }

  /** Consumes one token of the endpoint's bucket; a verdict means "answer 429". */
  takeRateLimit(endpoint: SimEndpoint, nowMs: number): RateLimitVerdict | null {
    const limit = this.rateLimit;
    if (!limit || !selects(limit.endpoint ?? '*', endpoint)) return null;
    const bucket = this.buckets.get(endpoint) ?? { tokens: limit.capacity, refilledAt: nowMs };
    bucket.tokens = Math.min(
      limit.capacity,
      bucket.tokens + ((nowMs - bucket.refilledAt) / 1000) * limit.refillPerSecond,
    );
    bucket.refilledAt = nowMs;
    this.buckets.set(endpoint, bucket);
    const headers: Record<string, string> = {
      'x-ratelimit-burst-capacity': String(limit.capacity),
      'x-ratelimit-replenish-rate': String(limit.refillPerSecond),
    };
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    headers['x-ratelimit-remaining'] = '0';
    if (limit.retryAfter === 'auto') {
      headers['retry-after'] = String(Math.max(1, Math.ceil((1 - bucket.tokens) / limit.refillPerSecond)));
    } else if (limit.retryAfter !== undefined) {
      headers['retry-after'] = limit.retryAfter;
    }
    return { headers };
  }
}

function selects(selector: EndpointSelector, endpoint: SimEndpoint): boolean {
  return selector === '*' || selector === endpoint;
}

function take<T extends PageSelector>(rules: Array<Rule<T>>, endpoint: SimEndpoint, page: number): T | null {
  const rule = rules.find(
    (r) =>
      r.remaining > 0 && selects(r.fault.endpoint, endpoint) && (r.fault.page === undefined || r.fault.page === page),
  );
  if (!rule) return null;
  rule.remaining -= 1;
  return rule.fault;
}
