import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { AbsenceChangeSet, DesiredAbsence, StoredExternalAbsence } from '../../awork-host.types';
import { diffAbsences } from './absence-diff';
import { overlapsWindow } from './sync-window';

const WINDOW = { start: '2026-07-07', end: '2027-01-17' };

function desired(externalId: string, overrides: Partial<DesiredAbsence> = {}): DesiredAbsence {
  return {
    externalId,
    userId: 'u1',
    startOn: '2026-08-03',
    endOn: '2026-08-07',
    isHalfDayOnStart: false,
    isHalfDayOnEnd: false,
    description: 'Paid vacation',
    openEnded: false,
    ...overrides,
  };
}

function stored(id: string, externalId: string, overrides: Partial<DesiredAbsence> = {}): StoredExternalAbsence {
  return { ...desired(externalId, overrides), id };
}

const NO_CHANGES: AbsenceChangeSet = { creates: [], updates: [], deletes: [], unchanged: 0 };

// The oracle: what awork holds after the change set is applied (creates get fresh ids).
function applyChangeSet(rows: readonly StoredExternalAbsence[], changeSet: AbsenceChangeSet): StoredExternalAbsence[] {
  const rowIds = new Set(rows.map((row) => row.id));
  const deleted = new Set(changeSet.deletes);
  const updatesById = new Map(changeSet.updates.map((update) => [update.id, update]));
  for (const id of [...deleted, ...updatesById.keys()]) {
    if (!rowIds.has(id)) throw new Error(`change set touches ${id}, which is not a stored external absence`);
    if (deleted.has(id) && updatesById.has(id)) throw new Error(`change set both updates and deletes ${id}`);
  }
  const kept = rows.filter((row) => !deleted.has(row.id)).map((row) => updatesById.get(row.id) ?? row);
  return [...kept, ...changeSet.creates.map((create) => ({ ...create, id: `new-${create.externalId}` }))];
}

function lastOfEachExternalId(absences: readonly DesiredAbsence[]): DesiredAbsence[] {
  return [...new Map(absences.map((absence) => [absence.externalId, absence])).values()];
}

function withoutId({ id: _id, ...fields }: StoredExternalAbsence): DesiredAbsence {
  return fields;
}

function byExternalId(a: DesiredAbsence, b: DesiredAbsence): number {
  return a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0;
}

