import { PersonioSimulator, SimAbsencePeriod } from '../../src/personio-simulator';
import { Json } from '../support/json';
import { dayAbsence, person } from './personio-contract.support';

describe('Personio simulator', () => {
  const sim = new PersonioSimulator();
  let baseUrl: string;
  let companySequence = 0;

  beforeAll(async () => {
    ({ baseUrl } = await sim.start());
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(() => {
    sim.clearFaults();
    sim.resetStats();
  });

  function newCompany(input: Parameters<PersonioSimulator['createCompany']>[0] = {}) {
    const id = `sim-${++companySequence}`;
    return sim.createCompany({
      id,
      credentials: {
        clientId: `${id}-client`,
        clientSecret: `${id}-secret`,
        scopes: ['personio:persons:read', 'personio:absences:read'],
      },
      ...input,
    });
  }

  async function tokenFor(clientId: string, clientSecret: string): Promise<string> {
    const response = await postForm('/v2/auth/token', {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as Json).access_token;
  }

  function postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async function get(token: string, pathAndQuery: string): Promise<{ status: number; body: Json; headers: Headers }> {
    const response = await fetch(new URL(pathAndQuery, baseUrl), { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
  }

  async function listAll(token: string, pathAndQuery: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let next: string | undefined = pathAndQuery;
    let pages = 0;
    while (next) {
      const { status, body } = await get(token, next);
      expect(status).toBe(200);
      ids.push(...body._data.map((item: Json) => item.id));
      next = body._meta.links.next?.href;
      pages += 1;
    }
    return { ids, pages };
  }

  describe('token endpoint', () => {
    it('issues a 24 h papi- token for form-encoded client credentials', async () => {
      const company = newCompany();
      const response = await postForm('/v2/auth/token', {
        grant_type: 'client_credentials',
        client_id: `${company.id}-client`,
        client_secret: `${company.id}-secret`,
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        access_token: expect.stringMatching(/^papi-/),
        token_type: 'Bearer',
        expires_in: 86400,
        scope: 'personio:persons:read personio:absences:read',
      });
    });

    it('answers a JSON body with 400 invalid_request as problem+json', async () => {
      const response = await fetch(`${baseUrl}/v2/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        error: 'invalid_request',
        error_description: expect.any(String),
        trace_id: expect.any(String),
      });
    });

    it('lists missing parameters', async () => {
      const response = await postForm('/v2/auth/token', { grant_type: 'client_credentials', client_id: 'x' });

      expect(await response.json()).toMatchObject({
        error: 'invalid_request',
        meta: { missing_parameters: ['client_secret'] },
      });
    });

    it.each([
      ['unknown client', 'nobody', 'whatever', 'invalid_client'],
      ['wrong secret', 'KNOWN', 'wrong', 'unauthorized_client'],
    ])('rejects an %s with 400 %s', async (_case, clientId, secret, error) => {
      const company = newCompany();
      const response = await postForm('/v2/auth/token', {
        grant_type: 'client_credentials',
        client_id: clientId === 'KNOWN' ? `${company.id}-client` : clientId,
        client_secret: secret,
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error });
    });

    it('returns the same token with its remaining lifetime while it lives, and a new one once it expired', async () => {
      let now = Date.parse('2026-06-01T08:00:00Z');
      const clocked = new PersonioSimulator(() => now);
      const { baseUrl: clockedUrl } = await clocked.start();
      try {
        clocked.createCompany({
          id: 'stable',
          credentials: { clientId: 'stable-client', clientSecret: 'stable-secret' },
        });
        const ask = async () => {
          const response = await fetch(`${clockedUrl}/v2/auth/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'grant_type=client_credentials&client_id=stable-client&client_secret=stable-secret',
          });
          return (await response.json()) as Json;
        };

        const first = await ask();
        now += 23 * 3_600_000 + 59 * 60_000 + 30_000;
        const again = await ask();
        now += 30_000;
        const renewed = await ask();

        expect(first.expires_in).toBe(86_400);
        expect(again).toMatchObject({ access_token: first.access_token, expires_in: 30 });
        expect(renewed.access_token).not.toBe(first.access_token);
        expect(renewed.expires_in).toBe(86_400);
      } finally {
        await clocked.stop();
      }
    });

    it('ages a company’s tokens through /_admin, so a simulator in another process can expire them', async () => {
      const company = newCompany({ persons: [person(1)] });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);

      const aged = await fetch(`${baseUrl}/_admin/companies/${company.id}/age-tokens`, {
        method: 'POST',
        body: JSON.stringify({ seconds: 86_400 - 10 }),
      });
      const remaining = await postForm('/v2/auth/token', {
        grant_type: 'client_credentials',
        client_id: `${company.id}-client`,
        client_secret: `${company.id}-secret`,
      });
      const expired = await fetch(`${baseUrl}/_admin/companies/${company.id}/age-tokens`, {
        method: 'POST',
        body: JSON.stringify({ seconds: 10 }),
      });

      expect(await aged.json()).toEqual({ aged: 1 });
      expect(await remaining.json()).toMatchObject({ access_token: token, expires_in: expect.any(Number) });
      expect(expired.status).toBe(200);
      expect((await get(token, '/v2/persons')).status).toBe(401);
      expect(await tokenFor(`${company.id}-client`, `${company.id}-secret`)).not.toBe(token);
    });

    it('revokes a token', async () => {
      const company = newCompany({ persons: [person(1)] });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);

      expect((await postForm('/v2/auth/revoke', { token })).status).toBe(200);
      expect((await get(token, '/v2/persons')).status).toBe(401);
    });
  });

  describe('resources', () => {
    it('answers 401 "Unauthorized Request" for a token without the scope, and for no token', async () => {
      const company = newCompany({
        credentials: { clientId: 'persons-only', clientSecret: 'secret', scopes: ['personio:persons:read'] },
      });
      const token = await tokenFor('persons-only', 'secret');

      const refused = await get(token, '/v2/absence-periods');
      const anonymous = await get('not-a-token', '/v2/persons');

      expect(refused.status).toBe(401);
      expect(refused.body.errors[0]).toMatchObject({
        title: 'Unauthorized Request',
        _meta: { path: '/v2/absence-periods' },
      });
      expect(refused.body.personio_trace_id).toEqual(expect.any(String));
      expect(anonymous.status).toBe(401);
      expect((await get(token, '/v2/persons')).status).toBe(200);
      expect(company.credentials[0].scopes).toEqual(['personio:persons:read']);
    });

    it('keeps companies apart: a token sees only its own company', async () => {
      const a = newCompany({ persons: [person(1), person(2)] });
      newCompany({ persons: [person(3)] });

      const { ids } = await listAll(await tokenFor(`${a.id}-client`, `${a.id}-secret`), '/v2/persons');

      expect(ids).toEqual(['1', '2']);
    });

    it.each([
      ['/v2/persons?limit=0', 400],
      ['/v2/persons?limit=51', 400],
      ['/v2/persons?limit=50', 200],
      ['/v2/absence-periods?limit=0', 400],
      ['/v2/absence-periods?limit=101', 400],
      ['/v2/absence-periods?limit=abc', 400],
      ['/v2/absence-periods?limit=100', 200],
      ['/v2/absence-types?limit=101', 400],
      ['/v2/absence-periods?starts_from.date_time.gte=2026-06-01T00:00:00Z', 400],
      ['/v2/absence-periods?foo=bar', 400],
      ['/v2/persons?cursor=garbage', 400],
      [`/v2/absence-periods?id=${Array.from({ length: 100 }, (_, i) => `p${i}`).join(',')}`, 200],
      [`/v2/absence-periods?id=${Array.from({ length: 101 }, (_, i) => `p${i}`).join(',')}`, 400],
    ])('GET %s → %i', async (path, status) => {
      const company = newCompany();
      const response = await get(await tokenFor(`${company.id}-client`, `${company.id}-secret`), path);

      expect(response.status).toBe(status);
      if (status === 400) expect(response.body.errors[0].title).toBe('Provided request parameters are invalid.');
    });

    it('uses default page sizes of 10 persons and 100 absence periods', async () => {
      const company = newCompany({
        generate: { seed: 7, persons: 30, absencesPerPerson: 5, window: { start: '2026-01-01', end: '2026-12-31' } },
      });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);

      expect((await get(token, '/v2/persons')).body._data).toHaveLength(10);
      expect((await get(token, '/v2/absence-periods')).body._data).toHaveLength(100);
    });

    it('covers every item exactly once across cursor pages, for persons and absence periods', async () => {
      const company = newCompany({
        generate: { seed: 11, persons: 37, absencesPerPerson: 7, window: { start: '2026-01-01', end: '2026-12-31' } },
      });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);

      const persons = await listAll(token, '/v2/persons?limit=5');
      const periods = await listAll(token, '/v2/absence-periods?limit=100');

      expect(persons.pages).toBe(8);
      expect(persons.ids).toEqual(sim.listPersons(company.id).map((p) => p.id));
      expect(new Set(periods.ids).size).toBe(37 * 7);
      expect(periods.ids.sort()).toEqual(
        sim
          .listAbsencePeriods(company.id)
          .map((p) => p.id)
          .sort(),
      );
      expect(periods.pages).toBe(3);
    });

    it('keeps the filters and limit in next links, absolute by default and relative on demand', async () => {
      const company = newCompany({ persons: [1, 2, 3, 4].map((id) => person(id)) });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);

      const absolute = (await get(token, '/v2/persons?limit=1&status=ACTIVE')).body._meta.links.next.href as string;
      sim.useRelativeNextLinks(true, company.id);
      const relative = (await get(token, '/v2/persons?limit=1&status=ACTIVE')).body._meta.links.next.href as string;

      expect(absolute.startsWith(`${baseUrl}/v2/persons?`)).toBe(true);
      expect(relative.startsWith('/v2/persons?')).toBe(true);
      expect(new URL(relative, baseUrl).searchParams.get('status')).toBe('ACTIVE');
      expect((await listAll(token, relative)).ids).toEqual(['2', '3', '4']);
    });

    it('filters persons by id list, exact e-mail and status', async () => {
      const company = newCompany({
        persons: [
          person(1),
          person(2, { status: 'INACTIVE' }),
          person(3, { email: 'Mixed.Case@Example.com' }),
          person(4, { email: undefined }),
        ],
      });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);

      expect((await listAll(token, '/v2/persons?id=1,3,99')).ids).toEqual(['1', '3']);
      expect((await listAll(token, '/v2/persons?status=INACTIVE')).ids).toEqual(['2']);
      expect((await listAll(token, '/v2/persons?email=Mixed.Case@Example.com')).ids).toEqual(['3']);
      expect((await listAll(token, '/v2/persons?email=mixed.case@example.com')).ids).toEqual([]);
      expect((await get(token, '/v2/persons?id=4')).body._data[0]).not.toHaveProperty('email');
    });

    it('filters absence periods by id, person.id and absence_type.id lists', async () => {
      const company = newCompany({
        absencePeriods: [
          dayAbsence('p-1', '10', '2026-06-01', '2026-06-02'),
          dayAbsence('p-2', '11', '2026-06-01', '2026-06-02', { absenceTypeId: 'type-sick' }),
          dayAbsence('p-3', '12', '2026-06-01', '2026-06-02'),
        ],
      });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);

      expect((await listAll(token, '/v2/absence-periods?person.id=10,12')).ids).toEqual(['p-1', 'p-3']);
      expect((await listAll(token, '/v2/absence-periods?id=p-2,p-3&person.id=11')).ids).toEqual(['p-2']);
      expect((await listAll(token, '/v2/absence-periods?absence_type.id=type-sick')).ids).toEqual(['p-2']);
    });

    describe('date filters match periods overlapping the window 2026-06-10 .. 2026-06-20', () => {
      const periods: SimAbsencePeriod[] = [
        dayAbsence('before-into', '1', '2026-06-05', '2026-06-12'),
        dayAbsence('inside-out', '1', '2026-06-18', '2026-06-25'),
        dayAbsence('encloses', '2', '2026-06-01', '2026-06-30'),
        dayAbsence('inside', '3', '2026-06-12', '2026-06-13'),
        dayAbsence('open-ended-before', '4', '2026-01-01', null),
        dayAbsence('open-ended-after', '5', '2026-07-01', null),
        dayAbsence('disjoint-before', '6', '2026-06-01', '2026-06-05'),
        dayAbsence('disjoint-after', '6', '2026-06-25', '2026-06-27'),
      ];
      const overlapping = ['before-into', 'encloses', 'inside', 'inside-out', 'open-ended-before'];

      it.each([
        [
          'starts_from.gte + ends_at.lte',
          'starts_from.date_time.gte=2026-06-10T00:00:00&ends_at.date_time.lte=2026-06-20T23:59:59',
        ],
        [
          'ends_at.gte + starts_from.lte',
          'ends_at.date_time.gte=2026-06-10T00:00:00&starts_from.date_time.lte=2026-06-20T23:59:59',
        ],
      ])('with %s', async (_name, query) => {
        const company = newCompany({ absencePeriods: periods });
        const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);

        const { ids } = await listAll(token, `/v2/absence-periods?${query}`);

        expect(ids.sort()).toEqual([...overlapping].sort());
      });

      it('with a lower bound only, open-ended periods count as running forever', async () => {
        const company = newCompany({ absencePeriods: periods });
        const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);

        const { ids } = await listAll(token, '/v2/absence-periods?ends_at.date_time.gte=2026-06-28T00:00:00');

        expect(ids.sort()).toEqual(['encloses', 'open-ended-after', 'open-ended-before']);
      });
    });

    describe('open-ended periods and ends_at.date_time.gte, in both readings', () => {
      const periods: SimAbsencePeriod[] = [
        dayAbsence('closed', '1', '2026-06-05', '2026-06-12'),
        dayAbsence('open-before', '2', '2026-01-01', null),
        dayAbsence('open-inside', '3', '2026-06-15', null),
      ];
      const query =
        '/v2/absence-periods?ends_at.date_time.gte=2026-06-10T00:00:00&starts_from.date_time.lte=2026-06-20T23:59:59';

      it('lenient by default: null ends match the lower bound', async () => {
        const company = newCompany({ absencePeriods: periods });
        expect(company.openEndFilter).toBe('lenient');
        const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);
        expect((await listAll(token, query)).ids.sort()).toEqual(['closed', 'open-before', 'open-inside']);
      });

      it('strict, switched in process: null ends do not match ends_at.date_time.gte (other filters unchanged)', async () => {
        const company = newCompany({ absencePeriods: periods });
        expect(sim.setOpenEndFilter(company.id, 'strict').openEndFilter).toBe('strict');
        const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);
        expect((await listAll(token, query)).ids).toEqual(['closed']);
        expect(
          (await listAll(token, '/v2/absence-periods?starts_from.date_time.lte=2026-06-20T23:59:59')).ids.sort(),
        ).toEqual(['closed', 'open-before', 'open-inside']);
        sim.setOpenEndFilter(company.id, 'lenient');
        expect((await listAll(token, query)).ids).toHaveLength(3);
      });

      it('strict, switched through the HTTP admin route; a bad reading is refused', async () => {
        const company = newCompany({ absencePeriods: periods });
        const admin = (body: unknown) =>
          fetch(`${baseUrl}/_admin/companies/${company.id}/open-end-filter`, {
            method: 'PUT',
            body: JSON.stringify(body),
          });
        const switched = await admin({ reading: 'strict' });
        expect(switched.status).toBe(200);
        expect(((await switched.json()) as Json).openEndFilter).toBe('strict');
        expect((await admin({ reading: 'sometimes' })).status).toBe(400);
        const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);
        expect((await listAll(token, query)).ids).toEqual(['closed']);
      });
    });

    describe('GET /v2/absence-periods/{id}', () => {
      it('answers the item in its list shape, and 404 problem+json requested_resource_not_found when absent', async () => {
        const company = newCompany({ absencePeriods: [dayAbsence('p-1', '1', '2026-06-05', null)] });
        const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);
        const listed = (await get(token, '/v2/absence-periods')).body._data[0];

        const found = await get(token, '/v2/absence-periods/p-1');
        expect(found.status).toBe(200);
        expect(found.body).toEqual(listed);

        const missing = await get(token, '/v2/absence-periods/p-2');
        expect(missing.status).toBe(404);
        expect(missing.headers.get('content-type')).toContain('application/problem+json');
        expect(missing.body.errors[0].type).toMatch(/#common\.requested_resource_not_found$/);

        expect((await get('not-a-token', '/v2/absence-periods/p-1')).status).toBe(401);
        // The request without a valid token belongs to no company.
        expect(sim.requestCount('/v2/absence-periods/{id}', company.id)).toBe(2);
      });
    });

    it('survives data changing between two pages without repeating or losing unchanged items', async () => {
      const company = newCompany({ persons: Array.from({ length: 20 }, (_, i) => person(100 + i)) });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);

      const first = await get(token, '/v2/persons?limit=5');
      sim.deletePerson(company.id, '103');
      sim.deletePerson(company.id, '104');
      sim.deletePerson(company.id, '106');
      sim.upsertPerson(company.id, person(150));
      sim.upsertPerson(company.id, person(101, { firstName: 'Renamed' }));
      const rest = await listAll(token, first.body._meta.links.next.href);

      const ids = [...first.body._data.map((p: Json) => p.id), ...rest.ids];
      expect(new Set(ids).size).toBe(ids.length);
      expect(rest.ids).not.toContain('106');
      expect(rest.ids).toContain('150');
      expect(rest.ids).toContain('105');
    });
  });

  describe('faults and stats', () => {
    it('fails page N the given number of times, then serves it again', async () => {
      const company = newCompany({ persons: [1, 2, 3].map((id) => person(id)) });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);
      sim.failPage({ endpoint: '/v2/persons', page: 2, status: 502, times: 1 }, company.id);
      const next = (await get(token, '/v2/persons?limit=2')).body._meta.links.next.href;

      const failed = await get(token, next);
      const retried = await get(token, next);

      expect(failed.status).toBe(502);
      expect(failed.body.errors[0]._meta.path).toBe('/v2/persons');
      expect(retried.status).toBe(200);
      expect(sim.requestCount('/v2/persons', company.id)).toBe(3);
    });

    it('answers 429 from an empty token bucket, with rate limit headers and an optional Retry-After', async () => {
      const company = newCompany();
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);
      sim.rateLimit({ capacity: 2, refillPerSecond: 0.001, retryAfter: 'auto' }, company.id);

      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push(await get(token, '/v2/persons'));

      expect(statuses.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(statuses[2].headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(statuses[2].headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('counts the X-Personio-App-ID and X-Personio-Partner-ID each request carried', async () => {
      const company = newCompany({ persons: [person(1)] });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);
      await fetch(new URL('/v2/persons', baseUrl), {
        headers: { authorization: `Bearer ${token}`, 'x-personio-app-id': 'my-app', 'x-personio-partner-id': 'p-1' },
      });

      expect(sim.stats.byAppId).toEqual({ '(none)': { '/v2/auth/token': 1 }, 'my-app': { '/v2/persons': 1 } });
      expect(sim.stats.byPartnerId).toEqual({ '(none)': { '/v2/auth/token': 1 }, 'p-1': { '/v2/persons': 1 } });
    });

    it('applies global faults to every company and clears them all', async () => {
      const company = newCompany();
      sim.rejectCredentials(true);
      const rejected = await postForm('/v2/auth/token', {
        grant_type: 'client_credentials',
        client_id: `${company.id}-client`,
        client_secret: `${company.id}-secret`,
      });
      sim.clearFaults();

      expect(rejected.status).toBe(400);
      expect(await tokenFor(`${company.id}-client`, `${company.id}-secret`)).toMatch(/^papi-/);
      expect(sim.stats.byEndpoint['/v2/auth/token']).toBe(2);
      sim.resetStats();
      expect(sim.stats).toEqual({
        total: 0,
        byEndpoint: {},
        byCompany: {},
        byAppId: {},
        byPartnerId: {},
        rateLimited: { total: 0, byEndpoint: {}, byCompany: {} },
      });
    });

    it('holds a matching request until it is released, and tells the test when one is held', async () => {
      const company = newCompany({ persons: [1, 2, 3].map((id) => person(id)) });
      const other = newCompany({ persons: [person(9)] });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);
      const otherToken = await tokenFor(`${other.id}-client`, `${other.id}-secret`);
      sim.hold({ endpoint: '/v2/persons', page: 2, times: 1 }, company.id);
      sim.hold({ endpoint: '/v2/absence-periods' }, company.id);
      const next = (await get(token, '/v2/persons?limit=2')).body._meta.links.next.href;

      const settled: string[] = [];
      const persons = get(token, next).then((r) => (settled.push('persons'), r));
      const heldPersons = await sim.whenHeld(company.id, { endpoint: '/v2/persons' });
      const periods = get(token, '/v2/absence-periods').then((r) => (settled.push('periods'), r));
      const heldPeriods = await sim.whenHeld(company.id, { endpoint: '/v2/absence-periods' });
      // Another company and another page are not held.
      expect((await get(otherToken, '/v2/persons')).status).toBe(200);
      expect((await get(token, '/v2/persons?limit=2')).status).toBe(200);
      expect(settled).toEqual([]);
      expect(heldPersons).toEqual({ id: expect.any(Number), endpoint: '/v2/persons', page: 2 });
      expect(sim.heldRequests(company.id)).toEqual([heldPersons, heldPeriods]);

      expect(sim.releaseHeld(company.id, heldPeriods.id)).toBe(1);
      expect((await periods).status).toBe(200);
      expect(settled).toEqual(['periods']);
      expect(sim.releaseHeld(company.id)).toBe(1);
      expect((await persons).body._data.map((p: Json) => p.id)).toEqual(['3']);
      // `times: 1` is used up: the page is served straight away now.
      expect((await get(token, next)).status).toBe(200);
      expect(sim.heldRequests(company.id)).toEqual([]);
    });

    it('holds and releases requests through /_admin, waiting for a held one without polling', async () => {
      const company = newCompany({ persons: [person(1)] });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);
      const admin = `${baseUrl}/_admin/companies/${company.id}`;
      const nothingHeld = await fetch(`${admin}/held?wait=50`);
      await fetch(`${admin}/faults`, { method: 'PUT', body: JSON.stringify({ holds: [{ endpoint: '/v2/persons' }] }) });
      const waiting = fetch(`${admin}/held?wait=10000&endpoint=/v2/persons`).then((r) => r.json() as Promise<Json>);

      const request = get(token, '/v2/persons');
      const held = await waiting;
      const listed = (await (await fetch(`${admin}/held`)).json()) as Json[];
      const released = (await (await fetch(`${admin}/held/${held.id}`, { method: 'DELETE' })).json()) as Json;

      expect(nothingHeld.status).toBe(408);
      expect(held).toMatchObject({ endpoint: '/v2/persons', page: 1 });
      expect(listed).toEqual([held]);
      expect(released).toEqual({ released: 1 });
      expect((await request).status).toBe(200);
      // Clearing the faults lets every held request go, so nothing hangs after a test.
      const another = get(token, '/v2/persons');
      await sim.whenHeld(company.id);
      await fetch(`${admin}/faults`, { method: 'DELETE' });
      expect((await another).status).toBe(200);
    });

    it('exposes companies, data, faults and stats over /_admin', async () => {
      const created = await fetch(`${baseUrl}/_admin/companies`, {
        method: 'POST',
        body: JSON.stringify({
          id: 'admin-made',
          credentials: { clientId: 'admin-client', clientSecret: 'admin-secret', scopes: ['personio:persons:read'] },
          generate: { seed: 3, persons: 4, window: { start: '2026-01-01', end: '2026-03-31' } },
        }),
      });
      const faults = await fetch(`${baseUrl}/_admin/companies/admin-made/faults`, {
        method: 'PUT',
        body: JSON.stringify({ pageFailures: [{ endpoint: '/v2/persons', status: 500, times: 1 }] }),
      });
      const token = await tokenFor('admin-client', 'admin-secret');
      const failed = await get(token, '/v2/persons');
      const stats = (await (await fetch(`${baseUrl}/_admin/stats`)).json()) as Json;
      const persons = (await (await fetch(`${baseUrl}/_admin/companies/admin-made/persons`)).json()) as Json[];

      expect(created.status).toBe(201);
      expect(faults.status).toBe(200);
      expect(failed.status).toBe(500);
      expect(stats.byCompany['admin-made']).toEqual({ '/v2/auth/token': 1, '/v2/persons': 1 });
      expect(persons).toHaveLength(4);
    });

    it('changes and deletes many items in one /_admin request, all or nothing', async () => {
      const company = newCompany({
        persons: [person(1), person(2)],
        absencePeriods: ['a', 'b', 'c', 'd'].map((id) =>
          dayAbsence(id, '1', '2026-06-01', '2026-06-02', { approvalStatus: 'PENDING' }),
        ),
      });
      const admin = (method: string, path: string, body: unknown) =>
        fetch(`${baseUrl}/_admin/companies/${company.id}${path}`, { method, body: JSON.stringify(body) });

      const approved = await admin('PATCH', '/absence-periods', [
        { id: 'a', approvalStatus: 'APPROVED', updatedAt: '2026-01-01T08:00:00Z' },
        { id: 'b', approvalStatus: 'APPROVED', comment: 'bulk' },
      ]);
      const renamed = await admin('PATCH', '/persons', [{ id: '2', email: 'two@example.com' }]);
      const unknownPatch = await admin('PATCH', '/absence-periods', [
        { id: 'c', approvalStatus: 'APPROVED' },
        { id: 'nope', approvalStatus: 'APPROVED' },
      ]);
      const notAList = await admin('PATCH', '/absence-periods', { id: 'c', approvalStatus: 'APPROVED' });
      const unknownDelete = await admin('DELETE', '/absence-periods', { ids: ['c', 'nope'] });
      const deleted = await admin('DELETE', '/absence-periods', { ids: ['c', 'd'] });
      const processInfo = (await (await fetch(`${baseUrl}/_admin/process`)).json()) as Json;

      expect(approved.status).toBe(200);
      expect(await approved.json()).toEqual({ updated: 2 });
      expect(await renamed.json()).toEqual({ updated: 1 });
      expect(unknownPatch.status).toBe(400);
      expect(((await unknownPatch.json()) as Json).error).toContain('"nope"');
      expect(notAList.status).toBe(400);
      expect(unknownDelete.status).toBe(400);
      expect(await deleted.json()).toEqual({ deleted: 2 });
      expect(sim.listAbsencePeriods(company.id).map((p) => [p.id, p.approvalStatus, p.comment, p.updatedAt])).toEqual([
        ['a', 'APPROVED', null, '2026-01-01T08:00:00Z'],
        ['b', 'APPROVED', 'bulk', expect.not.stringMatching(/^2026-01-01T08/)],
      ]);
      expect(sim.getPerson(company.id, '2')?.email).toBe('two@example.com');
      expect(sim.getPerson(company.id, '1')?.email).toBe('person1@example.com');
      expect(processInfo).toEqual({
        pid: process.pid,
        rssBytes: expect.any(Number),
        maxRssBytes: expect.any(Number),
        heapUsedBytes: expect.any(Number),
      });
      expect(processInfo.maxRssBytes).toBeGreaterThan(0);
    });
  });

  describe('Personio’s own rate limits (realistic preset, on a frozen clock so buckets refill only when told)', () => {
    let now = Date.parse('2026-06-01T08:00:00Z');
    const clocked = new PersonioSimulator(() => now);
    let clockedUrl: string;

    beforeAll(async () => {
      ({ baseUrl: clockedUrl } = await clocked.start());
    });

    afterAll(async () => {
      await clocked.stop();
    });

    const tokenRequest = (id: string) =>
      fetch(`${clockedUrl}/v2/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${id}-client&client_secret=${id}-secret`,
      });

    async function setUp(id: string): Promise<string> {
      clocked.createCompany({
        id,
        credentials: { clientId: `${id}-client`, clientSecret: `${id}-secret` },
        persons: [person(1)],
      });
      return ((await (await tokenRequest(id)).json()) as Json).access_token;
    }

    async function burst(token: string, path: string, n: number) {
      const responses = [];
      for (let i = 0; i < n; i++) {
        const response = await fetch(`${clockedUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
        responses.push({ status: response.status, headers: response.headers, body: (await response.json()) as Json });
      }
      return responses;
    }

    it('are off until switched on per company: 30 persons and 10 absence-period requests a second, 429 without Retry-After', async () => {
      const limitedToken = await setUp('limited');
      const otherToken = await setUp('other');
      const unlimited = await burst(limitedToken, '/v2/absence-periods', 12);
      const set = await fetch(`${clockedUrl}/_admin/companies/limited/faults`, {
        method: 'PUT',
        body: JSON.stringify({ rateLimit: 'realistic' }),
      });

      const persons = await burst(limitedToken, '/v2/persons', 31);
      const periods = await burst(limitedToken, '/v2/absence-periods', 11);
      const unaffected = await burst(otherToken, '/v2/absence-periods', 12);
      now += 1_000;
      const refilled = await burst(limitedToken, '/v2/absence-periods', 11);

      expect(unlimited.every((r) => r.status === 200)).toBe(true);
      expect(set.status).toBe(200);
      expect(persons.map((r) => r.status)).toEqual([...Array(30).fill(200), 429]);
      expect(periods.map((r) => r.status)).toEqual([...Array(10).fill(200), 429]);
      expect(refilled.map((r) => r.status)).toEqual([...Array(10).fill(200), 429]);
      expect(unaffected.every((r) => r.status === 200)).toBe(true);
      expect(Object.fromEntries(periods[0].headers)).toMatchObject({
        'x-ratelimit-remaining': '9',
        'x-ratelimit-replenish-rate': '10',
        'x-ratelimit-burst-capacity': '10',
        'x-ratelimit-requested-tokens': '1',
      });
      expect(persons[0].headers.get('x-ratelimit-burst-capacity')).toBe('30');
      expect(periods[10].headers.get('x-ratelimit-remaining')).toBe('0');
      expect(periods[10].headers.get('retry-after')).toBeNull();
      expect(periods[10].body.errors[0].title).toBe('Too many requests');
      expect(unaffected[0].headers.get('x-ratelimit-remaining')).toBeNull();
    });

    it('allow 150 token requests a minute', async () => {
      await setUp('tokens');
      clocked.rateLimit('realistic', 'tokens');

      const statuses: number[] = [];
      for (let i = 0; i < 151; i++) statuses.push((await tokenRequest('tokens')).status);
      now += 60_000;
      const afterAMinute = (await tokenRequest('tokens')).status;

      expect(statuses.slice(0, 150).every((status) => status === 200)).toBe(true);
      expect(statuses[150]).toBe(429);
      expect(afterAMinute).toBe(200);
    });

    it('the realistic profile, set globally: 200 ms ± 50 ms a request, one bucket per company, every 429 counted', async () => {
      const tokenA = await setUp('profile-a');
      const tokenB = await setUp('profile-b');
      clocked.setFaults({ profile: 'realistic' });
      clocked.resetStats();
      const timed = async (token: string) => {
        const started = Date.now();
        const response = await fetch(`${clockedUrl}/v2/absence-periods`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await response.arrayBuffer();
        return { status: response.status, ms: Date.now() - started, retryAfter: response.headers.get('retry-after') };
      };
      try {
        const [a, b] = await Promise.all([
          Promise.all(Array.from({ length: 11 }, () => timed(tokenA))),
          Promise.all(Array.from({ length: 10 }, () => timed(tokenB))),
        ]);

        expect(a.filter((r) => r.status === 200)).toHaveLength(10);
        expect(a.filter((r) => r.status === 429)).toEqual([expect.objectContaining({ retryAfter: null })]);
        expect(b.every((r) => r.status === 200)).toBe(true);
        expect(Math.min(...[...a, ...b].map((r) => r.ms))).toBeGreaterThanOrEqual(149);
        const stats = clocked.stats;
        expect(stats.total).toBe(21);
        expect(stats.rateLimited).toEqual({
          total: 1,
          byEndpoint: { '/v2/absence-periods': 1 },
          byCompany: { 'profile-a': { '/v2/absence-periods': 1 } },
        });
      } finally {
        clocked.clearFaults();
      }
    });
  });

  describe('scale', () => {
    // Wall-clock budgets for these belong to the bench (npm run bench), not to a suite on a shared machine.
    it('holds 1,000 companies of 25 persons', () => {
      for (let i = 0; i < 1000; i++) {
        sim.createCompany({
          id: `tenant-${i}`,
          generate: { seed: i, persons: 25, absencesPerPerson: 4, window: { start: '2026-01-01', end: '2026-12-31' } },
        });
      }

      expect(sim.getCompany('tenant-999').persons).toBe(25);
    });

    it('lists 60,000 absence periods of 5,000 persons page by page', async () => {
      const company = newCompany({
        generate: {
          seed: 42,
          persons: 5_000,
          totalAbsences: 60_000,
          window: { start: '2025-07-01', end: '2026-12-31' },
        },
      });
      const token = await tokenFor(`${company.id}-client`, `${company.id}-secret`);

      const { ids, pages } = await listAll(token, '/v2/absence-periods?ends_at.date_time.gte=2025-01-01T00:00:00');

      expect(company.absencePeriods).toBe(60_000);
      expect(new Set(ids).size).toBe(60_000);
      expect(pages).toBe(600);
    }, 40_000);
  });
});
