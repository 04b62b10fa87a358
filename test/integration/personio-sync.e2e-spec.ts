import { PersonioSimulator, SimAbsencePeriod, SimPerson } from '../../src/personio-simulator';
import { eventually } from '../support/eventually';
import { Json } from '../support/json';
import { Absence } from '../../src/host/absences/absence.entity';
import { PersonMatchStore } from '../../src/integrations/personio/matching/person-match.store';
import { SyncClaimsService } from '../../src/integrations/personio/sync/sync-claims.service';
import { SyncRun } from '../../src/integrations/personio/sync/sync-run.entity';
import { SyncRunRecorder } from '../../src/integrations/personio/sync/sync-run.recorder';
import { randomUUID } from 'node:crypto';
import {
  connectPersonio,
  createCompany,
  dayAbsence,
  HOME_OFFICE_TYPE,
  hourAbsence,
  listAbsences,
  PersonioCompany,
  personioAbsences,
  simPerson,
  syncNow,
  startAppWithSimulator,
  stopAppWithSimulator,
} from '../support/personio-fixture';
import { bearer, createUser, createWorkspace, CreatedWorkspace, TestApp } from '../support/test-app';

/**
 * Issue 5 "Must show": the sync engine end to end — real app over HTTP, the Personio simulator on
 * loopback, the clock pinned (default now 2026-07-21T10:00:00Z).
 */
