import type { Absence } from '../api/types';
import { datesOf, halfDayFlags, halvesByUserAndDay, partOfDay } from './absence-halves';

const absence = (overrides: Partial<Absence>): Absence => ({
  id: 'a1',
  userId: 'u1',
  startOn: '2026-07-23',
  endOn: '2026-07-23',
  isHalfDayOnStart: false,
  isHalfDayOnEnd: false,
  description: null,
  externalProvider: null,
  externalId: null,
  isReadOnly: false,
  ...overrides,
});

describe("half days drawn with awork's meaning", () => {
  it('reads a single day: isHalfDayOnStart is the morning, isHalfDayOnEnd the afternoon', () => {
    expect(partOfDay(absence({ isHalfDayOnStart: true }), '2026-07-23')).toBe('morning');
    expect(partOfDay(absence({ isHalfDayOnEnd: true }), '2026-07-23')).toBe('afternoon');
    expect(partOfDay(absence({}), '2026-07-23')).toBe('full');
    expect(partOfDay(absence({}), '2026-07-24')).toBeNull();
  });

  it('reads several days: a midday start leaves the first morning free, a midday end the last afternoon', () => {
    const long = absence({ startOn: '2026-07-23', endOn: '2026-07-25', isHalfDayOnStart: true, isHalfDayOnEnd: true });
    expect(
      ['2026-07-22', '2026-07-23', '2026-07-24', '2026-07-25', '2026-07-26'].map((d) => partOfDay(long, d)),
    ).toEqual([null, 'afternoon', 'full', 'morning', null]);
  });

  it('puts a morning and an afternoon absence of one person into the same cell', () => {
    const morning = absence({ id: 'm', isHalfDayOnStart: true });
    const afternoon = absence({ id: 'a', isHalfDayOnEnd: true });
    const cell = halvesByUserAndDay([morning, afternoon], '2026-07-20', '2026-08-30').get('u1')?.get('2026-07-23');
    expect(cell?.morning?.id).toBe('m');
    expect(cell?.afternoon?.id).toBe('a');
  });

  it('clips absences to the days shown', () => {
    const long = absence({ startOn: '2026-07-01', endOn: '2026-12-31' });
    const days = halvesByUserAndDay([long], '2026-07-20', '2026-07-22').get('u1');
    expect([...(days?.keys() ?? [])]).toEqual(['2026-07-20', '2026-07-21', '2026-07-22']);
  });

  it("turns the form's half-day choice into the flags and back", () => {
    const single = { startOn: '2026-07-23', endOn: '2026-07-23', startsAtMidday: false, endsAtMidday: false };
    expect(halfDayFlags({ ...single, singleDay: 'morning' })).toEqual({
      isHalfDayOnStart: true,
      isHalfDayOnEnd: false,
    });
    expect(halfDayFlags({ ...single, singleDay: 'afternoon' })).toEqual({
      isHalfDayOnStart: false,
      isHalfDayOnEnd: true,
    });
    const several = { startOn: '2026-07-23', endOn: '2026-07-24', singleDay: 'morning' as const };
    expect(halfDayFlags({ ...several, startsAtMidday: true, endsAtMidday: false })).toEqual({
      isHalfDayOnStart: true,
      isHalfDayOnEnd: false,
    });
    expect(datesOf(absence({ isHalfDayOnEnd: true })).singleDay).toBe('afternoon');
    expect(datesOf(absence({ endOn: '2026-07-24', isHalfDayOnEnd: true })).endsAtMidday).toBe(true);
  });
});
