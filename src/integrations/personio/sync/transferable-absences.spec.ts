import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { ListedAbsencePeriod, PersonioAbsencePeriod } from '../client/personio-api.types';
import { UNKNOWN_ABSENCE_TYPE_NAME } from './absence-mapping';
import {
  MAX_EXTERNAL_ID_LENGTH,
  MISSING_STATUS,
  TransferableAbsenceCollector,
  TransferableAbsences,
  TransferContext,
} from './transferable-absences';

const WINDOW = { start: '2026-07-07', end: '2027-01-17' };

const CONTEXT: TransferContext = {
  userIdByPersonId: new Map([
    ['3003', 'u1'],
    ['3004', 'u2'],
  ]),
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
    endsAt: { dateTime: '2026-08-08T00:00:00', type: 'SECOND_HALF' },
    timezoneId: 'Europe/Berlin',
    comment: null,
    approvalStatus: 'APPROVED',
    updatedAt: null,
    ...overrides,
  };
}

function days(startOn: string, exclusiveEndOn: string | null): Partial<PersonioAbsencePeriod> {
  return {
    startsFrom: { dateTime: `${startOn}T00:00:00`, type: 'FIRST_HALF' },
    endsAt: exclusiveEndOn === null ? null : { dateTime: `${exclusiveEndOn}T00:00:00`, type: 'SECOND_HALF' },
  };
}

/** Classifies one listing (the collector over a single page). */
function classify(periods: readonly ListedAbsencePeriod[], context: TransferContext): TransferableAbsences {
  const collector = new TransferableAbsenceCollector(context);
  collector.addPage(periods);
  return collector.result();
}

/** Periods the result accounts for; the rest lie outside the window (out of scope, not counted). */
function accounted({ desired, skipped, invalid }: TransferableAbsences): number {
  return (
    desired.length + skipped.unmatched + skipped.notApproved + skipped.unknownStatus + skipped.excludedType + invalid
  );
}

