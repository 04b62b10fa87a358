// Calendar days as 'YYYY-MM-DD' strings, counted on day numbers (never through Date and UTC): the server's
// own integer arithmetic, bundled into the page.
import { fromDayNumber, toDayNumber } from '../../../src/common/calendar-days';

export { fromDayNumber, toDayNumber as dayNumber };

export function addDays(day: string, days: number): string {
  return fromDayNumber(toDayNumber(day) + days);
}

/** 1 = Monday … 7 = Sunday (ISO). 1970-01-01 was a Thursday. */
export function isoWeekday(day: string): number {
  return ((((toDayNumber(day) + 3) % 7) + 7) % 7) + 1;
}

export function mondayOf(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

export function daysFrom(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => addDays(first, index));
}

/** Today's date in an IANA time zone, from an instant ('en-CA' formats as YYYY-MM-DD). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Mon 27 Jul 2026" */
export function longDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${WEEKDAYS[isoWeekday(day) - 1]} ${d} ${MONTHS[m - 1]} ${y}`;
}

/** "27 Jul" */
export function shortDay(day: string): string {
  const [, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]}`;
}

export function weekdayInitial(day: string): string {
  return WEEKDAYS[isoWeekday(day) - 1].slice(0, 2);
}
