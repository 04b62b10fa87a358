import { PersonioSimulator } from '../../src/personio-simulator';
import { PersonioAlertsService } from '../../src/integrations/personio/alerts/personio-alerts.service';
import { PersonioIntegration } from '../../src/integrations/personio/personio-integration.entity';
import { eventually } from '../support/eventually';
import { Json } from '../support/json';
import {
  connectPersonio,
  createCompany,
  dayAbsence,
  PERSONIO_SCOPES,
  PersonioCompany,
  simPerson,
  syncNow,
  VACATION_TYPE,
  startAppWithSimulator,
  stopAppWithSimulator,
} from '../support/personio-fixture';
import { bearer, createUser, createWorkspace, CreatedWorkspace, TestApp } from '../support/test-app';

/**
 * Issue 15 (second half), "Must show": exactly one notification to the admins for needs_reauth,
 * for three failed full runs in a row, and for the recovery — failures driven by the simulator's
 * fault switches, notifications read through the host stand-in's GET /notifications.
 */
describe(`Personio alerts to the workspace's admins (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  const integration = '/api/v1/integrations/personio';
  let t: TestApp;
  let sequence = 0;

  beforeAll(async () => {
    // Listening, so that the simulator can deliver webhook events (only the last test subscribes).
    t = await startAppWithSimulator(simulator, { listen: true });
  });
  afterAll(() => stopAppWithSimulator(t, simulator));

  interface Connected {
    ws: CreatedWorkspace;
    company: PersonioCompany;
    member: { token: string };
  }

  async function connected(): Promise<Connected> {
    const domain = `a${++sequence}.test`;
    const ws = await createWorkspace(t, { name: `A${sequence}`, adminEmail: `admin@${domain}` });
    const mia = simPerson(`mia@${domain}`);
    const company = createCompany(simulator, [mia], [dayAbsence(mia.id, '2026-07-27', '2026-07-31')]);
    const member = await createUser(t, ws.adminToken, { email: `mia@${domain}` });
    expect((await connectPersonio(t, ws.adminToken, ws.id, company)).status).toBe(200);
    return { ws, company, member };
  }

  async function notifications(token: string): Promise<Json[]> {
    return (await t.http.get('/api/v1/notifications').set(bearer(token)).expect(200)).body;
  }

  const kinds = async (token: string) => (await notifications(token)).map((n) => n.kind);

  it('tells the admins once after three failed runs in a row, and once when it recovers', async () => {
    const { ws, company, member } = await connected();
    expect(await notifications(ws.adminToken)).toEqual([]);

    simulator.failPage({ endpoint: '/v2/persons', status: 503 }, company.companyId);
    try {
      for (const expected of [[], [], ['personio.failing'], ['personio.failing']]) {
        expect(await syncNow(t, ws.adminToken)).toMatchObject({ status: 'failed' });
        expect(await kinds(ws.adminToken)).toEqual(expected);
      }
    } finally {
      simulator.clearFaults(company.companyId);
    }
    const [failing] = await notifications(ws.adminToken);
    expect(failing.title).toBe('Personio sync failed 3 times in a row');
    expect(failing.message).toContain('HTTP 503');
    expect(failing.message).toMatch(/What to do: /);

    expect(await syncNow(t, ws.adminToken)).toMatchObject({ status: 'succeeded' });
    expect(await syncNow(t, ws.adminToken)).toMatchObject({ status: 'succeeded' });
    const all = await notifications(ws.adminToken);
    expect(all.map((n) => n.kind)).toEqual(['personio.recovered', 'personio.failing']);
    expect(new Date(all[0].createdOn).getTime()).toBeGreaterThanOrEqual(new Date(all[1].createdOn).getTime());

    // Admins only; another workspace sees none of it.
    await t.http.get('/api/v1/notifications').set(bearer(member.token)).expect(403);
    await t.http.get('/api/v1/notifications').expect(401);
    const other = await createWorkspace(t, { name: 'Other', adminEmail: `admin@other${sequence}.test` });
    expect(await notifications(other.adminToken)).toEqual([]);
    const badLimit = await t.http.get('/api/v1/notifications?limit=0').set(bearer(ws.adminToken)).expect(400);
    expect(JSON.stringify(badLimit.body.message)).toContain('limit');
    expect(await t.http.get('/api/v1/notifications?limit=1').set(bearer(ws.adminToken)).expect(200)).toMatchObject({
      body: [{ kind: 'personio.recovered' }],
    });
  });

  it('does not count a success between failures: two failures, a success, two failures send nothing', async () => {
    const { ws, company } = await connected();
    const fail = async (times: number) => {
      simulator.failPage({ endpoint: '/v2/persons', status: 503, times: times * 3 }, company.companyId);
      for (let i = 0; i < times; i++) expect(await syncNow(t, ws.adminToken)).toMatchObject({ status: 'failed' });
      simulator.clearFaults(company.companyId);
    };
    await fail(2);
    expect(await syncNow(t, ws.adminToken)).toMatchObject({ status: 'succeeded' });
    await fail(2);
    expect(await notifications(ws.adminToken)).toEqual([]);
  });

  it('tells the admins once when Personio rejects the credentials, and once when new ones work', async () => {
    const { ws, company } = await connected();
    simulator.rejectCredentials(true, company.companyId);
    simulator.revokeTokens(company.companyId);
    try {
      expect(await syncNow(t, ws.adminToken)).toMatchObject({ status: 'failed' });
      expect((await t.http.get(integration).set(bearer(ws.adminToken)).expect(200)).body.status).toBe('needs_reauth');
      // No further runs while it needs new credentials, so no further notifications.
      await syncNow(t, ws.adminToken, 409);
      expect(await kinds(ws.adminToken)).toEqual(['personio.needs_reauth']);
    } finally {
      simulator.rejectCredentials(false, company.companyId);
    }
    const [reauth] = await notifications(ws.adminToken);
    expect(reauth.title).toBe('Personio sync stopped: Personio rejected the credentials');
    expect(reauth.message).toMatch(/What to do: .*save them/);
    expect(JSON.stringify(reauth)).not.toContain(company.clientSecret);

    // Saving working credentials runs the setup sync: that success is the recovery.
    expect((await connectPersonio(t, ws.adminToken, ws.id, company)).status).toBe(200);
    expect(await syncNow(t, ws.adminToken)).toMatchObject({ status: 'succeeded' });
    expect(await kinds(ws.adminToken)).toEqual(['personio.recovered', 'personio.needs_reauth']);
  });

  it('sends one notification when two reports of the same change race (the alert state moves by compare-and-set)', async () => {
    const { ws } = await connected();
    // The third failure in a row, reported twice at once (as two instances finishing would).
    await t.dataSource
      .getRepository(PersonioIntegration)
      .update({ workspaceId: ws.id }, { consecutiveFailedRuns: 3, status: 'failing' });
    const alerts = t.app.get(PersonioAlertsService);
    await Promise.all([
      alerts.afterFullRun(ws.id, 'failed', 'Personio: HTTP 503'),
      alerts.afterFullRun(ws.id, 'failed', 'Personio: HTTP 503'),
      alerts.afterFullRun(ws.id, 'failed', 'Personio: HTTP 503'),
    ]);
    expect(await kinds(ws.adminToken)).toEqual(['personio.failing']);
  });

  it('starts afresh after a disconnect: the alert state goes with the integration', async () => {
    const { ws, company } = await connected();
    simulator.failPage({ endpoint: '/v2/persons', status: 503 }, company.companyId);
    try {
      for (let i = 0; i < 3; i++) await syncNow(t, ws.adminToken);
    } finally {
      simulator.clearFaults(company.companyId);
    }
    await t.http.delete(integration).set(bearer(ws.adminToken)).expect(204);
    expect((await connectPersonio(t, ws.adminToken, ws.id, company)).status).toBe(200);
    expect(await syncNow(t, ws.adminToken)).toMatchObject({ status: 'succeeded' });
    // The failing alert stays in the list; no recovery is claimed for an integration that is new.
    expect(await kinds(ws.adminToken)).toEqual(['personio.failing']);
  });

  it('never counts webhook event batches: three refused batches send nothing and leave the status alone', async () => {
    const domain = `hooks${++sequence}.test`;
    const ws = await createWorkspace(t, { name: `H${sequence}`, adminEmail: `admin@${domain}` });
    const miaUser = await createUser(t, ws.adminToken, { email: `mia@${domain}` });
    const mia = simPerson(miaUser.email);
    const companyId = `co-hooks-${sequence}-${Math.random().toString(36).slice(2, 8)}`;
    const company = { companyId, clientId: `${companyId}-client`, clientSecret: `secret-${companyId}` };
    simulator.createCompany({
      id: companyId,
      credentials: {
        clientId: company.clientId,
        clientSecret: company.clientSecret,
        scopes: [...PERSONIO_SCOPES, 'personio:webhooks:read', 'personio:webhooks:write'],
      },
      persons: [mia],
      absenceTypes: [VACATION_TYPE],
      absencePeriods: [],
    });
    expect((await connectPersonio(t, ws.adminToken, ws.id, company)).status).toBe(200);
    expect((await t.http.get(integration).set(bearer(ws.adminToken)).expect(200)).body.webhooks.state).toBe('active');
    const webhookRuns = async () =>
      (
        (await t.http.get(`${integration}/runs?limit=100`).set(bearer(ws.adminToken)).expect(200)).body as Json[]
      ).filter((run) => run.trigger === 'webhook');

    // Personio refuses every fetch of absence periods (403, not retried within a batch; a full run
    // would turn needs_reauth on it): each event's batch becomes a failed webhook run.
    simulator.failPage({ endpoint: '/v2/absence-periods/{id}', status: 403 }, companyId);
    simulator.failPage({ endpoint: '/v2/absence-periods', status: 403 }, companyId);
    try {
      for (const [index, day] of ['2026-08-03', '2026-08-10', '2026-08-17'].entries()) {
        simulator.upsertAbsencePeriod(companyId, dayAbsence(mia.id, day, day));
        await eventually(
          async () =>
            expect((await webhookRuns()).filter((run) => run.status === 'failed').length).toBeGreaterThan(index),
          10_000,
          25,
        );
      }
      const failed = (await webhookRuns()).filter((run) => run.status === 'failed');
      expect(failed.length).toBeGreaterThanOrEqual(3);
      // Webhook runs report duplicates too (counted even when the batch failed).
      expect(failed[0].duplicates).toBe(0);
      expect(await notifications(ws.adminToken)).toEqual([]);
      expect((await t.http.get(integration).set(bearer(ws.adminToken)).expect(200)).body.status).toBe('active');
    } finally {
      simulator.clearFaults(companyId);
    }
  }, 30_000);
});
