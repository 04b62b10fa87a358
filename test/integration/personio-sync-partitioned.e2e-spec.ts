import { PersonioSimulator, SimAbsencePeriod, SimPerson } from '../../src/personio-simulator';
import { Absence } from '../../src/host/absences/absence.entity';
import { absencePeriodQuery } from '../../src/integrations/personio/client/absence-period-filter';
import {
  DEFAULT_PARTITIONS,
  expectedPagesFrom,
  partitionCountFor,
  planPartitions,
} from '../../src/integrations/personio/sync/absence-period-partitions';
import { syncWindowFor } from '../../src/integrations/personio/sync/sync-window';
import { fromDayNumber, toDayNumber } from '../../src/common/calendar-days';
import { eventually } from '../support/eventually';
import { Json } from '../support/json';
import {
  connectPersonio,
  createCompany,
  dayAbsence,
  PersonioCompany,
  simPerson,
  syncNow,
  startAppWithSimulator,
  stopAppWithSimulator,
} from '../support/personio-fixture';
import { bearer, createUser, createWorkspace, CreatedWorkspace, TestApp } from '../support/test-app';

/**
 * Issue 17: a window's absence periods are listed in partitions walked at once (the one before the window,
 * then slices of it), merged by id; a failure in any one partition fails the run and changes nothing; the
 * request budget keeps the partitions within Personio's limits; a running run shows its progress.
 */
