import { User } from '../../src/host/users/user.entity';
import { UsersService } from '../../src/host/users/users.service';
import {
  bearer,
  createUser,
  createWorkspace,
  CreatedWorkspace,
  startTestApp,
  TestApp,
  TEST_BOOTSTRAP_TOKEN,
} from '../support/test-app';

// PRODUCT.md §4 "No input reaches a 500" and issue 12 items 1–6, one block per item.
describe(`Hostile input gets a 4xx that names the problem (${process.env.TEST_DB})`, () => {
  let t: TestApp;
  let acme: CreatedWorkspace;
  let mia: { id: string; token: string };
  const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const workspaceBody = (overrides: Record<string, unknown> = {}) => ({
    name: 'Hostile GmbH',
    plan: 'business',
    timeZone: 'Europe/Berlin',
    admin: { email: `admin-${Math.random().toString(36).slice(2)}@hostile.test`, name: 'Ada' },
    ...overrides,
  });

  beforeAll(async () => {
    t = await startTestApp();
    acme = await createWorkspace(t);
    mia = await createUser(t, acme.adminToken, { email: 'mia@acme.test' });
  });
  afterAll(() => t.close());

  const admin = () => bearer(acme.adminToken);
  const sendRaw = (method: 'post' | 'put' | 'patch', path: string, body: string, headers: Record<string, string>) =>
    t.http[method](path)
      .set({ 'Content-Type': 'application/json', ...headers })
      .send(body);

  describe('1. nested and huge JSON', () => {
    it.each([
      ['post', '/api/v1/workspaces', { 'X-Bootstrap-Token': TEST_BOOTSTRAP_TOKEN }],
      ['post', '/api/v1/absences', 'admin'],
      ['put', '/api/v1/integrations/personio', 'admin'],
      ['patch', '/api/v1/users/me', 'admin'],
    ] as const)('%s %s with a 3000-deep body → 400 about nesting', async (method, path, auth) => {
      const response = await sendRaw(method, path, deep(3000), auth === 'admin' ? admin() : auth);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(String(response.body.message)).toMatch(/nest deeper than 32 levels/);
    });

    it('refuses 33 levels and accepts 32 (which then fails validation, not parsing)', async () => {
      const tooDeep = await sendRaw('patch', '/api/v1/users/me', deep(33), admin());
      expect(tooDeep.status).toBe(400);
      expect(String(tooDeep.body.message)).toMatch(/nest deeper/);
      const limit = await sendRaw('patch', '/api/v1/users/me', deep(32), admin());
      expect(limit.status).toBe(400);
      expect(limit.body.message).toEqual(['property a should not exist']);
    });

    it('answers 413 for a body over 1 MB and accepts one just under it', async () => {
      const big = JSON.stringify({ description: 'x'.repeat(1024 * 1024) });
      const response = await sendRaw('post', '/api/v1/absences', big, admin());
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
      const underLimit = JSON.stringify({ description: 'x'.repeat(1024 * 1024 - 100) });
      const validated = await sendRaw('post', '/api/v1/absences', underLimit, admin());
      expect(validated.status).toBe(400);
      expect(validated.body.message).toContain('description must be shorter than or equal to 1000 characters');
    });

    it('keeps /health answering while 10 deep bodies arrive at once', async () => {
      const hostile = Array.from({ length: 10 }, () =>
        sendRaw('post', '/api/v1/workspaces', deep(3000), {}).then((r) => r.status),
      );
      const health = await t.http.get('/health');
      expect(health.status).toBe(200);
      expect(await Promise.all(hostile)).toEqual(Array(10).fill(401));
    });

    it('leaves the webhook receiver path to read its own raw body', async () => {
      // The global parser neither refuses nor reads a body there: the receiver applies its own
      // 65,536-byte limit first (413), then the token (401) before it looks at the JSON at all.
      const cases: Array<[string, number]> = [
        [deep(3000), 401],
        [JSON.stringify({ a: 'x'.repeat(2 * 1024 * 1024) }), 413],
      ];
      for (const [body, status] of cases) {
        const response = await sendRaw('post', `/api/v1/integrations/personio/webhooks/${acme.id}`, body, {});
        expect(response.status).toBe(status);
      }
    });
  });

  describe('2. dates outside years 1900–2999', () => {
    it.each(['0000-01-01', '9999-12-31', '1899-12-31', '3000-01-01'])(
      'POST /absences with %s → 400 naming the field',
      async (date) => {
        const response = await t.http
          .post('/api/v1/absences')
          .set(admin())
          .send({ userId: mia.id, startOn: date, endOn: '2026-08-01' })
          .expect(400);
        expect(response.body.message).toContain(
          'startOn must be a calendar date formatted YYYY-MM-DD between 1900-01-01 and 2999-12-31',
        );
      },
    );

    it('PATCH /absences and the from/to query answer 400 naming the field', async () => {
      const created = await t.http
        .post('/api/v1/absences')
        .set(admin())
        .send({ userId: mia.id, startOn: '1900-01-01', endOn: '2999-12-31' })
        .expect(201);
      expect(created.body).toMatchObject({ startOn: '1900-01-01', endOn: '2999-12-31' });
      const patch = await t.http
        .patch(`/api/v1/absences/${created.body.id}`)
        .set(admin())
        .send({ endOn: '9999-12-31' })
        .expect(400);
      expect(patch.body.message).toEqual([expect.stringMatching(/^endOn must be a calendar date/)]);
      const from = await t.http.get('/api/v1/absences?from=0000-01-01').set(admin()).expect(400);
      expect(from.body.message).toEqual([expect.stringMatching(/^from must be a calendar date/)]);
      const to = await t.http.get('/api/v1/absences?to=9999-12-31').set(admin()).expect(400);
      expect(to.body.message).toEqual([expect.stringMatching(/^to must be a calendar date/)]);
    });
  });

  describe('3. NUL characters and lone surrogates', () => {
    const cases: Array<[string, string, () => Record<string, string>, Record<string, unknown>, string]> = [
      ['post', '/api/v1/users', () => admin(), { email: 'nul@acme.test', name: 'Nu\u0000l' }, 'name'],
      ['post', '/api/v1/users', () => admin(), { email: 'nu\u0000l@acme.test', name: 'Nul' }, 'email'],
      ['post', '/api/v1/users', () => admin(), { email: 'x\ud800@acme.test', name: 'Lone' }, 'email'],
      ['patch', '/api/v1/users/me', () => admin(), { name: 'A\u0000' }, 'name'],
      ['patch', '/api/v1/users/me', () => admin(), { email: 'ada\udc00@acme.test' }, 'email'],
      [
        'post',
        '/api/v1/workspaces',
        () => ({ 'X-Bootstrap-Token': TEST_BOOTSTRAP_TOKEN }),
        workspaceBody({ name: 'W\u0000' }),
        'name',
      ],
      [
        'post',
        '/api/v1/workspaces',
        () => ({ 'X-Bootstrap-Token': TEST_BOOTSTRAP_TOKEN }),
        workspaceBody({ timeZone: 'Europe/Berlin\u0000' }),
        'timeZone',
      ],
      [
        'post',
        '/api/v1/workspaces',
        () => ({ 'X-Bootstrap-Token': TEST_BOOTSTRAP_TOKEN }),
        workspaceBody({ admin: { email: 'a@b.test', name: 'A\u0000' } }),
        'admin.name',
      ],
      ['patch', '/api/v1/workspace', () => admin(), { timeZone: '\u0000' }, 'timeZone'],
      ['put', '/api/v1/integrations/personio', () => admin(), { clientId: 'id\u0000', clientSecret: 's' }, 'clientId'],
      [
        'put',
        '/api/v1/integrations/personio',
        () => admin(),
        { clientId: 'id', clientSecret: '\u0000' },
        'clientSecret',
      ],
    ];
    it.each(cases)('%s %s → 400 naming %s', async (method, path, headers, body, field) => {
      const response = await (t.http as unknown as Record<string, (p: string) => import('supertest').Test>)
        [method](path)
        .set(headers())
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body.message).toEqual([
        expect.stringMatching(
          new RegExp(`^${field.replace('.', '\\.')} must (not contain NUL characters|be well-formed Unicode text)`),
        ),
      ]);
    });

    it('refuses NUL in an absence description and in a query parameter', async () => {
      const response = await t.http
        .post('/api/v1/absences')
        .set(admin())
        .send({ userId: mia.id, startOn: '2026-08-03', endOn: '2026-08-03', description: 'Den\u0000tist' })
        .expect(400);
      expect(response.body.message).toEqual(['description must not contain NUL characters']);
      const query = await t.http.get('/api/v1/absences?userId=%00').set(admin()).expect(400);
      expect(query.body.message).toEqual(['userId must not contain NUL characters']);
    });
  });

  describe('4. paging values and ids', () => {
    it.each([
      ['page=92233720368547758', 'page must not be greater than 1000000'],
      ['page=0', 'page must not be less than 1'],
      ['pageSize=0', 'pageSize must not be less than 1'],
      ['pageSize=1001', 'pageSize must not be greater than 1000'],
      ['pageSize=1e400', 'pageSize must not be greater than 1000'],
    ])('GET /absences?%s → 400', async (query, message) => {
      const response = await t.http.get(`/api/v1/absences?${query}`).set(admin()).expect(400);
      expect(response.body.message).toContain(message);
    });

    it('accepts the last allowed page (empty)', async () => {
      await t.http.get('/api/v1/absences?page=1000000&pageSize=1000').set(admin()).expect(200, []);
    });

    it.each(['get', 'patch', 'delete'] as const)(
      '%s /absences/%%00 and /absences/abc → 400 naming id, before any guard reads the database',
      async (method) => {
        const nul = await t.http[method]('/api/v1/absences/%00').set(admin()).send({});
        expect(nul.status).toBe(400);
        expect(nul.body.message).toEqual(['id must not contain NUL characters']);
        const garbage = await t.http[method]('/api/v1/absences/abc').set(admin()).send({});
        expect(garbage.status).toBe(400);
        expect(garbage.body.message).toBe('id must be a UUID');
      },
    );
  });

  describe('5. concurrent duplicates', () => {
    it('20 concurrent POST /users with one e-mail → one 201 and nineteen 409', async () => {
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.http
            .post('/api/v1/users')
            .set(admin())
            .send({ email: i % 2 ? 'Race@Acme.test' : 'race@acme.test ', name: `Racer ${i}` }),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(19).fill(409)]);
      for (const conflict of responses.filter((r) => r.status === 409))
        expect(conflict.body).toMatchObject({
          statusCode: 409,
          error: 'Conflict',
          message: expect.stringMatching(/email/),
        });
    });

    it('maps the unique violation of a lost race to 409 (the check saw the e-mail free, the insert did not)', async () => {
      await createUser(t, acme.adminToken, { email: 'taken@acme.test' });
      const users = t.app.get(UsersService) as unknown as { assertEmailFree: () => Promise<void> };
      const skipCheck = jest.spyOn(users, 'assertEmailFree').mockResolvedValue(undefined);
      try {
        const created = await t.http
          .post('/api/v1/users')
          .set(admin())
          .send({ email: 'TAKEN@acme.test', name: 'Late' });
        expect(created.status).toBe(409);
        expect(created.body).toEqual({
          statusCode: 409,
          error: 'Conflict',
          message: 'email is already used by another user of this workspace',
        });
        const moved = await t.http.patch('/api/v1/users/me').set(bearer(mia.token)).send({ email: 'taken@acme.test' });
        expect(moved.status).toBe(409);
        expect(moved.body.message).toBe('email is already used by another user of this workspace');
      } finally {
        skipCheck.mockRestore();
      }
    });

    it('20 concurrent PATCH /users/me to one e-mail → one 200 and nineteen 409', async () => {
      const users = await Promise.all(
        Array.from({ length: 20 }, (_, i) => createUser(t, acme.adminToken, { email: `mover-${i}@acme.test` })),
      );
      const responses = await Promise.all(
        users.map((user) =>
          t.http.patch('/api/v1/users/me').set(bearer(user.token)).send({ email: 'moved@acme.test' }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(409)]);
      expect(await t.dataSource.getRepository(User).countBy({ emailNormalized: 'moved@acme.test' })).toBe(1);
    });
  });

  describe('6. invalid state and authentication first', () => {
    it.each([
      ['post', '/api/v1/users', { email: 'blank@acme.test', name: '   ' }, 'name'],
      ['patch', '/api/v1/users/me', { name: ' \t ' }, 'name'],
    ] as const)('%s %s with a whitespace-only name → 400', async (method, path, body, field) => {
      const response = await t.http[method](path).set(admin()).send(body).expect(400);
      expect(response.body.message).toEqual([`${field} should not be empty`]);
    });

    it('refuses whitespace-only workspace and admin names', async () => {
      const headers = { 'X-Bootstrap-Token': TEST_BOOTSTRAP_TOKEN };
      const workspace = await t.http
        .post('/api/v1/workspaces')
        .set(headers)
        .send(workspaceBody({ name: '  ' }))
        .expect(400);
      expect(workspace.body.message).toEqual(['name should not be empty']);
      const adminName = await t.http
        .post('/api/v1/workspaces')
        .set(headers)
        .send(workspaceBody({ admin: { email: 'a@b.test', name: ' ' } }))
        .expect(400);
      expect(adminName.body.message).toEqual(['admin.name should not be empty']);
    });

    it.each([
      ['missing', {}],
      ['an array', { admin: [] }],
      ['null', { admin: null }],
    ])('POST /workspaces with admin %s → 400 naming admin', async (_case, overrides) => {
      const body: Record<string, unknown> = { ...workspaceBody(), ...overrides };
      if (_case === 'missing') delete body.admin;
      const response = await t.http
        .post('/api/v1/workspaces')
        .set('X-Bootstrap-Token', TEST_BOOTSTRAP_TOKEN)
        .send(body)
        .expect(400);
      expect(response.body.message).toContain('admin must be an object with email and name');
    });

    it('the last admin cannot be demoted, by themselves or anyone', async () => {
      const solo = await createWorkspace(t, { adminEmail: 'solo@solo.test' });
      const response = await t.http
        .patch(`/api/v1/users/${solo.adminId}`)
        .set(bearer(solo.adminToken))
        .send({ role: 'member' })
        .expect(409);
      expect(response.body.message).toMatch(/at least one admin/);
      await t.http.get('/api/v1/workspace').set(bearer(solo.adminToken)).expect(200);
      expect((await t.http.get('/api/v1/users').set(bearer(solo.adminToken))).body).toEqual([
        expect.objectContaining({ id: solo.adminId, role: 'admin' }),
      ]);
    });

    it('two concurrent demotions of the last two admins leave exactly one admin', async () => {
      const duo = await createWorkspace(t, { adminEmail: 'one@duo.test' });
      const second = await createUser(t, duo.adminToken, { email: 'two@duo.test', role: 'admin' });
      const admins = [
        { id: duo.adminId, token: duo.adminToken },
        { id: second.id, token: second.token },
      ];
      for (let round = 0; round < 5; round++) {
        // Both step down at the same moment; one must stay.
        const responses = await Promise.all(
          admins.map((a) => t.http.patch(`/api/v1/users/${a.id}`).set(bearer(a.token)).send({ role: 'member' })),
        );
        expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
        const remaining = await t.dataSource.getRepository(User).findBy({ workspaceId: duo.id, role: 'admin' });
        expect(remaining).toHaveLength(1);
        const survivor = admins.find((a) => a.id === remaining[0].id)!;
        const demoted = admins.find((a) => a !== survivor)!;
        await t.http
          .patch(`/api/v1/users/${demoted.id}`)
          .set(bearer(survivor.token))
          .send({ role: 'admin' })
          .expect(200);
      }
    });

    it.each([
      ['no token', {}],
      ['a wrong token', { 'X-Bootstrap-Token': 'wrong' }],
    ])('POST /workspaces with %s → 401 before the body is validated', async (_case, headers) => {
      for (const body of [{}, { name: 7 }, workspaceBody()]) {
        const response = await t.http.post('/api/v1/workspaces').set(headers).send(body);
        expect(response.status).toBe(401);
        expect(response.body.message).toBe('X-Bootstrap-Token is missing or wrong');
      }
      const broken = await sendRaw('post', '/api/v1/workspaces', '{"name":', headers);
      expect(broken.status).toBe(401);
    });

    it.each([
      ['post', '/api/v1/users'],
      ['patch', '/api/v1/users/me'],
      ['post', '/api/v1/absences'],
      ['put', '/api/v1/integrations/personio'],
    ] as const)('%s %s without a token → 401 whatever the body, malformed JSON included', async (method, path) => {
      for (const body of ['{"email":', '[1,2', deep(3000), '{"name":"\\u0000"}', '{"unknown":true}']) {
        const response = await sendRaw(method, path, body, {});
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      }
      // With a token the same malformed body is a 400 that says what is wrong.
      const malformed = await sendRaw(method, path, '{"email":', admin());
      expect(malformed.status).toBe(400);
      expect(malformed.body.message).toMatch(/^body is not valid JSON/);
    });
  });
});
