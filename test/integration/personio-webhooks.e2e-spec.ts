import { eventually as pollUntil } from '../support/eventually';
import { PersonioSimulator } from '../../src/personio-simulator';
import { WebhookEventStore } from '../../src/integrations/personio/webhooks/webhook-event.store';
import { SyncClaimsService } from '../../src/integrations/personio/sync/sync-claims.service';
import {
  dayAbsence,
  PERSONIO_SCOPES,
  PersonioCompany,
  personioAbsences,
  simPerson,
  syncNow,
  VACATION_TYPE,
  startAppWithSimulator,
  stopAppWithSimulator,
} from '../support/personio-fixture';
import { Json } from '../support/json';
import { bearer, createUser, createWorkspace, CreatedWorkspace, TestApp } from '../support/test-app';

const WEBHOOK_SCOPES = [...PERSONIO_SCOPES, 'personio:webhooks:read', 'personio:webhooks:write'];
const RECEIVER = '/api/v1/integrations/personio/webhooks';
const DEADLINE_MS = 10_000;

/**
 * Issue 14 "Must show": Personio's webhooks end to end. The simulator on loopback delivers every
 * change to the test app's real HTTP port; the test waits on the simulator's delivery promises and
 * polls the absences API with a deadline.
 */
describe(`Personio webhooks (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  let t: TestApp;

  beforeAll(async () => {
    t = await startAppWithSimulator(simulator, { listen: true });
  });
  afterAll(() => stopAppWithSimulator(t, simulator));

  interface Setup {
    ws: CreatedWorkspace;
    company: PersonioCompany;
    mia: ReturnType<typeof simPerson>;
    miaUserId: string;
  }

  async function setup(options: { scopes?: string[]; missingScope?: 401 | 403 } = {}): Promise<Setup> {
    const ws = await createWorkspace(t, { adminEmail: `admin-${Math.random().toString(36).slice(2, 8)}@acme.test` });
    const miaUser = await createUser(t, ws.adminToken, { email: `mia-${ws.id.slice(0, 8)}@acme.test` });
    const mia = simPerson(miaUser.email);
    const companyId = `co-${Math.random().toString(36).slice(2, 10)}`;
    const company = { companyId, clientId: `${companyId}-client`, clientSecret: `secret-${companyId}` };
    simulator.createCompany({
      id: companyId,
      credentials: {
        clientId: company.clientId,
        clientSecret: company.clientSecret,
        scopes: options.scopes ?? WEBHOOK_SCOPES,
      },
      persons: [mia],
      absenceTypes: [VACATION_TYPE],
      absencePeriods: [],
    });
    if (options.missingScope) simulator.setFaults({ missingWebhooksScope: options.missingScope }, companyId);
    const response = await t.http
      .put('/api/v1/integrations/personio')
      .set(bearer(ws.adminToken))
      .send({ clientId: company.clientId, clientSecret: company.clientSecret });
    expect(response.status).toBe(200);
    await t.app.get(SyncClaimsService).whenIdle(ws.id);
    return { ws, company, mia, miaUserId: miaUser.id };
  }

  const status = async (s: Setup) =>
    (await t.http.get('/api/v1/integrations/personio').set(bearer(s.ws.adminToken)).expect(200)).body as Json;
  const runs = async (s: Setup) =>
    (await t.http.get('/api/v1/integrations/personio/runs?limit=100').set(bearer(s.ws.adminToken)).expect(200))
      .body as Json[];

  const eventually = <T>(check: () => Promise<T>, deadlineMs = DEADLINE_MS) => pollUntil(check, deadlineMs, 25);

  const copies = (s: Setup) => personioAbsences(t, s.ws.adminToken);
  const token = (s: Setup) => simulator.listWebhooks(s.company.companyId)[0].token!;

  it('subscribes on PUT: the receiver URL of the workspace, a fresh token, ENABLED, the seven events', async () => {
    const s = await setup();
    const [webhook] = simulator.listWebhooks(s.company.companyId);
    expect(webhook).toMatchObject({
      url: `${t.baseUrl}${RECEIVER}/${s.ws.id}`,
      status: 'ENABLED',
      authType: 'TOKEN',
    });
    expect(webhook.token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect([...webhook.enabledEvents].sort()).toEqual(
      [
        'absence-period.created',
        'absence-period.updated.timerange',
        'absence-period.updated.status',
        'absence-period.deleted',
        'person.created',
        'person.updated',
        'person.deleted',
      ].sort(),
    );
    expect((await status(s)).webhooks).toEqual({ state: 'active', reason: null, lastEventAt: null });
  });

  it('shows a create, a time-range change, a rejection and a deletion through the absences API shortly after delivery', async () => {
    const s = await setup();
    const period = dayAbsence(s.mia.id, '2026-08-03', '2026-08-05');
    simulator.upsertAbsencePeriod(s.company.companyId, period);
    await simulator.whenDelivered({ companyId: s.company.companyId, eventName: 'absence-period.created' });
    await eventually(async () =>
      expect(await copies(s)).toEqual([
        expect.objectContaining({
          externalId: period.id,
          userId: s.miaUserId,
          startOn: '2026-08-03',
          endOn: '2026-08-05',
        }),
      ]),
    );

    simulator.updateAbsencePeriod(s.company.companyId, period.id, {
      endsAt: { dateTime: '2026-08-08T00:00:00', type: 'SECOND_HALF' },
    });
    await simulator.whenDelivered({ companyId: s.company.companyId, eventName: 'absence-period.updated.timerange' });
    await eventually(async () => expect(await copies(s)).toEqual([expect.objectContaining({ endOn: '2026-08-07' })]));

    simulator.updateAbsencePeriod(s.company.companyId, period.id, { approvalStatus: 'REJECTED' });
    await simulator.whenDelivered({ companyId: s.company.companyId, eventName: 'absence-period.updated.status' });
    await eventually(async () => expect(await copies(s)).toEqual([]));

    simulator.updateAbsencePeriod(s.company.companyId, period.id, { approvalStatus: 'APPROVED' });
    await eventually(async () => expect(await copies(s)).toHaveLength(1));
    simulator.deleteAbsencePeriod(s.company.companyId, period.id);
    await simulator.whenDelivered({ companyId: s.company.companyId, eventName: 'absence-period.deleted' });
    await eventually(async () => expect(await copies(s)).toEqual([]));

    // Event batches are runs of their own; the status's lastRun stays the last full run.
    const history = await runs(s);
    expect(history.filter((run) => run.trigger === 'webhook').length).toBeGreaterThanOrEqual(4);
    expect(history.every((run) => run.status === 'succeeded')).toBe(true);
    const view = await status(s);
    expect(view.lastRun).toMatchObject({ trigger: 'setup' });
    expect(view.webhooks).toMatchObject({ state: 'active', lastEventAt: expect.any(String) });
  });

  it("converges on Personio's current state under duplicate and out-of-order deliveries", async () => {
    const s = await setup();
    simulator.duplicateDeliveries(true, s.company.companyId);
    simulator.deliverOutOfOrder(true, s.company.companyId);
    const first = dayAbsence(s.mia.id, '2026-09-01', '2026-09-02');
    const second = dayAbsence(s.mia.id, '2026-09-14', '2026-09-15');
    // One burst: created, moved, then the second one created and deleted again.
    simulator.upsertAbsencePeriod(s.company.companyId, first);
    simulator.updateAbsencePeriod(s.company.companyId, first.id, {
      endsAt: { dateTime: '2026-09-05T00:00:00', type: 'SECOND_HALF' },
    });
    simulator.upsertAbsencePeriod(s.company.companyId, second);
    simulator.deleteAbsencePeriod(s.company.companyId, second.id);
    await simulator.settleDeliveries(s.company.companyId);
    expect(simulator.webhookDeliveries(s.company.companyId).filter((d) => d.copy === 2).length).toBeGreaterThan(0);

    await eventually(async () =>
      expect(await copies(s)).toEqual([
        expect.objectContaining({ externalId: first.id, startOn: '2026-09-01', endOn: '2026-09-04' }),
      ]),
    );
    // Duplicates were stored once: four distinct events.
    expect(await t.app.get(WebhookEventStore).count(s.ws.id)).toBe(4);
    simulator.clearFaults(s.company.companyId);
  });

  it('answers the same 401 to a wrong or missing token and an unknown or malformed workspace, storing nothing, even for a non-JSON body', async () => {
    const s = await setup();
    const envelope = JSON.stringify({
      company_id: s.company.companyId,
      event_name: 'absence-period.created',
      occurred_at: '2026-07-21T10:00:00Z',
      payload: { 'absence-period': { id: 'p-1' } },
    });
    const cases: Array<[string, string | null, string]> = [
      [s.ws.id, 'wrong-token', envelope],
      [s.ws.id, null, envelope],
      ['7f9c1b7e-2a3d-4c5e-9f00-123456789abc', token(s), envelope],
      ['not-a-uuid', token(s), envelope],
      [s.ws.id, 'wrong-token', 'not json {'],
      ['not-a-uuid', null, 'not json {'],
    ];
    for (const [workspaceId, authorization, body] of cases) {
      let call = t.http.post(`${RECEIVER}/${workspaceId}`).set('Content-Type', 'application/json');
      if (authorization !== null) call = call.set('Authorization', authorization);
      const response = await call.send(body);
      expect({ workspaceId, authorization, status: response.status }).toEqual({
        workspaceId,
        authorization,
        status: 401,
      });
      expect(response.body).toMatchObject({ statusCode: 401 });
    }
    expect(await t.app.get(WebhookEventStore).count(s.ws.id)).toBe(0);
    expect((await status(s)).webhooks.lastEventAt).toBeNull();

    // Size first: an oversized body is refused before the token is looked at.
    const big = await t.http
      .post(`${RECEIVER}/${s.ws.id}`)
      .set('Content-Type', 'application/json')
      .send('x'.repeat(65_537));
    expect(big.status).toBe(413);
    // The right token with a body that is not the envelope: 400.
    const malformed = await t.http
      .post(`${RECEIVER}/${s.ws.id}`)
      .set('Authorization', token(s))
      .set('Content-Type', 'application/json')
      .send('not json {');
    expect(malformed.status).toBe(400);
    const noId = await t.http
      .post(`${RECEIVER}/${s.ws.id}`)
      .set('Authorization', token(s))
      .set('Content-Type', 'application/json')
      .send({ company_id: 'c', event_name: 'absence-period.created', occurred_at: 'x', payload: {} });
    expect(noId.status).toBe(400);
    expect(await t.app.get(WebhookEventStore).count(s.ws.id)).toBe(0);
  });

  it('accepts both payload spellings and stores a repeated delivery once', async () => {
    const s = await setup();
    const send = (key: string) =>
      t.http
        .post(`${RECEIVER}/${s.ws.id}`)
        .set('Authorization', token(s))
        .set('Content-Type', 'application/json')
        .send({
          company_id: s.company.companyId,
          event_name: 'absence-period.deleted',
          occurred_at: '2026-07-21T10:00:00Z',
          payload: { [key]: { id: 'gone-1' } },
        });
    expect((await send('absence_period')).status).toBe(202);
    expect((await send('absence-period')).status).toBe(202);
    expect(await t.app.get(WebhookEventStore).count(s.ws.id)).toBe(1);
  });

  it('stops accepting a token that authenticated as soon as this instance replaces or removes the subscription', async () => {
    const s = await setup();
    const deliver = (authorization: string, id: string) =>
      t.http
        .post(`${RECEIVER}/${s.ws.id}`)
        .set('Authorization', authorization)
        .set('Content-Type', 'application/json')
        .send({
          company_id: s.company.companyId,
          event_name: 'absence-period.deleted',
          occurred_at: '2026-07-21T10:00:00Z',
          payload: { 'absence-period': { id } },
        });
    const first = token(s);
    // Accepted, so the receiver now trusts this token from memory.
    expect((await deliver(first, 'gone-1')).status).toBe(202);
    expect((await deliver(first, 'gone-2')).status).toBe(202);

    await t.http
      .put('/api/v1/integrations/personio')
      .set(bearer(s.ws.adminToken))
      .send({ clientId: s.company.clientId, clientSecret: s.company.clientSecret })
      .expect(200);
    await t.app.get(SyncClaimsService).whenIdle(s.ws.id);
    const second = token(s);
    expect(second).not.toBe(first);
    expect((await deliver(first, 'gone-3')).status).toBe(401);
    expect((await deliver(second, 'gone-4')).status).toBe(202);

    await t.http.delete('/api/v1/integrations/personio').set(bearer(s.ws.adminToken)).expect(204);
    expect((await deliver(second, 'gone-5')).status).toBe(401);
  });

  it('stores and applies a burst of concurrent deliveries, duplicates among them, each event once', async () => {
    const s = await setup();
    simulator.configureWebhookDelivery({ concurrent: true });
    simulator.duplicateDeliveries(true, s.company.companyId);
    try {
      const periods = Array.from({ length: 30 }, (_, i) => {
        const day = `2026-10-${String(i + 1).padStart(2, '0')}`;
        return dayAbsence(s.mia.id, day, day);
      });
      // One synchronous run: one burst, its 60 deliveries sent at once.
      for (const period of periods) simulator.upsertAbsencePeriod(s.company.companyId, period);
      await simulator.settleDeliveries(s.company.companyId);
      const deliveries = simulator.webhookDeliveries(s.company.companyId);
      expect(deliveries).toHaveLength(60);
      expect(deliveries.every((delivery) => delivery.status === 202)).toBe(true);
      expect(await t.app.get(WebhookEventStore).count(s.ws.id)).toBe(30);

      await eventually(async () =>
        expect((await copies(s)).map((copy) => copy.externalId).sort()).toEqual(periods.map((p) => p.id).sort()),
      );
      const created = (await runs(s))
        .filter((run) => run.trigger === 'webhook')
        .reduce((sum, run) => sum + Number(run.created), 0);
      expect(created).toBe(30);
      await eventually(async () =>
        expect((await status(s)).webhooks).toMatchObject({ lastEventAt: expect.any(String) }),
      );
    } finally {
      simulator.configureWebhookDelivery({ concurrent: false });
      simulator.clearFaults(s.company.companyId);
    }
  });

  it('reuses the absence type names between batches, and fetches them again for a type it does not know', async () => {
    const s = await setup();
    const typesFetched = () => simulator.requestCount('/v2/absence-types', s.company.companyId);
    const add = async (period: ReturnType<typeof dayAbsence>) => {
      simulator.upsertAbsencePeriod(s.company.companyId, period);
      await eventually(async () =>
        expect((await copies(s)).find((copy) => copy.externalId === period.id)).toBeDefined(),
      );
      return (await copies(s)).find((copy) => copy.externalId === period.id)!;
    };
    expect(await add(dayAbsence(s.mia.id, '2026-11-02', '2026-11-03'))).toMatchObject({ description: 'Paid vacation' });
    const afterFirst = typesFetched();
    expect(await add(dayAbsence(s.mia.id, '2026-11-09', '2026-11-10'))).toMatchObject({ description: 'Paid vacation' });
    expect(typesFetched()).toBe(afterFirst);

    simulator.upsertAbsenceType(s.company.companyId, { ...VACATION_TYPE, id: 'type-sabbatical', name: 'Sabbatical' });
    const sabbatical = dayAbsence(s.mia.id, '2026-11-16', '2026-11-17', { absenceTypeId: 'type-sabbatical' });
    expect(await add(sabbatical)).toMatchObject({ description: 'Sabbatical' });
    expect(typesFetched()).toBe(afterFirst + 1);
  });

  it('connects without the webhooks permission and shows webhooks unavailable, naming it', async () => {
    const s = await setup({ missingScope: 403 });
    expect((await status(s)).webhooks).toEqual({
      state: 'unavailable',
      reason: expect.stringContaining('personio:webhooks:write'),
      lastEventAt: null,
    });
    expect((await status(s)).status).toBe('active');
    simulator.clearFaults(s.company.companyId);
  });

  it('removes the subscription in Personio on DELETE', async () => {
    const s = await setup();
    expect(simulator.listWebhooks(s.company.companyId)).toHaveLength(1);
    await t.http.delete('/api/v1/integrations/personio').set(bearer(s.ws.adminToken)).expect(204);
    expect(simulator.listWebhooks(s.company.companyId)).toEqual([]);
  });

  it('recreates the subscription on the next full sync after it was deleted in Personio', async () => {
    const s = await setup();
    const [before] = simulator.listWebhooks(s.company.companyId);
    simulator.deleteWebhook(s.company.companyId, before.id);
    await syncNow(t, s.ws.adminToken);
    const after = simulator.listWebhooks(s.company.companyId);
    expect(after).toHaveLength(1);
    expect(after[0].id).not.toBe(before.id);
    expect((await status(s)).webhooks.state).toBe('active');

    // The new subscription delivers with its new token, and the change shows.
    const period = dayAbsence(s.mia.id, '2026-08-10', '2026-08-11');
    simulator.upsertAbsencePeriod(s.company.companyId, period);
    await eventually(async () => expect(await copies(s)).toHaveLength(1));
  });

  it('acknowledges a delivery with 202 while Personio is held, and applies it once released', async () => {
    const s = await setup();
    simulator.hold({ endpoint: '/v2/absence-periods/{id}' }, s.company.companyId);
    simulator.hold({ endpoint: '/v2/absence-periods' }, s.company.companyId);
    const period = dayAbsence(s.mia.id, '2026-08-17', '2026-08-18');
    simulator.upsertAbsencePeriod(s.company.companyId, period);
    const delivery = await simulator.whenDelivered({
      companyId: s.company.companyId,
      eventName: 'absence-period.created',
    });
    await simulator.whenHeld(s.company.companyId);
    expect(delivery.status).toBe(202);
    // The fetch of the processor is still held: the acknowledgement did not wait for Personio.
    expect(simulator.heldRequests(s.company.companyId).length).toBeGreaterThan(0);
    expect(await copies(s)).toEqual([]);

    simulator.clearFaults(s.company.companyId);
    simulator.releaseHeld(s.company.companyId);
    await eventually(async () => expect(await copies(s)).toHaveLength(1));
  });

  it('lets POST /sync wait for an event batch that holds the workspace, then run, instead of answering 409', async () => {
    const s = await setup();
    simulator.hold({ endpoint: '/v2/absence-periods/{id}' }, s.company.companyId);
    simulator.upsertAbsencePeriod(s.company.companyId, dayAbsence(s.mia.id, '2026-08-31', '2026-09-01'));
    // The batch has the workspace's claim and waits for Personio.
    await simulator.whenHeld(s.company.companyId);
    const store = t.app.get(WebhookEventStore);
    const asked = new Promise<void>((resolve) => {
      const original = store.applying.bind(store);
      jest.spyOn(store, 'applying').mockImplementation(async (workspaceId) => {
        const applying = await original(workspaceId);
        if (applying) resolve();
        return applying;
      });
    });
    const sync = t.http
      .post('/api/v1/integrations/personio/sync')
      .set(bearer(s.ws.adminToken))
      .then((r) => r);
    await asked;
    simulator.clearFaults(s.company.companyId);
    simulator.releaseHeld(s.company.companyId);
    const response = await sync;
    jest.restoreAllMocks();
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ trigger: 'manual', status: 'succeeded' });
    const history = await runs(s);
    const batch = history.find((run) => run.trigger === 'webhook')!;
    expect(batch).toMatchObject({ status: 'succeeded', created: 1 });
    expect(new Date(String(response.body.startedAt)).getTime()).toBeGreaterThanOrEqual(
      new Date(String(batch.finishedAt)).getTime(),
    );
  });

  it('acknowledges and stores events while the integration needs new credentials, but applies none', async () => {
    const s = await setup();
    simulator.rejectCredentials(true, s.company.companyId);
    simulator.revokeTokens(s.company.companyId);
    await syncNow(t, s.ws.adminToken);
    expect((await status(s)).status).toBe('needs_reauth');
    simulator.upsertAbsencePeriod(s.company.companyId, dayAbsence(s.mia.id, '2026-09-07', '2026-09-08'));
    const delivery = await simulator.whenDelivered({
      companyId: s.company.companyId,
      eventName: 'absence-period.created',
    });
    expect(delivery.status).toBe(202);
    await eventually(async () => {
      const rows: Array<{ processed_at: string | null }> = await t.dataSource.query(
        `SELECT processed_at FROM personio_webhook_events WHERE workspace_id = ${t.database.env.DATABASE_URL ? '$1' : '?'}`,
        [s.ws.id],
      );
      expect(rows).toEqual([{ processed_at: expect.anything() }]);
    });
    expect(await copies(s)).toEqual([]);
    expect((await runs(s)).filter((run) => run.trigger === 'webhook')).toEqual([]);
    expect((await status(s)).status).toBe('needs_reauth');
    simulator.clearFaults(s.company.companyId);
  });

  it('deletes nothing on a failed fetch: the batch is a failed webhook run, the status stays, and a later attempt applies it', async () => {
    const s = await setup();
    const period = dayAbsence(s.mia.id, '2026-09-21', '2026-09-22');
    simulator.upsertAbsencePeriod(s.company.companyId, period);
    await eventually(async () => expect(await copies(s)).toHaveLength(1));

    // The absences scope taken away: Personio refuses the fetch (not retried within the batch).
    const credential = { clientId: s.company.clientId, clientSecret: s.company.clientSecret };
    simulator.setCredential(s.company.companyId, { ...credential, scopes: ['personio:persons:read'] });
    simulator.revokeTokens(s.company.companyId);
    simulator.deleteAbsencePeriod(s.company.companyId, period.id);
    await simulator.whenDelivered({ companyId: s.company.companyId, eventName: 'absence-period.deleted' });
    await eventually(async () =>
      expect((await runs(s)).filter((run) => run.trigger === 'webhook' && run.status === 'failed')).toHaveLength(1),
    );
    expect(await copies(s)).toHaveLength(1);
    expect((await status(s)).status).toBe('active');

    // Back: the event, put back with a delay, is applied by a later pass.
    simulator.setCredential(s.company.companyId, { ...credential, scopes: WEBHOOK_SCOPES });
    simulator.revokeTokens(s.company.companyId);
    await eventually(async () => expect(await copies(s)).toEqual([]), 15_000);
  }, 30_000);

  it('runs one full sync for a person event and coalesces a second one within the minute', async () => {
    const s = await setup();
    // The setup sync just ran: let the first person event be due at once.
    await t.dataSource.query(
      `UPDATE personio_integrations SET last_full_sync_started_at = NULL WHERE workspace_id = ${t.database.env.DATABASE_URL ? '$1' : '?'}`,
      [s.ws.id],
    );
    const fullRuns = async () => (await runs(s)).filter((run) => run.trigger === 'schedule');
    const ole = await createUser(t, s.ws.adminToken, { email: `ole-${s.ws.id.slice(0, 8)}@acme.test` });
    const olePerson = simPerson(ole.email);
    simulator.upsertAbsencePeriod(s.company.companyId, dayAbsence(olePerson.id, '2026-08-24', '2026-08-25'));
    simulator.upsertPerson(s.company.companyId, olePerson);
    await simulator.whenDelivered({ companyId: s.company.companyId, eventName: 'person.created' });
    // The full sync re-runs the matching: Ole's absence (unmatched before) is transferred.
    await eventually(async () => {
      expect(await fullRuns()).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      expect((await copies(s)).map((a) => a.userId)).toEqual([ole.id]);
    });

    simulator.updatePerson(s.company.companyId, olePerson.id, { lastName: 'Renamed' });
    await simulator.whenDelivered({ companyId: s.company.companyId, eventName: 'person.updated' });
    // Deferred to the end of the minute, not run now.
    const [row] = await eventually(async () => {
      const rows: Array<{ due: string | null; started: string | null }> = await t.dataSource.query(
        `SELECT person_sync_due_at AS due, last_full_sync_started_at AS started FROM personio_integrations WHERE workspace_id = ${t.database.env.DATABASE_URL ? '$1' : '?'}`,
        [s.ws.id],
      );
      expect(rows[0].due).not.toBeNull();
      return rows;
    });
    const dueIn = new Date(row.due!).getTime() - new Date(row.started!).getTime();
    expect(dueIn).toBeGreaterThanOrEqual(59_000);
    expect(await fullRuns()).toHaveLength(1);
  });
});
