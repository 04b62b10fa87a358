import { Client } from 'pg';
import { PersonioSimulator } from '../../src/personio-simulator';
import { SyncLeaseRepository } from '../../src/integrations/personio/sync/sync-lease.repository';
import { SyncRun } from '../../src/integrations/personio/sync/sync-run.entity';
import { SyncRunRecorder } from '../../src/integrations/personio/sync/sync-run.recorder';
import {
  connectPersonio,
  createCompany,
  dayAbsence,
  PersonioCompany,
  simPerson,
  startAppWithSimulator,
  stopAppWithSimulator,
} from '../support/personio-fixture';
import { POSTGRES_ADMIN_URL } from '../support/test-database';
import { bearer, createUser, createWorkspace, CreatedWorkspace, TestApp } from '../support/test-app';

const onPostgres = process.env.TEST_DB === 'postgres';
const integration = '/api/v1/integrations/personio';
// "Within seconds of the database answering": far below the default lease (a minute or more).
const ANSWER_AGAIN_WITHIN_MS = 8_000;

/**
 * Issue 12 item 7 (PRODUCT.md §4): a database outage never wedges a workspace. A claim whose release
 * failed is released once the database answers again, and the run left `running` is closed as failed.
 * Every app here runs with the DEFAULT lease, so a claim kept until it expires would fail the deadline.
 */
describe(`a database outage during a sync (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  let t: TestApp;
  let sequence = 0;

  beforeAll(async () => {
    t = await startAppWithSimulator(simulator);
  });
  afterAll(() => stopAppWithSimulator(t, simulator));
  afterEach(() => jest.restoreAllMocks());

  async function connectedWorkspace(): Promise<CreatedWorkspace & { company: PersonioCompany }> {
    const name = `outage${++sequence}`;
    const workspace = await createWorkspace(t, { name, adminEmail: `admin@${name}.test` });
    const person = simPerson(`staff@${name}.test`);
    const company = createCompany(simulator, [person], [dayAbsence(person.id, '2026-08-03', '2026-08-07')]);
    await createUser(t, workspace.adminToken, { email: `staff@${name}.test` });
    expect((await connectPersonio(t, workspace.adminToken, workspace.id, company)).status).toBe(200);
    return { ...workspace, company };
  }

  /** POSTs …/sync until it is accepted (200) or the deadline passes; returns the answers seen. */
  async function syncAcceptedWithin(adminToken: string, deadlineMs: number): Promise<number[]> {
    const deadline = Date.now() + deadlineMs;
    const statuses: number[] = [];
    for (;;) {
      const response = await t.http.post(`${integration}/sync`).set(bearer(adminToken));
      statuses.push(response.status);
      if (response.status === 200 || Date.now() > deadline) return statuses;
      // Each answer is a full HTTP round trip; a short pause keeps the loop from hammering the app.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const runsOf = (workspaceId: string) =>
    t.dataSource.getRepository(SyncRun).find({ where: { workspaceId }, order: { startedAt: 'ASC' } });

  (onPostgres ? it : it.skip)(
    'terminating the app’s PostgreSQL connections mid-sync: POST /sync is accepted again within seconds of the database answering, the lost run closed as failed',
    async () => {
      const w = await connectedWorkspace();
      const databaseName = new URL(t.database.env.DATABASE_URL).pathname.slice(1);
      const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      let blocked = false;
      try {
        // The sync is held while fetching, with no database work open: the outage hits what follows.
        simulator.hold({ endpoint: '/v2/absence-periods', times: 1 }, w.company.companyId);
        const running = t.http
          .post(`${integration}/sync`)
          .set(bearer(w.adminToken))
          .then((r) => r);
        await simulator.whenHeld(w.company.companyId);

        await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS false`);
        blocked = true;
        const terminated = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [databaseName],
        );
        expect(terminated.rowCount).toBeGreaterThan(0);
        simulator.releaseHeld(w.company.companyId);
        // The run cannot record its end nor release its claim while the database refuses connections: the
        // client is told to retry, not that the server broke.
        const refused = await running;
        expect({
          status: refused.status,
          retryAfter: refused.headers['retry-after'],
          message: refused.body.message,
        }).toEqual({
          status: 503,
          retryAfter: '5',
          message: expect.stringMatching(/database is not answering/),
        });
        // Any other request meanwhile, authenticated (the token is read from the database) or not.
        const listing = await t.http.get(`${integration}/runs`).set(bearer(w.adminToken));
        expect([listing.status, listing.headers['retry-after']]).toEqual([503, '5']);

        await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS true`);
        blocked = false;
        const answering = Date.now();
        const statuses = await syncAcceptedWithin(w.adminToken, ANSWER_AGAIN_WITHIN_MS);
        expect({ last: statuses.at(-1), withinMs: Date.now() - answering <= ANSWER_AGAIN_WITHIN_MS }).toEqual({
          last: 200,
          withinMs: true,
        });
      } finally {
        if (blocked) await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS true`);
        await admin.end();
      }

      const runs = await runsOf(w.id);
      expect(runs.map((run) => [run.trigger, run.status])).toEqual([
        ['setup', 'succeeded'],
        ['manual', 'failed'],
        ['manual', 'succeeded'],
      ]);
      expect(runs[1].error).toMatch(/database|connect|terminat|ECONNRESET/i);
      expect(runs[1].finishedAt).not.toBeNull();
    },
  );

  it('a release that failed is retried: the claim is not kept after the run ended, and the next POST /sync is accepted', async () => {
    const w = await connectedWorkspace();
    const leases = t.app.get(SyncLeaseRepository);
    const release = leases.release.bind(leases);
    let refused = 0;
    jest.spyOn(leases, 'release').mockImplementation(async (...args) => {
      if (++refused <= 3) throw new Error('read ECONNRESET');
      return release(...args);
    });

    const first = await t.http.post(`${integration}/sync`).set(bearer(w.adminToken));
    expect(first.body).toMatchObject({ status: 'succeeded' });
    const statuses = await syncAcceptedWithin(w.adminToken, ANSWER_AGAIN_WITHIN_MS);
    expect(statuses.at(-1)).toBe(200);
    expect(refused).toBeGreaterThan(3);
  });

  it('a run whose end could not be recorded is closed as failed with the error once the database answers', async () => {
    const w = await connectedWorkspace();
    const recorder = t.app.get(SyncRunRecorder);
    const outage = new Error('Connection terminated unexpectedly');
    jest.spyOn(recorder, 'succeeded').mockRejectedValueOnce(outage);
    jest.spyOn(recorder, 'failed').mockRejectedValueOnce(outage);

    const lost = await t.http.post(`${integration}/sync`).set(bearer(w.adminToken));
    expect(lost.status).toBeGreaterThanOrEqual(500);
    const statuses = await syncAcceptedWithin(w.adminToken, ANSWER_AGAIN_WITHIN_MS);
    expect(statuses.at(-1)).toBe(200);

    const runs = await runsOf(w.id);
    expect(runs.map((run) => [run.trigger, run.status])).toEqual([
      ['setup', 'succeeded'],
      ['manual', 'failed'],
      ['manual', 'succeeded'],
    ]);
    expect(runs[1].error).toMatch(/Connection terminated unexpectedly/);
  });
});
