import { ListedAbsencePeriod } from '../../src/integrations/personio/client/personio-api.types';
import { PersonioHttpClient } from '../../src/integrations/personio/client/personio-http.client';
import { AbsencePeriodMerge, planPartitions } from '../../src/integrations/personio/sync/absence-period-partitions';
import { PersonioSimulator } from '../../src/personio-simulator';
import { credentialsOf, fastClientConfig } from './personio-contract.support';

/**
 * Issue 17: the client's per-company request budget against the simulator's realistic profile (200 ms ± 50 ms,
 * 10 requests/s on absence periods, 429 without Retry-After, buckets per company): 8 slices and the partition
 * before the window listed at once for each of two companies, with the simulator counting the 429s.
 */
describe('PersonioHttpClient request budget against Personio’s rate limits (realistic profile)', () => {
  const sim = new PersonioSimulator();
  const window = { start: '2026-07-07', end: '2027-01-17' };
  let client: PersonioHttpClient;

  beforeAll(async () => {
    const { baseUrl } = await sim.start();
    client = PersonioHttpClient.create(
      fastClientConfig(baseUrl, { requestTimeoutMs: 5_000, pageSize: { absencePeriods: 20 } }),
    );
  });
  afterAll(async () => {
    client.close();
    await sim.stop();
  });

  it('holds each company to its rate under 8 concurrent partitions: (almost) no 429, and each company at its own pace', async () => {
    const companies = ['budget-a', 'budget-b'].map((id, i) =>
      sim.createCompany({ id, generate: { seed: 17 + i, persons: 40, totalAbsences: 600, window } }),
    );
    sim.setFaults({ profile: 'realistic' });
    sim.resetStats();
    const partitions = planPartitions(window, 9);
    expect(partitions).toHaveLength(9);

    const started = Date.now();
    const listed = await Promise.all(
      companies.map(async (company) => {
        const merge = new AbsencePeriodMerge();
        const ids: string[] = [];
        await Promise.all(
          partitions.map(async (partition) => {
            const pages = client.listAbsencePeriodsMatching(credentialsOf(company), partition.filter);
            for await (const page of pages) ids.push(...merge.accept(page as ListedAbsencePeriod[]).map((p) => p.id!));
          }),
        );
        return ids;
      }),
    );
    const elapsedS = (Date.now() - started) / 1000;
    sim.clearFaults();

    const stats = sim.stats;
    companies.forEach((company, i) => {
      const inWindow = sim
        .listAbsencePeriods(company.id)
        .filter(
          (p) =>
            p.startsFrom.dateTime <= `${window.end}T23:59:59` &&
            (p.endsAt === null || p.endsAt.dateTime >= `${window.start}T00:00:00`),
        );
      expect(new Set(listed[i])).toEqual(new Set(inWindow.map((p) => p.id)));
      expect(listed[i]).toHaveLength(inWindow.length);
    });
    const sent = (id: string) => stats.byCompany[id]['/v2/absence-periods'];
    const refused = stats.rateLimited.byEndpoint['/v2/absence-periods'] ?? 0;
    const total = sent('budget-a') + sent('budget-b');
    expect(refused / total).toBeLessThanOrEqual(0.02);
    // Each company within 10 requests a second (plus its bucket of 10)…
    for (const id of ['budget-a', 'budget-b']) expect(sent(id)).toBeLessThanOrEqual(10 + 10 * elapsedS);
    // …and faster than one shared budget could have sent both companies' requests.
    expect(elapsedS).toBeLessThan((0.75 * total) / 9);
  }, 60_000);
});
