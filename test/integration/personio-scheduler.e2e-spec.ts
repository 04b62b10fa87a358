import { PersonioSimulator } from '../../src/personio-simulator';
import { PersonioSyncScheduler } from '../../src/integrations/personio/sync/personio-sync.scheduler';
import { PersonioSyncService } from '../../src/integrations/personio/sync/personio-sync.service';
import { SyncRun } from '../../src/integrations/personio/sync/sync-run.entity';
import {
  connectPersonio,
  createCompany,
  dayAbsence,
  listAbsences,
  PersonioCompany,
  simPerson,
  startAppWithSimulator,
} from '../support/personio-fixture';
import { bearer, createUser, createWorkspace, CreatedWorkspace, startTestApp, TestApp } from '../support/test-app';

const onPostgres = process.env.TEST_DB === 'postgres';
const integration = '/api/v1/integrations/personio';

interface ConnectedWorkspace extends CreatedWorkspace {
  company: PersonioCompany;
}

async function connectedWorkspace(t: TestApp, simulator: PersonioSimulator, name: string): Promise<ConnectedWorkspace> {
  const workspace = await createWorkspace(t, { name, adminEmail: `admin@${name}.test` });
  const person = simPerson(`staff@${name}.test`);
  const company = createCompany(simulator, [person], [dayAbsence(person.id, '2026-08-03', '2026-08-07')]);
  await createUser(t, workspace.adminToken, { email: `staff@${name}.test` });
  const connected = await connectPersonio(t, workspace.adminToken, workspace.id, company);
  expect(connected.status).toBe(200);
  return { ...workspace, company };
}

/** "The next hour came": every integration is due again. */
async function nextHour(t: TestApp): Promise<void> {
  await t.dataSource.query(
    `UPDATE personio_integrations SET next_run_at = ${onPostgres ? "(now() at time zone 'utc') - interval '1 hour'" : "strftime('%Y-%m-%d %H:%M:%f','now','-1 hour')"}`,
  );
}

async function runsOf(t: TestApp, workspaceId: string, trigger = 'schedule'): Promise<SyncRun[]> {
  return t.dataSource
    .getRepository(SyncRun)
    .find({ where: { workspaceId, trigger: trigger as SyncRun['trigger'] }, order: { startedAt: 'ASC' } });
}

