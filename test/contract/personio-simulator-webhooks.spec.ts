import { PersonioSimulator, SIM_WEBHOOK_EVENTS } from '../../src/personio-simulator';
import { Json } from '../support/json';
import { WebhookReceiver } from '../support/webhook-receiver';
import { dayAbsence, person } from './personio-contract.support';

const ALL_EVENTS = [...SIM_WEBHOOK_EVENTS];
const TOKEN = 'whk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';

describe('Personio simulator webhooks', () => {
  const sim = new PersonioSimulator();
  const receiver = new WebhookReceiver();
  let baseUrl: string;
  let companySequence = 0;

  beforeAll(async () => {
    ({ baseUrl } = await sim.start());
    await receiver.start();
  });

  afterAll(async () => {
    await sim.stop();
    await receiver.stop();
  });

  beforeEach(() => {
    sim.clearFaults();
    sim.configureWebhookDelivery({ retryDelaysMs: [50, 200, 1_000], timeoutMs: 3_000 });
    receiver.reset();
  });

  afterEach(async () => {
    // Nothing a test started may reach the next one's receiver.
    receiver.releaseHung();
    await sim.settleDeliveries();
  });

  function newCompany(scopes?: string[]) {
    const id = `hooks-${++companySequence}`;
    return sim.createCompany({
      id,
      credentials: { clientId: `${id}-client`, clientSecret: `${id}-secret`, scopes },
      persons: [person(1), person(2)],
      absencePeriods: [dayAbsence('p-1', '1', '2026-06-01', '2026-06-03')],
    });
  }

  async function tokenOf(companyId: string): Promise<string> {
    const response = await fetch(`${baseUrl}/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: `${companyId}-client`,
        client_secret: `${companyId}-secret`,
      }).toString(),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as Json).access_token;
  }

  async function call(
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json | null; contentType: string | null }> {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Json) : null,
      contentType: response.headers.get('content-type'),
    };
  }

  function admin(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${baseUrl}/_admin${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  function subscribe(companyId: string, events: string[] = ALL_EVENTS, overrides: Json = {}) {
    return sim.createWebhook(companyId, {
      url: receiver.url(`/hooks/${companyId}`),
      enabledEvents: events,
      status: 'ENABLED',
      authType: 'TOKEN',
      token: TOKEN,
      ...overrides,
    });
  }

  describe('managing subscriptions', () => {
    it('creates one DISABLED unless asked otherwise, serves it without its token, patches and deletes it', async () => {
      const company = newCompany();
      const token = await tokenOf(company.id);

      const created = await call(token, 'POST', '/v2/webhooks', {
        url: receiver.url(),
        description: 'awork absence sync',
        enabled_events: ['absence-period.created', 'person.updated'],
        auth_type: 'TOKEN',
        token: TOKEN,
      });
      const id = created.body?.id as string;
      const fetched = await call(token, 'GET', `/v2/webhooks/${id}`);
      const enabled = await call(token, 'PATCH', `/v2/webhooks/${id}`, { status: 'ENABLED' });
      const stored = sim.getWebhook(company.id, id);
      const deleted = await call(token, 'DELETE', `/v2/webhooks/${id}`);
      const gone = await call(token, 'GET', `/v2/webhooks/${id}`);

      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        url: receiver.url(),
        description: 'awork absence sync',
        enabled_events: ['absence-period.created', 'person.updated'],
        status: 'DISABLED',
        auth_type: 'TOKEN',
        created_at: expect.any(String),
        updated_at: expect.any(String),
        _meta: { links: { self: { href: `${baseUrl}/v2/webhooks/${id}` } } },
      });
      expect(fetched).toMatchObject({ status: 200, body: { id, status: 'DISABLED' } });
      expect(JSON.stringify(fetched.body)).not.toContain(TOKEN);
      expect(enabled).toMatchObject({ status: 200, body: { id, status: 'ENABLED', url: receiver.url() } });
      expect(stored).toMatchObject({ status: 'ENABLED', token: TOKEN });
      expect(deleted).toEqual({ status: 204, body: null, contentType: null });
      expect(gone.status).toBe(404);
      expect(gone.contentType).toBe('application/problem+json');
      expect(gone.body?.errors[0].type).toContain('requested_resource_not_found');
      expect(sim.listWebhooks(company.id)).toEqual([]);
    });

    it('answers 404 problem+json for PATCH and DELETE of an unknown id', async () => {
      const token = await tokenOf(newCompany().id);

      const patched = await call(token, 'PATCH', '/v2/webhooks/nope', { status: 'ENABLED' });
      const deleted = await call(token, 'DELETE', '/v2/webhooks/nope');

      expect([patched.status, deleted.status]).toEqual([404, 404]);
      expect(deleted.body?.errors[0]._meta.path).toBe('/v2/webhooks/nope');
    });

    it('lists a company’s subscriptions with cursor paging, limit up to 200, and no other company’s', async () => {
      const company = newCompany();
      const other = newCompany();
      for (let i = 0; i < 5; i++) subscribe(company.id);
      subscribe(other.id);
      const token = await tokenOf(company.id);

      const first = await call(token, 'GET', '/v2/webhooks?limit=2');
      const ids: string[] = [];
      let next: string | undefined = '/v2/webhooks?limit=2';
      while (next) {
        const page = await call(token, 'GET', next);
        ids.push(...(page.body?._data as Json[]).map((item) => item.id as string));
        next = page.body?._meta.links.next?.href;
      }

      expect(first.body?._data).toHaveLength(2);
      expect(ids.sort()).toEqual(
        sim
          .listWebhooks(company.id)
          .map((w) => w.id)
          .sort(),
      );
      expect((await call(token, 'GET', '/v2/webhooks?limit=200')).status).toBe(200);
      expect((await call(token, 'GET', '/v2/webhooks?limit=201')).status).toBe(400);
    });

    it.each([
      ['an unknown event', { enabled_events: ['absence-period.exploded'] }],
      ['no events', { enabled_events: [] }],
      ['no url', { url: undefined }],
      ['a relative url', { url: '/hooks' }],
      ['TOKEN without a token', { token: undefined }],
      ['a camelCase field', { enabledEvents: ALL_EVENTS }],
      ['an unknown status', { status: 'ON' }],
    ])('refuses %s with 400', async (_case, change) => {
      const token = await tokenOf(newCompany().id);
      const body: Json = {
        url: receiver.url(),
        enabled_events: ALL_EVENTS,
        status: 'ENABLED',
        auth_type: 'TOKEN',
        token: TOKEN,
        ...change,
      };

      const response = await call(token, 'POST', '/v2/webhooks', body);

      expect(response.status).toBe(400);
      expect(response.body?.errors[0].title).toBe('Provided request parameters are invalid.');
    });

    it('needs personio:webhooks:write to create and either webhooks scope to read; a missing one is 401', async () => {
      const none = newCompany(['personio:persons:read', 'personio:absences:read']);
      const readOnly = newCompany(['personio:absences:read', 'personio:webhooks:read']);
      const noneToken = await tokenOf(none.id);
      const readToken = await tokenOf(readOnly.id);
      const body = { url: receiver.url(), enabled_events: ALL_EVENTS, auth_type: 'TOKEN', token: TOKEN };

      const refusedCreate = await call(noneToken, 'POST', '/v2/webhooks', body);
      const refusedList = await call(noneToken, 'GET', '/v2/webhooks');
      const readOnlyCreate = await call(readToken, 'POST', '/v2/webhooks', body);
      const readOnlyList = await call(readToken, 'GET', '/v2/webhooks');

      expect(refusedCreate.status).toBe(401);
      expect(refusedCreate.body?.errors[0].title).toBe('Unauthorized Request');
      expect(refusedList.status).toBe(401);
      expect(readOnlyCreate.status).toBe(401);
      expect(readOnlyList.status).toBe(200);
    });

    it('takes the webhooks scope away with the missing-scope fault, answering 401 or 403, in process and over /_admin', async () => {
      const company = newCompany();
      const token = await tokenOf(company.id);
      const body = { url: receiver.url(), enabled_events: ALL_EVENTS, auth_type: 'TOKEN', token: TOKEN };

      sim.withoutWebhooksScope(401, company.id);
      const as401 = await call(token, 'POST', '/v2/webhooks', body);
      await admin('PUT', `/companies/${company.id}/faults`, { missingWebhooksScope: 403 });
      const as403 = await call(token, 'POST', '/v2/webhooks', body);
      const persons = await call(token, 'GET', '/v2/persons');
      sim.withoutWebhooksScope(false, company.id);
      const restored = await call(token, 'POST', '/v2/webhooks', body);

      expect(as401.status).toBe(401);
      expect(as403.status).toBe(403);
      expect(as403.contentType).toBe('application/problem+json');
      expect(as403.body?.errors[0].title).toBe('Forbidden');
      expect(persons.status).toBe(200);
      expect(restored.status).toBe(201);
    });

    it('holds webhook management requests with the hold fault', async () => {
      const company = newCompany();
      const token = await tokenOf(company.id);
      sim.hold({ endpoint: '/v2/webhooks', times: 1 }, company.id);

      const creating = call(token, 'POST', '/v2/webhooks', {
        url: receiver.url(),
        enabled_events: ALL_EVENTS,
        auth_type: 'TOKEN',
        token: TOKEN,
      });
      const held = await sim.whenHeld(company.id, { endpoint: '/v2/webhooks' });
      expect(sim.listWebhooks(company.id)).toEqual([]);
      sim.releaseHeld(company.id, held.id);

      expect((await creating).status).toBe(201);
      expect(sim.requestCount('/v2/webhooks', company.id)).toBe(1);
    });
  });

  describe('delivery', () => {
    it('posts each admin change to the subscription: the token verbatim, the event name, ids only', async () => {
      const company = newCompany();
      const webhook = subscribe(company.id);
      const changes: Array<[string, () => Promise<Response>, string, Json]> = [
        [
          'absence-period.created',
          () => admin('POST', `/companies/${company.id}/absence-periods`, dayAbsence('p-2', '1', '2026-07-01', null)),
          'absence-period',
          { id: 'p-2' },
        ],
        [
          'absence-period.updated.timerange',
          () =>
            admin('PATCH', `/companies/${company.id}/absence-periods/p-2`, {
              endsAt: { dateTime: '2026-07-04T00:00:00', type: 'SECOND_HALF' },
            }),
          'absence-period',
          { id: 'p-2' },
        ],
        [
          'absence-period.updated.status',
          () => admin('PATCH', `/companies/${company.id}/absence-periods/p-2`, { approvalStatus: 'REJECTED' }),
          'absence-period',
          { id: 'p-2' },
        ],
        [
          'absence-period.deleted',
          () => admin('DELETE', `/companies/${company.id}/absence-periods/p-2`),
          'absence-period',
          { id: 'p-2' },
        ],
        ['person.created', () => admin('POST', `/companies/${company.id}/persons`, person(3)), 'person', { id: '3' }],
        [
          'person.updated',
          () => admin('PATCH', `/companies/${company.id}/persons/3`, { email: 'three@example.com' }),
          'person',
          { id: '3' },
        ],
        ['person.deleted', () => admin('DELETE', `/companies/${company.id}/persons/3`), 'person', { id: '3' }],
      ];

      for (const [eventName, change, key, payload] of changes) {
        expect((await change()).status).toBeLessThan(300);
        await sim.whenDelivered({ companyId: company.id, eventName: eventName as never });
        const request = receiver.received.at(-1)!;
        expect(request.path).toBe(`/hooks/${company.id}`);
        expect(request.headers.authorization).toBe(TOKEN);
        expect(request.headers['content-type']).toBe('application/json');
        expect(request.body).toEqual({
          company_id: company.id,
          event_name: eventName,
          occurred_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
          payload: { [key]: payload },
          meta: {},
        });
      }
      await sim.settleDeliveries(company.id);

      expect(receiver.received.map((r) => (r.body as Json).event_name)).toEqual(changes.map(([name]) => name));
      expect(sim.webhookDeliveries(company.id)).toHaveLength(changes.length);
      expect(sim.webhookDeliveries(company.id)[0]).toMatchObject({
        webhookId: webhook.id,
        url: receiver.url(`/hooks/${company.id}`),
        attempt: 1,
        copy: 1,
        status: 202,
        error: null,
        outcome: 'delivered',
      });
    });

    it('fires nothing for comment and type edits, for DISABLED subscriptions, or for events not enabled', async () => {
      const company = newCompany();
      subscribe(company.id, ['absence-period.updated.status']);
      subscribe(company.id, ALL_EVENTS, { status: 'DISABLED' });
      const other = newCompany();
      subscribe(other.id);

      sim.updateAbsencePeriod(company.id, 'p-1', { comment: 'edited', absenceTypeId: 'type-sick' });
      sim.updatePerson(company.id, '1', { updatedAt: '2026-05-01T00:00:00Z' });
      sim.updateAbsencePeriod(company.id, 'p-1', {
        startsFrom: { dateTime: '2026-06-02T00:00:00', type: 'FIRST_HALF' },
      });
      sim.updateAbsencePeriod(company.id, 'p-1', { approvalStatus: 'PENDING' });
      await sim.settleDeliveries();

      expect(receiver.received.map((r) => [r.path, (r.body as Json).event_name])).toEqual([
        [`/hooks/${company.id}`, 'absence-period.updated.status'],
      ]);
    });

    it('never makes the admin call wait for the receiver', async () => {
      const company = newCompany();
      subscribe(company.id);
      receiver.answerNext('hang');

      const response = await admin('PATCH', `/companies/${company.id}/absence-periods/p-1`, {
        approvalStatus: 'REJECTED',
      });
      await receiver.whenReceived(1);

      expect(response.status).toBe(200);
      expect(sim.webhookDeliveries(company.id)).toEqual([]);
      receiver.releaseHung(202);
      expect(await sim.whenDelivered({ companyId: company.id })).toMatchObject({ status: 202, attempt: 1 });
    });

    it('retries a 5xx and a timeout on the configured schedule until a 2xx', async () => {
      const company = newCompany();
      subscribe(company.id);
      sim.configureWebhookDelivery({ retryDelaysMs: [5, 5, 5], timeoutMs: 100 });
      receiver.answerNext(503, 'hang', 200);

      sim.deletePerson(company.id, '2');
      await sim.settleDeliveries(company.id);

      expect(sim.webhookDeliveries(company.id).map((d) => [d.attempt, d.status, d.error, d.outcome, d.copy])).toEqual([
        [1, 503, null, 'retrying', 1],
        [2, null, 'timeout', 'retrying', 1],
        [3, 200, null, 'delivered', 1],
      ]);
      expect(receiver.received).toHaveLength(3);
      expect(new Set(receiver.received.map((r) => r.rawBody)).size).toBe(1);
    });

    it.each([
      [400, 'a 4xx'],
      [501, 'a 501'],
      [302, 'a redirect (not followed)'],
    ])('does not retry %i (%s)', async (status) => {
      const company = newCompany();
      subscribe(company.id);
      receiver.answerNext(status);

      sim.deletePerson(company.id, '2');
      await sim.settleDeliveries(company.id);

      expect(sim.webhookDeliveries(company.id).map((d) => [d.attempt, d.status, d.outcome])).toEqual([
        [1, status, 'failed'],
      ]);
      expect(receiver.received).toHaveLength(1);
    });

    it('gives up after the last retry of the schedule', async () => {
      const company = newCompany();
      subscribe(company.id);
      sim.configureWebhookDelivery({ retryDelaysMs: [1, 1] });
      receiver.answerNext(500, 502, 500, 200);

      sim.deletePerson(company.id, '2');
      await sim.settleDeliveries(company.id);

      expect(sim.webhookDeliveries(company.id).map((d) => d.outcome)).toEqual(['retrying', 'retrying', 'failed']);
      expect(receiver.received).toHaveLength(3);
    });

    it('refuses a schedule of more than the 6 retries Personio makes', () => {
      expect(() => sim.configureWebhookDelivery({ retryDelaysMs: [1, 1, 1, 1, 1, 1, 1] })).toThrow(/at most 6/);
    });

    it('sends each event twice under the duplicate fault, with the same body', async () => {
      const company = newCompany();
      subscribe(company.id);
      sim.duplicateDeliveries(true, company.id);

      sim.updateAbsencePeriod(company.id, 'p-1', { approvalStatus: 'REJECTED' });
      sim.deleteAbsencePeriod(company.id, 'p-1');
      await sim.settleDeliveries(company.id);

      expect(receiver.received.map((r) => (r.body as Json).event_name)).toEqual([
        'absence-period.updated.status',
        'absence-period.updated.status',
        'absence-period.deleted',
        'absence-period.deleted',
      ]);
      expect(receiver.received[0].rawBody).toBe(receiver.received[1].rawBody);
      expect(sim.webhookDeliveries(company.id).map((d) => d.copy)).toEqual([1, 2, 1, 2]);
    });

    it('delivers a burst in order, and in reverse under the out-of-order fault (set over /_admin)', async () => {
      const company = newCompany();
      subscribe(company.id);
      const burst = () =>
        admin('PATCH', `/companies/${company.id}/persons`, [
          { id: '1', lastName: 'One' },
          { id: '2', lastName: 'Two' },
        ]);

      await burst();
      await sim.settleDeliveries(company.id);
      const inOrder = receiver.received.map((r) => (r.body as Json).payload.person.id);
      await admin('PUT', `/companies/${company.id}/faults`, { outOfOrderDelivery: true });
      sim.upsertAbsencePeriod(company.id, dayAbsence('p-9', '1', '2026-09-01', '2026-09-02'));
      sim.updateAbsencePeriod(company.id, 'p-9', { approvalStatus: 'PENDING' });
      sim.deleteAbsencePeriod(company.id, 'p-9');
      await sim.settleDeliveries(company.id);

      expect(inOrder).toEqual(['1', '2']);
      expect(receiver.received.slice(2).map((r) => (r.body as Json).event_name)).toEqual([
        'absence-period.deleted',
        'absence-period.updated.status',
        'absence-period.created',
      ]);
    });

    it('lets another process manage subscriptions, read the delivery log and wait for deliveries over /_admin', async () => {
      const company = newCompany();
      const created = await admin('POST', `/companies/${company.id}/webhooks`, {
        url: receiver.url('/admin-made'),
        enabledEvents: ['person.updated'],
        status: 'ENABLED',
        token: TOKEN,
      });
      const webhook = (await created.json()) as Json;
      const waiting = admin(
        'GET',
        `/companies/${company.id}/webhook-deliveries?wait=10000&eventName=person.updated&resourceId=2`,
      ).then((r) => r.json() as Promise<Json>);
      const nothingYet = await admin('GET', `/companies/${company.id}/webhook-deliveries?wait=20&resourceId=1`);

      await admin('PATCH', `/companies/${company.id}/persons/2`, { firstName: 'Second' });
      const delivered = await waiting;
      const settled = await admin('POST', `/companies/${company.id}/settle-deliveries?wait=10000`);
      const log = (await (await admin('GET', `/companies/${company.id}/webhook-deliveries`)).json()) as Json[];
      const removed = await admin('DELETE', `/companies/${company.id}/webhooks/${webhook.id}`);

      expect(created.status).toBe(201);
      expect(webhook).toMatchObject({ authType: 'TOKEN', status: 'ENABLED', enabledEvents: ['person.updated'] });
      expect(nothingYet.status).toBe(408);
      expect(delivered).toMatchObject({ webhookId: webhook.id, eventName: 'person.updated', outcome: 'delivered' });
      expect(await settled.json()).toEqual({ settled: true });
      expect(log).toEqual([delivered]);
      expect(await removed.json()).toEqual({ deleted: true });
      expect(receiver.received.map((r) => r.headers.authorization)).toEqual([TOKEN]);
    });

    it('waits for a delivery that happened before the wait began, and for one after a given sequence', async () => {
      const company = newCompany();
      subscribe(company.id);
      sim.updatePerson(company.id, '1', { firstName: 'A' });
      const first = await sim.whenDelivered({ companyId: company.id, resourceId: '1' });

      const again = await sim.whenDelivered({ companyId: company.id, resourceId: '1' });
      const later = sim.whenDelivered({ companyId: company.id, resourceId: '1', afterSequence: first.sequence });
      sim.updatePerson(company.id, '1', { firstName: 'B' });

      expect(again).toEqual(first);
      expect((await later).sequence).toBeGreaterThan(first.sequence);
    });
  });
});
