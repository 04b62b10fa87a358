import { PersonioSimulator, SimAbsencePeriod } from '../../src/personio-simulator';
import { Absence } from '../../src/host/absences/absence.entity';
import { SyncClaimsService } from '../../src/integrations/personio/sync/sync-claims.service';
import {
  connectPersonio,
  createCompany,
  dayAbsence,
  PERSONIO_SCOPES,
  PersonioCompany,
  personioAbsences,
  simPerson,
  syncNow,
  stopAppWithSimulator,
} from '../support/personio-fixture';
import { bearer, createUser, createWorkspace, CreatedWorkspace, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 5 "Must show" (safety): a listing that cannot reach its last page fails the run and changes
 * nothing in awork; the next clean run succeeds and the status is active again.
 */
describe(`Personio sync safety: incomplete fetches change nothing (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  const integration = '/api/v1/integrations/personio';
  const PERIODS = 150; // page size 100 → page 2 is the last page of absence periods
  let t: TestApp;
  let ws: CreatedWorkspace;
  let company: PersonioCompany;
  let periods: SimAbsencePeriod[];
  let userId: string;
  let simulatorBaseUrl: string;
  let sequence = 0;

  const admin = () => bearer(ws.adminToken);
  const allRows = () =>
    t.dataSource.getRepository(Absence).find({ where: { workspaceId: ws.id }, order: { id: 'ASC' } });

  /** One-day absences on consecutive days from 2026-07-22, all inside the window. */
  function days(personId: string, count: number): SimAbsencePeriod[] {
    const result: SimAbsencePeriod[] = [];
    for (let i = 0; i < count; i++) {
      const day = new Date(Date.UTC(2026, 6, 22 + i)).toISOString().slice(0, 10);
      result.push(dayAbsence(personId, day, day));
    }
    return result;
  }

  beforeAll(async () => {
    const { baseUrl } = await simulator.start();
    simulatorBaseUrl = baseUrl;
    t = await startTestApp({ env: { PERSONIO_BASE_URL: baseUrl } });
  });
  // Every test gets its own workspace and company, so none depends on what an earlier one changed.
  beforeEach(async () => {
    sequence += 1;
    ws = await createWorkspace(t, {
      name: `Safe ${sequence}`,
      plan: 'business',
      timeZone: 'Europe/Berlin',
      adminEmail: `admin@safe${sequence}.test`,
    });
    const person = simPerson('nina@safe.test');
    periods = days(person.id, PERIODS);
    company = createCompany(simulator, [person], periods);
    userId = (await createUser(t, ws.adminToken, { email: 'nina@safe.test' })).id;
    expect((await connectPersonio(t, ws.adminToken, ws.id, company)).status).toBe(200);
    const status = await t.http.get(integration).set(admin()).expect(200);
    expect(status.body).toMatchObject({
      status: 'active',
      lastRun: { trigger: 'setup', status: 'succeeded', created: PERIODS },
    });

    // Pending changes a complete sync would apply: deletes, updates and a create.
    for (const period of periods.slice(0, 10)) simulator.deleteAbsencePeriod(company.companyId, period.id);
    for (const period of periods.slice(140))
      simulator.updateAbsencePeriod(company.companyId, period.id, { comment: 'changed' });
    simulator.upsertAbsencePeriod(company.companyId, dayAbsence(person.id, '2026-12-30', '2026-12-31'));
  });
  afterAll(() => stopAppWithSimulator(t, simulator));
  afterEach(() => {
    jest.restoreAllMocks();
    simulator.clearFaults(company.companyId);
  });

  /** POST /sync held while fetching absence periods: the caller acts at that point, then releases it. */
  async function syncHeldWhileFetching() {
    simulator.hold({ endpoint: '/v2/absence-periods', times: 1 }, company.companyId);
    const running = t.http
      .post(`${integration}/sync`)
      .set(admin())
      .then((r) => r);
    await simulator.whenHeld(company.companyId);
    // Wrapped: an async function returning the pending response would wait for it.
    return { running };
  }

  async function expectFailedRunChangingNothing(arrangeFault: () => void, errorPattern: RegExp) {
    const before = await allRows();
    expect(before).toHaveLength(PERIODS);
    arrangeFault();
    const requestsBefore = simulator.requestCount('/v2/absence-periods', company.companyId);

    const run = await syncNow(t, ws.adminToken);
    expect(run).toMatchObject({ status: 'failed', trigger: 'manual', created: 0, updated: 0, deleted: 0 });
    expect(run.error).toMatch(/absence-periods/);
    expect(run.error).toMatch(errorPattern);
    expect(run.finishedAt).toEqual(expect.any(String));
    // The client got past page 1 (so the fault really was on the last page), and retried there.
    expect(simulator.requestCount('/v2/absence-periods', company.companyId) - requestsBefore).toBeGreaterThanOrEqual(3);

    expect(await allRows()).toEqual(before);
    const status = await t.http.get(integration).set(admin()).expect(200);
    expect(status.body.status).toBe('failing');
    expect(status.body.lastRun).toMatchObject({ id: run.id, status: 'failed', error: run.error });
    const [latest] = (await t.http.get(`${integration}/runs?limit=1`).set(admin()).expect(200)).body;
    expect(latest).toEqual(run);
  }

  it('a persistent 500 on the last page of absence periods → run failed, readable error, nothing changed, status failing', async () => {
    await expectFailedRunChangingNothing(
      () => simulator.failPage({ endpoint: '/v2/absence-periods', page: 2, status: 500 }, company.companyId),
      /page 2.*500|500.*page 2/,
    );
  });

  it('the same for a persistent 404 on a page of the listing', async () => {
    await expectFailedRunChangingNothing(
      () => simulator.failPage({ endpoint: '/v2/absence-periods', page: 2, status: 404 }, company.companyId),
      /404/,
    );
  });

  it('the same for a connection reset on the last page', async () => {
    await expectFailedRunChangingNothing(
      () => simulator.resetConnection({ endpoint: '/v2/absence-periods', page: 2 }, company.companyId),
      /ECONNRESET|connection|socket/i,
    );
  });

  it('a 500 on the persons listing also changes nothing', async () => {
    const before = await allRows();
    simulator.failPage({ endpoint: '/v2/persons', status: 500 }, company.companyId);
    const run = await syncNow(t, ws.adminToken);
    expect(run).toMatchObject({ status: 'failed', created: 0, updated: 0, deleted: 0 });
    expect(run.error).toMatch(/persons/);
    expect(await allRows()).toEqual(before);
  });

  it('after the fault is cleared the next sync applies everything and the status is active again', async () => {
    const run = await syncNow(t, ws.adminToken);
    expect(run).toMatchObject({
      status: 'succeeded',
      error: null,
      created: 1,
      updated: 10,
      deleted: 10,
      unchanged: 130,
      skipped: 0,
    });
    const absences = await personioAbsences(t, ws.adminToken);
    expect(absences).toHaveLength(PERIODS - 10 + 1);
    expect(absences.every((a) => a.userId === userId)).toBe(true);
    const status = await t.http.get(integration).set(admin()).expect(200);
    expect(status.body).toMatchObject({ status: 'active', lastRun: { id: run.id, status: 'succeeded' } });
  });

  describe('races', () => {
    // The sync computed descriptions with details shown; the PATCH during its fetch must still win.
    it('hideAbsenceDetails switched on while a sync is fetching: the sync must not write details back', async () => {
      const person = simPerson('race@safe.test');
      simulator.upsertPerson(company.companyId, person);
      await createUser(t, ws.adminToken, { email: 'race@safe.test' });
      const secret = dayAbsence(person.id, '2026-12-01', '2026-12-02', { comment: 'Medical: do not show' });
      simulator.upsertAbsencePeriod(company.companyId, secret);
      // The secret one and the new absence every test starts with.
      expect(await syncNow(t, ws.adminToken)).toMatchObject({ status: 'succeeded', created: 2 });
      simulator.updateAbsencePeriod(company.companyId, secret.id, { comment: 'Medical: still secret' });

      const { running } = await syncHeldWhileFetching();
      await t.http.patch(integration).set(admin()).send({ hideAbsenceDetails: true }).expect(200);
      simulator.releaseHeld(company.companyId);
      expect((await running).status).toBe(200);
      simulator.clearFaults(company.companyId);

      const withDetails = (await personioAbsences(t, ws.adminToken)).filter((a) => a.description !== null);
      // PRODUCT.md §2: when on, neither type nor comment is transferred; switching on scrubs at once.
      expect({
        absencesWithDetails: withDetails.length,
        example: withDetails.find((a) => a.externalId === secret.id)?.description ?? null,
      }).toEqual({
        absencesWithDetails: 0,
        example: null,
      });
      await t.http.patch(integration).set(admin()).send({ hideAbsenceDetails: false }).expect(200);
    });

    it('409 holds across instances: a second app instance on the same database refuses POST /sync while the first runs', async () => {
      const other = await startTestApp({ database: t.database, env: { PERSONIO_BASE_URL: simulatorBaseUrl } });
      try {
        const { running } = await syncHeldWhileFetching();
        const conflict = await other.http.post(`${integration}/sync`).set(admin());
        expect(conflict.status).toBe(409);
        simulator.releaseHeld(company.companyId);
        expect((await running).status).toBe(200);
        simulator.clearFaults(company.companyId);
        // Released: the other instance can sync now.
        expect((await other.http.post(`${integration}/sync`).set(admin()).expect(200)).body.status).toBe('succeeded');
      } finally {
        simulator.clearFaults(company.companyId);
        await other.close();
      }
    });

    it('new credentials saved while a run with the old ones fails do not end up needs_reauth', async () => {
      // More than one page of absence periods: the run goes on fetching after the credentials changed.
      const busy = simPerson('busy@safe.test');
      simulator.upsertPerson(company.companyId, busy);
      for (const period of days(busy.id, 400)) simulator.upsertAbsencePeriod(company.companyId, period);
      simulator.setCredential(company.companyId, {
        clientId: `${company.companyId}-rotated`,
        clientSecret: 'rotated-secret',
        scopes: PERSONIO_SCOPES,
      });
      const { running } = await syncHeldWhileFetching();
      await t.http
        .put(integration)
        .set(admin())
        .send({ clientId: `${company.companyId}-rotated`, clientSecret: 'rotated-secret' })
        .expect(200);
      // The admin revokes the old client in Personio: the run still using it is refused from now on.
      simulator.removeCredential(company.clientId);
      simulator.revokeTokens(company.companyId);
      simulator.releaseHeld(company.companyId);
      const oldRun = (await running).body;
      expect(oldRun).toMatchObject({ status: 'failed', error: expect.stringMatching(/rejected/i) });
      simulator.clearFaults(company.companyId);
      await t.app.get(SyncClaimsService).whenIdle(ws.id);

      const status = (await t.http.get(integration).set(admin()).expect(200)).body;
      expect(status).toMatchObject({
        clientId: `${company.companyId}-rotated`,
        status: 'active',
        lastRun: { trigger: 'setup', status: 'succeeded' },
      });
    });

    it('DELETE on another instance while this one syncs → no transferred absence remains after the sync ends', async () => {
      const other = await startTestApp({ database: t.database, env: { PERSONIO_BASE_URL: simulatorBaseUrl } });
      try {
        expect(
          await t.dataSource.getRepository(Absence).countBy({ workspaceId: ws.id, externalProvider: 'personio' }),
        ).toBeGreaterThan(0);
        const { running } = await syncHeldWhileFetching();
        // The DELETE waits for the running sync's claim: release the sync once the DELETE is waiting.
        const removal = other.app.get(SyncClaimsService);
        const claimForRemoval = removal.claimForRemoval.bind(removal);
        const deleteWaits = new Promise<void>((resolve) =>
          jest.spyOn(removal, 'claimForRemoval').mockImplementation((...args) => {
            resolve();
            return claimForRemoval(...args);
          }),
        );
        const deleted = other.http
          .delete(integration)
          .set(admin())
          .then((r) => r);
        await deleteWaits;
        simulator.releaseHeld(company.companyId);
        expect((await deleted).status).toBe(204);
        await running;
        await t.app.get(SyncClaimsService).whenIdle(ws.id);
        expect(
          await t.dataSource.getRepository(Absence).countBy({ workspaceId: ws.id, externalProvider: 'personio' }),
        ).toBe(0);
      } finally {
        simulator.clearFaults(company.companyId);
        await other.close();
      }
    });
  });
});
