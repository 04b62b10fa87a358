import { freePort } from '../support/free-port';
import { eventually as pollUntil } from '../support/eventually';
import request from 'supertest';
import { PersonioSimulator } from '../../src/personio-simulator';
import { WebhookEventsProcessor } from '../../src/integrations/personio/webhooks/webhook-events.processor';
import { AppProcess, startAppProcess } from '../support/app-process';
import { dayAbsence, PERSONIO_SCOPES, PersonioCompany, simPerson, VACATION_TYPE } from '../support/personio-fixture';
import { Json } from '../support/json';
import {
  bearer,
  createUser,
  createWorkspace,
  CreatedWorkspace,
  startTestApp,
  TEST_BOOTSTRAP_TOKEN,
  TEST_CREDENTIALS_KEY,
  TestApp,
} from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const onPostgres = process.env.TEST_DB === 'postgres';
const describeOnPostgres = onPostgres ? describe : describe.skip;

const WEBHOOK_SCOPES = [...PERSONIO_SCOPES, 'personio:webhooks:read', 'personio:webhooks:write'];
const RECEIVER = '/api/v1/integrations/personio/webhooks';
/** Short leases so the surviving instance takes over within seconds, not the production minute. */
const LEASES = { SYNC_LEASE_SECONDS: '3', WEBHOOK_EVENT_LEASE_SECONDS: '3' };
const DEADLINE_MS = 20_000;
const eventually = <T>(check: () => Promise<T>, deadlineMs = DEADLINE_MS) => pollUntil(check, deadlineMs, 50);

/**
 * Issue 14 "Must show": two instances on one PostgreSQL database, one of them killed (SIGKILL, not
 * closed) after acknowledging an event and claiming it; the other applies the event. Instance A is the
 * built app as a child process, instance B the real app in process.
 */