describe(`hourly scheduler: claims, failure states, plan (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  let t: TestApp;
  let scheduler: PersonioSyncScheduler;

  beforeAll(async () => {
    t = await startAppWithSimulator(simulator, { env: { SYNC_LEASE_SECONDS: '2' } });
    scheduler = t.app.get(PersonioSyncScheduler);
  });
  afterAll(async () => {
    await t.close();
    await simulator.stop();
  });

  it('syncs the healthy workspaces while one Personio keeps failing, then recovers it', async () => {
    const [a, b, c] = [
      await connectedWorkspace(t, simulator, 'alpha'),
      await connectedWorkspace(t, simulator, 'beta'),
      await connectedWorkspace(t, simulator, 'gamma'),
    ];
    simulator.failPage({ endpoint: '/v2/persons', status: 500 }, b.company.companyId);
    await nextHour(t);
    await scheduler.tick();
    // Per workspace, not the tick's totals: earlier tests' integrations are due in the same tick.
    const lastScheduled = async (w: CreatedWorkspace) => (await runsOf(t, w.id)).at(-1)?.status;
    expect([await lastScheduled(a), await lastScheduled(b), await lastScheduled(c)]).toEqual([
      'succeeded',
      'failed',
      'succeeded',
    ]);

    const statusB = (await t.http.get(integration).set(bearer(b.adminToken)).expect(200)).body;
    expect(statusB.status).toBe('failing');
    expect(statusB.lastError).toMatch(/persons/);
    for (const ok of [a, c])
      expect((await t.http.get(integration).set(bearer(ok.adminToken)).expect(200)).body.status).toBe('active');
    expect(await listAbsences(t, b.adminToken)).toHaveLength(1);

    simulator.clearFaults(b.company.companyId);
    await nextHour(t);
    await scheduler.tick();
    expect((await t.http.get(integration).set(bearer(b.adminToken)).expect(200)).body).toMatchObject({
      status: 'active',
      lastError: null,
    });
  });

  it('runs each integration once per hour: a second tick in the same hour claims nothing', async () => {
    // Its own workspace: the tick must have something to claim whichever tests ran before.
    await connectedWorkspace(t, simulator, 'once');
    await nextHour(t);
    const first = await scheduler.tick();
    expect(first.claimed).toBeGreaterThan(0);
    expect(await scheduler.tick()).toMatchObject({ claimed: 0 });
  });

  it('marks rejected credentials needs_reauth, deletes nothing, skips it until new credentials are saved', async () => {
    const w = await connectedWorkspace(t, simulator, 'delta');
    const before = await listAbsences(t, w.adminToken);
    simulator.rejectCredentials(true, w.company.companyId);
    simulator.revokeTokens(w.company.companyId);
    await nextHour(t);
    await scheduler.tick();
    expect((await t.http.get(integration).set(bearer(w.adminToken)).expect(200)).body).toMatchObject({
      status: 'needs_reauth',
      nextRunAt: null,
    });
    expect(await listAbsences(t, w.adminToken)).toEqual(before);

    const runsBefore = (await runsOf(t, w.id)).length;
    await nextHour(t);
    await scheduler.tick();
    expect(await runsOf(t, w.id)).toHaveLength(runsBefore);

    simulator.rejectCredentials(false, w.company.companyId);
    await connectPersonio(t, w.adminToken, w.id, w.company);
    await nextHour(t);
    await scheduler.tick();
    const runs = await runsOf(t, w.id);
    expect(runs).toHaveLength(runsBefore + 1);
    expect(runs.at(-1)!.status).toBe('succeeded');
    expect((await t.http.get(integration).set(bearer(w.adminToken)).expect(200)).body.status).toBe('active');
  });

  it('stops syncing a workspace below Business but keeps everything readable and deletable', async () => {
    const w = await connectedWorkspace(t, simulator, 'epsilon');
    await t.http.patch('/api/v1/workspace').set(bearer(w.adminToken)).send({ plan: 'basic' }).expect(200);
    const runsBefore = (await runsOf(t, w.id)).length;
    await nextHour(t);
    await scheduler.tick();
    expect(await runsOf(t, w.id)).toHaveLength(runsBefore);

    expect((await t.http.get(integration).set(bearer(w.adminToken)).expect(200)).body.status).toBe('plan_inactive');
    await t.http.get(`${integration}/users`).set(bearer(w.adminToken)).expect(200);
    await t.http.get(`${integration}/runs`).set(bearer(w.adminToken)).expect(200);
    const [absence] = await listAbsences(t, w.adminToken);
    const refused = await t.http
      .patch(`/api/v1/absences/${absence.id}`)
      .set(bearer(w.adminToken))
      .send({ description: 'x' })
      .expect(403);
    expect(refused.body.message).toMatch(/Personio/);
    await t.http.post(`${integration}/sync`).set(bearer(w.adminToken)).expect(403);
    await t.http.delete(integration).set(bearer(w.adminToken)).expect(204);
    expect(await listAbsences(t, w.adminToken)).toEqual([]);
  });

  it('recovers an integration whose claim was left behind by a dead instance, after the lease', async () => {
    const w = await connectedWorkspace(t, simulator, 'zeta');
    const leaseEndingIn = (interval: string) =>
      t.dataSource.query(
        `UPDATE personio_integrations SET lease_owner = 'dead-instance', lease_expires_at = ${onPostgres ? `(now() at time zone 'utc') + interval '${interval}'` : `strftime('%Y-%m-%d %H:%M:%f','now','${interval}')`}, next_run_at = NULL WHERE workspace_id = '${w.id}'`,
      );
    await leaseEndingIn('+1 minute');
    const claimedWhileHeld = await scheduler.tick();
    expect((await runsOf(t, w.id)).length).toBe(0);
    // The lease ran out (set on the database clock instead of sleeping through it).
    await leaseEndingIn('-1 second');
    await scheduler.tick();
    const runs = await runsOf(t, w.id);
    expect(runs.map((run) => run.status)).toEqual(['succeeded']);
    expect(claimedWhileHeld.claimed).toBe(0);
  });
});

const describeOnPostgres = onPostgres ? describe : describe.skip;

describeOnPostgres('two app instances on one PostgreSQL', () => {
  const simulator = new PersonioSimulator();
  let first: TestApp;
  let second: TestApp;
  const workspaces: ConnectedWorkspace[] = [];

  beforeAll(async () => {
    const { baseUrl } = await simulator.start();
    const env = { PERSONIO_BASE_URL: baseUrl, SYNC_CONCURRENCY: '3' };
    first = await startTestApp({ env });
    second = await startTestApp({ env, database: first.database });
    for (let index = 0; index < 6; index++)
      workspaces.push(await connectedWorkspace(first, simulator, `multi${index}`));
    simulator.setLatency(20);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
    await simulator.stop();
  });

  it('syncs every integration exactly once per tick when both tick at the same time, repeatedly', async () => {
    const rounds = 4;
    for (let round = 1; round <= rounds; round++) {
      await nextHour(first);
      const [a, b] = await Promise.all([
        first.app.get(PersonioSyncScheduler).tick(),
        second.app.get(PersonioSyncScheduler).tick(),
      ]);
      expect(a.claimed + b.claimed).toBe(workspaces.length);
      for (const w of workspaces) expect(await runsOf(first, w.id)).toHaveLength(round);
    }
    const all = await first.dataSource.getRepository(SyncRun).find({ where: { trigger: 'schedule' } });
    expect(all.every((run) => run.status === 'succeeded')).toBe(true);
  });

  it('answers 409 on one instance while the other runs that workspace', async () => {
    const w = workspaces[0];
    simulator.hold({ endpoint: '/v2/absence-periods', times: 1 }, w.company.companyId);
    const running = second.app.get(PersonioSyncService).runNow(w.id, 'manual');
    await simulator.whenHeld(w.company.companyId);
    await first.http.post(`${integration}/sync`).set(bearer(w.adminToken)).expect(409);
    simulator.releaseHeld(w.company.companyId);
    await running;
    await first.http.post(`${integration}/sync`).set(bearer(w.adminToken)).expect(200);
  });
});
