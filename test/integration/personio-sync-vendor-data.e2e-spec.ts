import { HalfDaysOpenEndsInvalid1764300000000 } from '../../src/database/migrations/1764300000000-half-days-open-ends-invalid';
import { PersonioSimulator, SimAbsencePeriod, SimPerson } from '../../src/personio-simulator';
import { CapturedLogger } from '../support/captured-logger';
import { Json } from '../support/json';
import {
  connectPersonio,
  createCompany,
  dayAbsence,
  hourAbsence,
  PersonioCompany,
  personioAbsences,
  simPerson,
  syncNow,
  startAppWithSimulator,
  stopAppWithSimulator,
} from '../support/personio-fixture';
import { createUser, createWorkspace, CreatedWorkspace, TestApp } from '../support/test-app';

/**
 * Issue 11, items 1, 2, 3, 5 and 9: Personio data as the real API sends it, through the real app
 * over HTTP, the simulator on loopback, the clock pinned at 2026-07-21 (window 07.07 .. 17.01).
 */
describe(`Personio sync: vendor data as the real APIs mean it (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  const logs = new CapturedLogger();
  let t: TestApp;
  let sequence = 0;

  beforeAll(async () => {
    t = await startAppWithSimulator(simulator, { logger: logs });
  });
  afterAll(() => stopAppWithSimulator(t, simulator));

  interface World {
    ws: CreatedWorkspace;
    company: PersonioCompany;
    person: SimPerson;
    userId: string;
  }

  /** A connected workspace with one matched person. */
  async function world(): Promise<World> {
    const domain = `v${++sequence}.test`;
    const ws = await createWorkspace(t, { name: `V${sequence}`, adminEmail: `admin@${domain}` });
    const person = simPerson(`eva@${domain}`);
    const company = createCompany(simulator, [person]);
    const user = await createUser(t, ws.adminToken, { email: `eva@${domain}` });
    expect((await connectPersonio(t, ws.adminToken, ws.id, company)).status).toBe(200);
    return { ws, company, person, userId: user.id };
  }

  const put = (w: World, ...periods: SimAbsencePeriod[]) =>
    periods.forEach((period) => simulator.upsertAbsencePeriod(w.company.companyId, period));
  const byExternalId = async (w: World): Promise<Record<string, Json>> =>
    Object.fromEntries((await personioAbsences(t, w.ws.adminToken)).map((a) => [a.externalId, a]));
  const halves = (a: Json | undefined) =>
    a && { startOn: a.startOn, endOn: a.endOn, start: a.isHalfDayOnStart, end: a.isHalfDayOnEnd };
  const counts = (run: Json) => ({
    status: run.status,
    created: run.created,
    updated: run.updated,
    deleted: run.deleted,
    unchanged: run.unchanged,
    skipped: run.skipped,
    invalid: run.invalid,
  });

  describe('item 1: single-day half days as awork means them', () => {
    /** One sync's worth of single days in every encoding, with the flags awork must show. */
    function singleDays(p: string) {
      return {
        morningDay: [
          dayAbsence(p, '2026-08-03', '2026-08-03', {
            endsAt: { dateTime: '2026-08-04T00:00:00', type: 'FIRST_HALF' },
          }),
          { start: true, end: false },
        ],
        afternoonDay: [
          dayAbsence(p, '2026-08-04', '2026-08-04', {
            startsFrom: { dateTime: '2026-08-04T00:00:00', type: 'SECOND_HALF' },
          }),
          { start: false, end: true },
        ],
        morningSameDayEnd: [
          dayAbsence(p, '2026-08-05', '2026-08-05', {
            startsFrom: { dateTime: '2026-08-05T00:00:00', type: 'FIRST_HALF' },
            endsAt: { dateTime: '2026-08-05T00:00:00', type: 'FIRST_HALF' },
          }),
          { start: true, end: false },
        ],
        afternoonSameDayEnd: [
          dayAbsence(p, '2026-08-06', '2026-08-06', {
            startsFrom: { dateTime: '2026-08-06T00:00:00', type: 'SECOND_HALF' },
            endsAt: { dateTime: '2026-08-06T00:00:00', type: 'SECOND_HALF' },
          }),
          { start: false, end: true },
        ],
        morningHours: [hourAbsence(p, '2026-08-07', '08:30', '12:00'), { start: true, end: false }],
        afternoonHours: [hourAbsence(p, '2026-08-10', '13:00', '17:30'), { start: false, end: true }],
        wholeDay: [dayAbsence(p, '2026-08-11', '2026-08-11'), { start: false, end: false }],
        multiDayBothHalves: [
          dayAbsence(p, '2026-08-12', '2026-08-14', {
            startsFrom: { dateTime: '2026-08-12T00:00:00', type: 'SECOND_HALF' },
            endsAt: { dateTime: '2026-08-15T00:00:00', type: 'FIRST_HALF' },
          }),
          { start: true, end: true },
        ],
      } as Record<string, [SimAbsencePeriod, { start: boolean; end: boolean }]>;
    }

    it('morning = isHalfDayOnStart, afternoon = isHalfDayOnEnd, for day units (both end encodings) and hour units', async () => {
      const w = await world();
      const cases = singleDays(w.person.id);
      put(w, ...Object.values(cases).map(([period]) => period));

      const run = await syncNow(t, w.ws.adminToken);
      expect(counts(run)).toMatchObject({ status: 'succeeded', created: 8, skipped: 0, invalid: 0 });
      const stored = await byExternalId(w);
      for (const [name, [period, flags]] of Object.entries(cases)) {
        expect({ name, ...halves(stored[period.id]) }).toMatchObject({ name, ...flags });
      }
      expect(halves(stored[cases.morningSameDayEnd[0].id])).toMatchObject({
        startOn: '2026-08-05',
        endOn: '2026-08-05',
      });
    });

    it('rows transferred in the old convention are corrected in place by the migration, and the next sync writes nothing', async () => {
      const w = await world();
      const cases = singleDays(w.person.id);
      put(w, ...Object.values(cases).map(([period]) => period));
      await syncNow(t, w.ws.adminToken);
      const before = await byExternalId(w);

      // Back to the schema and flags before the change, plus a single day behind the window (history).
      const migration = new HalfDaysOpenEndsInvalid1764300000000();
      const queryRunner = t.dataSource.createQueryRunner();
      try {
        await migration.down(queryRunner);
        const flags = await queryRunner.query(
          `SELECT external_id AS "externalId", is_half_day_on_start AS "start", is_half_day_on_end AS "end" FROM absences WHERE external_id = $1 OR external_id = $2`.replace(
            /\$\d/g,
            t.dataSource.options.type === 'postgres' ? (m: string) => m : () => '?',
          ),
          [cases.morningDay[0].id, cases.afternoonHours[0].id],
        );
        // The old mapping stored a morning as isHalfDayOnEnd and an afternoon as isHalfDayOnStart.
        expect(Object.fromEntries(flags.map((r: Json) => [r.externalId, [Boolean(r.start), Boolean(r.end)]]))).toEqual({
          [cases.morningDay[0].id]: [false, true],
          [cases.afternoonHours[0].id]: [true, false],
        });
        const bool = (value: boolean) => (t.dataSource.options.type === 'postgres' ? String(value) : value ? '1' : '0');
        const insert = (n: string, start: string, end: string, flags: [boolean, boolean], provider: string | null) =>
          queryRunner.query(
            `INSERT INTO absences (id, workspace_id, user_id, start_on, end_on, is_half_day_on_start, is_half_day_on_end, description, external_provider, external_id)
             VALUES ('00000000-0000-4000-${n}000-${String(sequence).padStart(12, '0')}', '${w.ws.id}', '${w.userId}', '${start}', '${end}', ${bool(flags[0])}, ${bool(flags[1])}, 'Paid vacation', ${provider === null ? 'NULL' : `'${provider}'`}, ${provider === null ? 'NULL' : `'history-${n}-${sequence}'`})`,
          );
        await insert('8', '2026-05-04', '2026-05-04', [false, true], 'personio');
        // Not to be swapped: a multi-day Personio row with one flag, and a manual single day.
        await insert('9', '2026-05-11', '2026-05-13', [true, false], 'personio');
        await insert('a', '2026-05-18', '2026-05-18', [true, false], null);
        await migration.up(queryRunner);
      } finally {
        await queryRunner.release();
      }

      const migrated = await byExternalId(w);
      for (const [externalId, absence] of Object.entries(before)) {
        expect(halves(migrated[externalId])).toEqual(halves(absence));
      }
      const all = await t.http
        .get('/api/v1/absences?pageSize=1000')
        .set({ Authorization: `Bearer ${w.ws.adminToken}` });
      const history = (id: string) => all.body.find((a: Json) => a.id === id);
      expect(history(`00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`)).toMatchObject({
        startOn: '2026-05-04',
        isHalfDayOnStart: true,
        isHalfDayOnEnd: false,
      });
      expect(history(`00000000-0000-4000-9000-${String(sequence).padStart(12, '0')}`)).toMatchObject({
        endOn: '2026-05-13',
        isHalfDayOnStart: true,
        isHalfDayOnEnd: false,
      });
      expect(history(`00000000-0000-4000-a000-${String(sequence).padStart(12, '0')}`)).toMatchObject({
        externalProvider: null,
        isHalfDayOnStart: true,
        isHalfDayOnEnd: false,
      });

      const run = await syncNow(t, w.ws.adminToken);
      expect(counts(run)).toEqual({
        status: 'succeeded',
        created: 0,
        updated: 0,
        deleted: 0,
        unchanged: 8,
        skipped: 0,
        invalid: 0,
      });
    });
  });

  describe('item 2: approval statuses', () => {
    it('transfers APPROVED and DELETION_PENDING, removes the not approved, and leaves an unknown or missing status as it was', async () => {
      const w = await world();
      const p = w.person.id;
      const statuses = ['APPROVED', 'DELETION_PENDING', 'PENDING', 'REJECTED', 'CANCELLED', 'SUBSTITUTE_REQUESTED'];
      const periods = statuses.map((status, i) =>
        dayAbsence(p, `2026-08-${String(3 + i).padStart(2, '0')}`, `2026-08-${String(3 + i).padStart(2, '0')}`, {
          id: `st-${sequence}-${status}`,
        }),
      );
      const unknown = dayAbsence(p, '2026-09-01', '2026-09-02', { id: `st-${sequence}-unknown`, comment: 'First' });
      const missing = dayAbsence(p, '2026-09-03', '2026-09-04', { id: `st-${sequence}-missing`, comment: 'First' });
      put(w, ...periods, unknown, missing);
      expect(counts(await syncNow(t, w.ws.adminToken))).toMatchObject({ created: 8, skipped: 0, invalid: 0 });
      const before = await byExternalId(w);

      statuses.forEach((approvalStatus, i) =>
        simulator.updateAbsencePeriod(w.company.companyId, periods[i].id, { approvalStatus }),
      );
      // Changed in Personio at the same time, yet awork keeps the copy exactly as it was.
      simulator.updateAbsencePeriod(w.company.companyId, unknown.id, { approvalStatus: 'ON_HOLD', comment: 'Second' });
      simulator.updateAbsencePeriod(w.company.companyId, missing.id, { comment: 'Second', wire: { approval: {} } });
      const linesBefore = logs.lines.length;

      const run = await syncNow(t, w.ws.adminToken);
      expect(counts(run)).toEqual({
        status: 'succeeded',
        created: 0,
        updated: 0,
        deleted: 4,
        unchanged: 2,
        skipped: 6,
        invalid: 0,
      });
      const after = await byExternalId(w);
      expect(Object.keys(after).sort()).toEqual([periods[0].id, periods[1].id, unknown.id, missing.id].sort());
      expect(after[unknown.id]).toEqual(before[unknown.id]);
      expect(after[missing.id]).toEqual(before[missing.id]);
      expect(after[unknown.id].description).toBe('Paid vacation: First');
      const statusLines = logs.lines.slice(linesBefore).filter((line) => line.includes('unknown approval status'));
      expect(statusLines).toHaveLength(1);
      expect(statusLines[0]).toContain(`run=${run.id}`);
      expect(statusLines[0]).toContain('"ON_HOLD"');
      expect(statusLines[0]).toContain('"(missing)"');
    });
  });

  describe('item 3: malformed items never block a workspace', () => {
    it('a 200-character id, a missing id, a person without id and unreadable dates are counted invalid; a NUL comment is cleaned; everything else arrives', async () => {
      const w = await world();
      const p = w.person.id;
      const earlier = dayAbsence(p, '2026-08-17', '2026-08-18', { comment: 'Transferred before it broke' });
      put(w, earlier);
      await syncNow(t, w.ws.adminToken);
      const [earlierCopy] = await personioAbsences(t, w.ws.adminToken);

      const longId = dayAbsence(p, '2026-08-03', '2026-08-03', { id: 'x'.repeat(200) });
      const noId = dayAbsence(p, '2026-08-04', '2026-08-04', { wire: { id: null } });
      const nul = dayAbsence(p, '2026-08-05', '2026-08-05', { comment: 'Doctor\u0000 visit' });
      const badDates = dayAbsence(p, '2026-08-06', '2026-08-06', {
        wire: { starts_from: { date_time: '06.08.2026', type: 'FIRST_HALF' } },
      });
      const fine = dayAbsence(p, '2026-08-10', '2026-08-12');
      put(w, longId, noId, nul, badDates, fine);
      // The earlier absence loses its person: malformed now, and its copy must stay.
      simulator.updateAbsencePeriod(w.company.companyId, earlier.id, { wire: { person: {} } });
      const linesBefore = logs.lines.length;

      const run = await syncNow(t, w.ws.adminToken);
      expect(counts(run)).toEqual({
        status: 'succeeded',
        created: 2,
        updated: 0,
        deleted: 0,
        unchanged: 0,
        skipped: 0,
        invalid: 4,
      });
      expect(run.error).toBeNull();
      const after = await byExternalId(w);
      expect(Object.keys(after).sort()).toEqual([earlier.id, nul.id, fine.id].sort());
      expect(after[earlier.id]).toEqual(earlierCopy);
      expect(after[nul.id].description).toBe('Paid vacation: Doctor visit');
      const invalidLines = logs.lines.slice(linesBefore).filter((line) => line.includes('malformed absence periods'));
      expect(invalidLines).toHaveLength(1);
      for (const id of [earlier.id, badDates.id, 'x'.repeat(100)]) expect(invalidLines[0]).toContain(id);
      expect(invalidLines[0]).toContain('(no id)');

      const runs = await t.http
        .get('/api/v1/integrations/personio/runs?limit=1')
        .set({ Authorization: `Bearer ${w.ws.adminToken}` })
        .expect(200);
      expect(runs.body[0]).toMatchObject({ id: run.id, invalid: 4, skipped: 0 });
    });
  });

  describe('item 5: open-ended absences are never lost to a filter', () => {
    it.each(['lenient', 'strict'] as const)(
      '%s reading: a transferred open-ended absence is kept and updated, a deleted one (404) is removed',
      async (reading) => {
        const w = await world();
        const p = w.person.id;
        const parental = dayAbsence(p, '2026-06-01', '2026-06-01', { endsAt: null, comment: 'Parental leave' });
        const sick = dayAbsence(p, '2026-07-15', '2026-07-15', { endsAt: null, comment: 'Sick' });
        put(w, parental, sick);
        expect(counts(await syncNow(t, w.ws.adminToken))).toMatchObject({ created: 2 });
        const before = await byExternalId(w);
        expect(before[parental.id]).toMatchObject({ startOn: '2026-06-01', endOn: '2027-01-17' });

        simulator.setOpenEndFilter(w.company.companyId, reading);
        simulator.updateAbsencePeriod(w.company.companyId, parental.id, { comment: 'Parental leave, extended' });
        simulator.deleteAbsencePeriod(w.company.companyId, sick.id);
        const fetchesBefore = simulator.requestCount('/v2/absence-periods/{id}', w.company.companyId);

        const run = await syncNow(t, w.ws.adminToken);
        expect(counts(run)).toEqual({
          status: 'succeeded',
          created: 0,
          updated: 1,
          deleted: 1,
          unchanged: 0,
          skipped: 0,
          invalid: 0,
        });
        const after = await byExternalId(w);
        expect(Object.keys(after)).toEqual([parental.id]);
        expect(after[parental.id]).toMatchObject({
          id: before[parental.id].id,
          endOn: '2027-01-17',
          description: 'Paid vacation: Parental leave, extended',
        });
        // Only what the listing did not return is asked for by id: the deleted one, and under the strict reading the kept one too.
        expect(simulator.requestCount('/v2/absence-periods/{id}', w.company.companyId) - fetchesBefore).toBe(
          reading === 'strict' ? 2 : 1,
        );
        // Nothing changed since: the next sync under either reading writes nothing.
        expect(counts(await syncNow(t, w.ws.adminToken))).toMatchObject({ updated: 0, deleted: 0, created: 0 });
      },
    );

    it('strict reading: a copy stored before rows were marked open-ended is confirmed by id too, kept while it exists', async () => {
      const w = await world();
      const parental = dayAbsence(w.person.id, '2026-06-01', '2026-06-01', { endsAt: null });
      put(w, parental);
      await syncNow(t, w.ws.adminToken);
      // As the migration left such rows: not marked, ending at the window end of their last sync.
      await t.dataSource.query(
        `UPDATE absences SET external_open_ended = ${t.database.kind === 'postgres' ? 'false' : '0'}, end_on = '2027-01-16' WHERE external_id = '${parental.id}'`,
      );
      const [before] = await personioAbsences(t, w.ws.adminToken);

      simulator.setOpenEndFilter(w.company.companyId, 'strict');
      expect(counts(await syncNow(t, w.ws.adminToken))).toMatchObject({ status: 'succeeded', deleted: 0, updated: 1 });
      const [after] = await personioAbsences(t, w.ws.adminToken);
      expect(after).toMatchObject({ id: before.id, endOn: '2027-01-17' });

      simulator.deleteAbsencePeriod(w.company.companyId, parental.id);
      expect(counts(await syncNow(t, w.ws.adminToken))).toMatchObject({ deleted: 1 });
      expect(await personioAbsences(t, w.ws.adminToken)).toEqual([]);
    });

    it('strict reading: an open-ended absence whose fetch by id fails is kept (never deleted on a failed fetch)', async () => {
      const w = await world();
      const parental = dayAbsence(w.person.id, '2026-06-01', '2026-06-01', { endsAt: null });
      put(w, parental);
      await syncNow(t, w.ws.adminToken);
      const [before] = await personioAbsences(t, w.ws.adminToken);

      simulator.setOpenEndFilter(w.company.companyId, 'strict');
      simulator.failPage({ endpoint: '/v2/absence-periods/{id}', status: 500 }, w.company.companyId);
      const run = await syncNow(t, w.ws.adminToken);
      simulator.clearFaults(w.company.companyId);

      expect(counts(run)).toMatchObject({ status: 'succeeded', deleted: 0, updated: 0 });
      expect(await personioAbsences(t, w.ws.adminToken)).toEqual([before]);
      expect(logs.text()).toContain(
        `run=${run.id} open-ended absence period ${parental.id} not listed and its fetch failed, kept`,
      );
    });
  });

  describe('item 9: date-times as clients of the live API see them', () => {
    it('Z-suffixed, offset and fractional-second boundaries, and boundaries without type, map like plain ones', async () => {
      const w = await world();
      const p = w.person.id;
      const plain = dayAbsence(p, '2026-08-03', '2026-08-05');
      const zulu = dayAbsence(p, '2026-08-03', '2026-08-05', {
        wire: {
          starts_from: { date_time: '2026-08-03T00:00:00Z' },
          ends_at: { date_time: '2026-08-06T00:00:00.000Z' },
        },
      });
      const offset = dayAbsence(p, '2026-08-03', '2026-08-05', {
        wire: {
          starts_from: { date_time: '2026-08-03T00:00:00+02:00', type: 'FIRST_HALF' },
          ends_at: { date_time: '2026-08-06T00:00:00-05:00' },
        },
      });
      const plainMorning = hourAbsence(p, '2026-08-10', '09:00', '11:30');
      const fractionalMorning = hourAbsence(p, '2026-08-10', '09:00', '11:30', {
        wire: {
          starts_from: { date_time: '2026-08-10T09:00:00.000+14:00' },
          ends_at: { date_time: '2026-08-10T11:30:00.000000Z' },
        },
      });
      put(w, plain, zulu, offset, plainMorning, fractionalMorning);

      const run = await syncNow(t, w.ws.adminToken);
      expect(counts(run)).toMatchObject({ status: 'succeeded', created: 5, invalid: 0, skipped: 0 });
      const stored = await byExternalId(w);
      const fields = (a: Json) => ({ ...halves(a), description: a.description });
      expect(fields(stored[plain.id])).toEqual({
        startOn: '2026-08-03',
        endOn: '2026-08-05',
        start: false,
        end: false,
        description: 'Paid vacation',
      });
      expect(fields(stored[zulu.id])).toEqual(fields(stored[plain.id]));
      expect(fields(stored[offset.id])).toEqual(fields(stored[plain.id]));
      expect(fields(stored[fractionalMorning.id])).toEqual(fields(stored[plainMorning.id]));
      expect(fields(stored[plainMorning.id])).toMatchObject({ startOn: '2026-08-10', start: true, end: false });
    });
  });
});
