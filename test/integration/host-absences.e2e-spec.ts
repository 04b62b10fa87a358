import { randomUUID } from 'node:crypto';
import { Absence } from '../../src/host/absences/absence.entity';
import { bearer, createUser, createWorkspace, CreatedWorkspace, startTestApp, TestApp } from '../support/test-app';

describe(`host: workspaces, users and absences (${process.env.TEST_DB})`, () => {
  let t: TestApp;
  let acme: CreatedWorkspace;
  let member: { id: string; token: string };
  let colleague: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestApp();
    acme = await createWorkspace(t);
    member = await createUser(t, acme.adminToken, { email: 'mia@acme.test' });
    colleague = await createUser(t, acme.adminToken, { email: 'carl@acme.test' });
  });
  afterAll(() => t.close());

  const createAbsence = (token: string, body: Record<string, unknown>) =>
    t.http.post('/api/v1/absences').set(bearer(token)).send(body);

  async function seedLockedAbsence(userId: string): Promise<Absence> {
    const repository = t.dataSource.getRepository(Absence);
    const absence = repository.create({
      id: randomUUID(),
      workspaceId: acme.id,
      userId,
      startOn: '2026-08-03',
      endOn: '2026-08-07',
      isHalfDayOnStart: false,
      isHalfDayOnEnd: true,
      description: 'Paid vacation',
      externalProvider: 'personio',
      externalId: `p-${randomUUID()}`,
    });
    await repository.insert(absence);
    return repository.findOneByOrFail({ id: absence.id });
  }

  it('creates a workspace with its admin, then users who can authenticate', async () => {
    const me = await t.http.get('/api/v1/workspace').set(bearer(member.token)).expect(200);
    expect(me.body).toEqual({ id: acme.id, name: 'Acme', plan: 'business', timeZone: 'Europe/Berlin' });
    const users = await t.http.get('/api/v1/users').set(bearer(member.token)).expect(200);
    expect(users.body.map((u: { email: string }) => u.email)).toEqual([
      'admin@acme.test',
      'carl@acme.test',
      'mia@acme.test',
    ]);
    expect(JSON.stringify(users.body)).not.toContain('token');
  });

  it('tells a token its own user with GET /users/me (the web page reads the role from it)', async () => {
    const asMember = await t.http.get('/api/v1/users/me').set(bearer(member.token)).expect(200);
    expect(asMember.body).toEqual({ id: member.id, email: 'mia@acme.test', name: expect.any(String), role: 'member' });
    const asAdmin = await t.http.get('/api/v1/users/me').set(bearer(acme.adminToken)).expect(200);
    expect(asAdmin.body).toMatchObject({ id: acme.adminId, email: 'admin@acme.test', role: 'admin' });
    await t.http.get('/api/v1/users/me').expect(401);
  });

  it('refuses workspace creation without the right bootstrap token', async () => {
    const body = { name: 'X', plan: 'free', timeZone: 'UTC', admin: { email: 'x@x.test', name: 'X' } };
    await t.http.post('/api/v1/workspaces').send(body).expect(401);
    await t.http.post('/api/v1/workspaces').set('X-Bootstrap-Token', 'wrong-token-wrong-token').send(body).expect(401);
  });

  it('requires a valid bearer token', async () => {
    await t.http.get('/api/v1/absences').expect(401);
    await t.http.get('/api/v1/absences').set(bearer('awk_nope')).expect(401);
  });

  it('treats account e-mails case-insensitively and lets only the owner change theirs', async () => {
    const duplicate = await t.http
      .post('/api/v1/users')
      .set(bearer(acme.adminToken))
      .send({ email: ' MIA@Acme.test', name: 'Mia 2' });
    expect(duplicate.status).toBe(409);
    await t.http
      .patch(`/api/v1/users/${member.id}`)
      .set(bearer(acme.adminToken))
      .send({ email: 'other@acme.test' })
      .expect(400);
    const changed = await t.http
      .patch('/api/v1/users/me')
      .set(bearer(member.token))
      .send({ email: 'Mia.New@acme.test' })
      .expect(200);
    expect(changed.body.email).toBe('Mia.New@acme.test');
    await t.http.patch('/api/v1/users/me').set(bearer(member.token)).send({ email: 'mia@acme.test' }).expect(200);
    await t.http.patch(`/api/v1/users/${colleague.id}`).set(bearer(member.token)).send({ name: 'Hacker' }).expect(403);
  });

  it('creates, reads, updates and deletes manual absences', async () => {
    const created = await createAbsence(member.token, {
      userId: member.id,
      startOn: '2026-09-01',
      endOn: '2026-09-03',
      isHalfDayOnEnd: true,
      description: 'Dentist',
    }).expect(201);
    expect(created.body).toMatchObject({
      userId: member.id,
      startOn: '2026-09-01',
      endOn: '2026-09-03',
      isHalfDayOnStart: false,
      isHalfDayOnEnd: true,
      description: 'Dentist',
      externalProvider: null,
      externalId: null,
      isReadOnly: false,
    });
    const id = created.body.id;
    const patched = await t.http
      .patch(`/api/v1/absences/${id}`)
      .set(bearer(member.token))
      .send({ endOn: '2026-09-04', description: null })
      .expect(200);
    expect(patched.body).toMatchObject({ startOn: '2026-09-01', endOn: '2026-09-04', description: null });
    await t.http.get(`/api/v1/absences/${id}`).set(bearer(member.token)).expect(200);
    await t.http.delete(`/api/v1/absences/${id}`).set(bearer(member.token)).expect(204);
    await t.http.get(`/api/v1/absences/${id}`).set(bearer(member.token)).expect(404);
  });

  it('refuses PATCH and DELETE of a Personio absence and leaves the row unchanged, even for admins', async () => {
    const locked = await seedLockedAbsence(member.id);
    for (const token of [acme.adminToken, member.token]) {
      const patch = await t.http
        .patch(`/api/v1/absences/${locked.id}`)
        .set(bearer(token))
        .send({ description: 'Hacked' })
        .expect(403);
      expect(patch.body.message).toMatch(/managed in Personio/);
      const del = await t.http.delete(`/api/v1/absences/${locked.id}`).set(bearer(token)).expect(403);
      expect(del.body.message).toMatch(/managed in Personio/);
    }
    const after = await t.dataSource.getRepository(Absence).findOneByOrFail({ id: locked.id });
    expect(after).toEqual(locked);
    const read = await t.http.get(`/api/v1/absences/${locked.id}`).set(bearer(member.token)).expect(200);
    expect(read.body).toMatchObject({ externalProvider: 'personio', isReadOnly: true, externalId: locked.externalId });
  });

  it('does not let a member touch another user’s absences, but lets an admin', async () => {
    await createAbsence(member.token, { userId: colleague.id, startOn: '2026-10-01', endOn: '2026-10-01' }).expect(403);
    const theirs = await createAbsence(colleague.token, {
      userId: colleague.id,
      startOn: '2026-10-01',
      endOn: '2026-10-01',
    }).expect(201);
    // Another user's absence does not exist for a member: 404 on PATCH and DELETE as on GET.
    await t.http
      .patch(`/api/v1/absences/${theirs.body.id}`)
      .set(bearer(member.token))
      .send({ description: 'x' })
      .expect(404);
    await t.http.delete(`/api/v1/absences/${theirs.body.id}`).set(bearer(member.token)).expect(404);
    // Nor does the source lock tell a member that another user's Personio absence exists.
    const theirsLocked = await seedLockedAbsence(colleague.id);
    const lockedPatch = await t.http
      .patch(`/api/v1/absences/${theirsLocked.id}`)
      .set(bearer(member.token))
      .send({ description: 'x' })
      .expect(404);
    expect(lockedPatch.body.message).not.toMatch(/Personio/);
    await t.http.delete(`/api/v1/absences/${theirsLocked.id}`).set(bearer(member.token)).expect(404);
    await t.http
      .patch(`/api/v1/absences/${theirs.body.id}`)
      .set(bearer(acme.adminToken))
      .send({ description: 'by admin' })
      .expect(200);
    await t.http.delete(`/api/v1/absences/${theirs.body.id}`).set(bearer(acme.adminToken)).expect(204);
  });

  describe('bad input gets 400 naming the field', () => {
    const valid = () => ({ userId: member.id, startOn: '2026-11-02', endOn: '2026-11-03' });
    it.each([
      ['malformed startOn', { startOn: '02.11.2026' }, 'startOn'],
      ['impossible date', { endOn: '2026-02-30' }, 'endOn'],
      ['endOn before startOn', { startOn: '2026-11-05', endOn: '2026-11-04' }, 'endOn'],
      ['unknown field', { colour: 'red' }, 'colour'],
      ['bad userId', { userId: 'not-a-uuid' }, 'userId'],
      ['over-long description', { description: 'x'.repeat(1001) }, 'description'],
      ['non-boolean half day', { isHalfDayOnStart: 'yes' }, 'isHalfDayOnStart'],
    ])('POST with %s', async (_name, override, field) => {
      const response = await createAbsence(member.token, { ...valid(), ...override }).expect(400);
      expect(JSON.stringify(response.body.message)).toContain(field);
    });

    it('PATCH whose endOn would fall before the stored startOn', async () => {
      const created = await createAbsence(member.token, valid()).expect(201);
      const response = await t.http
        .patch(`/api/v1/absences/${created.body.id}`)
        .set(bearer(member.token))
        .send({ endOn: '2026-11-01' })
        .expect(400);
      expect(JSON.stringify(response.body.message)).toContain('endOn');
      await t.http.delete(`/api/v1/absences/${created.body.id}`).set(bearer(member.token)).expect(204);
    });

    it('POST of a single day with both half-day flags (morning and afternoon = nothing): 400 naming both', async () => {
      const response = await createAbsence(member.token, {
        ...valid(),
        endOn: '2026-11-02',
        isHalfDayOnStart: true,
        isHalfDayOnEnd: true,
      }).expect(400);
      expect(JSON.stringify(response.body.message)).toMatch(/isHalfDayOnStart.*isHalfDayOnEnd/);
      // Both flags on several days (midday to midday) stay valid, as do one flag on one day.
      const multi = await createAbsence(member.token, { ...valid(), isHalfDayOnStart: true, isHalfDayOnEnd: true });
      expect(multi.status).toBe(201);
      const morning = await createAbsence(member.token, { ...valid(), endOn: '2026-11-02', isHalfDayOnStart: true });
      expect(morning.status).toBe(201);
      for (const id of [multi.body.id, morning.body.id])
        await t.http.delete(`/api/v1/absences/${id}`).set(bearer(member.token)).expect(204);
    });

    it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
      [
        'shortening a two-day absence with both flags to one day',
        { endOn: '2026-11-03', isHalfDayOnStart: true, isHalfDayOnEnd: true },
        { endOn: '2026-11-02' },
      ],
      ['adding the afternoon to a morning', { endOn: '2026-11-02', isHalfDayOnStart: true }, { isHalfDayOnEnd: true }],
    ])('PATCH %s judges the merged result: 400 naming the flags, nothing changed', async (_, stored, patch) => {
      const initial = { ...valid(), isHalfDayOnEnd: false, ...stored };
      const created = await createAbsence(member.token, initial).expect(201);
      const response = await t.http
        .patch(`/api/v1/absences/${created.body.id}`)
        .set(bearer(member.token))
        .send(patch)
        .expect(400);
      expect(JSON.stringify(response.body.message)).toMatch(/isHalfDayOnStart.*isHalfDayOnEnd/);
      const unchanged = await t.http.get(`/api/v1/absences/${created.body.id}`).set(bearer(member.token)).expect(200);
      expect(unchanged.body).toMatchObject({ endOn: initial.endOn, isHalfDayOnEnd: initial.isHalfDayOnEnd ?? false });
      await t.http.delete(`/api/v1/absences/${created.body.id}`).set(bearer(member.token)).expect(204);
    });

    it.each([
      ['/api/v1/absences/not-a-uuid', 'id'],
      ['/api/v1/absences?from=2026-13-01', 'from'],
      ['/api/v1/absences?from=2026-05-02&to=2026-05-01', 'to'],
      ['/api/v1/absences?pageSize=1001', 'pageSize'],
      ['/api/v1/absences?page=0', 'page'],
      ['/api/v1/absences?userId=7', 'userId'],
    ])('GET %s', async (url, field) => {
      const response = await t.http.get(url).set(bearer(member.token)).expect(400);
      expect(JSON.stringify(response.body.message)).toContain(field);
    });

    it.each([
      ['startOn', { startOn: null }],
      ['endOn', { endOn: null }],
      ['isHalfDayOnStart', { isHalfDayOnStart: null }],
    ])('PATCH of an absence with %s: null', async (field, body) => {
      const created = await createAbsence(member.token, valid()).expect(201);
      const response = await t.http
        .patch(`/api/v1/absences/${created.body.id}`)
        .set(bearer(member.token))
        .send(body)
        .expect(400);
      expect(JSON.stringify(response.body.message)).toContain(field);
      const unchanged = await t.http.get(`/api/v1/absences/${created.body.id}`).set(bearer(member.token)).expect(200);
      expect(unchanged.body).toMatchObject({ startOn: '2026-11-02', endOn: '2026-11-03', isHalfDayOnStart: false });
      await t.http.delete(`/api/v1/absences/${created.body.id}`).set(bearer(member.token)).expect(204);
    });

    it.each([
      [
        'PATCH /workspace',
        () => t.http.patch('/api/v1/workspace').set(bearer(acme.adminToken)).send({ plan: null }),
        'plan',
      ],
      [
        'PATCH /users/me',
        () => t.http.patch('/api/v1/users/me').set(bearer(member.token)).send({ name: null }),
        'name',
      ],
      [
        'PATCH /users/:id',
        () => t.http.patch(`/api/v1/users/${colleague.id}`).set(bearer(acme.adminToken)).send({ role: null }),
        'role',
      ],
    ])('%s with a null field', async (_route, send, field) => {
      const response = await send().expect(400);
      expect(JSON.stringify(response.body.message)).toContain(field);
    });

    it('workspace with an unknown time zone or plan', async () => {
      const response = await t.http
        .patch('/api/v1/workspace')
        .set(bearer(acme.adminToken))
        .send({ timeZone: 'Mars/Olympus', plan: 'gold' })
        .expect(400);
      expect(JSON.stringify(response.body.message)).toMatch(/timeZone.*plan|plan.*timeZone/);
    });

    it('malformed JSON', async () => {
      await t.http
        .post('/api/v1/absences')
        .set(bearer(member.token))
        .set('Content-Type', 'application/json')
        .send('{"userId":')
        .expect(400);
    });
  });

  describe('listing', () => {
    let lister: { id: string; token: string };
    beforeAll(async () => {
      lister = await createUser(t, acme.adminToken, { email: 'lister@acme.test' });
      for (const [startOn, endOn] of [
        ['2027-03-01', '2027-03-05'],
        ['2027-03-06', '2027-03-06'],
        ['2027-03-10', '2027-03-20'],
        ['2027-02-20', '2027-03-01'],
        ['2027-03-21', '2027-03-22'],
      ]) {
        await createAbsence(lister.token, { userId: lister.id, startOn, endOn }).expect(201);
      }
    });
    const list = (query: string) =>
      t.http.get(`/api/v1/absences?userId=${lister.id}&${query}`).set(bearer(lister.token)).expect(200);
    const starts = (body: { startOn: string }[]) => body.map((a) => a.startOn);

    it('selects overlapping absences with inclusive from/to bounds, ordered by startOn', async () => {
      expect(starts((await list('from=2027-03-01&to=2027-03-06')).body)).toEqual([
        '2027-02-20',
        '2027-03-01',
        '2027-03-06',
      ]);
      expect(starts((await list('from=2027-03-06&to=2027-03-10')).body)).toEqual(['2027-03-06', '2027-03-10']);
      expect(starts((await list('from=2027-03-07&to=2027-03-09')).body)).toEqual([]);
      expect(starts((await list('from=2027-03-20')).body)).toEqual(['2027-03-10', '2027-03-21']);
      expect(starts((await list('to=2027-02-20')).body)).toEqual(['2027-02-20']);
    });

    it('pages from 1 with pageSize, default 100', async () => {
      expect(starts((await list('page=1&pageSize=2')).body)).toEqual(['2027-02-20', '2027-03-01']);
      expect(starts((await list('page=3&pageSize=2')).body)).toEqual(['2027-03-21']);
      expect((await list('page=4&pageSize=2')).body).toEqual([]);
      expect((await list('')).body).toHaveLength(5);
    });
  });

  describe('who sees which absences (as in awork: admins all, members their own)', () => {
    let reader: { id: string; token: string };
    let writer: { id: string; token: string };
    let readersOwn: string;
    let writersManual: string;
    let writersLocked: string;
    beforeAll(async () => {
      reader = await createUser(t, acme.adminToken, { email: 'reader@acme.test' });
      writer = await createUser(t, acme.adminToken, { email: 'writer@acme.test' });
      const body = { startOn: '2028-01-10', endOn: '2028-01-11' };
      readersOwn = (await createAbsence(reader.token, { ...body, userId: reader.id }).expect(201)).body.id;
      writersManual = (await createAbsence(writer.token, { ...body, userId: writer.id }).expect(201)).body.id;
      writersLocked = (await seedLockedAbsence(writer.id)).id;
    });
    const ids = (body: { id: string }[]) => body.map((a) => a.id).sort();

    it('lists only the member’s own absences, while an admin lists the whole workspace', async () => {
      const mine = await t.http.get('/api/v1/absences?pageSize=1000').set(bearer(reader.token)).expect(200);
      const all = await t.http.get('/api/v1/absences?pageSize=1000').set(bearer(acme.adminToken)).expect(200);
      const onlyMine = await t.http.get(`/api/v1/absences?userId=${reader.id}`).set(bearer(reader.token)).expect(200);

      expect(ids(mine.body)).toEqual([readersOwn]);
      expect(ids(onlyMine.body)).toEqual([readersOwn]);
      expect(ids(all.body)).toEqual(expect.arrayContaining([readersOwn, writersManual, writersLocked]));
      expect(new Set(all.body.map((a: { userId: string }) => a.userId)).size).toBeGreaterThan(2);
    });

    it('answers 403 to a member asking for another user’s list, and serves it to an admin', async () => {
      const refused = await t.http.get(`/api/v1/absences?userId=${writer.id}`).set(bearer(reader.token)).expect(403);
      const theirs = await t.http.get(`/api/v1/absences?userId=${writer.id}`).set(bearer(acme.adminToken)).expect(200);

      expect(refused.body.message).toMatch(/only list their own/);
      expect(ids(theirs.body)).toEqual([writersManual, writersLocked].sort());
    });

    it('answers 404 to a member reading another user’s absence by id, manual or from Personio; 200 to the owner and admins', async () => {
      for (const id of [writersManual, writersLocked]) {
        await t.http.get(`/api/v1/absences/${id}`).set(bearer(reader.token)).expect(404);
        await t.http.get(`/api/v1/absences/${id}`).set(bearer(writer.token)).expect(200);
        await t.http.get(`/api/v1/absences/${id}`).set(bearer(acme.adminToken)).expect(200);
      }
    });
  });

  describe('tenant isolation', () => {
    let other: CreatedWorkspace;
    let ourAbsenceId: string;
    beforeAll(async () => {
      other = await createWorkspace(t, { name: 'Other', adminEmail: 'admin@other.test' });
      ourAbsenceId = (
        await createAbsence(member.token, { userId: member.id, startOn: '2027-05-01', endOn: '2027-05-02' }).expect(201)
      ).body.id;
    });

    it('answers 404 for another workspace’s absences and users, and lists nothing of theirs', async () => {
      const intruder = bearer(other.adminToken);
      await t.http.get(`/api/v1/absences/${ourAbsenceId}`).set(intruder).expect(404);
      await t.http.patch(`/api/v1/absences/${ourAbsenceId}`).set(intruder).send({ description: 'x' }).expect(404);
      await t.http.delete(`/api/v1/absences/${ourAbsenceId}`).set(intruder).expect(404);
      await t.http.patch(`/api/v1/users/${member.id}`).set(intruder).send({ name: 'x' }).expect(404);
      await createAbsence(other.adminToken, { userId: member.id, startOn: '2027-05-01', endOn: '2027-05-01' }).expect(
        404,
      );
      const listed = await t.http.get('/api/v1/absences').set(intruder).expect(200);
      expect(listed.body).toEqual([]);
      const users = await t.http.get('/api/v1/users').set(intruder).expect(200);
      expect(users.body.map((u: { email: string }) => u.email)).toEqual(['admin@other.test']);
      await t.http.get(`/api/v1/absences/${ourAbsenceId}`).set(bearer(member.token)).expect(200);
    });
  });
});
