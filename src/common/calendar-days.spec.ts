import { fromDayNumber, toDayNumber } from './calendar-days';

describe('calendar day numbers', () => {
  it.each([
    ['1970-01-01', 0],
    ['2000-02-29', 11016],
    ['2026-03-29', 20541],
    ['2026-12-31', 20818],
  ])('%s is day %i and back', (date, day) => {
    expect(toDayNumber(date)).toBe(day);
    expect(fromDayNumber(day)).toBe(date);
  });

  it('agrees with UTC dates for every day of several years', () => {
    for (let day = toDayNumber('2023-12-25'); day < toDayNumber('2029-01-05'); day++) {
      expect(fromDayNumber(day)).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
      expect(toDayNumber(fromDayNumber(day))).toBe(day);
    }
  });
});
