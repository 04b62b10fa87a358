import { PersonioSimulator } from '../../src/personio-simulator';
import { Json } from '../support/json';
import {
  connectPersonio,
  createCompany,
  dayAbsence,
  hourAbsence,
  listAbsences,
  personioAbsences,
  simPerson,
  syncNow,
  startAppWithSimulator,
  stopAppWithSimulator,
} from '../support/personio-fixture';
import { bearer, createUser, createWorkspace, CreatedWorkspace, TestApp } from '../support/test-app';

/**
 * Issue 15 (second half), "Must show": duplicates after connecting listed and resolved (a
 * non-duplicate id refused with nothing deleted), and disconnect keeping history — through HTTP,
 * against the Personio simulator on loopback (clock pinned to 2026-07-21).
 */
describe(`Personio duplicates and disconnect keeping history (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  const integration = '/api/v1/integrations/personio';
  const duplicatesPath = `${integration}/duplicates`;
  const resolvePath = `${duplicatesPath}/resolve`;
  let t: TestApp;
  let sequence = 0;

  beforeAll(async () => {
    t = await startAppWithSimulator(simulator);
  });
  afterAll(() => stopAppWithSimulator(t, simulator));

  async function freshWorkspace(): Promise<{ ws: CreatedWorkspace; domain: string }> {
    const domain = `d${++sequence}.test`;
    const ws = await createWorkspace(t, { name: `D${sequence}`, adminEmail: `admin@${domain}` });
    return { ws, domain };
  }

  async function manualAbsence(token: string, body: Json): Promise<string> {
    const response = await t.http.post('/api/v1/absences').set(bearer(token)).send(body).expect(201);
    return response.body.id;
  }

  async function runs(token: string): Promise<Json[]> {
    return (await t.http.get(`${integration}/runs`).set(bearer(token)).expect(200)).body;
  }

  describe('duplicates after connecting', () => {
    let ws: CreatedWorkspace;
    let admin: () => Record<string, string>;
    let member: { id: string; token: string };
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const fresh = await freshWorkspace();
      ws = fresh.ws;
      admin = () => bearer(ws.adminToken);
      const mia = simPerson(`mia@${fresh.domain}`);
      const otto = simPerson(`otto@${fresh.domain}`);
      const company = createCompany(
        simulator,
        [mia, otto],
        [
          dayAbsence(mia.id, '2026-07-27', '2026-07-31', { id: 'mia-vacation' }),
          // Otto's morning only (09:00–11:30 → isHalfDayOnStart on one day).
          hourAbsence(otto.id, '2026-08-03', '09:00', '11:30', { id: 'otto-morning' }),
          dayAbsence(otto.id, '2026-08-05', '2026-08-05', { id: 'otto-day' }),
        ],
      );
      const miaUser = await createUser(t, ws.adminToken, { email: `mia@${fresh.domain}` });
      const ottoUser = await createUser(t, ws.adminToken, { email: `otto@${fresh.domain}` });
      // Lee has no Personio person: never matched.
      const leeUser = await createUser(t, ws.adminToken, { email: `lee@${fresh.domain}` });
      member = miaUser;
      // The calendar the team kept by hand before connecting.
      ids.miaTrip = await manualAbsence(ws.adminToken, {
        userId: miaUser.id,
        startOn: '2026-07-28',
        endOn: '2026-07-29',
        description: 'Trip (entered by hand)',
      });
      ids.miaDentist = await manualAbsence(ws.adminToken, {
        userId: miaUser.id,
        startOn: '2026-08-10',
        endOn: '2026-08-10',
      });
      ids.leeDay = await manualAbsence(ws.adminToken, {
        userId: leeUser.id,
        startOn: '2026-07-27',
        endOn: '2026-07-27',
      });
      ids.ottoAfternoon = await manualAbsence(ws.adminToken, {
        userId: ottoUser.id,
        startOn: '2026-08-03',
        endOn: '2026-08-03',
        isHalfDayOnEnd: true,
      });
      ids.ottoDays = await manualAbsence(ws.adminToken, {
        userId: ottoUser.id,
        startOn: '2026-08-04',
        endOn: '2026-08-05',
      });
      expect((await connectPersonio(t, ws.adminToken, ws.id, company)).status).toBe(200);
    });

    it('counts them in the setup run and lists each with the transferred absence beside it', async () => {
      const [setup] = await runs(ws.adminToken);
      expect(setup).toMatchObject({ trigger: 'setup', status: 'succeeded', created: 3, duplicates: 2 });
      const status = (await t.http.get(integration).set(admin()).expect(200)).body;
      expect(status.lastRun.duplicates).toBe(2);

      const listed: Json[] = (await t.http.get(duplicatesPath).set(admin()).expect(200)).body;
      expect(listed).toEqual([
        {
          manual: expect.objectContaining({ id: ids.miaTrip, startOn: '2026-07-28', endOn: '2026-07-29' }),
          transferred: expect.objectContaining({
            externalId: 'mia-vacation',
            startOn: '2026-07-27',
            endOn: '2026-07-31',
          }),
        },
        {
          manual: expect.objectContaining({ id: ids.ottoDays }),
          transferred: expect.objectContaining({ externalId: 'otto-day', startOn: '2026-08-05' }),
        },
      ]);
      // Otto's manual afternoon beside his Personio morning is no duplicate; Lee is not matched.
      const listedIds = listed.map((entry) => entry.manual.id);
      expect(listedIds).not.toContain(ids.ottoAfternoon);
      expect(listedIds).not.toContain(ids.leeDay);
    });

    it('is for admins only and validates the body, naming the field', async () => {
      await t.http.get(duplicatesPath).set(bearer(member.token)).expect(403);
      await t.http
        .post(resolvePath)
        .set(bearer(member.token))
        .send({ absenceIds: [ids.miaTrip] })
        .expect(403);
      await t.http.get(duplicatesPath).expect(401);
      for (const body of [
        {},
        { absenceIds: 'all' },
        { absenceIds: [] },
        { absenceIds: ['not-a-uuid'] },
        { absenceIds: [42] },
        { absenceIds: [ids.miaTrip], extra: true },
        { absenceIds: Array.from({ length: 1001 }, () => ids.miaTrip) },
      ]) {
        const response = await t.http.post(resolvePath).set(admin()).send(body);
        expect({ body, status: response.status }).toEqual({ body, status: 400 });
        expect(JSON.stringify(response.body.message)).toMatch(/absenceIds|extra/);
      }
      const unconnected = await freshWorkspace();
      await t.http.get(duplicatesPath).set(bearer(unconnected.ws.adminToken)).expect(404);
    });

    it('refuses the whole request, naming the ids, when one is not such a duplicate, and deletes nothing', async () => {
      const before = await listAbsences(t, ws.adminToken);
      const transferredId = String((await personioAbsences(t, ws.adminToken))[0].id);
      const other = await freshWorkspace();
      const stranger = await createUser(t, other.ws.adminToken, { email: `x@${other.domain}` });
      const foreignId = await manualAbsence(other.ws.adminToken, {
        userId: stranger.id,
        startOn: '2026-07-28',
        endOn: '2026-07-28',
      });
      const missingId = '00000000-0000-4000-8000-000000000000';
      for (const refused of [ids.miaDentist, ids.leeDay, ids.ottoAfternoon, transferredId, foreignId, missingId]) {
        const response = await t.http
          .post(resolvePath)
          .set(admin())
          .send({ absenceIds: [ids.miaTrip, refused] })
          .expect(400);
        expect(response.body.message).toContain(refused);
        expect(response.body.message).not.toContain(ids.miaTrip);
        expect(response.body.notDuplicates).toEqual([refused]);
      }
      expect(await listAbsences(t, ws.adminToken)).toEqual(before);
      expect(await listAbsences(t, other.ws.adminToken)).toHaveLength(1);
    });

    it('checks at the moment of resolving: a duplicate edited away meanwhile is refused', async () => {
      const moved = await manualAbsence(ws.adminToken, {
        userId: member.id,
        startOn: '2026-07-30',
        endOn: '2026-07-30',
      });
      expect((await t.http.get(duplicatesPath).set(admin()).expect(200)).body).toHaveLength(3);
      await t.http
        .patch(`/api/v1/absences/${moved}`)
        .set(admin())
        .send({ startOn: '2026-08-20', endOn: '2026-08-20' })
        .expect(200);
      const response = await t.http
        .post(resolvePath)
        .set(admin())
        .send({ absenceIds: [moved] })
        .expect(400);
      expect(response.body.notDuplicates).toEqual([moved]);
      await t.http.get(`/api/v1/absences/${moved}`).set(admin()).expect(200);
    });

    it('ends consistently when an edit races the resolve: deleted (the edit then 404), or moved and kept (the resolve 400)', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await manualAbsence(ws.adminToken, {
          userId: member.id,
          startOn: '2026-07-30',
          endOn: '2026-07-30',
        });
        const [edit, resolve] = await Promise.all([
          t.http.patch(`/api/v1/absences/${id}`).set(admin()).send({ startOn: '2026-08-20', endOn: '2026-08-20' }),
          t.http
            .post(resolvePath)
            .set(admin())
            .send({ absenceIds: [id] }),
        ]);
        const after = await t.http.get(`/api/v1/absences/${id}`).set(admin());
        if (resolve.status === 200) {
          expect({ edit: edit.status, after: after.status }).toEqual({ edit: 404, after: 404 });
        } else {
          expect({ edit: edit.status, resolve: resolve.status, after: after.status }).toEqual({
            edit: 200,
            resolve: 400,
            after: 200,
          });
          expect(after.body.startOn).toBe('2026-08-20');
          await t.http.delete(`/api/v1/absences/${id}`).set(admin()).expect(204);
        }
      }
    });

    it('deletes exactly the listed manual ones, and the next run counts none', async () => {
      const transferredBefore = await personioAbsences(t, ws.adminToken);
      const response = await t.http
        .post(resolvePath)
        .set(admin())
        .send({ absenceIds: [ids.miaTrip, ids.ottoDays, ids.miaTrip] })
        .expect(200);
      expect(response.body).toEqual({ deleted: 2, absenceIds: [ids.miaTrip, ids.ottoDays] });
      await t.http.get(`/api/v1/absences/${ids.miaTrip}`).set(admin()).expect(404);
      await t.http.get(`/api/v1/absences/${ids.ottoDays}`).set(admin()).expect(404);
      for (const kept of [ids.miaDentist, ids.leeDay, ids.ottoAfternoon])
        await t.http.get(`/api/v1/absences/${kept}`).set(admin()).expect(200);
      expect(await personioAbsences(t, ws.adminToken)).toEqual(transferredBefore);
      expect((await t.http.get(duplicatesPath).set(admin()).expect(200)).body).toEqual([]);
      expect(await syncNow(t, ws.adminToken)).toMatchObject({ status: 'succeeded', duplicates: 0 });
      // Already gone: resolving again is refused, not a silent success.
      await t.http
        .post(resolvePath)
        .set(admin())
        .send({ absenceIds: [ids.miaTrip] })
        .expect(400);
    });
  });

  describe('DELETE ?keepAbsences=true', () => {
    it('validates the flag, naming it', async () => {
      const { ws } = await freshWorkspace();
      for (const value of ['yes', '1', 'TRUE', '']) {
        const response = await t.http.delete(`${integration}?keepAbsences=${value}`).set(bearer(ws.adminToken));
        expect({ value, status: response.status }).toEqual({ value, status: 400 });
        expect(JSON.stringify(response.body.message)).toContain('keepAbsences');
      }
      const twice = await t.http
        .delete(`${integration}?keepAbsences=true&keepAbsences=false`)
        .set(bearer(ws.adminToken));
      expect(twice.status).toBe(400);
      // A valid flag on a workspace that is not connected: 404 as before.
      await t.http.delete(`${integration}?keepAbsences=false`).set(bearer(ws.adminToken)).expect(404);
    });

    it('keeps the transferred absences as editable manual ones, which a reconnect lists as duplicates to resolve', async () => {
      const { ws, domain } = await freshWorkspace();
      const mia = simPerson(`mia@${domain}`);
      const company = createCompany(
        simulator,
        [mia],
        [
          dayAbsence(mia.id, '2026-07-27', '2026-07-31', { id: 'keep-1', comment: 'Family trip' }),
          dayAbsence(mia.id, '2026-08-10', '2026-08-11', { id: 'keep-2' }),
          dayAbsence(mia.id, '2026-09-01', '2026-09-01', { id: 'keep-3' }),
        ],
      );
      const miaUser = await createUser(t, ws.adminToken, { email: `mia@${domain}` });
      expect((await connectPersonio(t, ws.adminToken, ws.id, company)).status).toBe(200);
      const transferred = await personioAbsences(t, ws.adminToken);
      expect(transferred).toHaveLength(3);

      await t.http.delete(`${integration}?keepAbsences=true`).set(bearer(ws.adminToken)).expect(204);
      await t.http.get(integration).set(bearer(ws.adminToken)).expect(404);
      const kept = await listAbsences(t, ws.adminToken);
      expect(kept.map((a) => a.id).sort()).toEqual(transferred.map((a) => a.id).sort());
      for (const absence of kept)
        expect(absence).toMatchObject({
          externalProvider: null,
          externalId: null,
          isReadOnly: false,
          userId: miaUser.id,
        });
      expect(kept.find((a) => a.startOn === '2026-07-27')!.description).toBe('Paid vacation: Family trip');

      // Editable now, through the host API, by the admin and by their owner.
      const [trip, days, single] = [...kept].sort((a, b) => String(a.startOn).localeCompare(String(b.startOn)));
      await t.http
        .patch(`/api/v1/absences/${trip.id}`)
        .set(bearer(ws.adminToken))
        .send({ description: 'Family trip (kept)' })
        .expect(200);
      await t.http
        .patch(`/api/v1/absences/${days.id}`)
        .set(bearer(miaUser.token))
        .send({ endOn: '2026-08-12' })
        .expect(200);
      await t.http.delete(`/api/v1/absences/${single.id}`).set(bearer(ws.adminToken)).expect(204);

      // Reconnecting the same company transfers the periods again beside the kept copies (a sync
      // never touches manual absences); the duplicates feature finds exactly those and removes them.
      expect((await connectPersonio(t, ws.adminToken, ws.id, company)).status).toBe(200);
      const [setup] = await runs(ws.adminToken);
      expect(setup).toMatchObject({ trigger: 'setup', status: 'succeeded', created: 3, duplicates: 2 });
      const listed: Json[] = (await t.http.get(duplicatesPath).set(bearer(ws.adminToken)).expect(200)).body;
      expect(listed.map((d) => [d.manual.id, d.transferred.externalId])).toEqual([
        [trip.id, 'keep-1'],
        [days.id, 'keep-2'],
      ]);
      await t.http
        .post(resolvePath)
        .set(bearer(ws.adminToken))
        .send({ absenceIds: listed.map((d) => d.manual.id) })
        .expect(200);
      const after = await listAbsences(t, ws.adminToken);
      expect(after).toHaveLength(3);
      expect(after.every((a) => a.externalProvider === 'personio')).toBe(true);
      expect(await syncNow(t, ws.adminToken)).toMatchObject({ status: 'succeeded', duplicates: 0, created: 0 });
    });

    it('without the flag deletes the transferred absences as before', async () => {
      const { ws, domain } = await freshWorkspace();
      const mia = simPerson(`mia@${domain}`);
      const company = createCompany(simulator, [mia], [dayAbsence(mia.id, '2026-07-27', '2026-07-31')]);
      const miaUser = await createUser(t, ws.adminToken, { email: `mia@${domain}` });
      const manual = await manualAbsence(ws.adminToken, {
        userId: miaUser.id,
        startOn: '2026-09-01',
        endOn: '2026-09-01',
      });
      expect((await connectPersonio(t, ws.adminToken, ws.id, company)).status).toBe(200);
      expect(await personioAbsences(t, ws.adminToken)).toHaveLength(1);
      await t.http.delete(`${integration}?keepAbsences=false`).set(bearer(ws.adminToken)).expect(204);
      expect((await listAbsences(t, ws.adminToken)).map((a) => a.id)).toEqual([manual]);
    });
  });
});
