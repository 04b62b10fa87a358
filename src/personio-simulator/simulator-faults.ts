export type SimEndpoint =
  | '/v2/auth/token'
  | '/v2/auth/revoke'
  | '/v2/persons'
  | '/v2/absence-periods'
  | '/v2/absence-periods/{id}'
  | '/v2/absence-types'
  | '/v2/webhooks'
  | '/v2/webhooks/{id}';
export type EndpointSelector = SimEndpoint | '*';

interface PageSelector {
  endpoint: EndpointSelector;
  /** 1-based page; omitted = every page. The token endpoint only has page 1. */
  page?: number;
  /** How many matching requests this fault hits; omitted = forever. */
  times?: number;
  /**
   * Only requests carrying these query parameters with exactly these values (e.g. one partition's
   * `starts_from.date_time.gte`); omitted = any query.
   */
  query?: Record<string, string>;
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

/**
 * Personio's own limits, one bucket per endpoint: ~30 req/s on persons, ~10 req/s on absence
 * periods, 150 token requests a minute; 429 without Retry-After (PERSONIO_API.md §1, §6).
 * Absence types are not documented: treated like absence periods.
 */
export const REALISTIC_RATE_LIMITS: readonly RateLimitFault[] = [
  { endpoint: '/v2/persons', capacity: 30, refillPerSecond: 30 },
  { endpoint: '/v2/absence-periods', capacity: 10, refillPerSecond: 10 },
  { endpoint: '/v2/absence-types', capacity: 10, refillPerSecond: 10 },
  { endpoint: '/v2/auth/token', capacity: 150, refillPerSecond: 150 / 60 },
];

/** One bucket rule, several (first matching endpoint wins), or Personio's own limits. */
export type RateLimitSetting = RateLimitFault | RateLimitFault[] | 'realistic';

/**
 * Personio as it answers in production (issue 17): every request takes 200 ms ± 50 ms and the
 * per-endpoint buckets of REALISTIC_RATE_LIMITS apply (429 without Retry-After when one is empty).
 */
export const REALISTIC_PROFILE = { latencyMs: 200, latencyJitterMs: 50, rateLimit: 'realistic' } as const;

export interface FaultSettings {
  /** `realistic`: REALISTIC_PROFILE; the other settings given beside it win over the profile's. */
  profile?: 'realistic';
  latencyMs?: number;
  /** Each request's latency is drawn uniformly from latencyMs ± this (never below 0). */
  latencyJitterMs?: number;
  /** Off by default; `realistic` switches on Personio's per-endpoint buckets. */
  rateLimit?: RateLimitSetting | null;
  /** The token endpoint answers 400 invalid_client whatever the credentials. */
  rejectCredentials?: boolean;
  relativeNextLinks?: boolean;
  pageFailures?: PageFailureFault[];
  connectionResets?: ConnectionResetFault[];
  stalls?: StallFault[];
  holds?: HoldFault[];
  /** Every webhook event is delivered twice (two separate requests, one after the other). */
  duplicateDelivery?: boolean;
  /** The events of one burst (the changes of one admin request or one synchronous run) go out in reverse order. */
  outOfOrderDelivery?: boolean;
  /**
   * The company's tokens lack the webhooks scopes whatever was granted: `/v2/webhooks` answers 401
   * (true or 401, like Personio's resources) or 403.
   */
  missingWebhooksScope?: boolean | 401 | 403;
}

/** The status a missing webhooks scope is answered with, or null when the scope is not taken away. */
export type MissingScopeStatus = 401 | 403 | null;

export interface RateLimitVerdict {
  /** True when the bucket was empty: answer 429. */
  limited: boolean;
  /** `x-ratelimit-*` headers for the response, whatever its status. */
  headers: Record<string, string>;
}

interface Rule<T extends PageSelector> {
  fault: T;
  remaining: number;
}

/** The faults of one scope (one company, or the whole simulator). */
export class FaultSet {
  latencyMs = 0;
  latencyJitterMs = 0;
  rejectCredentials = false;
  relativeNextLinks: boolean | undefined;
  duplicateDelivery = false;
  outOfOrderDelivery = false;
  missingWebhooksScope: MissingScopeStatus = null;
  private rateLimits: readonly RateLimitFault[] = [];
  private readonly buckets = new Map<string, { tokens: number; refilledAt: number }>();
  private pageFailures: Array<Rule<PageFailureFault>> = [];
  private connectionResets: Array<Rule<ConnectionResetFault>> = [];
  private stalls: Array<Rule<StallFault>> = [];
  private holds: Array<Rule<HoldFault>> = [];
  private readonly held = new Map<number, { info: HeldRequestInfo; release: () => void }>();
  private heldWaiters: Array<{ filter: HeldRequestFilter; resolve: (info: HeldRequestInfo) => void }> = [];
  private heldSequence = 0;

