import fc from 'fast-check';
import { fromDayNumber, toDayNumber } from '../../../common/calendar-days';
import { parseAbsencePeriodsQuery } from '../../../personio-simulator/list-query';
import type { SimAbsencePeriod } from '../../../personio-simulator/simulator.types';
import { SortedCollection } from '../../../personio-simulator/sorted-collection';
import { absencePeriodQuery, wholeRangeFilter } from '../client/absence-period-filter';
import { AbsencePeriodFilter, DateRange, ListedAbsencePeriod } from '../client/personio-api.types';
import {
  AbsencePeriodMerge,
  DEFAULT_PARTITIONS,
  expectedPagesFrom,
  MAX_PARTITIONS,
  partitionCountFor,
  partitionsAt,
  planPartitions,
} from './absence-period-partitions';

const BASE_DAY = toDayNumber('2026-06-01');
const TIMES = ['00:00:00', '08:30:00', '12:00:00', '23:59:59'];

function period(id: number, startDay: number, startTime: string, lengthDays: number | null): SimAbsencePeriod {
  const boundary = (day: number, time: string) => ({
    dateTime: `${fromDayNumber(day)}T${time}`,
    type: 'FIRST_HALF' as const,
  });
  return {
    id: String(id),
    personId: 'p',
    absenceTypeId: 't',
    startsFrom: boundary(startDay, startTime),
    endsAt: lengthDays === null ? null : boundary(startDay + lengthDays, lengthDays === 0 ? '23:59:59' : startTime),
    timezoneId: 'Europe/Berlin',
    comment: null,
    approvalStatus: 'APPROVED',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

type Matcher = (filter: AbsencePeriodFilter) => (period: SimAbsencePeriod) => boolean;

/** Personio as the simulator reads its filters: they match overlapping periods (PERSONIO_API.md §3). */
const overlapReading: Matcher = (filter) =>
  parseAbsencePeriodsQuery(new URLSearchParams(absencePeriodQuery(filter))).matches;

/** The other possible reading: `starts_from` filters bound the start, `ends_at.gte` the end (null = open). */
const literalReading: Matcher = (filter) => (p) =>
  (filter.startsFromGte === undefined || p.startsFrom.dateTime >= filter.startsFromGte) &&
  (filter.startsFromLte === undefined || p.startsFrom.dateTime <= filter.startsFromLte) &&
  (filter.endsAtGte === undefined || p.endsAt === null || p.endsAt.dateTime >= filter.endsAtGte);

/** Every page of one listing, the way Personio pages it (by id, `pageSize` a page). */
function listAllPages(
  collection: SortedCollection<SimAbsencePeriod>,
  matches: (period: SimAbsencePeriod) => boolean,
  pageSize: number,
): ListedAbsencePeriod[][] {
  const pages: ListedAbsencePeriod[][] = [];
  let after: string | null = null;
  do {
    const page = collection.page(after, pageSize, matches);
    pages.push(page.items.map((p) => ({ ...p, personId: p.personId })));
    after = page.continueAfter;
  } while (after !== null);
  return pages;
}

const scenario = fc
  .record({
    windowStartOffset: fc.integer({ min: -30, max: 30 }),
    // short windows too, so that slice edges are dense and many periods start right on one
    windowDays: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 200 })),
    pageSize: fc.integer({ min: 1, max: 25 }),
    periods: fc.array(
      fc.record({
        startOffset: fc.oneof(fc.integer({ min: -3, max: 12 }), fc.integer({ min: -120, max: 260 })),
        time: fc.constantFrom(...TIMES),
        // null = open-ended; mostly short ones, which a lost day at a slice edge would lose
        lengthDays: fc.option(fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 150 })), { freq: 6 }),
      }),
      { maxLength: 120 },
    ),
    cuts: fc.array(fc.oneof(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 199 })), { maxLength: 20 }),
  })
  .map(({ windowStartOffset, windowDays, pageSize, periods, cuts }) => {
    const first = BASE_DAY + windowStartOffset;
    const window: DateRange = { start: fromDayNumber(first), end: fromDayNumber(first + windowDays - 1) };
    const sliceStarts = [...new Set([0, ...cuts.filter((cut) => cut < windowDays)])]
      .sort((a, b) => a - b)
      .map((offset) => fromDayNumber(first + offset));
    const collection = new SortedCollection<SimAbsencePeriod>();
    periods.forEach((p, i) => collection.upsert(period(i + 1, first + p.startOffset, p.time, p.lengthDays)));
    return { window, sliceStarts, pageSize, collection };
  });

