import { PersonioHttpClient } from '../../src/integrations/personio/client/personio-http.client';
import { PersonioSimulator, SimCompanySummary } from '../../src/personio-simulator';
import { collectPages, credentialsOf, fastClientConfig, person } from './personio-contract.support';

const TOKEN = '/v2/auth/token';
const PERSONS = '/v2/persons';
const HOUR_MS = 3_600_000;

/**
 * Personio tokens are stable for 24 h: asking again returns the same token with the time it has
 * left. One clock drives both the simulator and the client, so two days pass in a few seconds.
 */
describe('Personio tokens over 48 hours (simulator and client on one controlled clock)', () => {
  const start = Date.parse('2026-06-01T00:00:00Z');
  let now = start;
  const sim = new PersonioSimulator(() => now);
  let client: PersonioHttpClient;

  beforeAll(async () => {
    const { baseUrl } = await sim.start();
    // A generous timeout: on a busy machine a timed-out attempt would be retried and blur the request count.
    client = PersonioHttpClient.create(fastClientConfig(baseUrl, { now: () => now, requestTimeoutMs: 10_000 }));
  });

  afterAll(async () => {
    client.close();
    await sim.stop();
  });

  /** Every 10 minutes, and every 5 s through the last 3 minutes of each 6-hour block (where tokens expire). */
  function schedule(fromMs: number, toMs: number): number[] {
    const times = new Set<number>();
    for (let t = fromMs; t < toMs; t += 10 * 60_000) times.add(t);
    for (let block = fromMs + 6 * HOUR_MS; block <= toMs; block += 6 * HOUR_MS)
      for (let t = block - 180_000; t < block && t < toMs; t += 5_000) times.add(t);
    return [...times].sort((a, b) => a - b);
  }

  it('asks for at most 2 tokens per credential in 48 hours, even when called every few seconds near expiry', async () => {
    const early: SimCompanySummary = sim.createCompany({ id: 'early', persons: [person(1), person(2)] });
    const late: SimCompanySummary = sim.createCompany({ id: 'late', persons: [person(3)] });
    const users = [
      { company: early, from: start },
      // Its first token comes 6 h later, so its expiry falls elsewhere in the schedule.
      { company: late, from: start + 6 * HOUR_MS },
    ];
    const calls = new Map<string, number>();

    for (const t of schedule(start, start + 48 * HOUR_MS)) {
      now = t;
      for (const { company, from } of users) {
        if (t < from) continue;
        const pages = await collectPages(client.listPersons(credentialsOf(company)));
        expect(pages.flat().length).toBeGreaterThan(0);
        calls.set(company.id, (calls.get(company.id) ?? 0) + 1);
      }
    }

    for (const { company } of users) expect(sim.requestCount(TOKEN, company.id)).toBe(2);
    // No 401 along the way (the simulator cannot tell the company of a refused token, so count them all):
    // every persons request is exactly one listing call.
    expect(sim.requestCount(PERSONS)).toBe([...calls.values()].reduce((sum, n) => sum + n, 0));
  });
});