describe('TransferableAbsenceCollector', () => {
  it('turns an approved period of a matched person inside the window into a desired absence', () => {
    const result = classify([period('p1', { comment: 'Family trip' })], CONTEXT);
    expect(result).toEqual({
      desired: [
        {
          externalId: 'p1',
          userId: 'u1',
          startOn: '2026-08-03',
          endOn: '2026-08-07',
          isHalfDayOnStart: false,
          isHalfDayOnEnd: false,
          description: 'Paid vacation: Family trip',
          openEnded: false,
        },
      ],
      skipped: { unmatched: 0, notApproved: 0, unknownStatus: 0, excludedType: 0 },
      invalid: 0,
      invalidPeriods: [],
      unknownStatuses: new Map(),
      keepExternalIds: [],
    });
  });

  it.each(['APPROVED', 'DELETION_PENDING'])('transfers a period with status %s', (approvalStatus) => {
    const result = classify([period('p1', { approvalStatus })], CONTEXT);
    expect(result.desired.map((absence) => absence.externalId)).toEqual(['p1']);
    expect(result.keepExternalIds).toEqual([]);
  });

  it.each(['PENDING', 'REJECTED', 'CANCELLED', 'SUBSTITUTE_REQUESTED'])(
    'skips a period with status %s as not approved (its earlier copy is not kept)',
    (approvalStatus) => {
      const result = classify([period('p1', { approvalStatus })], CONTEXT);
      expect(result.desired).toEqual([]);
      expect(result.skipped).toEqual({ unmatched: 0, notApproved: 1, unknownStatus: 0, excludedType: 0 });
      expect(result.keepExternalIds).toEqual([]);
    },
  );

  describe('excluded absence types', () => {
    const excluding = (...ids: string[]): TransferContext => ({ ...CONTEXT, excludedTypeIds: new Set(ids) });

    it('skips a period of an excluded type and keeps no earlier copy, while other types still go', () => {
      const result = classify(
        [period('home', { absenceTypeId: 'home-office' }), period('trip', { absenceTypeId: 'vacation' })],
        excluding('home-office'),
      );
      expect(result.desired.map((absence) => absence.externalId)).toEqual(['trip']);
      expect(result.skipped).toEqual({ unmatched: 0, notApproved: 0, unknownStatus: 0, excludedType: 1 });
      expect(result.keepExternalIds).toEqual([]);
    });

    it('excludes by id, so it works with details hidden and without the type names', () => {
      const result = classify([period('home', { absenceTypeId: 'home-office' })], {
        ...excluding('home-office'),
        hideDetails: true,
        typeNameById: new Map(),
      });
      expect(result.desired).toEqual([]);
      expect(result.skipped.excludedType).toBe(1);
    });

    it('excludes whatever the status or person: an unknown status or an unmatched person keeps nothing either', () => {
      const result = classify(
        [
          period('odd', { absenceTypeId: 'home-office', approvalStatus: 'SOMETHING_NEW' }),
          period('stranger', { absenceTypeId: 'home-office', personId: '9999' }),
        ],
        excluding('home-office'),
      );
      expect(result.skipped).toEqual({ unmatched: 0, notApproved: 0, unknownStatus: 0, excludedType: 2 });
      expect(result.keepExternalIds).toEqual([]);
      expect(result.unknownStatuses).toEqual(new Map());
    });

    it('does not keep an excluded period outside the window, and transfers a period without a type', () => {
      const result = classify(
        [
          period('later', {
            absenceTypeId: 'home-office',
            approvalStatus: 'SOMETHING_NEW',
            ...days('2027-03-01', '2027-03-02'),
          }),
          period('untyped', { absenceTypeId: null }),
        ],
        excluding('home-office'),
      );
      expect(result.keepExternalIds).toEqual([]);
      expect(result.desired.map((absence) => absence.externalId)).toEqual(['untyped']);
    });
  });

  it.each<[string | null, string]>([
    ['approved', 'approved'],
    ['SOMETHING_NEW', 'SOMETHING_NEW'],
    ['', ''],
    [null, MISSING_STATUS],
  ])('skips a period with unknown status %j, keeps its earlier copy and names the value', (approvalStatus, named) => {
    const result = classify([period('p1', { approvalStatus }), period('p2', { approvalStatus })], CONTEXT);
    expect(result.desired).toEqual([]);
    expect(result.skipped).toEqual({ unmatched: 0, notApproved: 0, unknownStatus: 2, excludedType: 0 });
    expect(result.invalid).toBe(0);
    expect(result.keepExternalIds).toEqual(['p1', 'p2']);
    expect(result.unknownStatuses).toEqual(new Map([[named, 2]]));
  });

  it('keeps the earlier copy of an unknown-status period that moved out of the window, without counting it', () => {
    const result = classify([period('p1', { ...days('2026-01-01', '2026-01-02'), approvalStatus: 'NEW' })], CONTEXT);
    expect(accounted(result)).toBe(0);
    expect(result.keepExternalIds).toEqual(['p1']);
  });

  it('counts malformed items as invalid, never as skipped, and keeps the earlier copies of those with an id', () => {
    const longId = 'x'.repeat(MAX_EXTERNAL_ID_LENGTH + 1);
    const result = classify(
      [
        { malformed: true, id: null, reason: 'absence_period.id is missing' },
        { malformed: true, id: 'p-noperson', reason: 'absence_period.person.id is missing' },
        period(longId),
        period('x'.repeat(MAX_EXTERNAL_ID_LENGTH)),
        period('p-nul\u0000'),
        period('p-empty', {
          startsFrom: { dateTime: '2026-08-03T00:00:00', type: 'SECOND_HALF' },
          endsAt: { dateTime: '2026-08-04T00:00:00', type: 'FIRST_HALF' },
        }),
        period('p-ok'),
      ],
      CONTEXT,
    );
    expect(result.desired.map((absence) => absence.externalId)).toEqual(['p-ok', 'x'.repeat(MAX_EXTERNAL_ID_LENGTH)]);
    expect(result.invalid).toBe(5);
    expect(result.skipped).toEqual({ unmatched: 0, notApproved: 0, unknownStatus: 0, excludedType: 0 });
    expect(result.invalidPeriods.map((item) => [item.externalId, item.reason])).toEqual([
      [null, 'malformed_item'],
      ['p-empty', 'empty_single_day'],
      ['p-noperson', 'malformed_item'],
      ['p-nul\u0000', 'malformed_id'],
      [longId, 'malformed_id'],
    ]);
    expect(result.keepExternalIds).toEqual(['p-empty', 'p-noperson', 'p-nul\u0000', longId]);
  });

  it('marks a desired absence from a period without an end as open-ended', () => {
    const result = classify([period('p1', days('2026-08-01', null)), period('p2')], CONTEXT);
    expect(result.desired.map((absence) => [absence.externalId, absence.openEnded])).toEqual([
      ['p1', true],
      ['p2', false],
    ]);
  });

  it('skips the periods of unmatched persons', () => {
    const result = classify([period('p1', { personId: '9999' })], CONTEXT);
    expect(result.desired).toEqual([]);
    expect(result.skipped).toEqual({ unmatched: 1, notApproved: 0, unknownStatus: 0, excludedType: 0 });
  });

  it('skips bad vendor data as invalid and names it for the log', () => {
    const result = classify(
      [period('p1', days('2026-08-10', '2026-08-03')), period('p2', days('2026-08-10Z', null))],
      CONTEXT,
    );
    expect(result.desired).toEqual([]);
    expect(result.invalid).toBe(2);
    expect(result.skipped).toEqual({ unmatched: 0, notApproved: 0, unknownStatus: 0, excludedType: 0 });
    expect(result.invalidPeriods).toEqual([
      { externalId: 'p1', reason: 'end_not_after_start', detail: expect.any(String) },
      { externalId: 'p2', reason: 'malformed_date_time', detail: expect.any(String) },
    ]);
  });

  it.each([
    ['starts before the window and ends inside it (05.07–10.07)', days('2026-07-05', '2026-07-11'), true],
    ['ends on the first window day', days('2026-07-01', '2026-07-08'), true],
    ['ends at the midnight that starts the window (last day 06.07)', days('2026-07-01', '2026-07-07'), false],
    ['starts on the last window day', days('2027-01-17', '2027-01-20'), true],
    ['starts after the window', days('2027-01-18', '2027-01-20'), false],
    ['is open-ended and started long ago', days('2025-01-01', null), true],
    ['is open-ended and starts on the last window day', days('2027-01-17', null), true],
    ['is open-ended and starts after the window', days('2027-01-18', null), false],
  ])('a period that %s is in scope: %s', (_, dates, inScope) => {
    const result = classify([period('p1', dates)], CONTEXT);
    expect(result.desired).toHaveLength(inScope ? 1 : 0);
    expect(accounted(result)).toBe(inScope ? 1 : 0);
    expect(result.skipped).toEqual({ unmatched: 0, notApproved: 0, unknownStatus: 0, excludedType: 0 });
  });

  it('ends an open-ended absence at the window end', () => {
    const [absence] = classify([period('p1', days('2025-01-01', null))], CONTEXT).desired;
    expect(absence).toMatchObject({ startOn: '2025-01-01', endOn: WINDOW.end });
  });

  it('counts out-of-window periods as out of scope, not as skipped, whatever their status or person', () => {
    const result = classify(
      [period('p1', { ...days('2026-01-01', '2026-01-02'), approvalStatus: 'REJECTED', personId: '9999' })],
      CONTEXT,
    );
    expect(accounted(result)).toBe(0);
    expect(result.skipped).toEqual({ unmatched: 0, notApproved: 0, unknownStatus: 0, excludedType: 0 });
  });

  it.each([
    ['an unknown type id', { absenceTypeId: 'gone' }],
    ['no type', { absenceTypeId: null }],
  ])('describes a period with %s neutrally', (_, overrides) => {
    const [absence] = classify([period('p1', overrides)], CONTEXT).desired;
    expect(absence.description).toBe(UNKNOWN_ABSENCE_TYPE_NAME);
  });

  it('leaves the description out when details are hidden', () => {
    const [absence] = classify([period('p1', { comment: 'Family trip' })], {
      ...CONTEXT,
      hideDetails: true,
    }).desired;
    expect(absence.description).toBeNull();
  });

  it('sorts the desired absences by externalId', () => {
    const result = classify([period('p3'), period('p1', { personId: '3004' }), period('p2')], CONTEXT);
    expect(result.desired.map((absence) => [absence.externalId, absence.userId])).toEqual([
      ['p1', 'u2'],
      ['p2', 'u1'],
      ['p3', 'u1'],
    ]);
  });
});