describe(`Personio sync: partitioned listing (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  const integration = '/api/v1/integrations/personio';
  const NOW = '2026-07-21T10:00:00Z';
  const window = syncWindowFor(new Date(NOW), 'Europe/Berlin');
  const PERSONS = 20;
  const DAYS_EACH = 130;
  let t: TestApp;
  let ws: CreatedWorkspace;
  let company: PersonioCompany;
  let total: number;

  const admin = () => bearer(ws.adminToken);
  const rows = () =>
    t.dataSource.getRepository(Absence).find({
      where: { workspaceId: ws.id },
      order: { externalId: 'ASC' },
      select: { externalId: true, startOn: true, endOn: true, description: true },
    });
  const day = (offset: number) => fromDayNumber(toDayNumber(window.start) + offset);
  const status = async (): Promise<Json> => (await t.http.get(integration).set(admin()).expect(200)).body;
  /** The partitions the next sync plans, from the last succeeded run's size (as the sync does). */
  const nextPartitions = async () => {
    const runs: Json[] = (await t.http.get(`${integration}/runs?limit=20`).set(admin()).expect(200)).body;
    const fetched = runs.find((run) => run.status === 'succeeded' && run.trigger !== 'webhook')!.fetched;
    return planPartitions(window, partitionCountFor(expectedPagesFrom(fetched)));
  };

  beforeAll(async () => {
    t = await startAppWithSimulator(simulator, { now: NOW });
    ws = await createWorkspace(t, {
      name: 'Partitioned',
      plan: 'business',
      timeZone: 'Europe/Berlin',
      adminEmail: 'admin@partitioned.test',
    });
    const persons: SimPerson[] = [];
    const periods: SimAbsencePeriod[] = [];
    for (let i = 0; i < PERSONS; i++) {
      const person = simPerson(`p${i}@partitioned.test`);
      persons.push(person);
      for (let k = 0; k < DAYS_EACH; k++) periods.push(dayAbsence(person.id, day((i % 60) + k), day((i % 60) + k)));
    }
    // Long ones: from before the window into it, across several slices, and open-ended.
    const [before, across, open] = ['before', 'across', 'open'].map((name) => simPerson(`${name}@partitioned.test`));
    persons.push(before, across, open);
    periods.push(dayAbsence(before.id, '2026-06-01', '2026-07-31', { id: 'long-before' }));
    periods.push(dayAbsence(across.id, '2026-08-01', '2026-11-30', { id: 'long-across' }));
    periods.push({ ...dayAbsence(open.id, '2026-09-15', '2026-09-15', { id: 'open-ended' }), endsAt: null });
    total = periods.length;
    company = createCompany(simulator, persons, periods);
    for (const person of persons) await createUser(t, ws.adminToken, { email: person.email! });
  });
  afterAll(() => stopAppWithSimulator(t, simulator));
  afterEach(() => simulator.clearFaults(company.companyId));

  it('the first sync (size unknown) lists the window in partitions at once and transfers every period once', async () => {
    // Proof that a slice is listed: its first request is held until the test lets it go.
    const slice = planPartitions(window, DEFAULT_PARTITIONS)[3];
    simulator.hold(
      { endpoint: '/v2/absence-periods', query: absencePeriodQuery(slice.filter), times: 1 },
      company.companyId,
    );
    const connecting = connectPersonio(t, ws.adminToken, ws.id, company);
    await simulator.whenHeld(company.companyId, { endpoint: '/v2/absence-periods' });
    simulator.releaseHeld(company.companyId);
    expect((await connecting).status).toBe(200);

    expect((await status()).lastRun).toMatchObject({
      trigger: 'setup',
      status: 'succeeded',
      fetched: total,
      created: total,
    });
    expect(await rows()).toHaveLength(total);
    const ids = (await rows()).map((row) => row.externalId);
    expect(ids).toEqual(expect.arrayContaining(['long-before', 'long-across', 'open-ended']));

    // The next run sizes its partitions from this one: the same periods, none twice, nothing written.
    const requestsBefore = simulator.requestCount('/v2/absence-periods', company.companyId);
    const run = await syncNow(t, ws.adminToken);
    expect(run).toMatchObject({
      status: 'succeeded',
      fetched: total,
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: total,
    });
    const partitions = await nextPartitions();
    expect(partitions.length).toBeGreaterThanOrEqual(4);
    // every partition ends on a page of its own: the whole window's pages plus at most one each
    const requests = simulator.requestCount('/v2/absence-periods', company.companyId) - requestsBefore;
    expect(requests).toBeGreaterThanOrEqual(Math.ceil(total / 100));
    expect(requests).toBeLessThanOrEqual(Math.ceil(total / 100) + partitions.length + 1);
  });

  it.each([
    ['the one before the window', 0],
    ['the first slice', 1],
    ['the last slice', -1],
  ])('a failure in any one partition (%s) fails the run and changes nothing', async (_name, index) => {
    const partitions = await nextPartitions();
    const failing = partitions.at(index)!;
    const before = await rows();
    // Changes a complete sync would apply, in several partitions: deletes, an update, a create.
    const periods = simulator.listAbsencePeriods(company.companyId);
    const gone = [periods[0], periods[Math.floor(periods.length / 2)], periods.at(-1)!];
    for (const period of gone) simulator.deleteAbsencePeriod(company.companyId, period.id);
    simulator.updateAbsencePeriod(company.companyId, periods[5].id, { comment: 'changed' });
    simulator.upsertAbsencePeriod(company.companyId, dayAbsence(periods[5].personId, day(190), day(190)));
    simulator.failPage(
      { endpoint: '/v2/absence-periods', status: 500, query: absencePeriodQuery(failing.filter) },
      company.companyId,
    );

    const run = await syncNow(t, ws.adminToken);

    expect(run).toMatchObject({ status: 'failed', created: 0, updated: 0, deleted: 0 });
    expect(run.error).toMatch(/absence-periods.*500/);
    expect(await rows()).toEqual(before);
    expect((await status()).lastRun).toMatchObject({ id: run.id, status: 'failed' });

    // Once the partition answers again, the next sync applies everything.
    simulator.clearFaults(company.companyId);
    const clean = await syncNow(t, ws.adminToken);
    expect(clean).toMatchObject({ status: 'succeeded', created: 1, updated: 1, deleted: gone.length });
    total = total + 1 - gone.length;
    expect(await rows()).toHaveLength(total);
  });

  it('under Personio’s rate limits the partitions share the company’s budget: (almost) no 429', async () => {
    simulator.setFaults({ rateLimit: 'realistic', latencyMs: 20 }, company.companyId);
    simulator.resetStats();
    const partitions = await nextPartitions();

    const run = await syncNow(t, ws.adminToken);

    expect(run).toMatchObject({ status: 'succeeded', fetched: total, unchanged: total });
    const stats = simulator.stats;
    const sent = Object.values(stats.byCompany[company.companyId]).reduce((sum, n) => sum + n, 0);
    const refused = Object.values(stats.rateLimited.byCompany[company.companyId] ?? {}).reduce((sum, n) => sum + n, 0);
    expect(partitions.length).toBeGreaterThanOrEqual(4);
    expect(refused / sent).toBeLessThanOrEqual(0.02);
  });

  it('a running run is the status’s lastRun from its start and shows its progress', async () => {
    const [, , second] = await nextPartitions();
    // One partition's second page waits: the others go on, and their pages show as progress.
    simulator.hold(
      { endpoint: '/v2/absence-periods', query: absencePeriodQuery(second.filter), page: 2, times: 1 },
      company.companyId,
    );
    const running = t.http
      .post(`${integration}/sync`)
      .set(admin())
      .then((response) => response);
    await simulator.whenHeld(company.companyId);

    const seen = await eventually(
      async () => {
        const { lastRun } = await status();
        expect(lastRun).toMatchObject({ trigger: 'manual', status: 'running', finishedAt: null });
        expect(lastRun.progress.pages).toBeGreaterThanOrEqual(1);
        expect(lastRun.progress.absencesFetched).toBeGreaterThanOrEqual(100);
        return lastRun;
      },
      10_000,
      50,
    );
    const runs: Json[] = (await t.http.get(`${integration}/runs?limit=1`).set(admin()).expect(200)).body;
    expect(runs[0]).toMatchObject({ id: seen.id, status: 'running', progress: seen.progress });

    simulator.releaseHeld(company.companyId);
    const finished = (await running).body;
    expect(finished).toMatchObject({ id: seen.id, status: 'succeeded', fetched: total });
    expect(finished.progress).toBeUndefined();
    expect((await status()).lastRun).toMatchObject({ id: seen.id, status: 'succeeded' });
  });
});