describe('absence-period partitions', () => {
  it.each([
    ['overlap', overlapReading],
    ['literal', literalReading],
  ])(
    'under the %s reading of the filters, the merged partitions list every period of the window exactly once',
    (_name, reading) => {
      fc.assert(
        fc.property(scenario, ({ window, sliceStarts, pageSize, collection }) => {
          const merge = new AbsencePeriodMerge();
          const merged: string[] = [];
          for (const partition of partitionsAt(window, sliceStarts))
            for (const page of listAllPages(collection, reading(partition.filter), pageSize))
              merged.push(...merge.accept(page).map((item) => item.id!));

          const overlapping = collection
            .values()
            .filter(
              (p) =>
                p.startsFrom.dateTime <= `${window.end}T23:59:59` &&
                (p.endsAt === null || p.endsAt.dateTime >= `${window.start}T00:00:00`),
            )
            .map((p) => p.id);
          // exactly once: no duplicates survive the merge, none is lost at a slice edge, open-ended included
          expect(merged).toHaveLength(new Set(merged).size);
          expect(new Set(merged)).toEqual(new Set(overlapping));
          // and the same as the unpartitioned listing of the window
          const whole = listAllPages(collection, reading(wholeRangeFilter(window)), pageSize).flat();
          expect(new Set(merged)).toEqual(new Set(whole.map((item) => item.id)));
        }),
        { numRuns: 300 },
      );
    },
  );

  it('plans the partition before the window and equal slices that tile the window day by day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 2, max: 40 }), (days, count) => {
        const window = { start: '2026-11-17', end: fromDayNumber(toDayNumber('2026-11-17') + days - 1) };
        const [before, ...slices] = planPartitions(window, count);

        expect(before.filter).toEqual({ startsFromLte: '2026-11-16T23:59:59', endsAtGte: '2026-11-17T00:00:00' });
        expect(slices).toHaveLength(Math.min(count - 1, days));
        expect(slices[0].filter.startsFromGte).toBe(`${window.start}T00:00:00`);
        expect(slices.at(-1)!.filter.startsFromLte).toBe(`${window.end}T23:59:59`);
        for (let i = 1; i < slices.length; i++) {
          const previousEnd = slices[i - 1].filter.startsFromLte!.slice(0, 10);
          const start = slices[i].filter.startsFromGte!.slice(0, 10);
          expect(toDayNumber(start)).toBe(toDayNumber(previousEnd) + 1);
        }
      }),
    );
  });

  it('one partition is the unpartitioned listing of the window', () => {
    const window = { start: '2026-11-17', end: '2027-05-30' };
    expect(planPartitions(window, 1)).toEqual([{ label: 'window', filter: wholeRangeFilter(window) }]);
  });

  it('refuses slice starts that do not begin at the window or do not ascend', () => {
    const window = { start: '2026-11-17', end: '2026-11-30' };
    expect(() => partitionsAt(window, ['2026-11-18'])).toThrow(/first slice/);
    expect(() => partitionsAt(window, ['2026-11-17', '2026-11-20', '2026-11-19'])).toThrow(/ascend/);
    expect(() => partitionsAt(window, ['2026-11-17', '2026-12-01'])).toThrow(/ascend/);
  });

  it('sizes the partitions from the previous run: none for a page or two, about ten pages each, at most the bound', () => {
    expect(partitionCountFor(expectedPagesFrom(0))).toBe(1);
    expect(partitionCountFor(expectedPagesFrom(50))).toBe(1);
    expect(partitionCountFor(expectedPagesFrom(200))).toBe(1);
    expect(partitionCountFor(expectedPagesFrom(201))).toBe(2);
    expect(partitionCountFor(expectedPagesFrom(2_600))).toBe(4);
    expect(partitionCountFor(expectedPagesFrom(60_000))).toBe(MAX_PARTITIONS);
    expect(partitionCountFor(expectedPagesFrom(60_000), 4)).toBe(4);
    expect(partitionCountFor(expectedPagesFrom(60_000), 32)).toBe(32);
    expect(partitionCountFor(expectedPagesFrom(60_000), 1)).toBe(1);
    expect(DEFAULT_PARTITIONS).toBeLessThanOrEqual(MAX_PARTITIONS);
  });

  it('the merge passes each id once and every item without an id', () => {
    const merge = new AbsencePeriodMerge();
    const malformed: ListedAbsencePeriod = { malformed: true, id: null, reason: 'no id' };
    const item = (id: string): ListedAbsencePeriod => ({ malformed: true, id, reason: 'x' });

    expect(merge.accept([item('1'), item('2'), malformed])).toEqual([item('1'), item('2'), malformed]);
    expect(merge.accept([item('2'), item('3'), malformed, item('3')])).toEqual([item('3'), malformed]);
    expect(merge.size).toBe(3);
  });
});
