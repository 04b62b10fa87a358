import { addDays, daysFrom, isoWeekday, longDay, mondayOf, todayIn } from './calendar-days';

describe('calendar days of the team calendar', () => {
  it('counts days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-07-31', 1)).toBe('2026-08-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('knows weekdays and the Monday of a week', () => {
    expect(isoWeekday('2026-07-21')).toBe(2);
    expect(isoWeekday('2026-07-26')).toBe(7);
    expect(mondayOf('2026-07-26')).toBe('2026-07-20');
    expect(mondayOf('2026-07-20')).toBe('2026-07-20');
    expect(longDay('2026-07-27')).toBe('Mon 27 Jul 2026');
    expect(daysFrom('2026-07-30', 3)).toEqual(['2026-07-30', '2026-07-31', '2026-08-01']);
  });

  it("takes today in the workspace's time zone", () => {
    const instant = new Date('2026-07-21T23:30:00Z');
    expect(todayIn('Europe/Berlin', instant)).toBe('2026-07-22');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-07-21');
  });
});