  /** Merges: scalar settings replace, fault lists are appended. */
  apply(given: FaultSettings): void {
    if (given.profile !== undefined && given.profile !== 'realistic')
      throw new Error('profile must be "realistic" (or omitted)');
    const settings: FaultSettings = given.profile === 'realistic' ? { ...REALISTIC_PROFILE, ...given } : given;
    if (settings.latencyMs !== undefined) this.latencyMs = nonNegative('latencyMs', settings.latencyMs);
    if (settings.latencyJitterMs !== undefined)
      this.latencyJitterMs = nonNegative('latencyJitterMs', settings.latencyJitterMs);
    if (settings.rejectCredentials !== undefined) this.rejectCredentials = settings.rejectCredentials;
    if (settings.relativeNextLinks !== undefined) this.relativeNextLinks = settings.relativeNextLinks;
    if (settings.duplicateDelivery !== undefined) this.duplicateDelivery = settings.duplicateDelivery;
    if (settings.outOfOrderDelivery !== undefined) this.outOfOrderDelivery = settings.outOfOrderDelivery;
    if (settings.missingWebhooksScope !== undefined)
      this.missingWebhooksScope = missingScopeStatus(settings.missingWebhooksScope);
    if (settings.rateLimit !== undefined) {
      this.rateLimits = rateLimitRules(settings.rateLimit);
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
    this.latencyJitterMs = 0;
    this.rejectCredentials = false;
    this.relativeNextLinks = undefined;
    this.duplicateDelivery = false;
    this.outOfOrderDelivery = false;
    this.missingWebhooksScope = null;
    this.rateLimits = [];
    this.buckets.clear();
    this.pageFailures = [];
    this.connectionResets = [];
    this.stalls = [];
    this.holds = [];
    // Nothing stays hanging once a test clears its faults.
    this.releaseHeld();
  }

  takePageFailure(endpoint: SimEndpoint, page: number, query?: URLSearchParams): PageFailureFault | null {
    return take(this.pageFailures, endpoint, page, query);
  }

  takeConnectionReset(endpoint: SimEndpoint, page: number, query?: URLSearchParams): boolean {
    return take(this.connectionResets, endpoint, page, query) !== null;
  }

  takeStallMs(endpoint: SimEndpoint, page: number, query?: URLSearchParams): number {
    return take(this.stalls, endpoint, page, query)?.ms ?? 0;
  }

  /**
   * Keeps the request until it is released (or its connection closes) when a hold fault matches;
   * resolves at once otherwise.
   */
  async holdIfMatched(
    endpoint: SimEndpoint,
    page: number,
    closed: () => Promise<void>,
    query?: URLSearchParams,
  ): Promise<void> {
    if (!take(this.holds, endpoint, page, query)) return;
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

  /** This request's latency: latencyMs ± latencyJitterMs, drawn uniformly. */
  drawLatencyMs(random: () => number = Math.random): number {
    if (this.latencyJitterMs === 0) return this.latencyMs;
    return Math.max(0, Math.round(this.latencyMs + (random() * 2 - 1) * this.latencyJitterMs));
  }

  /**
   * Consumes one token of the endpoint's bucket; null when no limit applies to the endpoint.
   * Buckets are per company (`owner`), as Personio's are, also when the limit is set globally.
   */
  takeRateLimit(endpoint: SimEndpoint, nowMs: number, owner = ''): RateLimitVerdict | null {
    const limit = this.rateLimits.find((rule) => selects(rule.endpoint ?? '*', endpoint));
    if (!limit) return null;
    const key = `${owner}\u0000${endpoint}`;
    const bucket = this.buckets.get(key) ?? { tokens: limit.capacity, refilledAt: nowMs };
    bucket.tokens = Math.min(
      limit.capacity,
      bucket.tokens + ((nowMs - bucket.refilledAt) / 1000) * limit.refillPerSecond,
    );
    bucket.refilledAt = nowMs;
    this.buckets.set(key, bucket);
    const limited = bucket.tokens < 1;
    if (!limited) bucket.tokens -= 1;
    const headers: Record<string, string> = {
      'x-ratelimit-remaining': String(Math.floor(bucket.tokens)),
      'x-ratelimit-replenish-rate': String(limit.refillPerSecond),
      'x-ratelimit-burst-capacity': String(limit.capacity),
      'x-ratelimit-requested-tokens': '1',
    };
    if (limited && limit.retryAfter === 'auto') {
      headers['retry-after'] = String(Math.max(1, Math.ceil((1 - bucket.tokens) / limit.refillPerSecond)));
    } else if (limited && limit.retryAfter !== undefined) {
      headers['retry-after'] = limit.retryAfter;
    }
    return { limited, headers };
  }
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new Error(`${name} must be a number >= 0`);
  return value;
}

function missingScopeStatus(setting: boolean | 401 | 403): MissingScopeStatus {
  if (setting === false) return null;
  if (setting === true || setting === 401) return 401;
  if (setting === 403) return 403;
  throw new Error('missingWebhooksScope must be true, false, 401 or 403');
}

function rateLimitRules(setting: RateLimitSetting | null): readonly RateLimitFault[] {
  if (setting === null) return [];
  if (setting === 'realistic') return REALISTIC_RATE_LIMITS;
  const rules = Array.isArray(setting) ? setting : [setting];
  for (const rule of rules) {
    if (!(rule.capacity >= 1) || !(rule.refillPerSecond > 0))
      throw new Error('rateLimit needs capacity >= 1 and refillPerSecond > 0 (or "realistic")');
  }
  return rules;
}

function selects(selector: EndpointSelector, endpoint: SimEndpoint): boolean {
  return selector === '*' || selector === endpoint;
}

function matchesQuery(wanted: Record<string, string> | undefined, query: URLSearchParams | undefined): boolean {
  if (wanted === undefined) return true;
  return Object.entries(wanted).every(([name, value]) => query?.get(name) === value);
}

function matchesHeld(filter: HeldRequestFilter, info: HeldRequestInfo): boolean {
  return (
    (filter.endpoint === undefined || filter.endpoint === info.endpoint) &&
    (filter.page === undefined || filter.page === info.page)
  );
}

function take<T extends PageSelector>(
  rules: Array<Rule<T>>,
  endpoint: SimEndpoint,
  page: number,
  query?: URLSearchParams,
): T | null {
  const rule = rules.find(
    (r) =>
      r.remaining > 0 &&
      selects(r.fault.endpoint, endpoint) &&
      (r.fault.page === undefined || r.fault.page === page) &&
      matchesQuery(r.fault.query, query),
  );
  if (!rule) return null;
  rule.remaining -= 1;
  return rule.fault;
}
