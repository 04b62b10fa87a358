/**
 * Every request to one Personio company (one client id) goes through that company's budget: a pacer per
 * endpoint that sends at most at the endpoint's rate, so concurrent partitions, the absence types, the
 * persons and webhook fetches of one company queue here instead of stampeding into 429s (PERSONIO_API.md §6).
 *
 * The rate is learned from the `x-ratelimit-replenish-rate` / `x-ratelimit-burst-capacity` headers every
 * Personio answer carries; until an endpoint's first answer (and after a 429 that carries none) the
 * documented rates apply. An endpoint that answers without the headers reports no limit and is not paced
 * until it answers 429. A 429 pauses the endpoint (Retry-After when given, else 1 s) and halves the pace,
 * which recovers a little with each answer that is not a 429.
 */

export interface RateLimit {
  /** Requests a second the server refills. */
  perSecond: number;
  /** The server's bucket size. */
  burst: number;
}

/** Personio's observed limits (PERSONIO_API.md §6); absence types are undocumented and treated like absence periods. */
export const DOCUMENTED_RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  '/v2/persons': { perSecond: 30, burst: 30 },
  '/v2/absence-periods': { perSecond: 10, burst: 10 },
  '/v2/absence-types': { perSecond: 10, burst: 10 },
  '/v2/auth/token': { perSecond: 150 / 60, burst: 150 },
};
/** Any other endpoint (single items, webhooks): the most cautious documented list rate. */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 10, burst: 10 };

/** The share of the server's rate we send at: latency jitter bunches arrivals, and the rest absorbs it. */
export const PACE_SHARE = 0.95;
/** The share of the server's bucket we burst into, so a bunch of late arrivals still finds tokens. */
export const BURST_SHARE = 0.5;
/** After a 429 without Retry-After Personio's bucket needs about a second (PERSONIO_API.md §6). */
export const PAUSE_AFTER_429_MS = 1_000;
const SLOWEST_SHARE = 0.25;
const RECOVERY_PER_ANSWER = 0.02;
/** Pacers idle this long are forgotten (their company's next request starts from the documented rates). */
const IDLE_FORGET_MS = 10 * 60_000;

export interface BudgetClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const systemClock: BudgetClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What the budget reads from one answer. */
export interface BudgetObservation {
  status?: number;
  headers?: Record<string, unknown>;
  /** Parsed Retry-After of a 429, if any. */
  retryAfterMs?: number | null;
}

type RateSource = 'documented' | 'headers' | 'unreported';

/** The pace of one endpoint of one company: GCRA (a token bucket kept as the next slot's time). */
export class EndpointPacer {
  private limit: RateLimit;
  private source: RateSource = 'documented';
  /** Set once a 429 arrived without headers: from then on the documented rates, whatever follows. */
  private fellBack = false;
  private slowdown = 1;
  /** Theoretical time of the next request at the pace (ms). */
  private nextSlotAt = 0;
  private pausedUntil = 0;
  private pauses = 0;
  lastUsedAt = 0;

  constructor(
    private readonly fallback: RateLimit,
    private readonly clock: BudgetClock,
  ) {
    this.limit = fallback;
  }

  /** Requests a second this pacer currently sends at most; Infinity when it does not pace. */
  get pacePerSecond(): number {
    return this.paced ? this.limit.perSecond * PACE_SHARE * this.slowdown : Number.POSITIVE_INFINITY;
  }

