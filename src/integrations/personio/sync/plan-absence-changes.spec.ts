import { StoredExternalAbsence } from '../../awork-host.types';
import { PersonioAbsencePeriod } from '../client/personio-api.types';
import { planAbsenceChanges } from './plan-absence-changes';
import { TransferableAbsenceCollector, TransferContext } from './transferable-absences';

const WINDOW = { start: '2026-07-07', end: '2027-01-17' };
const CONTEXT: TransferContext = {
  userIdByPersonId: new Map([['3003', 'u1']]),
  typeNameById: new Map([['vacation', 'Paid vacation']]),
  hideDetails: false,
  window: WINDOW,
};

function period(id: string, overrides: Partial<PersonioAbsencePeriod> = {}): PersonioAbsencePeriod {
  return {
    id,
    personId: '3003',
    absenceTypeId: 'vacation',
    startsFrom: { dateTime: '2026-08-03T00:00:00', type: 'FIRST_HALF' },
    endsAt: { dateTime: '2026-08-05T00:00:00', type: 'SECOND_HALF' },
    timezoneId: 'Europe/Berlin',
    comment: null,
    approvalStatus: 'APPROVED',
    updatedAt: null,
    ...overrides,
  };
}

function stored(externalId: string, id: string, overrides: Partial<StoredExternalAbsence> = {}): StoredExternalAbsence {
  return {
    id,
    externalId,
    userId: 'u1',
    startOn: '2026-08-03',
    endOn: '2026-08-04',
    isHalfDayOnStart: false,
    isHalfDayOnEnd: false,
    description: 'Paid vacation',
    openEnded: false,
    ...overrides,
  };
}

function listed(periods: PersonioAbsencePeriod[]) {
  const collector = new TransferableAbsenceCollector(CONTEXT);
  collector.addPage(periods);
  return collector.result();
}

describe('planAbsenceChanges', () => {
  it('plans the whole window: creates, updates, deletes what Personio no longer lists, counts the rest', () => {
    const plan = planAbsenceChanges({
      listed: listed([
        period('new'),
        period('changed', { comment: 'Trip' }),
        period('same'),
        period('pending', { approvalStatus: 'PENDING' }),
        period('odd', { approvalStatus: 'NEW' }),
      ]),
      stored: [stored('changed', 'a1'), stored('same', 'a2'), stored('gone', 'a3'), stored('odd', 'a4')],
      window: WINDOW,
      scope: 'window',
    });
    expect(plan.changes.creates.map((a) => a.externalId)).toEqual(['new']);
    expect(plan.changes.updates).toEqual([expect.objectContaining({ id: 'a1', description: 'Paid vacation: Trip' })]);
    // `odd` has an unknown status: its copy stays.
    expect(plan.changes.deletes).toEqual(['a3']);
    expect(plan.counts).toEqual({ skipped: 2, invalid: 0, unchanged: 1 });
    expect([...plan.unknownStatuses]).toEqual([['NEW', 1]]);
  });

  it('removes the copies of an excluded absence type, in the window and by id, and counts them as skipped', () => {
    const excludingHome = new TransferableAbsenceCollector({ ...CONTEXT, excludedTypeIds: new Set(['home']) });
    excludingHome.addPage([period('home', { absenceTypeId: 'home' }), period('trip')]);
    const result = excludingHome.result();
    const window = planAbsenceChanges({
      listed: result,
      stored: [stored('home', 'a1'), stored('trip', 'a2', { endOn: '2026-08-04' })],
      window: WINDOW,
      scope: 'window',
    });
    expect(window.changes.deletes).toEqual(['a1']);
    expect(window.counts.skipped).toBe(1);
    const byId = planAbsenceChanges({
      listed: result,
      stored: [stored('home', 'a1')],
      window: WINDOW,
      scope: { externalIds: new Set(['home']) },
    });
    expect(byId.changes).toMatchObject({ creates: [], updates: [], deletes: ['a1'] });
  });

  it('plans one absence by id: touches no other stored copy, deletes its own only when Personio confirms it gone', () => {
    const others = [stored('other', 'a9')];
    const changed = planAbsenceChanges({
      listed: listed([period('p1', { comment: 'Trip' })]),
      stored: [stored('p1', 'a1'), ...others],
      window: WINDOW,
      scope: { externalIds: new Set(['p1']) },
    });
    expect(changed.changes).toEqual({
      creates: [],
      updates: [expect.objectContaining({ id: 'a1', externalId: 'p1', description: 'Paid vacation: Trip' })],
      deletes: [],
      unchanged: 0,
    });

    // 404 for p1: nothing handed back, so its copy goes; the other copy stays.
    const gone = planAbsenceChanges({
      listed: listed([]),
      stored: [stored('p1', 'a1'), ...others],
      window: WINDOW,
      scope: { externalIds: new Set(['p1']) },
    });
    expect(gone.changes.deletes).toEqual(['a1']);

    // The fetch of p1 failed: never deleted on a failed fetch.
    const failed = planAbsenceChanges({
      listed: listed([]),
      stored: [stored('p1', 'a1')],
      window: WINDOW,
      scope: { externalIds: new Set(['p1']) },
      unconfirmed: ['p1'],
    });
    expect(failed.changes.deletes).toEqual([]);
  });

  it('plans a batch fetched by id: a rejected one is removed, a new approved one created, ids outside the batch untouched', () => {
    const plan = planAbsenceChanges({
      listed: listed([period('p1', { approvalStatus: 'REJECTED' }), period('p2'), period('p3')]),
      stored: [stored('p1', 'a1'), stored('p4', 'a4')],
      window: WINDOW,
      scope: { externalIds: new Set(['p1', 'p2']) },
    });
    expect(plan.changes.creates.map((a) => a.externalId)).toEqual(['p2']);
    expect(plan.changes.deletes).toEqual(['a1']);
  });

  it('deletes nothing while an item without an id is listed: it may be any copy transferred earlier', () => {
    const collector = new TransferableAbsenceCollector(CONTEXT);
    collector.addPage([period('changed', { comment: 'Trip' })]);
    collector.addPage([{ malformed: true, id: null, reason: 'absence_period.id is missing' }]);
    const plan = planAbsenceChanges({
      listed: collector.result(),
      stored: [stored('changed', 'a1'), stored('gone', 'a2')],
      window: WINDOW,
      scope: 'window',
    });
    expect(plan.deletionsHeldBack).toBe(true);
    expect(plan.changes.deletes).toEqual([]);
    expect(plan.changes.updates.map((a) => a.id)).toEqual(['a1']);
    expect(plan.counts.invalid).toBe(1);

    // The same listing without the unidentified item deletes what Personio no longer lists.
    const complete = planAbsenceChanges({
      listed: listed([period('changed', { comment: 'Trip' })]),
      stored: [stored('changed', 'a1'), stored('gone', 'a2')],
      window: WINDOW,
      scope: 'window',
    });
    expect(complete.deletionsHeldBack).toBe(false);
    expect(complete.changes.deletes).toEqual(['a2']);
  });
});
