import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { PersonioCredentials } from '../../src/integrations/personio/client/personio-api.types';
import { PersonioClientConfig } from '../../src/integrations/personio/client/personio-client.config';
import { PersonioError, PersonioErrorKind } from '../../src/integrations/personio/client/personio-error';
import { PersonioHttpClient } from '../../src/integrations/personio/client/personio-http.client';
import { PERSONIO_WEBHOOK_EVENTS } from '../../src/integrations/personio/client/personio-webhook-events';
import { PersonioSimulator, SIM_WEBHOOK_EVENTS, SimCompanySummary } from '../../src/personio-simulator';
import { WebhookReceiver } from '../support/webhook-receiver';
import { credentialsOf, dayAbsence, fastClientConfig, person } from './personio-contract.support';

const WEBHOOKS = '/v2/webhooks';
const WEBHOOK = '/v2/webhooks/{id}';
const PERIODS = '/v2/absence-periods';
const HOOK_TOKEN = 'whk_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';

describe('PersonioHttpClient webhooks and listing by ids, against the Personio simulator', () => {
  const sim = new PersonioSimulator();
  const receiver = new WebhookReceiver();
  let baseUrl: string;
  let company: SimCompanySummary;
  let credentials: PersonioCredentials;
  let companySequence = 0;
  const clients: PersonioHttpClient[] = [];

  function newClient(overrides: Partial<PersonioClientConfig> = {}): PersonioHttpClient {
    const client = PersonioHttpClient.create(fastClientConfig(baseUrl, overrides));
    clients.push(client);
    return client;
  }

  function subscription(url = receiver.url()) {
    return { url, description: 'awork absence sync', enabledEvents: PERSONIO_WEBHOOK_EVENTS, token: HOOK_TOKEN };
  }

  function newCompany(scopes?: string[]): SimCompanySummary {
    const id = `client-hooks-${++companySequence}`;
    return sim.createCompany({
      id,
      credentials: scopes ? { clientId: `${id}-client`, clientSecret: `${id}-secret`, scopes } : undefined,
      persons: [person(1)],
      absenceTypes: [{ id: 'type-vacation', name: 'Paid vacation', category: 'PAID_VACATION', unit: 'DAY' }],
    });
  }

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
    receiver.reset();
    company = newCompany();
    credentials = credentialsOf(company);
    sim.resetStats();
  });

  afterEach(async () => {
    clients.splice(0).forEach((client) => client.close());
    await sim.settleDeliveries();
  });

  it('exports the seven events of PRODUCT §7, all of which the simulator can send', () => {
    expect(PERSONIO_WEBHOOK_EVENTS).toEqual([
      'absence-period.created',
      'absence-period.updated.timerange',
      'absence-period.updated.status',
      'absence-period.deleted',
      'person.created',
      'person.updated',
      'person.deleted',
    ]);
    expect([...SIM_WEBHOOK_EVENTS]).toEqual([...PERSONIO_WEBHOOK_EVENTS]);
  });

  describe('createWebhook, getWebhook, deleteWebhook', () => {
    it('round-trips a subscription: created ENABLED with a TOKEN, read back, deleted, then gone', async () => {
      const client = newClient();

      const { id } = await client.createWebhook(credentials, subscription());
      const stored = sim.getWebhook(company.id, id);
      const read = await client.getWebhook(credentials, id);
      const deleted = await client.deleteWebhook(credentials, id);
      const afterDelete = await client.getWebhook(credentials, id);
      const deletedAgain = await client.deleteWebhook(credentials, id);

      // The simulator defaults to DISABLED like Personio, so ENABLED proves the client sent it.
      expect(stored).toMatchObject({
        url: receiver.url(),
        description: 'awork absence sync',
        enabledEvents: [...PERSONIO_WEBHOOK_EVENTS],
        status: 'ENABLED',
        authType: 'TOKEN',
        token: HOOK_TOKEN,
      });
      expect(read).toEqual({
        id,
        url: receiver.url(),
        description: 'awork absence sync',
        enabledEvents: [...PERSONIO_WEBHOOK_EVENTS],
        status: 'ENABLED',
        authType: 'TOKEN',
      });
      expect(deleted).toBe(true);
      expect(afterDelete).toBeNull();
      expect(deletedAgain).toBe(false);
      expect(sim.listWebhooks(company.id)).toEqual([]);
      // A 404 is an answer on a single item: asked once each, never retried.
      expect(sim.requestCount(WEBHOOK, company.id)).toBe(4);
    });

    it('creates a subscription that Personio then delivers to, with the token verbatim', async () => {
      const { id } = await newClient().createWebhook(credentials, subscription(receiver.url('/hooks/ws-1')));

      sim.upsertAbsencePeriod(company.id, dayAbsence('new-1', '1', '2026-07-01', '2026-07-02'));
      const delivery = await sim.whenDelivered({ companyId: company.id, resourceId: 'new-1' });

      expect(delivery).toMatchObject({ webhookId: id, eventName: 'absence-period.created' });
      expect(receiver.received.map((r) => [r.path, r.headers.authorization])).toEqual([['/hooks/ws-1', HOOK_TOKEN]]);
    });

    it('answers null and false for an id Personio does not know', async () => {
      const client = newClient();

      expect(await client.getWebhook(credentials, 'no-such-hook')).toBeNull();
      expect(await client.deleteWebhook(credentials, 'no-such-hook')).toBe(false);
    });

    it.each([
      [401, 'a missing scope on the credential', () => newCompany(['personio:persons:read', 'personio:absences:read'])],
      [401, 'the missing-scope fault as 401', () => withFault(401)],
      [403, 'the missing-scope fault as 403', () => withFault(403)],
    ])('maps %i (%s) to insufficient permissions naming personio:webhooks:write', async (status, _case, setUp) => {
      const limited = credentialsOf(setUp());
      const client = newClient();
      const expected = {
        kind: PersonioErrorKind.InsufficientPermissions,
        status,
        message: expect.stringContaining('personio:webhooks:write'),
      };

      await expect(client.createWebhook(limited, subscription())).rejects.toMatchObject(expected);
      await expect(client.getWebhook(limited, 'any')).rejects.toMatchObject(expected);
      await expect(client.deleteWebhook(limited, 'any')).rejects.toMatchObject(expected);
    });

    function withFault(status: 401 | 403): SimCompanySummary {
      const faulty = newCompany();
      sim.withoutWebhooksScope(status, faulty.id);
      return faulty;
    }

    it('does not retry a create that failed with a 5xx (it may have been created) and calls it temporary', async () => {
      sim.failPage({ endpoint: WEBHOOKS, status: 503 }, company.id);

      const failure = newClient().createWebhook(credentials, subscription());

      await expect(failure).rejects.toMatchObject({ kind: PersonioErrorKind.Temporary, status: 503 });
      expect(sim.requestCount(WEBHOOKS, company.id)).toBe(1);
    });

    it('retries a create refused with 429, which proves nothing was created', async () => {
      sim.failPage({ endpoint: WEBHOOKS, status: 429, retryAfter: '0', times: 1 }, company.id);

      const { id } = await newClient().createWebhook(credentials, subscription());

      expect(sim.getWebhook(company.id, id)).toMatchObject({ status: 'ENABLED' });
      expect(sim.requestCount(WEBHOOKS, company.id)).toBe(2);
    });

    it('calls a timed-out create temporary, without retrying it', async () => {
      sim.stall({ endpoint: WEBHOOKS, ms: 1_000, times: 1 }, company.id);

      await expect(
        newClient({ requestTimeoutMs: 100 }).createWebhook(credentials, subscription()),
      ).rejects.toMatchObject({ kind: PersonioErrorKind.Temporary, message: expect.stringContaining('timed out') });
      expect(sim.requestCount(WEBHOOKS, company.id)).toBe(1);
    });

    it('retries reads and deletes on a 5xx, then throws temporary (never null or false)', async () => {
      const client = newClient();
      const { id } = await client.createWebhook(credentials, subscription());
      sim.failPage({ endpoint: WEBHOOK, status: 502, times: 1 }, company.id);
      expect(await client.getWebhook(credentials, id)).toMatchObject({ id });

      sim.failPage({ endpoint: WEBHOOK, status: 500 }, company.id);
      await expect(client.getWebhook(credentials, id)).rejects.toMatchObject({ kind: PersonioErrorKind.Temporary });
      await expect(client.deleteWebhook(credentials, id)).rejects.toMatchObject({ kind: PersonioErrorKind.Temporary });
      expect(sim.getWebhook(company.id, id)).toBeDefined();
    });

    describe('against a server that answers with odd shapes', () => {
      const hook = { id: 'h-1', url: 'https://example.test/h', enabled_events: ['person.updated'], status: 'ENABLED' };

      async function against<T>(
        answer: (req: IncomingMessage, res: ServerResponse) => void,
        run: (client: PersonioHttpClient) => Promise<T>,
      ): Promise<T> {
        const server = createServer((req, res) => {
          if (req.url === '/v2/auth/token')
            return res
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ access_token: 'papi-x', expires_in: 3600 }));
          answer(req, res);
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        try {
          const { port } = server.address() as AddressInfo;
          return await run(newClient({ baseUrl: `http://127.0.0.1:${port}` }));
        } finally {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      }
      const json = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

      it.each([
        ['bare', hook],
        ['wrapped in _data', { _data: hook }],
        ['as a one-item _data list', { _data: [hook] }],
      ])('reads a webhook, and the id of a created one, sent %s', async (_shape, body) => {
        expect(await against(json(200, body), (client) => client.getWebhook(credentials, 'h-1'))).toMatchObject({
          id: 'h-1',
          enabledEvents: ['person.updated'],
          description: null,
          authType: null,
        });
        expect(await against(json(201, body), (client) => client.createWebhook(credentials, subscription()))).toEqual({
          id: 'h-1',
        });
      });

      it('throws on a 404 that names no missing resource: the caller would recreate the subscription on null', async () => {
        await expect(
          against(
            (_req, res) => res.writeHead(404).end(),
            (client) => client.getWebhook(credentials, 'h-1'),
          ),
        ).rejects.toMatchObject({ kind: PersonioErrorKind.Temporary, status: 404 });
      });

      it.each([
        ['another webhook', { ...hook, id: 'h-2' }],
        ['an empty list', { _data: [] }],
        ['no id', { url: 'https://example.test/h' }],
      ])('throws on %s instead of an answer', async (_case, body) => {
        await expect(
          against(json(200, body), (client) => client.getWebhook(credentials, 'h-1')),
        ).rejects.toBeInstanceOf(PersonioError);
      });

      it('never puts the subscription token in an error message, even when Personio echoes it', async () => {
        const echo = (req: IncomingMessage, res: ServerResponse) => {
          let body = '';
          req.on('data', (chunk: Buffer) => (body += chunk.toString()));
          req.on('end', () => {
            const { token } = JSON.parse(body) as { token: string };
            res
              .writeHead(400, { 'content-type': 'application/problem+json' })
              .end(JSON.stringify({ errors: [{ title: 'Invalid token', detail: `token ${token} is not allowed` }] }));
          });
        };

        const error = (await against(echo, (client) => client.createWebhook(credentials, subscription())).catch(
          (e: unknown) => e,
        )) as PersonioError;

        expect(error).toMatchObject({ kind: PersonioErrorKind.Unknown, status: 400 });
        expect(error.message).toContain('Invalid token');
        expect(error.message).not.toContain(HOOK_TOKEN);
      });

      it('throws when a created subscription comes back without an id', async () => {
        await expect(
          against(json(201, { status: 'ENABLED' }), (client) => client.createWebhook(credentials, subscription())),
        ).rejects.toMatchObject({ kind: PersonioErrorKind.Unknown });
      });
    });
  });

  describe('listAbsencePeriodsByIds', () => {
    const ids = (count: number, prefix = 'p') =>
      Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

    beforeEach(() => {
      for (const id of ids(150)) sim.upsertAbsencePeriod(company.id, dayAbsence(id, '1', '2026-06-01', '2026-06-02'));
      sim.resetStats();
    });

    it('asks for at most 100 ids a request and returns exactly the periods that exist', async () => {
      const wanted = [...ids(150), ...ids(20, 'gone'), 'p-000'];

      const periods = await newClient().listAbsencePeriodsByIds(credentials, wanted);

      expect(periods.map((p) => p.id).sort()).toEqual(ids(150));
      expect(sim.requestCount(PERIODS, company.id)).toBe(2);
    });

    it('follows every page of every chunk', async () => {
      const periods = await newClient({ pageSize: { absencePeriods: 30 } }).listAbsencePeriodsByIds(
        credentials,
        ids(150),
      );

      expect(periods).toHaveLength(150);
      // 100 ids in pages of 30 (4 requests), then 50 ids (2 requests).
      expect(sim.requestCount(PERIODS, company.id)).toBe(6);
    });

    it('asks nothing for no ids', async () => {
      expect(await newClient().listAbsencePeriodsByIds(credentials, [])).toEqual([]);
      expect(sim.stats.total).toBe(0);
    });

    it('throws when the second chunk fails, never returning the first chunk alone', async () => {
      // Pages of 60: the first chunk takes pages 1 and 2, the second chunk one page 1 of its own.
      sim.hold({ endpoint: PERIODS, page: 2, times: 1 }, company.id);
      const listing = newClient({ pageSize: { absencePeriods: 60 } }).listAbsencePeriodsByIds(credentials, ids(150));
      listing.catch(() => undefined);
      // Once the first chunk's page 2 is on the wire, its page 1 is done: from now on every page 1 fails.
      const lastPageOfFirstChunk = await sim.whenHeld(company.id, { endpoint: PERIODS, page: 2 });
      sim.failPage({ endpoint: PERIODS, page: 1, status: 500 }, company.id);
      sim.releaseHeld(company.id, lastPageOfFirstChunk.id);

      await expect(listing).rejects.toMatchObject({ kind: PersonioErrorKind.IncompleteListing, status: 500 });
      // Two pages of the first chunk, then three attempts at the second chunk's first page.
      expect(sim.requestCount(PERIODS, company.id)).toBe(2 + 3);
    });

    it('names personio:absences:read when the credential may not read absences', async () => {
      const limited = newCompany(['personio:persons:read']);

      await expect(newClient().listAbsencePeriodsByIds(credentialsOf(limited), ['p-000'])).rejects.toMatchObject({
        kind: PersonioErrorKind.InsufficientPermissions,
        message: expect.stringContaining('personio:absences:read'),
      });
    });
  });
});