describe(`Personio sync end to end (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  const integration = '/api/v1/integrations/personio';
  let t: TestApp;
  let sequence = 0;

  beforeAll(async () => {
    t = await startAppWithSimulator(simulator);
  });
  afterAll(() => stopAppWithSimulator(t, simulator));
  beforeEach(() => t.clock.set('2026-07-21T10:00:00Z'));

  interface World {
    ws: CreatedWorkspace;
    company: PersonioCompany;
    domain: string;
    admin: () => Record<string, string>;
  }

  /** A fresh workspace on Business, an empty Personio company, connected (setup sync done). */
  async function world(timeZone = 'Europe/Berlin'): Promise<World> {
    const domain = `w${++sequence}.test`;
    const ws = await createWorkspace(t, {
      name: `W${sequence}`,
      plan: 'business',
      timeZone,
      adminEmail: `admin@${domain}`,
    });
    const company = createCompany(simulator);
    const response = await connectPersonio(t, ws.adminToken, ws.id, company);
    expect(response.status).toBe(200);
    return { ws, company, domain, admin: () => bearer(ws.adminToken) };
  }

  /** A Personio person and the awork user with the same account e-mail. */
  async function matchedPerson(
    w: World,
    local: string,
  ): Promise<{ person: SimPerson; userId: string; token: string; email: string }> {
    const email = `${local}@${w.domain}`;
    const person = simPerson(email);
    simulator.upsertPerson(w.company.companyId, person);
    const user = await createUser(t, w.ws.adminToken, { email });
    return { person, userId: user.id, token: user.token, email };
  }

  function put(w: World, ...periods: SimAbsencePeriod[]) {
    for (const period of periods) simulator.upsertAbsencePeriod(w.company.companyId, period);
  }

  const byExternalId = (absences: Array<Json>) => Object.fromEntries(absences.map((a) => [a.externalId, a]));
  const counts = (run: Json) => ({
    status: run.status,
    created: run.created,
    updated: run.updated,
    deleted: run.deleted,
    unchanged: run.unchanged,
    skipped: run.skipped,
  });

  /** POST /sync held while fetching absence periods: the caller acts at that point, then releases it. */
  async function syncHeldWhileFetching(w: World) {
    simulator.hold({ endpoint: '/v2/absence-periods', times: 1 }, w.company.companyId);
    const running = t.http
      .post(`${integration}/sync`)
      .set(w.admin())
      .then((r) => r);
    await simulator.whenHeld(w.company.companyId);
    // Wrapped: an async function returning the pending response would wait for it.
    return { running };
  }

  // ---------------------------------------------------------------------------------------------
  describe('the window', () => {
    it("the seed's example: today 21.07 in Europe/Berlin → window 07.07..17.01, overlap decides", async () => {
      const w = await world('Europe/Berlin');
      const mia = await matchedPerson(w, 'mia');
      const overlapsStart = dayAbsence(mia.person.id, '2026-07-05', '2026-07-10');
      const endsBefore = dayAbsence(mia.person.id, '2026-07-01', '2026-07-06');
      const lastWindowDay = dayAbsence(mia.person.id, '2027-01-17', '2027-01-20');
      const afterWindow = dayAbsence(mia.person.id, '2027-01-18', '2027-01-19');
      const firstWindowDay = dayAbsence(mia.person.id, '2026-07-07', '2026-07-07');
      put(w, overlapsStart, endsBefore, lastWindowDay, afterWindow, firstWindowDay);

      const run = await syncNow(t, w.ws.adminToken);
      expect(run).toMatchObject({
        trigger: 'manual',
        status: 'succeeded',
        windowStart: '2026-07-07',
        windowEnd: '2027-01-17',
        error: null,
      });
      expect(counts(run)).toEqual({
        status: 'succeeded',
        created: 3,
        updated: 0,
        deleted: 0,
        unchanged: 0,
        skipped: 0,
      });

      const absences = byExternalId(await personioAbsences(t, w.ws.adminToken));
      expect(Object.keys(absences).sort()).toEqual([overlapsStart.id, lastWindowDay.id, firstWindowDay.id].sort());
      // Transferred whole, even where it sticks out of the window.
      expect(absences[overlapsStart.id]).toMatchObject({
        userId: mia.userId,
        startOn: '2026-07-05',
        endOn: '2026-07-10',
      });
      expect(absences[lastWindowDay.id]).toMatchObject({
        userId: mia.userId,
        startOn: '2027-01-17',
        endOn: '2027-01-20',
      });
      expect(absences[firstWindowDay.id]).toMatchObject({ startOn: '2026-07-07', endOn: '2026-07-07' });
    });

    it('Pacific/Kiritimati (UTC+14): at 2026-07-20T12:00Z its date is already 21.07 → window 07.07..17.01', async () => {
      t.clock.set('2026-07-20T12:00:00Z');
      const w = await world('Pacific/Kiritimati');
      const kai = await matchedPerson(w, 'kai');
      const endsOn0606 = dayAbsence(kai.person.id, '2026-07-01', '2026-07-06');
      const endsOn0707 = dayAbsence(kai.person.id, '2026-07-02', '2026-07-07');
      const starts1701 = dayAbsence(kai.person.id, '2027-01-17', '2027-01-17');
      const starts1801 = dayAbsence(kai.person.id, '2027-01-18', '2027-01-18');
      put(w, endsOn0606, endsOn0707, starts1701, starts1801);

      const run = await syncNow(t, w.ws.adminToken);
      expect(run).toMatchObject({ status: 'succeeded', windowStart: '2026-07-07', windowEnd: '2027-01-17' });
      expect((await personioAbsences(t, w.ws.adminToken)).map((a) => a.externalId).sort()).toEqual(
        [endsOn0707.id, starts1701.id].sort(),
      );
    });

    it('Pacific/Pago_Pago (UTC−11): at 2026-07-21T08:00Z its date is still 20.07 → window 06.07..16.01', async () => {
      t.clock.set('2026-07-21T08:00:00Z');
      const w = await world('Pacific/Pago_Pago');
      const pia = await matchedPerson(w, 'pia');
      const endsOn0506 = dayAbsence(pia.person.id, '2026-07-01', '2026-07-05');
      const endsOn0606 = dayAbsence(pia.person.id, '2026-07-01', '2026-07-06');
      const starts1601 = dayAbsence(pia.person.id, '2027-01-16', '2027-01-16');
      const starts1701 = dayAbsence(pia.person.id, '2027-01-17', '2027-01-17');
      put(w, endsOn0506, endsOn0606, starts1601, starts1701);

      const run = await syncNow(t, w.ws.adminToken);
      expect(run).toMatchObject({ status: 'succeeded', windowStart: '2026-07-06', windowEnd: '2027-01-16' });
      expect((await personioAbsences(t, w.ws.adminToken)).map((a) => a.externalId).sort()).toEqual(
        [endsOn0606.id, starts1601.id].sort(),
      );
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('changes between syncs', () => {
    it('create, change (dates, half days, comment, type) and delete in Personio → awork follows, same awork ids, exact counts', async () => {
      const w = await world();
      const ana = await matchedPerson(w, 'ana');
      const moved = dayAbsence(ana.person.id, '2026-07-27', '2026-07-31');
      const halved = dayAbsence(ana.person.id, '2026-08-10', '2026-08-12');
      const commented = dayAbsence(ana.person.id, '2026-08-17', '2026-08-17');
      const retyped = dayAbsence(ana.person.id, '2026-09-01', '2026-09-01');
      const deleted = dayAbsence(ana.person.id, '2026-09-14', '2026-09-18');
      const untouched = dayAbsence(ana.person.id, '2026-10-05', '2026-10-09');
      put(w, moved, halved, commented, retyped, deleted, untouched);

      const first = await syncNow(t, w.ws.adminToken);
      expect(counts(first)).toEqual({
        status: 'succeeded',
        created: 6,
        updated: 0,
        deleted: 0,
        unchanged: 0,
        skipped: 0,
      });
      const before = byExternalId(await personioAbsences(t, w.ws.adminToken));

      const c = w.company.companyId;
      simulator.updateAbsencePeriod(c, moved.id, {
        startsFrom: { dateTime: '2026-07-28T00:00:00', type: 'FIRST_HALF' },
        endsAt: { dateTime: '2026-08-04T00:00:00', type: 'SECOND_HALF' },
      });
      simulator.updateAbsencePeriod(c, halved.id, {
        startsFrom: { dateTime: '2026-08-10T00:00:00', type: 'SECOND_HALF' },
        endsAt: { dateTime: '2026-08-13T00:00:00', type: 'FIRST_HALF' },
      });
      simulator.updateAbsencePeriod(c, commented.id, { comment: 'Dentist' });
      simulator.updateAbsencePeriod(c, retyped.id, { absenceTypeId: HOME_OFFICE_TYPE.id });
      simulator.deleteAbsencePeriod(c, deleted.id);
      const added = dayAbsence(ana.person.id, '2026-11-02', '2026-11-03');
      put(w, added);

      const second = await syncNow(t, w.ws.adminToken);
      expect(counts(second)).toEqual({
        status: 'succeeded',
        created: 1,
        updated: 4,
        deleted: 1,
        unchanged: 1,
        skipped: 0,
      });

      const after = byExternalId(await personioAbsences(t, w.ws.adminToken));
      expect(Object.keys(after).sort()).toEqual(
        [moved.id, halved.id, commented.id, retyped.id, untouched.id, added.id].sort(),
      );
      for (const id of [moved.id, halved.id, commented.id, retyped.id, untouched.id])
        expect(after[id].id).toBe(before[id].id);
      expect(after[moved.id]).toMatchObject({
        startOn: '2026-07-28',
        endOn: '2026-08-03',
        isHalfDayOnStart: false,
        isHalfDayOnEnd: false,
      });
      expect(after[halved.id]).toMatchObject({
        startOn: '2026-08-10',
        endOn: '2026-08-12',
        isHalfDayOnStart: true,
        isHalfDayOnEnd: true,
      });
      expect(after[commented.id].description).toBe('Paid vacation: Dentist');
      expect(after[retyped.id].description).toBe('Home office');
      expect(after[untouched.id]).toEqual(before[untouched.id]);
      expect(after[added.id]).toMatchObject({
        userId: ana.userId,
        startOn: '2026-11-02',
        endOn: '2026-11-03',
        externalProvider: 'personio',
      });
      // The deleted one is gone from the database too, not only from the listing.
      expect(await t.dataSource.getRepository(Absence).countBy({ workspaceId: w.ws.id, externalId: deleted.id })).toBe(
        0,
      );
    });

    it('rejected and pending absences are not transferred; an approved one later REJECTED is removed', async () => {
      const w = await world();
      const rui = await matchedPerson(w, 'rui');
      const approved = dayAbsence(rui.person.id, '2026-08-03', '2026-08-05');
      const laterRejected = dayAbsence(rui.person.id, '2026-08-10', '2026-08-11');
      const rejected = dayAbsence(rui.person.id, '2026-08-17', '2026-08-18', { approvalStatus: 'REJECTED' });
      const pending = dayAbsence(rui.person.id, '2026-08-24', '2026-08-25', { approvalStatus: 'PENDING' });
      put(w, approved, laterRejected, rejected, pending);

      const first = await syncNow(t, w.ws.adminToken);
      expect(first).toMatchObject({ status: 'succeeded', created: 2, updated: 0, deleted: 0 });
      expect((await personioAbsences(t, w.ws.adminToken)).map((a) => a.externalId).sort()).toEqual(
        [approved.id, laterRejected.id].sort(),
      );

      simulator.updateAbsencePeriod(w.company.companyId, laterRejected.id, { approvalStatus: 'REJECTED' });
      const second = await syncNow(t, w.ws.adminToken);
      expect(second).toMatchObject({ status: 'succeeded', created: 0, updated: 0, deleted: 1, unchanged: 1 });
      expect((await personioAbsences(t, w.ws.adminToken)).map((a) => a.externalId)).toEqual([approved.id]);

      // A pending one approved later arrives on the next sync.
      simulator.updateAbsencePeriod(w.company.companyId, pending.id, { approvalStatus: 'APPROVED' });
      const third = await syncNow(t, w.ws.adminToken);
      expect(third).toMatchObject({ status: 'succeeded', created: 1, deleted: 0, unchanged: 1 });
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('mapping (PRODUCT.md §3) through the whole pipeline', () => {
    it('half days, comments, hour absences, and every transferred absence source-locked with its Personio id', async () => {
      const w = await world();
      const eva = await matchedPerson(w, 'eva');
      const p = eva.person.id;
      const halfStart = dayAbsence(p, '2026-08-03', '2026-08-05', {
        startsFrom: { dateTime: '2026-08-03T00:00:00', type: 'SECOND_HALF' },
      });
      const halfEnd = dayAbsence(p, '2026-08-10', '2026-08-12', {
        endsAt: { dateTime: '2026-08-13T00:00:00', type: 'FIRST_HALF' },
      });
      const oneHalfDay = dayAbsence(p, '2026-08-14', '2026-08-14', {
        endsAt: { dateTime: '2026-08-15T00:00:00', type: 'FIRST_HALF' },
      });
      const withComment = dayAbsence(p, '2026-08-17', '2026-08-21', { comment: 'Beach week' });
      const blankComment = dayAbsence(p, '2026-08-24', '2026-08-24', { comment: '   ' });
      const morning = hourAbsence(p, '2026-09-01', '09:00', '11:30');
      const afternoon = hourAbsence(p, '2026-09-02', '13:00', '17:00', { comment: 'Plumber' });
      const allDay = hourAbsence(p, '2026-09-03', '09:00', '17:00');
      put(w, halfStart, halfEnd, oneHalfDay, withComment, blankComment, morning, afternoon, allDay);

      const run = await syncNow(t, w.ws.adminToken);
      expect(counts(run)).toEqual({
        status: 'succeeded',
        created: 8,
        updated: 0,
        deleted: 0,
        unchanged: 0,
        skipped: 0,
      });
      const all = await personioAbsences(t, w.ws.adminToken);
      const a = byExternalId(all);
      const fields = (x: Json) => ({
        startOn: x.startOn,
        endOn: x.endOn,
        isHalfDayOnStart: x.isHalfDayOnStart,
        isHalfDayOnEnd: x.isHalfDayOnEnd,
        description: x.description,
      });
      expect(fields(a[halfStart.id])).toEqual({
        startOn: '2026-08-03',
        endOn: '2026-08-05',
        isHalfDayOnStart: true,
        isHalfDayOnEnd: false,
        description: 'Paid vacation',
      });
      expect(fields(a[halfEnd.id])).toEqual({
        startOn: '2026-08-10',
        endOn: '2026-08-12',
        isHalfDayOnStart: false,
        isHalfDayOnEnd: true,
        description: 'Paid vacation',
      });
      // One day: awork's isHalfDayOnStart is the morning (FIRST_HALF end = off until midday).
      expect(fields(a[oneHalfDay.id])).toEqual({
        startOn: '2026-08-14',
        endOn: '2026-08-14',
        isHalfDayOnStart: true,
        isHalfDayOnEnd: false,
        description: 'Paid vacation',
      });
      expect(fields(a[withComment.id])).toEqual({
        startOn: '2026-08-17',
        endOn: '2026-08-21',
        isHalfDayOnStart: false,
        isHalfDayOnEnd: false,
        description: 'Paid vacation: Beach week',
      });
      expect(fields(a[blankComment.id]).description).toBe('Paid vacation');
      expect(fields(a[morning.id])).toEqual({
        startOn: '2026-09-01',
        endOn: '2026-09-01',
        isHalfDayOnStart: true,
        isHalfDayOnEnd: false,
        description: 'Home office (09:00–11:30)',
      });
      expect(fields(a[afternoon.id])).toEqual({
        startOn: '2026-09-02',
        endOn: '2026-09-02',
        isHalfDayOnStart: false,
        isHalfDayOnEnd: true,
        description: 'Home office (13:00–17:00): Plumber',
      });
      expect(fields(a[allDay.id])).toEqual({
        startOn: '2026-09-03',
        endOn: '2026-09-03',
        isHalfDayOnStart: false,
        isHalfDayOnEnd: false,
        description: 'Home office (09:00–17:00)',
      });

      for (const absence of all) {
        expect(absence).toMatchObject({ userId: eva.userId, externalProvider: 'personio', isReadOnly: true });
      }
      expect(all.map((x) => x.externalId).sort()).toEqual(
        [halfStart, halfEnd, oneHalfDay, withComment, blankComment, morning, afternoon, allDay].map((x) => x.id).sort(),
      );
      // Source-locked: refused through the host routes.
      const locked = await t.http
        .patch(`/api/v1/absences/${a[halfStart.id].id}`)
        .set(w.admin())
        .send({ description: 'x' })
        .expect(403);
      expect(locked.body.message).toMatch(/Personio/);
    });

    it('open-ended (ends_at null) → endOn = window end, extended as the window moves', async () => {
      const w = await world();
      const ole = await matchedPerson(w, 'ole');
      const open = dayAbsence(ole.person.id, '2026-08-01', '2026-08-01', { endsAt: null, comment: 'Parental leave' });
      put(w, open);

      const first = await syncNow(t, w.ws.adminToken);
      expect(first).toMatchObject({ status: 'succeeded', windowEnd: '2027-01-17', created: 1 });
      const [before] = await personioAbsences(t, w.ws.adminToken);
      expect(before).toMatchObject({
        externalId: open.id,
        startOn: '2026-08-01',
        endOn: '2027-01-17',
        isHalfDayOnStart: false,
        isHalfDayOnEnd: false,
        description: 'Paid vacation: Parental leave',
      });

      t.clock.set('2026-07-22T10:00:00Z');
      const second = await syncNow(t, w.ws.adminToken);
      expect(second).toMatchObject({
        status: 'succeeded',
        windowStart: '2026-07-08',
        windowEnd: '2027-01-18',
        created: 0,
        updated: 1,
        deleted: 0,
        unchanged: 0,
      });
      const [after] = await personioAbsences(t, w.ws.adminToken);
      expect(after).toMatchObject({ id: before.id, startOn: '2026-08-01', endOn: '2027-01-18' });
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('bulk writes keep every character', () => {
    it('stores comments with quotes, backslashes, braces, commas, NULL-like words and emoji exactly, on create and on update', async () => {
      const w = await world();
      const { person } = await matchedPerson(w, 'quotes');
      const tricky = 'He said "NULL", {a,b} \\ back\\slash, it\'s 🌴 — done';
      const absence = dayAbsence(person.id, '2026-08-03', '2026-08-04', { comment: tricky });
      put(w, absence);
      expect(await syncNow(t, w.ws.adminToken)).toMatchObject({ created: 1 });
      expect((await personioAbsences(t, w.ws.adminToken))[0].description).toBe(`Paid vacation: ${tricky}`);

      simulator.updateAbsencePeriod(w.company.companyId, absence.id, { comment: `${tricky} (again)` });
      expect(await syncNow(t, w.ws.adminToken)).toMatchObject({ updated: 1 });
      expect((await personioAbsences(t, w.ws.adminToken))[0].description).toBe(`Paid vacation: ${tricky} (again)`);
    });
  });

  describe('hide absence details', () => {
    it('on → descriptions null at once (before any sync), a sync keeps them null; off → restored on the next sync', async () => {
      const w = await world();
      const ida = await matchedPerson(w, 'ida');
      const vacation = dayAbsence(ida.person.id, '2026-08-03', '2026-08-07', { comment: 'Lisbon' });
      const home = hourAbsence(ida.person.id, '2026-08-11', '09:00', '11:30');
      put(w, vacation, home);
      await syncNow(t, w.ws.adminToken);
      const shown = byExternalId(await personioAbsences(t, w.ws.adminToken));
      expect(shown[vacation.id].description).toBe('Paid vacation: Lisbon');
      expect(shown[home.id].description).toBe('Home office (09:00–11:30)');

      // A manual absence keeps its description whatever the setting.
      const manual = await t.http
        .post('/api/v1/absences')
        .set(w.admin())
        .send({ userId: ida.userId, startOn: '2026-09-01', endOn: '2026-09-01', description: 'Manual note' })
        .expect(201);

      const patched = await t.http.patch(integration).set(w.admin()).send({ hideAbsenceDetails: true }).expect(200);
      expect(patched.body.hideAbsenceDetails).toBe(true);
      const hidden = byExternalId(await personioAbsences(t, w.ws.adminToken));
      expect(hidden[vacation.id]).toMatchObject({
        id: shown[vacation.id].id,
        description: null,
        startOn: '2026-08-03',
        endOn: '2026-08-07',
      });
      expect(hidden[home.id]).toMatchObject({ id: shown[home.id].id, description: null, isHalfDayOnStart: true });

      const hiddenRun = await syncNow(t, w.ws.adminToken);
      expect(counts(hiddenRun)).toEqual({
        status: 'succeeded',
        created: 0,
        updated: 0,
        deleted: 0,
        unchanged: 2,
        skipped: 0,
      });
      const stillHidden = byExternalId(await personioAbsences(t, w.ws.adminToken));
      expect(stillHidden[vacation.id].description).toBeNull();
      expect(stillHidden[home.id]).toMatchObject({
        description: null,
        startOn: '2026-08-11',
        endOn: '2026-08-11',
        isHalfDayOnStart: true,
      });

      await t.http.patch(integration).set(w.admin()).send({ hideAbsenceDetails: false }).expect(200);
      expect((await personioAbsences(t, w.ws.adminToken)).map((a) => a.description)).toEqual([null, null]);
      const shownRun = await syncNow(t, w.ws.adminToken);
      expect(counts(shownRun)).toEqual({
        status: 'succeeded',
        created: 0,
        updated: 2,
        deleted: 0,
        unchanged: 0,
        skipped: 0,
      });
      const restored = byExternalId(await personioAbsences(t, w.ws.adminToken));
      expect(restored[vacation.id]).toMatchObject({ id: shown[vacation.id].id, description: 'Paid vacation: Lisbon' });
      expect(restored[home.id]).toMatchObject({ id: shown[home.id].id, description: 'Home office (09:00–11:30)' });

      const manualAfter = await t.http.get(`/api/v1/absences/${manual.body.id}`).set(w.admin()).expect(200);
      expect(manualAfter.body.description).toBe('Manual note');
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('matching follows awork e-mails', () => {
    it('the match moves with the e-mail (same awork id), a lost match removes in-window absences, unmatched are counted as skipped', async () => {
      const w = await world();
      const first = await createUser(t, w.ws.adminToken, { email: `jo@${w.domain}` });
      const second = await createUser(t, w.ws.adminToken, { email: `other@${w.domain}` });
      const jo = simPerson(`jo@${w.domain}`);
      const stranger = simPerson(`stranger@${w.domain}`);
      const noEmail = simPerson(null);
      simulator.upsertPerson(w.company.companyId, jo);
      simulator.upsertPerson(w.company.companyId, stranger);
      simulator.upsertPerson(w.company.companyId, noEmail);
      const joAbsence = dayAbsence(jo.id, '2026-08-03', '2026-08-04');
      const joHistory = dayAbsence(jo.id, '2026-07-20', '2026-07-24');
      put(
        w,
        joAbsence,
        joHistory,
        dayAbsence(stranger.id, '2026-08-10', '2026-08-11'),
        dayAbsence(stranger.id, '2026-09-10', '2026-09-11'),
        dayAbsence(noEmail.id, '2026-08-20', '2026-08-20'),
      );

      const run1 = await syncNow(t, w.ws.adminToken);
      expect(counts(run1)).toEqual({
        status: 'succeeded',
        created: 2,
        updated: 0,
        deleted: 0,
        unchanged: 0,
        skipped: 3,
      });
      const before = byExternalId(await personioAbsences(t, w.ws.adminToken));
      expect(before[joAbsence.id].userId).toBe(first.id);

      // The e-mail moves from the first user to the second (each changes their own address).
      await t.http
        .patch('/api/v1/users/me')
        .set(bearer(first.token))
        .send({ email: `jo.old@${w.domain}` })
        .expect(200);
      await t.http
        .patch('/api/v1/users/me')
        .set(bearer(second.token))
        .send({ email: `JO@${w.domain}` })
        .expect(200);
      const run2 = await syncNow(t, w.ws.adminToken);
      expect(counts(run2)).toEqual({
        status: 'succeeded',
        created: 0,
        updated: 2,
        deleted: 0,
        unchanged: 0,
        skipped: 3,
      });
      const moved = byExternalId(await personioAbsences(t, w.ws.adminToken));
      expect(moved[joAbsence.id]).toMatchObject({
        id: before[joAbsence.id].id,
        userId: second.id,
        startOn: '2026-08-03',
        endOn: '2026-08-04',
      });
      expect(moved[joHistory.id]).toMatchObject({ id: before[joHistory.id].id, userId: second.id });

      // Two weeks later the July absence is behind the window; then the match disappears.
      t.clock.set('2026-08-10T10:00:00Z'); // window 2026-07-27..
      await t.http
        .patch('/api/v1/users/me')
        .set(bearer(second.token))
        .send({ email: `other@${w.domain}` })
        .expect(200);
      const run3 = await syncNow(t, w.ws.adminToken);
      expect(counts(run3)).toEqual({
        status: 'succeeded',
        created: 0,
        updated: 0,
        deleted: 1,
        unchanged: 0,
        skipped: 4,
      });
      const after = byExternalId(await personioAbsences(t, w.ws.adminToken));
      expect(Object.keys(after)).toEqual([joHistory.id]);
      expect(after[joHistory.id]).toEqual(moved[joHistory.id]);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('outside the window and manual absences', () => {
    it('a transferred absence that falls behind the window stays untouched, even when Personio changes or deletes it', async () => {
      const w = await world();
      const max = await matchedPerson(w, 'max');
      const old = dayAbsence(max.person.id, '2026-07-20', '2026-07-24', { comment: 'Old trip' });
      const oldDeleted = dayAbsence(max.person.id, '2026-07-27', '2026-07-28');
      const current = dayAbsence(max.person.id, '2026-09-01', '2026-09-02');
      put(w, old, oldDeleted, current);
      await syncNow(t, w.ws.adminToken);
      const before = byExternalId(await personioAbsences(t, w.ws.adminToken));

      t.clock.set('2026-08-20T10:00:00Z'); // window 2026-08-06..2027-02-16
      simulator.updateAbsencePeriod(w.company.companyId, old.id, { comment: 'Rewritten' });
      simulator.deleteAbsencePeriod(w.company.companyId, oldDeleted.id);
      const run = await syncNow(t, w.ws.adminToken);
      expect(run).toMatchObject({ status: 'succeeded', windowStart: '2026-08-06', windowEnd: '2027-02-16' });
      expect(counts(run)).toEqual({
        status: 'succeeded',
        created: 0,
        updated: 0,
        deleted: 0,
        unchanged: 1,
        skipped: 0,
      });
      const after = byExternalId(await personioAbsences(t, w.ws.adminToken));
      expect(after).toEqual(before);
    });

    it('manual absences are never touched by a sync', async () => {
      const w = await world();
      const lou = await matchedPerson(w, 'lou');
      put(w, dayAbsence(lou.person.id, '2026-08-03', '2026-08-07'));
      const manualInWindow = await t.http
        .post('/api/v1/absences')
        .set(bearer(lou.token))
        .send({
          userId: lou.userId,
          startOn: '2026-08-04',
          endOn: '2026-08-05',
          isHalfDayOnStart: true,
          description: 'Doctor',
        })
        .expect(201);
      const manualOld = await t.http
        .post('/api/v1/absences')
        .set(w.admin())
        .send({ userId: lou.userId, startOn: '2026-06-01', endOn: '2026-06-02' })
        .expect(201);
      const manualBefore = (await listAbsences(t, w.ws.adminToken)).filter((a) => a.externalProvider === null);

      await syncNow(t, w.ws.adminToken);
      await t.http.patch(integration).set(w.admin()).send({ hideAbsenceDetails: true }).expect(200);
      await syncNow(t, w.ws.adminToken);

      const manualAfter = (await listAbsences(t, w.ws.adminToken)).filter((a) => a.externalProvider === null);
      expect(manualAfter).toEqual(manualBefore);
      expect(manualAfter.map((a) => a.id).sort()).toEqual([manualInWindow.body.id, manualOld.body.id].sort());
      expect(manualAfter.find((a) => a.id === manualInWindow.body.id)).toMatchObject({
        description: 'Doctor',
        isReadOnly: false,
        externalId: null,
      });
      // Still editable.
      await t.http
        .patch(`/api/v1/absences/${manualInWindow.body.id}`)
        .set(bearer(lou.token))
        .send({ description: 'Dentist' })
        .expect(200);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('idempotence', () => {
    it('a second sync of unchanged data writes nothing: counts, updatedOn and zero INSERT/UPDATE/DELETE statements on absences and the stored matching', async () => {
      const w = await world();
      const ben = await matchedPerson(w, 'ben');
      const periods = [
        dayAbsence(ben.person.id, '2026-07-05', '2026-07-10'),
        dayAbsence(ben.person.id, '2026-08-03', '2026-08-05', {
          startsFrom: { dateTime: '2026-08-03T00:00:00', type: 'SECOND_HALF' },
          comment: 'x',
        }),
        hourAbsence(ben.person.id, '2026-09-01', '09:00', '11:30'),
        dayAbsence(ben.person.id, '2026-10-01', '2026-10-01', { endsAt: null }),
      ];
      put(w, ...periods);
      const first = await syncNow(t, w.ws.adminToken);
      expect(first).toMatchObject({ status: 'succeeded', created: 4 });
      const before = await personioAbsences(t, w.ws.adminToken);
      const rowsBefore = await t.dataSource
        .getRepository(Absence)
        .find({ where: { workspaceId: w.ws.id }, order: { id: 'ASC' } });

      const statements: string[] = [];
      const logger = t.dataSource.logger;
      const spy = jest.spyOn(logger, 'logQuery').mockImplementation((query: string) => {
        statements.push(query);
      });
      let second: Json;
      try {
        second = await syncNow(t, w.ws.adminToken);
      } finally {
        spy.mockRestore();
      }
      expect(counts(second)).toEqual({
        status: 'succeeded',
        created: 0,
        updated: 0,
        deleted: 0,
        unchanged: 4,
        skipped: 0,
      });
      const writes = statements.filter(
        (sql) =>
          /^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql) && /["`\s](absences|personio_person_matches)["`\s(]/i.test(sql),
      );
      expect(statements.length).toBeGreaterThan(0); // the spy sees the app's statements
      expect(writes).toEqual([]);

      expect(await personioAbsences(t, w.ws.adminToken)).toEqual(before);
      const rowsAfter = await t.dataSource
        .getRepository(Absence)
        .find({ where: { workspaceId: w.ws.id }, order: { id: 'ASC' } });
      expect(rowsAfter.map((r) => r.updatedOn.toISOString())).toEqual(rowsBefore.map((r) => r.updatedOn.toISOString()));

      // Positive control: the same spy does see the write of a real change.
      simulator.updateAbsencePeriod(w.company.companyId, periods[0].id, { comment: 'changed' });
      const controlStatements: string[] = [];
      const control = jest.spyOn(logger, 'logQuery').mockImplementation((query: string) => {
        controlStatements.push(query);
      });
      try {
        expect(await syncNow(t, w.ws.adminToken)).toMatchObject({ updated: 1, unchanged: 3 });
      } finally {
        control.mockRestore();
      }
      expect(
        controlStatements.filter((sql) => /^\s*UPDATE\b/i.test(sql) && /["`\s]absences["`\s(]/i.test(sql)).length,
      ).toBeGreaterThan(0);
    });
  });

  describe('stored matching (read by the event path)', () => {
    const storedMatching = async (workspaceId: string) =>
      (
        await t.dataSource.query(
          `SELECT person_id AS "personId", user_id AS "userId", unmatched_reason AS "reason" FROM personio_person_matches
           WHERE workspace_id = ${t.dataSource.options.type === 'postgres' ? '$1' : '?'} ORDER BY person_id`,
          [workspaceId],
        )
      ).map((row: Json) => ({ personId: row.personId, userId: row.userId, reason: row.reason }));

    it('follows each sync exactly: a person gone, one newly matched, one that lost its user, the rest as they were', async () => {
      const w = await world();
      const ann = await matchedPerson(w, 'ann');
      const ben = await matchedPerson(w, 'ben');
      const cat = await matchedPerson(w, 'cat');
      const stranger = simPerson(`stranger@${w.domain}`);
      simulator.upsertPerson(w.company.companyId, stranger);
      expect(await syncNow(t, w.ws.adminToken)).toMatchObject({ status: 'succeeded' });
      const sorted = <T extends { personId: string }>(rows: T[]) =>
        [...rows].sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));
      expect(await storedMatching(w.ws.id)).toEqual(
        sorted([
          { personId: ann.person.id, userId: ann.userId, reason: null },
          { personId: ben.person.id, userId: ben.userId, reason: null },
          { personId: cat.person.id, userId: cat.userId, reason: null },
          { personId: stranger.id, userId: null, reason: 'no_awork_user' },
        ]),
      );

      // Ben leaves Personio, the stranger gets an awork account, Cat's e-mail in awork changes.
      simulator.deletePerson(w.company.companyId, ben.person.id);
      const strangerUser = await createUser(t, w.ws.adminToken, { email: `stranger@${w.domain}` });
      await t.http
        .patch('/api/v1/users/me')
        .set(bearer(cat.token))
        .send({ email: `cat.new@${w.domain}` })
        .expect(200);
      expect(await syncNow(t, w.ws.adminToken)).toMatchObject({ status: 'succeeded' });
      expect(await storedMatching(w.ws.id)).toEqual(
        sorted([
          { personId: ann.person.id, userId: ann.userId, reason: null },
          { personId: cat.person.id, userId: null, reason: 'no_awork_user' },
          { personId: stranger.id, userId: strangerUser.id, reason: null },
        ]),
      );
    });

    it("a sync of the old client ID that stores its matching after the change to another drops it again, so no event maps the new company's ids with the old pairs", async () => {
      const w = await world();
      const ann = await matchedPerson(w, 'ann');
      expect(await syncNow(t, w.ws.adminToken)).toMatchObject({ status: 'succeeded' });
      expect((await storedMatching(w.ws.id)).map((row: Json) => row.personId)).toEqual([ann.person.id]);

      // The new company's setup sync fails, so nothing of its own replaces what is stored.
      const other = createCompany(simulator, [simPerson(`bo@${w.domain}`)]);
      simulator.failPage({ endpoint: '/v2/absence-types', status: 400 }, other.companyId);
      // The change lands exactly between the old sync's writes and its storing of the matching.
      const store = t.app.get(PersonMatchStore);
      const replace = store.replace.bind(store);
      jest.spyOn(store, 'replace').mockImplementationOnce(async (workspaceId, matching) => {
        await t.http
          .put(integration)
          .set(w.admin())
          .send({ clientId: other.clientId, clientSecret: other.clientSecret })
          .expect(200);
        return replace(workspaceId, matching);
      });
      try {
        await syncNow(t, w.ws.adminToken);
      } finally {
        jest.restoreAllMocks();
      }
      // The new client's setup sync ran after the old one and failed at its absence types.
      await eventually(
        async () =>
          expect(
            (await t.dataSource.getRepository(SyncRun).find({ where: { workspaceId: w.ws.id, trigger: 'setup' } }))
              .map((run) => run.status)
              .sort(),
          ).toEqual(['failed', 'succeeded']),
        10_000,
        25,
      );
      expect(await storedMatching(w.ws.id)).toEqual([]);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('more change rules', () => {
    it('an absence moved to another person in Personio is updated in place (same awork id, new user)', async () => {
      const w = await world();
      const a = await matchedPerson(w, 'first');
      const b = await matchedPerson(w, 'second');
      const period = dayAbsence(a.person.id, '2026-08-03', '2026-08-04');
      put(w, period);
      await syncNow(t, w.ws.adminToken);
      const [before] = await personioAbsences(t, w.ws.adminToken);
      expect(before.userId).toBe(a.userId);
      simulator.updateAbsencePeriod(w.company.companyId, period.id, { personId: b.person.id });
      expect(counts(await syncNow(t, w.ws.adminToken))).toEqual({
        status: 'succeeded',
        created: 0,
        updated: 1,
        deleted: 0,
        unchanged: 0,
        skipped: 0,
      });
      const [after] = await personioAbsences(t, w.ws.adminToken);
      expect(after).toMatchObject({ id: before.id, userId: b.userId, startOn: '2026-08-03', endOn: '2026-08-04' });
    });

    it('history moved back into the window by Personio is updated in place, not duplicated', async () => {
      const w = await world();
      const hal = await matchedPerson(w, 'hal');
      const period = dayAbsence(hal.person.id, '2026-07-20', '2026-07-22');
      put(w, period);
      await syncNow(t, w.ws.adminToken);
      const [before] = await personioAbsences(t, w.ws.adminToken);

      t.clock.set('2026-08-20T10:00:00Z'); // window 2026-08-06..: the absence is history now
      simulator.updateAbsencePeriod(w.company.companyId, period.id, {
        startsFrom: { dateTime: '2026-08-24T00:00:00', type: 'FIRST_HALF' },
        endsAt: { dateTime: '2026-08-26T00:00:00', type: 'SECOND_HALF' },
      });
      expect(counts(await syncNow(t, w.ws.adminToken))).toEqual({
        status: 'succeeded',
        created: 0,
        updated: 1,
        deleted: 0,
        unchanged: 0,
        skipped: 0,
      });
      const after = await personioAbsences(t, w.ws.adminToken);
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ id: before.id, startOn: '2026-08-24', endOn: '2026-08-25' });
    });

    it("changing the workspace's time zone moves the window with it", async () => {
      t.clock.set('2026-07-20T12:00:00Z'); // Berlin: 20.07; Kiritimati: 21.07
      const w = await world('Europe/Berlin');
      const tia = await matchedPerson(w, 'tia');
      const lastDay0606 = dayAbsence(tia.person.id, '2026-07-01', '2026-07-06');
      put(w, lastDay0606);
      expect(await syncNow(t, w.ws.adminToken)).toMatchObject({
        windowStart: '2026-07-06',
        windowEnd: '2027-01-16',
        created: 1,
      });
      await t.http.patch('/api/v1/workspace').set(w.admin()).send({ timeZone: 'Pacific/Kiritimati' }).expect(200);
      // Now behind the window: it stays as history.
      expect(await syncNow(t, w.ws.adminToken)).toMatchObject({
        windowStart: '2026-07-07',
        windowEnd: '2027-01-17',
        created: 0,
        deleted: 0,
      });
      expect((await personioAbsences(t, w.ws.adminToken)).map((a) => a.externalId)).toEqual([lastDay0606.id]);
    });

    it('re-saving the credentials with hideAbsenceDetails=true scrubs descriptions at once', async () => {
      const w = await world();
      const ute = await matchedPerson(w, 'ute');
      put(w, dayAbsence(ute.person.id, '2026-08-03', '2026-08-04', { comment: 'Secret' }));
      await syncNow(t, w.ws.adminToken);
      expect((await personioAbsences(t, w.ws.adminToken))[0].description).toBe('Paid vacation: Secret');
      // The PUT's credential check lists absence periods first, then the background setup sync does:
      // the check goes on, the sync is held, so the scrub is seen before the sync could write.
      simulator.hold({ endpoint: '/v2/absence-periods', times: 2 }, w.company.companyId);
      try {
        const saved = t.http
          .put(integration)
          .set(w.admin())
          .send({ clientId: w.company.clientId, clientSecret: w.company.clientSecret, hideAbsenceDetails: true })
          .then((r) => r);
        simulator.releaseHeld(w.company.companyId, (await simulator.whenHeld(w.company.companyId)).id);
        const response = await saved;
        expect(response.status).toBe(200);
        await simulator.whenHeld(w.company.companyId);
        expect(response.body.hideAbsenceDetails).toBe(true);
        expect((await personioAbsences(t, w.ws.adminToken))[0].description).toBeNull();
        simulator.releaseHeld(w.company.companyId);
      } finally {
        await t.app.get(SyncClaimsService).whenIdle(w.ws.id);
        simulator.clearFaults(w.company.companyId);
      }
      expect((await personioAbsences(t, w.ws.adminToken))[0].description).toBeNull();
    });

    it('a 500 on the absence types listing fails the run and changes nothing', async () => {
      const w = await world();
      const vic = await matchedPerson(w, 'vic');
      const period = dayAbsence(vic.person.id, '2026-08-03', '2026-08-04');
      put(w, period);
      await syncNow(t, w.ws.adminToken);
      const before = await personioAbsences(t, w.ws.adminToken);
      simulator.updateAbsencePeriod(w.company.companyId, period.id, { comment: 'new' });
      simulator.failPage({ endpoint: '/v2/absence-types', status: 500 }, w.company.companyId);
      try {
        const run = await syncNow(t, w.ws.adminToken);
        expect(run).toMatchObject({ status: 'failed', created: 0, updated: 0, deleted: 0 });
        expect(run.error).toMatch(/absence-types/);
      } finally {
        simulator.clearFaults(w.company.companyId);
      }
      expect(await personioAbsences(t, w.ws.adminToken)).toEqual(before);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('run history and concurrency', () => {
    it('GET /runs lists runs newest first with the run JSON of PRODUCT.md §5', async () => {
      const w = await world();
      const sam = await matchedPerson(w, 'sam');
      put(w, dayAbsence(sam.person.id, '2026-08-03', '2026-08-04'));
      const m1 = await syncNow(t, w.ws.adminToken);
      const m2 = await syncNow(t, w.ws.adminToken);

      const runs = (await t.http.get(`${integration}/runs`).set(w.admin()).expect(200)).body as Array<Json>;
      expect(runs.map((r) => r.id)).toEqual([m2.id, m1.id, expect.any(String)]);
      expect(runs.map((r) => r.trigger)).toEqual(['manual', 'manual', 'setup']);
      const keys = [
        'id',
        'trigger',
        'status',
        'startedAt',
        'finishedAt',
        'windowStart',
        'windowEnd',
        'fetched',
        'created',
        'updated',
        'deleted',
        'unchanged',
        'skipped',
        'error',
      ];
      for (const run of runs) expect(Object.keys(run)).toEqual(expect.arrayContaining(keys));
      expect(runs[0]).toEqual(m2);
      expect(runs[0]).toMatchObject({
        status: 'succeeded',
        windowStart: '2026-07-07',
        windowEnd: '2027-01-17',
        fetched: 1,
        created: 0,
        updated: 0,
        deleted: 0,
        unchanged: 1,
        skipped: 0,
        error: null,
      });
      expect(runs[1]).toMatchObject({ fetched: 1, created: 1, unchanged: 0 });
      expect(runs[2]).toMatchObject({ trigger: 'setup', status: 'succeeded', fetched: 0, created: 0 });
      for (const run of runs) expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
      expect(Date.parse(runs[0].startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[1].startedAt));

      const limited = (await t.http.get(`${integration}/runs?limit=1`).set(w.admin()).expect(200)).body;
      expect(limited.map((r: { id: string }) => r.id)).toEqual([m2.id]);
    });

    it('keeps the newest 500 runs per workspace and drops older ones, without touching other workspaces', async () => {
      const w = await world();
      const other = await world();
      const runs = t.dataSource.getRepository(SyncRun);
      const old = Array.from({ length: 505 }, (_, index) =>
        runs.create({
          id: randomUUID(),
          workspaceId: w.ws.id,
          trigger: 'schedule',
          status: 'succeeded',
          startedAt: new Date(Date.UTC(2026, 0, 1, 0, index)),
          finishedAt: new Date(Date.UTC(2026, 0, 1, 0, index, 30)),
          windowStart: '2025-12-18',
          windowEnd: '2026-06-30',
        }),
      );
      for (let index = 0; index < old.length; index += 100) await runs.insert(old.slice(index, index + 100));
      const otherBefore = await runs.countBy({ workspaceId: other.ws.id });

      const latest = await syncNow(t, w.ws.adminToken);
      expect(await runs.countBy({ workspaceId: w.ws.id })).toBe(500);
      const kept = (await t.http.get(`${integration}/runs?limit=500`).set(w.admin()).expect(200)).body as Array<{
        id: string;
      }>;
      expect(kept[0].id).toBe(latest.id);
      // 505 seeded + the setup run + this one = 507: the 7 oldest (all seeded, started in January) went.
      const keptIds = new Set(kept.map((run) => run.id));
      expect(old.slice(0, 7).filter((run) => keptIds.has(run.id))).toEqual([]);
      expect(old.slice(7).every((run) => keptIds.has(run.id))).toBe(true);
      expect(await runs.countBy({ workspaceId: other.ws.id })).toBe(otherBefore);
    });

    it('prunes event runs to the newest 500 per workspace in one pass, leaving full runs and other workspaces alone', async () => {
      const w = await world();
      const other = await world();
      const runs = t.dataSource.getRepository(SyncRun);
      const eventRun = (workspaceId: string, index: number) =>
        runs.create({
          id: randomUUID(),
          workspaceId,
          trigger: 'webhook',
          status: 'succeeded',
          startedAt: new Date(Date.UTC(2026, 0, 1, 0, index)),
          finishedAt: new Date(Date.UTC(2026, 0, 1, 0, index, 1)),
          windowStart: '2025-12-18',
          windowEnd: '2026-06-30',
        });
      const events = Array.from({ length: 503 }, (_, index) => eventRun(w.ws.id, index));
      const otherEvents = Array.from({ length: 10 }, (_, index) => eventRun(other.ws.id, index));
      for (let index = 0; index < events.length; index += 100) await runs.insert(events.slice(index, index + 100));
      await runs.insert(otherEvents);
      const fullBefore = await runs.countBy({ workspaceId: w.ws.id, trigger: 'setup' });

      expect(await t.app.get(SyncRunRecorder).pruneEventRuns()).toBe(3);
      const kept = new Set((await runs.findBy({ workspaceId: w.ws.id, trigger: 'webhook' })).map((run) => run.id));
      expect(kept.size).toBe(500);
      expect(events.slice(0, 3).filter((run) => kept.has(run.id))).toEqual([]);
      expect(await runs.countBy({ workspaceId: w.ws.id, trigger: 'setup' })).toBe(fullBefore);
      expect(await runs.countBy({ workspaceId: other.ws.id, trigger: 'webhook' })).toBe(10);
    });

    it('POST /sync while a sync runs → 409; the running one still finishes', async () => {
      const w = await world();
      const zoe = await matchedPerson(w, 'zoe');
      put(w, dayAbsence(zoe.person.id, '2026-08-03', '2026-08-04'));
      try {
        const { running } = await syncHeldWhileFetching(w);
        const conflict = await t.http.post(`${integration}/sync`).set(w.admin());
        expect(conflict.status).toBe(409);
        expect(conflict.body.message).toMatch(/already running/);
        simulator.releaseHeld(w.company.companyId);
        const first = await running;
        expect(first.status).toBe(200);
        expect(first.body).toMatchObject({ status: 'succeeded', created: 1 });
      } finally {
        simulator.clearFaults(w.company.companyId);
      }
      const runs = (await t.http.get(`${integration}/runs`).set(w.admin()).expect(200)).body;
      expect(runs.map((r: { trigger: string }) => r.trigger)).toEqual(['manual', 'setup']);
    });

    it('DELETE during a running sync → after 204 no transferred absence remains, also once the sync has ended', async () => {
      const w = await world();
      const kim = await matchedPerson(w, 'kim');
      put(
        w,
        dayAbsence(kim.person.id, '2026-08-03', '2026-08-04'),
        dayAbsence(kim.person.id, '2026-08-10', '2026-08-11'),
      );
      await syncNow(t, w.ws.adminToken);
      put(w, dayAbsence(kim.person.id, '2026-09-03', '2026-09-04'));
      const manual = await t.http
        .post('/api/v1/absences')
        .set(w.admin())
        .send({ userId: kim.userId, startOn: '2026-10-01', endOn: '2026-10-01' })
        .expect(201);

      try {
        const { running } = await syncHeldWhileFetching(w);
        // The DELETE waits for the sync's claim: the sync goes on once the DELETE is waiting.
        const sync = t.app.get(SyncClaimsService);
        const claimForRemoval = sync.claimForRemoval.bind(sync);
        const deleteWaits = new Promise<void>((resolve) =>
          jest.spyOn(sync, 'claimForRemoval').mockImplementation((...args) => {
            resolve();
            return claimForRemoval(...args);
          }),
        );
        const deleted = t.http
          .delete(integration)
          .set(w.admin())
          .then((r) => r);
        await deleteWaits;
        simulator.releaseHeld(w.company.companyId);
        expect((await deleted).status).toBe(204);
        expect(
          await t.dataSource.getRepository(Absence).countBy({ workspaceId: w.ws.id, externalProvider: 'personio' }),
        ).toBe(0);
        await running; // whatever it answers, it must not have written afterwards
        await sync.whenIdle(w.ws.id);
      } finally {
        jest.restoreAllMocks();
        simulator.clearFaults(w.company.companyId);
      }
      expect(
        await t.dataSource.getRepository(Absence).countBy({ workspaceId: w.ws.id, externalProvider: 'personio' }),
      ).toBe(0);
      expect((await listAbsences(t, w.ws.adminToken)).map((a) => a.id)).toEqual([manual.body.id]);
      await t.http.get(integration).set(w.admin()).expect(404);
    });
  });
});