describe('diffAbsences', () => {
  it('creates what Personio lists and awork does not hold (the spec example 05.07–10.07)', () => {
    const listed = desired('p1', { startOn: '2026-07-05', endOn: '2026-07-10' });
    expect(diffAbsences({ desired: [listed], stored: [], window: WINDOW })).toEqual({
      ...NO_CHANGES,
      creates: [listed],
    });
  });

  it('counts an equal absence as unchanged', () => {
    const result = diffAbsences({ desired: [desired('p1')], stored: [stored('a1', 'p1')], window: WINDOW });
    expect(result).toEqual({ ...NO_CHANGES, unchanged: 1 });
  });

  it.each<[string, Partial<DesiredAbsence>]>([
    ['the start', { startOn: '2026-08-04' }],
    ['the end', { endOn: '2026-08-10' }],
    ['the half day on start', { isHalfDayOnStart: true }],
    ['the half day on end', { isHalfDayOnEnd: true }],
    ['the description', { description: 'Paid vacation: Family trip' }],
    ['the description scrubbed by hidden details', { description: null }],
    ['the user (the match moved to another awork user)', { userId: 'u2' }],
  ])('updates in place, keeping the awork id, when %s changed', (_, change) => {
    const result = diffAbsences({ desired: [desired('p1', change)], stored: [stored('a1', 'p1')], window: WINDOW });
    expect(result).toEqual({ ...NO_CHANGES, updates: [{ ...desired('p1', change), id: 'a1' }] });
  });

  it('deletes a transferred absence inside the window that Personio no longer lists', () => {
    const result = diffAbsences({ desired: [], stored: [stored('a1', 'p1')], window: WINDOW });
    expect(result).toEqual({ ...NO_CHANGES, deletes: ['a1'] });
  });

  it.each([
    ['ends on the first window day', '2026-07-01', '2026-07-07', ['a1']],
    ['starts on the last window day', '2027-01-17', '2027-01-20', ['a1']],
    ['fell behind the window (history)', '2026-06-01', '2026-07-06', []],
    ['lies beyond the window', '2027-01-18', '2027-01-20', []],
  ])('a transferred absence Personio no longer lists that %s → deletes %j', (_, startOn, endOn, deletes) => {
    const result = diffAbsences({ desired: [], stored: [stored('a1', 'p1', { startOn, endOn })], window: WINDOW });
    expect(result.deletes).toEqual(deletes);
  });

  it('leaves a stored absence listed as "keep" (malformed now, unknown status) exactly as it is', () => {
    const changes = diffAbsences({
      desired: [],
      stored: [stored('a1', 'p1'), stored('a2', 'p2')],
      window: WINDOW,
      keep: new Set(['p1']),
    });
    expect(changes).toEqual({ ...NO_CHANGES, deletes: ['a2'] });
  });

  it('updates a stored absence whose open end was recorded differently', () => {
    const changes = diffAbsences({
      desired: [desired('p1', { openEnded: true })],
      stored: [stored('a1', 'p1')],
      window: WINDOW,
    });
    expect(changes.updates).toEqual([stored('a1', 'p1', { openEnded: true })]);
  });

  it('updates a stored absence behind the window that Personio moved into it', () => {
    const moved = desired('p1', { startOn: '2026-07-10', endOn: '2026-07-12' });
    const result = diffAbsences({
      desired: [moved],
      stored: [stored('a1', 'p1', { startOn: '2026-06-01', endOn: '2026-06-02' })],
      window: WINDOW,
    });
    expect(result).toEqual({ ...NO_CHANGES, updates: [{ ...moved, id: 'a1' }] });
  });

  it('treats a desired absence outside the window as not listed', () => {
    const movedOut = desired('p1', { startOn: '2026-06-01', endOn: '2026-06-02' });
    const result = diffAbsences({ desired: [movedOut], stored: [stored('a1', 'p1')], window: WINDOW });
    expect(result).toEqual({ ...NO_CHANGES, deletes: ['a1'] });
  });

  it('keeps the last of repeated externalIds', () => {
    const result = diffAbsences({
      desired: [desired('p1', { description: 'old' }), desired('p2'), desired('p1', { description: 'new' })],
      stored: [stored('a1', 'p1', { description: 'old' })],
      window: WINDOW,
    });
    expect(result).toEqual({
      ...NO_CHANGES,
      creates: [desired('p2')],
      updates: [{ ...desired('p1', { description: 'new' }), id: 'a1' }],
    });
  });

  it('lets a later listing outside the window override an earlier one inside it', () => {
    const result = diffAbsences({
      desired: [desired('p1'), desired('p1', { startOn: '2026-06-01', endOn: '2026-06-02' })],
      stored: [stored('a1', 'p1')],
      window: WINDOW,
    });
    expect(result).toEqual({ ...NO_CHANGES, deletes: ['a1'] });
  });

  it('removes extra stored copies of one externalId and keeps the lowest id', () => {
    const result = diffAbsences({
      desired: [desired('p1')],
      stored: [
        stored('a2', 'p1'),
        stored('a1', 'p1'),
        stored('a3', 'p1', { startOn: '2020-01-01', endOn: '2020-01-01' }),
      ],
      window: WINDOW,
    });
    expect(result).toEqual({ ...NO_CHANGES, deletes: ['a2', 'a3'], unchanged: 1 });
  });

  it('orders its output deterministically', () => {
    const result = diffAbsences({
      desired: [desired('p3'), desired('p1'), desired('p5', { userId: 'u9' }), desired('p4', { userId: 'u9' })],
      stored: [stored('a9', 'p9'), stored('a4', 'p4'), stored('a5', 'p5'), stored('a8', 'p8')],
      window: WINDOW,
    });
    expect(result.creates.map((c) => c.externalId)).toEqual(['p1', 'p3']);
    expect(result.updates.map((u) => u.externalId)).toEqual(['p4', 'p5']);
    expect(result.deletes).toEqual(['a8', 'a9']);
  });

  describe('properties', () => {
    const dayAroundWindow = fc
      .integer({ min: 0, max: 340 })
      .map((n) => Temporal.PlainDate.from('2026-05-01').add({ days: n }));
    const absenceFields = fc.record({
      externalId: fc.integer({ min: 0, max: 14 }).map((n) => `p${String(n).padStart(2, '0')}`),
      userId: fc.constantFrom('u1', 'u2', 'u3'),
      startOn: dayAroundWindow,
      days: fc.integer({ min: 0, max: 40 }),
      isHalfDayOnStart: fc.boolean(),
      isHalfDayOnEnd: fc.boolean(),
      description: fc.constantFrom(null, 'Paid vacation', 'Sick leave: flu'),
    });
    const desiredAbsence = absenceFields.map(({ startOn, days, ...rest }): DesiredAbsence => ({
      ...rest,
      startOn: startOn.toString(),
      endOn: startOn.add({ days }).toString(),
      openEnded: false,
    }));
    const desiredList = fc.array(desiredAbsence, { maxLength: 25 });
    const storedList = fc
      .uniqueArray(desiredAbsence, { selector: (absence) => absence.externalId, maxLength: 15 })
      .map((absences) =>
        absences.map((absence): StoredExternalAbsence => ({ ...absence, id: `aw-${absence.externalId}` })),
      );

    function snapshotInsideWindow(listed: readonly DesiredAbsence[]): DesiredAbsence[] {
      return lastOfEachExternalId(listed)
        .filter((absence) => overlapsWindow(absence, WINDOW))
        .sort(byExternalId);
    }

    it('leaves exactly the desired snapshot inside the window and everything outside untouched', () => {
      fc.assert(
        fc.property(desiredList, storedList, (listed, rows) => {
          const after = applyChangeSet(rows, diffAbsences({ desired: listed, stored: rows, window: WINDOW }));
          const snapshot = snapshotInsideWindow(listed);
          const snapshotIds = new Set(snapshot.map((absence) => absence.externalId));

          expect(new Set(after.map((row) => row.externalId)).size).toBe(after.length);
          expect(
            after
              .filter((row) => overlapsWindow(row, WINDOW))
              .map(withoutId)
              .sort(byExternalId),
          ).toEqual(snapshot);
          for (const row of rows) {
            if (snapshotIds.has(row.externalId)) {
              expect(after.find((r) => r.externalId === row.externalId)?.id).toBe(row.id);
            } else if (!overlapsWindow(row, WINDOW)) {
              expect(after).toContainEqual(row);
            }
          }
        }),
      );
    });

    it('is idempotent: a second diff against the result changes nothing', () => {
      fc.assert(
        fc.property(desiredList, storedList, (listed, rows) => {
          const after = applyChangeSet(rows, diffAbsences({ desired: listed, stored: rows, window: WINDOW }));
          expect(diffAbsences({ desired: listed, stored: after, window: WINDOW })).toEqual({
            ...NO_CHANGES,
            unchanged: snapshotInsideWindow(listed).length,
          });
        }),
      );
    });

    it('does not depend on duplicates across pages or on the stored order', () => {
      fc.assert(
        fc.property(desiredList, storedList, fc.integer({ min: 1, max: 10 }), (listed, rows, pageSize) => {
          const expected = diffAbsences({ desired: listed, stored: rows, window: WINDOW });
          const pages = Array.from({ length: Math.ceil(listed.length / pageSize) }, (_, i) =>
            listed.slice(i * pageSize, (i + 1) * pageSize),
          );
          // A page served twice (a cursor that shifted back) repeats what it listed before.
          const withRepeatedPages = pages.flatMap((page, i) => (i > 0 ? [...pages[i - 1], ...page] : page));
          expect(diffAbsences({ desired: withRepeatedPages, stored: rows, window: WINDOW })).toEqual(expected);
          expect(
            diffAbsences({ desired: lastOfEachExternalId(listed), stored: [...rows].reverse(), window: WINDOW }),
          ).toEqual(expected);
        }),
      );
    });
  });
});