describe('TransferableAbsenceCollector', () => {
  it('lets a period listed again on a later page replace what an earlier page said', () => {
    const collector = new TransferableAbsenceCollector(CONTEXT);
    collector.addPage([period('p1'), period('p2')]);
    collector.addPage([period('p1', { approvalStatus: 'REJECTED' }), period('p3')]);
    const result = collector.result();
    expect(result.desired.map((absence) => absence.externalId)).toEqual(['p2', 'p3']);
    expect(result.skipped.notApproved).toBe(1);
  });

  it('collects nothing from no pages', () => {
    expect(new TransferableAbsenceCollector(CONTEXT).result()).toEqual({
      desired: [],
      skipped: { unmatched: 0, notApproved: 0, unknownStatus: 0, excludedType: 0 },
      invalid: 0,
      invalidPeriods: [],
      unknownStatuses: new Map(),
      keepExternalIds: [],
    });
  });

  it('gives the same result whatever the page size and when pages are served twice', () => {
    const someDay = fc.integer({ min: 0, max: 340 }).map((n) => Temporal.PlainDate.from('2026-05-01').add({ days: n }));
    const somePeriod = fc
      .record({
        id: fc.integer({ min: 0, max: 20 }).map((n) => `p${n}`),
        personId: fc.constantFrom('3003', '3004', '9999'),
        absenceTypeId: fc.constantFrom<string | null>('vacation', 'gone', null),
        startOn: someDay,
        length: fc.option(fc.integer({ min: -1, max: 30 }), { nil: null }),
        approvalStatus: fc.constantFrom<string | null>('APPROVED', 'APPROVED', 'PENDING', 'REJECTED', 'NEW', null),
        comment: fc.constantFrom<string | null>(null, '', 'Family trip'),
      })
      .map(({ startOn, length, ...rest }) =>
        period(rest.id, {
          ...rest,
          ...days(startOn.toString(), length === null ? null : startOn.add({ days: length }).toString()),
        }),
      );

    fc.assert(
      fc.property(
        fc.array(somePeriod, { maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (periods, pageSize, hideDetails) => {
          const context = { ...CONTEXT, hideDetails };
          const expected = classify(periods, context);
          const pages = Array.from({ length: Math.ceil(periods.length / pageSize) }, (_, i) =>
            periods.slice(i * pageSize, (i + 1) * pageSize),
          );
          const paged = new TransferableAbsenceCollector(context);
          pages.forEach((page) => paged.addPage(page));
          expect(paged.result()).toEqual(expected);

          const repeated = new TransferableAbsenceCollector(context);
          pages.forEach((page, i) => {
            if (i > 0) repeated.addPage(pages[i - 1]);
            repeated.addPage(page);
          });
          expect(repeated.result()).toEqual(expected);

          // Each period (the last listing of its id) is counted at most once, exactly as it is alone.
          const lastById = new Map(periods.map((p) => [p.id, p]));
          const accountedAlone = [...lastById.values()].filter((p) => accounted(classify([p], context)) === 1);
          expect(accounted(expected)).toBe(accountedAlone.length);
        },
      ),
    );
  });
});