describeOnPostgres('Personio webhooks across two instances (postgres)', () => {
  jest.setTimeout(60_000);
  const simulator = new PersonioSimulator();
  let simulatorUrl: string;
  let database: TestDatabase;
  let portA: number;
  let a: AppProcess | null = null;
  let b: TestApp | null = null;

  const baseUrlA = () => `http://127.0.0.1:${portA}`;
  const startA = () =>
    startAppProcess({
      ...database.env,
      ...LEASES,
      PORT: String(portA),
      PUBLIC_BASE_URL: baseUrlA(),
      NODE_ENV: 'test',
      DEMO: 'false',
      LOG_LEVEL: 'log',
      BOOTSTRAP_TOKEN: TEST_BOOTSTRAP_TOKEN,
      CREDENTIALS_KEY: TEST_CREDENTIALS_KEY,
      SYNC_CRON_ENABLED: 'false',
      PERSONIO_BASE_URL: simulatorUrl,
      PERSONIO_REQUEST_TIMEOUT_MS: '5000',
      PERSONIO_RETRY_MAX_ATTEMPTS: '3',
      PERSONIO_RETRY_BASE_DELAY_MS: '5',
      PERSONIO_RETRY_MAX_DELAY_MS: '20',
    });
  const startB = () =>
    startTestApp({
      database,
      listen: true,
      // The child runs on the real clock; B agrees, so both see the same sync window.
      now: new Date().toISOString(),
      env: { ...LEASES, PERSONIO_BASE_URL: simulatorUrl, PERSONIO_REQUEST_TIMEOUT_MS: '5000' },
    });

  beforeAll(async () => {
    simulatorUrl = (await simulator.start()).baseUrl;
    database = await createTestDatabase();
    portA = await freePort();
    a = await startA();
  });
  afterAll(async () => {
    simulator.clearFaults();
    await simulator.settleDeliveries();
    await a?.stop();
    await b?.close();
    await simulator.stop();
    await database?.drop();
  });

  interface Setup {
    ws: CreatedWorkspace;
    company: PersonioCompany;
    mia: ReturnType<typeof simPerson>;
  }

  /** A workspace connected through instance A, so the subscription points at A's receiver. */
  async function setupThroughA(): Promise<Setup> {
    const http = request(baseUrlA());
    const ws = await createWorkspace(
      { http },
      { adminEmail: `admin-${Math.random().toString(36).slice(2, 8)}@acme.test` },
    );
    const miaUser = await createUser({ http }, ws.adminToken, { email: `mia-${ws.id.slice(0, 8)}@acme.test` });
    const mia = simPerson(miaUser.email);
    const companyId = `co-${Math.random().toString(36).slice(2, 10)}`;
    const company = { companyId, clientId: `${companyId}-client`, clientSecret: `secret-${companyId}` };
    simulator.createCompany({
      id: companyId,
      credentials: { clientId: company.clientId, clientSecret: company.clientSecret, scopes: WEBHOOK_SCOPES },
      persons: [mia],
      absenceTypes: [VACATION_TYPE],
      absencePeriods: [],
    });
    await http
      .put('/api/v1/integrations/personio')
      .set(bearer(ws.adminToken))
      .send({ clientId: company.clientId, clientSecret: company.clientSecret })
      .expect(200);
    // The setup sync ran to its end on A before the test holds any Personio call.
    await eventually(async () => {
      const view = (await http.get('/api/v1/integrations/personio').set(bearer(ws.adminToken)).expect(200))
        .body as Json;
      expect(view.lastRun).toMatchObject({ trigger: 'setup', status: 'succeeded' });
    });
    const [webhook] = simulator.listWebhooks(companyId);
    expect(webhook.url).toBe(`${baseUrlA()}${RECEIVER}/${ws.id}`);
    return { ws, company, mia };
  }

  const absencesVia = async (baseUrl: string, s: Setup) =>
    (
      (await request(baseUrl).get('/api/v1/absences?pageSize=1000').set(bearer(s.ws.adminToken)).expect(200))
        .body as Json[]
    ).filter((absence) => absence.externalProvider === 'personio');
  const runsVia = async (baseUrl: string, s: Setup) =>
    (
      await request(baseUrl)
        .get('/api/v1/integrations/personio/runs?limit=100')
        .set(bearer(s.ws.adminToken))
        .expect(200)
    ).body as Json[];

  it('applies, on the other instance, an event the killed instance acknowledged and claimed', async () => {
    const s = await setupThroughA();
    // A's fetch of the period's current state (by id, or the list filtered by id) is held.
    simulator.setFaults(
      {
        holds: [
          { endpoint: '/v2/absence-periods/{id}', times: 1 },
          { endpoint: '/v2/absence-periods', times: 1 },
        ],
      },
      s.company.companyId,
    );
    const held = simulator.whenHeld(s.company.companyId);
    const delivered = simulator.whenDelivered({ companyId: s.company.companyId, eventName: 'absence-period.created' });
    const period = dayAbsence(s.mia.id, '2026-12-07', '2026-12-09');
    simulator.upsertAbsencePeriod(s.company.companyId, period);

    // A acknowledged (202) and its processor claimed the event and is fetching the period: only A runs.
    const delivery = await delivered;
    expect(delivery).toMatchObject({ status: 202, url: `${baseUrlA()}${RECEIVER}/${s.ws.id}` });
    expect((await held).endpoint).toMatch(/^\/v2\/absence-periods/);

    await a!.kill();
    a = null;
    // The held fetch ends only now (its connection may already be gone with A): A never got an answer.
    simulator.releaseHeld(s.company.companyId);
    simulator.clearFaults(s.company.companyId);

    b = await startB();
    const viaB = b.baseUrl!;
    await eventually(async () =>
      expect(await absencesVia(viaB, s)).toEqual([
        expect.objectContaining({ externalId: period.id, startOn: '2026-12-07', endOn: '2026-12-09' }),
      ]),
    );
    const webhookRuns = (await runsVia(viaB, s)).filter((run) => run.trigger === 'webhook');
    expect(webhookRuns.filter((run) => run.status === 'succeeded')).toEqual([
      expect.objectContaining({ created: 1, fetched: 1 }),
    ]);
    // Exactly once: nothing further arrives while B keeps polling for pending events.
    await b.app.get(WebhookEventsProcessor).process();
    expect(await absencesVia(viaB, s)).toHaveLength(1);
  });

  it('applies each event exactly once, whichever instance received it', async () => {
    a ??= await startA();
    b ??= await startB();
    const s = await setupThroughA();
    const [webhook] = simulator.listWebhooks(s.company.companyId);
    const receiverA = `${baseUrlA()}${RECEIVER}/${s.ws.id}`;
    const receiverB = `${b.baseUrl}${RECEIVER}/${s.ws.id}`;
    const periods = Array.from({ length: 20 }, (_, i) =>
      dayAbsence(s.mia.id, `2026-12-${String(i + 1).padStart(2, '0')}`, `2026-12-${String(i + 1).padStart(2, '0')}`),
    );
    // Alternate the subscription between the two receivers: ten events to each instance.
    for (const [i, period] of periods.entries()) {
      simulator.updateWebhook(s.company.companyId, webhook.id, { url: i % 2 === 0 ? receiverA : receiverB });
      const delivered = simulator.whenDelivered({ companyId: s.company.companyId, resourceId: period.id });
      simulator.upsertAbsencePeriod(s.company.companyId, period);
      expect(await delivered).toMatchObject({ status: 202 });
    }
    const deliveries = simulator.webhookDeliveries(s.company.companyId).filter((d) => d.status === 202);
    expect(deliveries.filter((d) => d.url === receiverA)).toHaveLength(10);
    expect(deliveries.filter((d) => d.url === receiverB)).toHaveLength(10);

    await eventually(async () => expect(await absencesVia(b!.baseUrl!, s)).toHaveLength(20));
    const absences = await absencesVia(baseUrlA(), s);
    expect(absences.map((absence) => absence.externalId).sort()).toEqual(periods.map((p) => p.id).sort());
    const webhookRuns = (await runsVia(baseUrlA(), s)).filter((run) => run.trigger === 'webhook');
    expect(webhookRuns.length).toBeGreaterThan(0);
    expect(webhookRuns.every((run) => run.status === 'succeeded')).toBe(true);
    const created = webhookRuns.reduce((sum, run) => sum + Number(run.created), 0);
    expect(created).toBe(20);
  });
});