  /** Resolves when the next request may go out; waits in order of arrival. */
  async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.lastUsedAt = now;
      if (!this.paced && this.pausedUntil <= now) return;
      const interval = 1000 / this.paceLimit();
      const tolerance = (this.localBurst() - 1) * interval;
      const startAt = Math.max(now, this.pausedUntil, this.nextSlotAt - tolerance);
      this.nextSlotAt = Math.max(this.nextSlotAt, startAt) + interval;
      if (startAt <= now) return;
      const pausesBefore = this.pauses;
      await this.clock.sleep(startAt - now);
      // A 429 that arrived while we waited moved the pause: the slot we held is no longer safe.
      if (this.pauses === pausesBefore || this.pausedUntil <= this.clock.now()) return;
    }
  }

  observe({ status, headers, retryAfterMs }: BudgetObservation): void {
    const now = this.clock.now();
    const reported = reportedLimit(headers);
    if (reported) {
      this.limit = reported;
      if (!this.fellBack) this.source = 'headers';
    } else if (status !== undefined && status !== 429 && this.source === 'documented' && !this.fellBack) {
      this.source = 'unreported';
    }
    if (status === 429) {
      if (!reported) {
        this.fellBack = true;
        this.source = 'documented';
        this.limit = this.fallback;
      }
      this.slowdown = Math.max(SLOWEST_SHARE, this.slowdown / 2);
      this.pausedUntil = Math.max(this.pausedUntil, now + Math.max(retryAfterMs ?? 0, PAUSE_AFTER_429_MS));
      this.pauses++;
      return;
    }
    if (status !== undefined) this.slowdown = Math.min(1, this.slowdown + RECOVERY_PER_ANSWER);
    // The server's bucket is empty although ours was not (another instance, or a burst we did not see):
    // no burst now, and the next request waits for one refill.
    const remaining = numberHeader(headers, 'x-ratelimit-remaining');
    if (remaining !== null && remaining < 1 && this.paced) {
      const interval = 1000 / this.paceLimit();
      this.nextSlotAt = Math.max(this.nextSlotAt, now + this.localBurst() * interval);
    }
  }

  private get paced(): boolean {
    return this.source !== 'unreported' || this.slowdown < 1;
  }

  private paceLimit(): number {
    return this.limit.perSecond * PACE_SHARE * this.slowdown;
  }

  private localBurst(): number {
    return Math.max(1, Math.floor(this.limit.burst * BURST_SHARE));
  }
}

/** The budgets of every company this client talks to, keyed by client id. */
export class PersonioRequestBudget {
  private readonly companies = new Map<string, Map<string, EndpointPacer>>();
  private lastSweepAt = 0;

  constructor(private readonly clock: BudgetClock = systemClock) {}

  pacer(companyKey: string, endpoint: string): EndpointPacer {
    this.sweepIdle();
    let endpoints = this.companies.get(companyKey);
    if (!endpoints) this.companies.set(companyKey, (endpoints = new Map()));
    let pacer = endpoints.get(endpoint);
    if (!pacer) {
      pacer = new EndpointPacer(DOCUMENTED_RATE_LIMITS[endpoint] ?? DEFAULT_RATE_LIMIT, this.clock);
      endpoints.set(endpoint, pacer);
    }
    return pacer;
  }

  /** Waits for the slot, sends, and lets the answer teach the pacer. */
  async send<T>(
    companyKey: string,
    endpoint: string,
    request: () => Promise<T>,
    observation: (result: T) => BudgetObservation,
  ): Promise<T> {
    const pacer = this.pacer(companyKey, endpoint);
    await pacer.acquire();
    const result = await request();
    pacer.observe(observation(result));
    return result;
  }

  private sweepIdle(): void {
    const now = this.clock.now();
    if (now - this.lastSweepAt < IDLE_FORGET_MS) return;
    this.lastSweepAt = now;
    for (const [company, endpoints] of this.companies) {
      for (const [endpoint, pacer] of endpoints)
        if (now - pacer.lastUsedAt > IDLE_FORGET_MS) endpoints.delete(endpoint);
      if (endpoints.size === 0) this.companies.delete(company);
    }
  }
}

function reportedLimit(headers: Record<string, unknown> | undefined): RateLimit | null {
  const perSecond = numberHeader(headers, 'x-ratelimit-replenish-rate');
  if (perSecond === null || perSecond <= 0) return null;
  const burst = numberHeader(headers, 'x-ratelimit-burst-capacity');
  return { perSecond, burst: burst !== null && burst >= 1 ? burst : perSecond };
}

function numberHeader(headers: Record<string, unknown> | undefined, name: string): number | null {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === null || String(value).trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}
