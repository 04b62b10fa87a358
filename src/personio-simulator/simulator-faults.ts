export type SimEndpoint =
  '/v2/auth/token' | '/v2/auth/revoke' | '/v2/persons' | '/v2/absence-periods' | '/v2/absence-types';
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

/** Matching requests wait until the test releases them (`releaseHeld`), so it can act at a known point. */
export type HoldFault = PageSelector;

/** A request a hold fault is keeping; `id` names it for `releaseHeld`. */
export interface HeldRequestInfo {
  id: number;
  endpoint: SimEndpoint;
  page: number;
}

/** Which held request `whenHeld` waits for; omitted fields match any. */
export interface HeldRequestFilter {
  endpoint?: SimEndpoint;
  page?: number;
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
  holds?: HoldFault[];
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
  private holds: Array<Rule<HoldFault>> = [];
  private readonly held = new Map<number, { info: HeldRequestInfo; release: () => void }>();
  private heldWaiters: Array<{ filter: HeldRequestFilter; resolve: (info: HeldRequestInfo) => void }> = [];
  private heldSequence = 0;

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
    this.holds.push(...rules(settings.holds));
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
    this.holds = [];
    // Nothing stays hanging once a test clears its faults.
    this.releaseHeld();
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

  /**
   * Keeps the request until it is released (or its connection closes) when a hold fault matches;
   * resolves at once otherwise.
   */
  async holdIfMatched(endpoint: SimEndpoint, page: number, closed: () => Promise<void>): Promise<void> {
    if (!take(this.holds, endpoint, page)) return;
    const info: HeldRequestInfo = { id: ++this.heldSequence, endpoint, page };
    const released = new Promise<void>((resolve) => this.held.set(info.id, { info, release: resolve }));
    const waiting = this.heldWaiters;
    this.heldWaiters = waiting.filter((waiter) => !matchesHeld(waiter.filter, info));
    for (const waiter of waiting) if (matchesHeld(waiter.filter, info)) waiter.resolve({ ...info });
    await Promise.race([released, closed()]);
    this.held.delete(info.id);
  }

  /** Resolves with a matching request as soon as one is held (at once when one already is). */
  whenHeld(filter: HeldRequestFilter = {}): Promise<HeldRequestInfo> {
    const already = [...this.held.values()].find(({ info }) => matchesHeld(filter, info));
    if (already) return Promise.resolve({ ...already.info });
    return new Promise((resolve) => this.heldWaiters.push({ filter, resolve }));
  }

  heldRequests(): HeldRequestInfo[] {
    return [...this.held.values()].map(({ info }) => ({ ...info }));
  }

  /** Lets one held request (by id) or all of them go on; returns how many were released. */
  releaseHeld(id?: number): number {
    const targets = [...this.held.values()].filter(({ info }) => id === undefined || info.id === id);
    for (const target of targets) {
      this.held.delete(target.info.id);
      target.release();
    }
    return targets.length;
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

function matchesHeld(filter: HeldRequestFilter, info: HeldRequestInfo): boolean {
  return (
    (filter.endpoint === undefined || filter.endpoint === info.endpoint) &&
    (filter.page === undefined || filter.page === info.page)
  );
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
