import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import {
  overlapsWindow,
  SYNC_WINDOW_DAYS_AFTER_TODAY,
  SYNC_WINDOW_DAYS_BEFORE_TODAY,
  syncWindowFor,
} from './sync-window';

// Oracle independent of Temporal: the local date from Intl, then a hand-written calendar walk.
function localDateByIntl(epochMilliseconds: number, timeZone: string): [number, number, number] {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(epochMilliseconds);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return [part('year'), part('month'), part('day')];
}

function daysInMonth(year: number, month: number): number {
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function walkDays([year, month, day]: [number, number, number], steps: number): string {
  let [y, m, d] = [year, month, day];
  for (let i = 0; i < Math.abs(steps); i++) {
    if (steps > 0) {
      d++;
      if (d > daysInMonth(y, m)) [d, m] = [1, m + 1];
      if (m > 12) [m, y] = [1, y + 1];
    } else {
      d--;
      if (d < 1) {
        m--;
        if (m < 1) [m, y] = [12, y - 1];
        d = daysInMonth(y, m);
      }
    }
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

describe('syncWindowFor', () => {
  it('spans 14 days back and 180 days ahead', () => {
    expect(SYNC_WINDOW_DAYS_BEFORE_TODAY).toBe(14);
    expect(SYNC_WINDOW_DAYS_AFTER_TODAY).toBe(180);
  });

  it.each([
    ['the spec example (today 2026-07-21)', '2026-07-21T10:00:00Z', 'Europe/Berlin', '2026-07-07', '2027-01-17'],
    [
      'Kiritimati (UTC+14) already on the next day',
      '2026-07-20T12:00:00Z',
      'Pacific/Kiritimati',
      '2026-07-07',
      '2027-01-17',
    ],
    ['UTC on the same instant is a day behind Kiritimati', '2026-07-20T12:00:00Z', 'UTC', '2026-07-06', '2027-01-16'],
    [
      'Pago Pago (UTC−11) still on the previous day',
      '2026-07-22T08:00:00Z',
      'Pacific/Pago_Pago',
      '2026-07-07',
      '2027-01-17',
    ],
    [
      'Berlin just after midnight on the spring-forward day',
      '2026-03-28T23:30:00Z',
      'Europe/Berlin',
      '2026-03-15',
      '2026-09-25',
    ],
    [
      'Berlin in the repeated hour of the fall-back day',
      '2026-10-25T00:30:00Z',
      'Europe/Berlin',
      '2026-10-11',
      '2027-04-23',
    ],
    [
      'Berlin in the last minute of the fall-back day',
      '2026-10-25T22:59:00Z',
      'Europe/Berlin',
      '2026-10-11',
      '2027-04-23',
    ],
    ['Berlin one minute later is the next day', '2026-10-25T23:00:00Z', 'Europe/Berlin', '2026-10-12', '2027-04-24'],
    ['today is a leap day', '2028-02-29T12:00:00Z', 'Europe/Berlin', '2028-02-15', '2028-08-27'],
    ['the start reaches back over a leap day', '2028-03-10T12:00:00Z', 'Europe/Berlin', '2028-02-25', '2028-09-06'],
    [
      'the start reaches back over a non-leap February',
      '2027-03-10T12:00:00Z',
      'Europe/Berlin',
      '2027-02-24',
      '2027-09-06',
    ],
    ['the end reaches over a leap day', '2027-09-10T12:00:00Z', 'Europe/Berlin', '2027-08-27', '2028-03-08'],
    ['across a year boundary', '2026-12-31T12:00:00Z', 'America/New_York', '2026-12-17', '2027-06-29'],
  ])('%s', (_, instant, timeZone, start, end) => {
    expect(syncWindowFor(Temporal.Instant.from(instant), timeZone)).toEqual({ start, end });
  });

  it('accepts a JavaScript Date instant and reads it in the given zone, not the process zone', () => {
    expect(syncWindowFor(new Date('2026-07-20T12:00:00Z'), 'Pacific/Kiritimati')).toEqual({
      start: '2026-07-07',
      end: '2027-01-17',
    });
  });

  it('rejects an unknown time zone', () => {
    expect(() => syncWindowFor(new Date('2026-07-20T12:00:00Z'), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('matches a day-by-day walk from the local date', () => {
    const zones = [
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'America/St_Johns',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'Pacific/Kiritimati',
      'Pacific/Pago_Pago',
      'Pacific/Chatham',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1999, 0, 1), max: Date.UTC(2101, 0, 1) }),
        fc.constantFrom(...zones),
        (epochMilliseconds, timeZone) => {
          const today = localDateByIntl(epochMilliseconds, timeZone);
          expect(syncWindowFor(Temporal.Instant.fromEpochMilliseconds(epochMilliseconds), timeZone)).toEqual({
            start: walkDays(today, -SYNC_WINDOW_DAYS_BEFORE_TODAY),
            end: walkDays(today, SYNC_WINDOW_DAYS_AFTER_TODAY),
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('overlapsWindow', () => {
  const window = { start: '2026-07-07', end: '2027-01-17' };

  it.each([
    ['starts before and ends inside (the spec example 05.07–10.07)', '2026-07-05', '2026-07-10', true],
    ['ends on the first window day', '2026-07-01', '2026-07-07', true],
    ['ends the day before the window', '2026-07-01', '2026-07-06', false],
    ['starts on the last window day', '2027-01-17', '2027-02-01', true],
    ['starts the day after the window', '2027-01-18', '2027-02-01', false],
    ['covers the whole window', '2026-01-01', '2027-12-31', true],
    ['lies inside', '2026-08-01', '2026-08-01', true],
  ])('%s', (_, startOn, endOn, expected) => {
    expect(overlapsWindow({ startOn, endOn }, window)).toBe(expected);
  });

  it('agrees with a comparison of calendar dates', () => {
    const day = fc.integer({ min: 0, max: 2000 }).map((n) => Temporal.PlainDate.from('2025-01-01').add({ days: n }));
    fc.assert(
      fc.property(day, day, day, day, (a, b, c, d) => {
        const [startOn, endOn] = Temporal.PlainDate.compare(a, b) <= 0 ? [a, b] : [b, a];
        const [start, end] = Temporal.PlainDate.compare(c, d) <= 0 ? [c, d] : [d, c];
        const expected = Temporal.PlainDate.compare(startOn, end) <= 0 && Temporal.PlainDate.compare(endOn, start) >= 0;
        expect(
          overlapsWindow(
            { startOn: startOn.toString(), endOn: endOn.toString() },
            { start: start.toString(), end: end.toString() },
          ),
        ).toBe(expected);
      }),
    );
  });
});
