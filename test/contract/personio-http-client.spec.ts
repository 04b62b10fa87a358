import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { PersonioCredentials } from '../../src/integrations/personio/client/personio-api.types';
import { PersonioClientConfig } from '../../src/integrations/personio/client/personio-client.config';
import { PersonioError, PersonioErrorKind } from '../../src/integrations/personio/client/personio-error';
import { PersonioHttpClient } from '../../src/integrations/personio/client/personio-http.client';
import { PersonioSimulator, SimCompanySummary } from '../../src/personio-simulator';
import { collectPages, credentialsOf, dayAbsence, fastClientConfig, person } from './personio-contract.support';

const PERSONS = '/v2/persons';
const PERIODS = '/v2/absence-periods';
const TOKEN = '/v2/auth/token';
const RANGE = { start: '2026-06-01', end: '2026-06-30' };

describe('PersonioHttpClient against the Personio simulator', () => {
  const sim = new PersonioSimulator();
  let baseUrl: string;
  let company: SimCompanySummary;
  let credentials: PersonioCredentials;
  const clients: PersonioHttpClient[] = [];

  function newClient(overrides: Partial<PersonioClientConfig> = {}): PersonioHttpClient {
    const client = PersonioHttpClient.create(
      fastClientConfig(baseUrl, { pageSize: { persons: 3, absencePeriods: 2 }, ...overrides }),
    );
    clients.push(client);
    return client;
  }

  async function consume<T>(pages: AsyncIterable<T[]>): Promise<{ items: T[]; completed: boolean; error: unknown }> {
    const items: T[] = [];
    try {
      for await (const page of pages) items.push(...page);
      return { items, completed: true, error: undefined };
    } catch (error) {
      return { items, completed: false, error };
    }
  }

  beforeAll(async () => {
    ({ baseUrl } = await sim.start());
  });

  afterAll(async () => {
    await sim.stop();
  });

  let companySequence = 0;
  beforeEach(() => {
    sim.clearFaults();
    company = sim.createCompany({
      id: `acme-${++companySequence}`,
      persons: [1001, 1002, 1003, 1004, 1005, 1006, 1007].map((id) => person(id)),
      absenceTypes: [{ id: 'type-vacation', name: 'Paid vacation', category: 'PAID_VACATION', unit: 'DAY' }],
      absencePeriods: [
        dayAbsence('a-1', '1001', '2026-06-02', '2026-06-03'),
        dayAbsence('a-2', '1002', '2026-05-28', '2026-06-04'),
        dayAbsence('a-3', '1003', '2026-06-29', '2026-07-03'),
        dayAbsence('a-4', '1004', '2026-03-01', null),
        dayAbsence('a-5', '1005', '2026-06-10', '2026-06-11'),
        dayAbsence('a-6', '1006', '2026-08-01', '2026-08-05'),
      ],
    });
    credentials = credentialsOf(company);
    sim.resetStats();
  });

  afterEach(() => {
    clients.splice(0).forEach((client) => client.close());
  });

  it('streams three pages of persons with exactly the stored items, in order', async () => {
    const pages = await collectPages(newClient().listPersons(credentials));

    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((p) => p.id)).toEqual(['1001', '1002', '1003', '1004', '1005', '1006', '1007']);
    expect(pages[0][0]).toEqual({
      id: '1001',
      email: 'person1001@example.com',
      firstName: 'First1001',
      lastName: 'Last1001',
      preferredName: null,
      status: 'ACTIVE',
    });
  });

  it('lists the absence periods overlapping the range over three pages, open-ended included', async () => {
    const pages = await collectPages(newClient().listAbsencePeriods(credentials, RANGE));

    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((p) => p.id)).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5']);
    expect(pages.flat().find((p) => p.id === 'a-4')).toMatchObject({ endsAt: null });
  });

  describe('getAbsencePeriod', () => {
    it('reads one period by id, and null when Personio answers 404 (deleted)', async () => {
      const client = newClient();
      expect(await client.getAbsencePeriod(credentials, 'a-4')).toMatchObject({
        id: 'a-4',
        personId: '1004',
        endsAt: null,
      });
      sim.deleteAbsencePeriod(company.id, 'a-4');
      expect(await client.getAbsencePeriod(credentials, 'a-4')).toBeNull();
      // A 404 is an answer here: asked once, never retried.
      expect(sim.requestCount('/v2/absence-periods/{id}', company.id)).toBe(2);
    });

    it('throws a PersonioError on a failed fetch (never a null that would delete)', async () => {
      sim.failPage({ endpoint: '/v2/absence-periods/{id}', status: 500 }, company.id);
      await expect(newClient().getAbsencePeriod(credentials, 'a-4')).rejects.toBeInstanceOf(PersonioError);
    });

    const item = {
      id: 'w-1',
      person: { id: '7' },
      starts_from: { date_time: '2026-06-01T00:00:00Z' },
      ends_at: null,
      approval: { status: 'APPROVED' },
    };
    /** The client against a one-route server that answers the by-id request with `body`. */
    async function getFrom(body: unknown) {
      const server = createServer((req, res) => {
        const answer = req.url === TOKEN ? { access_token: 'papi-x', expires_in: 3600 } : body;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        return await newClient({ baseUrl: `http://127.0.0.1:${port}` }).getAbsencePeriod(credentials, 'w-1');
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }

    it.each([
      ['bare', item],
      ['wrapped in _data', { _data: item }],
      ['as a one-item _data list', { _data: [item] }],
    ])('accepts the item %s', async (_shape, body) => {
      expect(await getFrom(body)).toMatchObject({
        id: 'w-1',
        personId: '7',
        endsAt: null,
        startsFrom: { type: 'FIRST_HALF' },
      });
    });

    // The sync deletes on what this returns: an answer that is not the period asked for must fail.
    it.each([
      ['an empty _data list', { _data: [] }],
      ['two items', { _data: [item, { ...item, id: 'w-2' }] }],
      ['another period', { ...item, id: 'w-2' }],
      ['an item without id', { _data: { ...item, id: undefined } }],
    ])('throws a PersonioError, never a result, for %s', async (_shape, body) => {
      await expect(getFrom(body)).rejects.toBeInstanceOf(PersonioError);
    });
  });

  it.each([
    ['relative', true],
    ['absolute', false],
  ])('follows %s next links to the last page', async (_name, relative) => {
    sim.useRelativeNextLinks(relative, company.id);

    const pages = await collectPages(newClient().listPersons(credentials));

    expect(pages.flat()).toHaveLength(7);
    expect(sim.requestCount(PERSONS)).toBe(3);
  });

  it('honours Retry-After on a 429 before retrying', async () => {
    sim.failPage({ endpoint: PERSONS, page: 2, status: 429, times: 1, retryAfter: '1' }, company.id);
    const startedAt = Date.now();

    const pages = await collectPages(newClient().listPersons(credentials));

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
    expect(pages.flat()).toHaveLength(7);
    expect(sim.requestCount(PERSONS)).toBe(4);
  });

  it('accepts fractional Retry-After seconds', async () => {
    sim.failPage({ endpoint: PERSONS, page: 1, status: 429, times: 1, retryAfter: '0.25' }, company.id);
    const startedAt = Date.now();

    await collectPages(newClient().listPersons(credentials));

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
  });

  it('waits at least 1 s before retrying a 429 without Retry-After, however small the configured backoff', async () => {
    // Before the 1 s floor this test used a 50/s bucket and 7 one-item pages; with the floor every
    // 429 costs a second, so it now uses 3 pages and checks the wait itself.
    sim.rateLimit({ capacity: 1, refillPerSecond: 5, endpoint: PERSONS }, company.id);
    const retries: number[] = [];
    const client = PersonioHttpClient.create(
      fastClientConfig(baseUrl, {
        pageSize: { persons: 3 },
        retry: { maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 80, maxTotalMs: 5_000 },
        // The retry policy alone: the request budget would pace the client below the bucket and avoid the 429s.
        budget: false,
      }),
      {
        log: () => undefined,
        warn: () => undefined,
        error: () => undefined,
        debug: (message: unknown) => {
          const waited = /HTTP 429\), retrying in (\d+) ms/.exec(String(message));
          if (waited) retries.push(Number(waited[1]));
        },
      },
    );
    clients.push(client);
    const startedAt = Date.now();

    const pages = await collectPages(client.listPersons(credentials));

    expect(pages.flat().map((p) => p.id)).toHaveLength(7);
    const refused = sim.requestCount(PERSONS) - 3;
    expect(refused).toBeGreaterThan(0);
    expect(retries).toHaveLength(refused);
    expect(retries.every((ms) => ms >= 1000)).toBe(true);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000 * refused);
  });

  it('identifies itself on every request: X-Personio-App-ID always, X-Personio-Partner-ID when configured', async () => {
    await newClient().verifyCredentials(credentials);
    const defaults = sim.stats;
    sim.resetStats();
    const configured = newClient({ appId: 'contract-app', partnerId: 'partner-7' });
    await configured.verifyCredentials(credentials);
    await collectPages(configured.listAbsenceTypes(credentials));

    expect(defaults.byAppId).toEqual({ 'awork-absence-sync': { [TOKEN]: 1, [PERSONS]: 1, [PERIODS]: 1 } });
    expect(defaults.byPartnerId).toEqual({ '(none)': { [TOKEN]: 1, [PERSONS]: 1, [PERIODS]: 1 } });
    const all = { [TOKEN]: 1, [PERSONS]: 1, [PERIODS]: 1, '/v2/absence-types': 1 };
    expect(sim.stats.byAppId).toEqual({ 'contract-app': all });
    expect(sim.stats.byPartnerId).toEqual({ 'partner-7': all });
  });

  it('renews once when Personio considers the cached token expired before our clock does', async () => {
    const client = newClient();
    await client.verifyCredentials(credentials);
    // A token that Personio considers expired before our cached lifetime says so.
    sim.ageTokens(86_400, company.id);

    const pages = await collectPages(client.listPersons(credentials));

    expect(pages.flat()).toHaveLength(7);
    expect(sim.requestCount(TOKEN, company.id)).toBe(2);
    // verify's one page, the refused page, then the three pages.
    expect(sim.requestCount(PERSONS)).toBe(1 + 1 + 3);
  });

  it('recovers from a 500 on page 2 by retrying that page', async () => {
    sim.failPage({ endpoint: PERSONS, page: 2, status: 500, times: 2 }, company.id);

    const pages = await collectPages(newClient().listPersons(credentials));

    expect(pages.flat().map((p) => p.id)).toEqual(['1001', '1002', '1003', '1004', '1005', '1006', '1007']);
    expect(sim.requestCount(PERSONS)).toBe(5);
  });

  it('fails a listing with a persistent 500 on page 2 as incomplete, never as a complete short list', async () => {
    sim.failPage({ endpoint: PERSONS, page: 2, status: 500 }, company.id);

    const result = await consume(newClient().listPersons(credentials));

    expect(result.completed).toBe(false);
    expect(result.items.map((p) => p.id)).toEqual(['1001', '1002', '1003']);
    expect(result.error).toBeInstanceOf(PersonioError);
    expect(result.error).toMatchObject({ kind: PersonioErrorKind.IncompleteListing, status: 500 });
    expect((result.error as Error).message).toBe('listing /v2/persons stopped at page 2: HTTP 500 after 3 attempts');
    expect(sim.requestCount(PERSONS)).toBe(1 + 3);
  });

  it.each([404, 502])('treats a persistent %i on a list as a failed fetch, never as an empty list', async (status) => {
    sim.failPage({ endpoint: PERIODS, status }, company.id);

    const result = await consume(newClient().listAbsencePeriods(credentials, RANGE));

    expect(result.completed).toBe(false);
    expect(result.items).toEqual([]);
    expect(result.error).toMatchObject({
      kind: PersonioErrorKind.IncompleteListing,
      status,
      message: expect.stringContaining(`listing /v2/absence-periods stopped at page 1: HTTP ${status}`),
    });
  });

  it('recovers from a connection reset on page 2', async () => {
    sim.resetConnection({ endpoint: PERSONS, page: 2, times: 1 }, company.id);

    const pages = await collectPages(newClient().listPersons(credentials));

    expect(pages.flat()).toHaveLength(7);
    expect(sim.requestCount(PERSONS)).toBe(4);
  });

  it('fails with a temporary error when every attempt of a page is reset', async () => {
    sim.resetConnection({ endpoint: PERSONS, page: 2 }, company.id);

    const result = await consume(newClient().listPersons(credentials));

    expect(result.completed).toBe(false);
    expect(result.error).toMatchObject({
      kind: PersonioErrorKind.Temporary,
      message: expect.stringMatching(
        /^listing \/v2\/persons stopped at page 2: connection failed \(ECONNRESET\) after 3 attempts$/,
      ),
    });
  });

  it('reports a wrong secret as rejected credentials after exactly one token request', async () => {
    const result = await consume(
      newClient().listPersons({ clientId: credentials.clientId, clientSecret: 'not-the-secret' }),
    );

    expect(result.error).toMatchObject({ kind: PersonioErrorKind.CredentialsRejected });
    expect(sim.requestCount(TOKEN)).toBe(1);
    expect(sim.requestCount(PERSONS)).toBe(0);
  });

  it('reports credentials Personio refuses (invalid_client) without retrying', async () => {
    sim.rejectCredentials(true, company.id);

    await expect(newClient().verifyCredentials(credentials)).rejects.toMatchObject({
      kind: PersonioErrorKind.CredentialsRejected,
      message: expect.stringContaining('invalid_client'),
    });
    expect(sim.requestCount(TOKEN)).toBe(1);
  });

  it('fetches one token for a multi-page listing and reuses it across listings', async () => {
    const client = newClient();

    await collectPages(client.listPersons(credentials));
    await collectPages(client.listAbsencePeriods(credentials, RANGE));
    await collectPages(client.listAbsenceTypes(credentials));

    expect(sim.requestCount(PERSONS)).toBe(3);
    expect(sim.requestCount(PERIODS)).toBe(3);
    expect(sim.requestCount(TOKEN)).toBe(1);
  });

  it('shares one in-flight token request between concurrent listings of the same credential', async () => {
    sim.setLatency(30, company.id);
    const client = newClient();

    const listings = await Promise.all(Array.from({ length: 5 }, () => collectPages(client.listPersons(credentials))));

    expect(listings.map((pages) => pages.flat().length)).toEqual([7, 7, 7, 7, 7]);
    expect(sim.requestCount(TOKEN)).toBe(1);
  });

  it('keeps tokens apart per company credential', async () => {
    const other = sim.createCompany({ id: `other-${companySequence}`, persons: [person(9001)] });
    const client = newClient();

    const [mine, theirs] = await Promise.all([
      collectPages(client.listPersons(credentials)),
      collectPages(client.listPersons(credentialsOf(other))),
    ]);

    expect(mine.flat()).toHaveLength(7);
    expect(theirs.flat().map((p) => p.id)).toEqual(['9001']);
    expect(sim.requestCount(TOKEN)).toBe(2);
  });

  it('renews the token once when a resource answers 401, even in the middle of a listing', async () => {
    const client = newClient();
    await collectPages(client.listPersons(credentials));
    sim.revokeTokens(company.id);

    const seen: string[] = [];
    for await (const page of client.listPersons(credentials)) {
      seen.push(...page.map((p) => p.id));
      if (seen.length === 3) sim.revokeTokens(company.id);
    }

    expect(seen).toHaveLength(7);
    expect(sim.requestCount(TOKEN)).toBe(3);
  });

  it('names the missing scope when a valid token is refused (401 after one renewal)', async () => {
    const limited = sim.createCompany({
      id: `persons-only-${companySequence}`,
      credentials: {
        clientId: `persons-only-${companySequence}`,
        clientSecret: 's3cr3t-persons-only',
        scopes: ['personio:persons:read'],
      },
    });
    const client = newClient();

    const result = await consume(client.listAbsencePeriods(credentialsOf(limited), RANGE));
    await expect(client.verifyCredentials(credentialsOf(limited))).rejects.toMatchObject({
      kind: PersonioErrorKind.InsufficientPermissions,
      message: expect.stringContaining('personio:absences:read'),
    });

    expect(result.error).toMatchObject({
      kind: PersonioErrorKind.InsufficientPermissions,
      status: 401,
      message: expect.stringContaining('personio:absences:read'),
    });
    expect(sim.requestCount(TOKEN, limited.id)).toBe(3);
  });

  it('verifies credentials with one token and one single-item page of persons and of absence periods', async () => {
    await newClient().verifyCredentials(credentials);

    expect(sim.stats.byEndpoint).toEqual({ [TOKEN]: 1, [PERSONS]: 1, [PERIODS]: 1 });
  });

  it('names personio:persons:read when verifying a credential that may only read absences', async () => {
    const limited = sim.createCompany({
      id: `absences-only-${companySequence}`,
      credentials: {
        clientId: `absences-only-${companySequence}`,
        clientSecret: 's3cr3t-abs',
        scopes: ['personio:absences:read'],
      },
    });

    await expect(newClient().verifyCredentials(credentialsOf(limited))).rejects.toMatchObject({
      kind: PersonioErrorKind.InsufficientPermissions,
      message: expect.stringContaining('personio:persons:read'),
    });
  });

  it('retries a stalled response after the request timeout', async () => {
    sim.stall({ endpoint: PERSONS, page: 1, ms: 1_000, times: 1 }, company.id);

    const pages = await collectPages(newClient({ requestTimeoutMs: 150 }).listPersons(credentials));

    expect(pages.flat()).toHaveLength(7);
    expect(sim.requestCount(PERSONS)).toBe(4);
  });

  it('gives up on a response that stalls every time with a temporary timeout error', async () => {
    sim.stall({ endpoint: PERSONS, page: 2, ms: 1_000 }, company.id);

    const result = await consume(newClient({ requestTimeoutMs: 150 }).listPersons(credentials));

    expect(result.completed).toBe(false);
    expect(result.error).toMatchObject({
      kind: PersonioErrorKind.Temporary,
      message: expect.stringContaining('listing /v2/persons stopped at page 2: timed out'),
    });
  });

  it('reports a token endpoint that keeps failing as temporary after its retries', async () => {
    sim.failPage({ endpoint: TOKEN, status: 503 }, company.id);

    await expect(newClient().verifyCredentials(credentials)).rejects.toMatchObject({
      kind: PersonioErrorKind.Temporary,
      status: 503,
    });
    expect(sim.requestCount(TOKEN)).toBe(3);
  });

  it('reports an unreachable Personio as temporary', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await newClient({ baseUrl: `http://127.0.0.1:${port}` })
      .verifyCredentials(credentials)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      kind: PersonioErrorKind.Temporary,
      message: expect.stringContaining('Personio is unreachable (ECONNREFUSED)'),
    });
  });

  it('stops at maxTotalMs even when attempts remain', async () => {
    sim.failPage({ endpoint: PERSONS, page: 1, status: 429, retryAfter: '2' }, company.id);
    const startedAt = Date.now();

    const result = await consume(newClient({ retry: { maxAttempts: 10, maxTotalMs: 500 } }).listPersons(credentials));

    expect(result.error).toMatchObject({ kind: PersonioErrorKind.Temporary, status: 429 });
    expect(Date.now() - startedAt).toBeLessThan(500);
    expect(sim.requestCount(PERSONS)).toBe(1);
  });
});
