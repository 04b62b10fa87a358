import { BudgetClock, PACE_SHARE, PersonioRequestBudget } from './personio-request-budget';

/** A clock that only moves when the test runs it to the next sleeper. */
class FakeClock implements BudgetClock {
  time = 0;
  private sleepers: Array<{ at: number; wake: () => void }> = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ at: this.time + ms, wake }));
  }

  /** Wakes sleepers in time order until none is left (or `until` is reached). */
  async runAll(until = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      await flush();
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > until) return;
      this.sleepers.shift();
      this.time = Math.max(this.time, next.at);
      next.wake();
    }
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** Starts `n` acquires at once and returns the clock time each one was let through. */
async function releaseTimes(clock: FakeClock, budget: PersonioRequestBudget, company: string, endpoint: string, n = 1) {
  const times: number[] = [];
  const pacer = budget.pacer(company, endpoint);
  const all = Promise.all(Array.from({ length: n }, () => pacer.acquire().then(() => times.push(clock.now()))));
  await clock.runAll();
  await all;
  return times;
}

const HEADERS_10 = {
  'x-ratelimit-remaining': '9',
  'x-ratelimit-replenish-rate': '10',
  'x-ratelimit-burst-capacity': '10',
};

describe('PersonioRequestBudget', () => {
  let clock: FakeClock;
  let budget: PersonioRequestBudget;

  beforeEach(() => {
    clock = new FakeClock();
    budget = new PersonioRequestBudget(clock);
  });

  it('before any answer paces at the documented rate: half the bucket at once, then just under 10 a second on absence periods', async () => {
    const times = await releaseTimes(clock, budget, 'a', '/v2/absence-periods', 15);

    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    const gaps = times.slice(5).map((t, i) => t - times[4 + i]);
    expect(gaps.every((gap) => Math.abs(gap - 1000 / (10 * PACE_SHARE)) < 1)).toBe(true);
    // Personio's bucket (10, refilled at 10/s) would have let every one of them through.
    expect(times.every((t, i) => i + 1 <= 10 + (10 * t) / 1000)).toBe(true);
  });

  it('learns the rate from the x-ratelimit headers', async () => {
    const pacer = budget.pacer('a', '/v2/persons');
    pacer.observe({
      status: 200,
      headers: { 'x-ratelimit-replenish-rate': '5', 'x-ratelimit-burst-capacity': '4', 'x-ratelimit-remaining': '3' },
    });

    const times = await releaseTimes(clock, budget, 'a', '/v2/persons', 6);

    expect(pacer.pacePerSecond).toBeCloseTo(5 * PACE_SHARE);
    expect(times.slice(0, 2)).toEqual([0, 0]);
    expect(times[5] - times[1]).toBeCloseTo((4 * 1000) / (5 * PACE_SHARE), 0);
  });

  it('does not pace an endpoint that answers without the headers (no limit reported)', async () => {
    budget.pacer('a', '/v2/absence-periods').observe({ status: 200, headers: {} });

    const times = await releaseTimes(clock, budget, 'a', '/v2/absence-periods', 50);

    expect(new Set(times)).toEqual(new Set([0]));
  });

  it('on a 429 pauses the endpoint for at least a second, halves the pace and recovers slowly', async () => {
    const pacer = budget.pacer('a', '/v2/absence-periods');
    pacer.observe({ status: 200, headers: HEADERS_10 });
    pacer.observe({ status: 429, headers: { ...HEADERS_10, 'x-ratelimit-remaining': '0' } });

    const [first] = await releaseTimes(clock, budget, 'a', '/v2/absence-periods');

    expect(first).toBe(1000);
    expect(pacer.pacePerSecond).toBeCloseTo(5 * PACE_SHARE);
    for (let i = 0; i < 10; i++) pacer.observe({ status: 200, headers: HEADERS_10 });
    expect(pacer.pacePerSecond).toBeGreaterThan(5 * PACE_SHARE);
    expect(pacer.pacePerSecond).toBeLessThan(10 * PACE_SHARE);
  });

  it('honours a Retry-After longer than a second, also for requests already waiting for their slot', async () => {
    const pacer = budget.pacer('a', '/v2/absence-periods');
    pacer.observe({ status: 200, headers: HEADERS_10 });
    const times: number[] = [];
    const waiting = Promise.all(Array.from({ length: 8 }, () => pacer.acquire().then(() => times.push(clock.now()))));
    await clock.runAll(0);
    pacer.observe({ status: 429, headers: HEADERS_10, retryAfterMs: 3000 });
    await clock.runAll();
    await waiting;

    expect(times.filter((t) => t === 0)).toHaveLength(5);
    expect(times.filter((t) => t > 0).every((t) => t >= 3000)).toBe(true);
  });

  it('falls back to the documented rate after a 429 without headers, even where no limit was reported', async () => {
    const pacer = budget.pacer('a', '/v2/absence-periods');
    pacer.observe({ status: 200, headers: {} });
    pacer.observe({ status: 429, headers: {} });
    pacer.observe({ status: 200, headers: {} });

    expect(pacer.pacePerSecond).toBeLessThan(10 * PACE_SHARE);
  });

  it('keeps each company and each endpoint separate', async () => {
    const [a, b, persons] = await Promise.all([
      releaseTimes(clock, budget, 'company-a', '/v2/absence-periods', 10),
      releaseTimes(clock, budget, 'company-b', '/v2/absence-periods', 10),
      releaseTimes(clock, budget, 'company-a', '/v2/persons', 10),
    ]);

    expect(a.filter((t) => t === 0)).toHaveLength(5);
    expect(b.filter((t) => t === 0)).toHaveLength(5);
    expect(persons).toEqual(Array(10).fill(0));
  });

  it('takes no burst when the server reports its bucket empty', async () => {
    const pacer = budget.pacer('a', '/v2/absence-periods');
    pacer.observe({ status: 200, headers: { ...HEADERS_10, 'x-ratelimit-remaining': '0' } });

    const times = await releaseTimes(clock, budget, 'a', '/v2/absence-periods', 3);

    expect(times[0]).toBeGreaterThan(0);
    expect(times[2] - times[1]).toBeCloseTo(1000 / (10 * PACE_SHARE), 0);
  });
});
