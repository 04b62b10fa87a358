import { Temporal } from 'temporal-polyfill';
import { DateRange } from '../../awork-host.types';

export const SYNC_WINDOW_DAYS_BEFORE_TODAY = 14;
export const SYNC_WINDOW_DAYS_AFTER_TODAY = 180;

/** An inclusive span of calendar days as awork stores it. */
export interface CalendarDaySpan {
  startOn: string;
  endOn: string;
}

export function localDateAt(now: Temporal.Instant | Date, timeZone: string): Temporal.PlainDate {
  const instant = now instanceof Date ? Temporal.Instant.fromEpochMilliseconds(now.getTime()) : now;
  return instant.toZonedDateTimeISO(timeZone).toPlainDate();
}

/** The workspace's sync window: today − 14 days .. today + 180 days, both inclusive, in its own zone. */
export function syncWindowFor(now: Temporal.Instant | Date, timeZone: string): DateRange {
  const today = localDateAt(now, timeZone);
  return {
    start: today.subtract({ days: SYNC_WINDOW_DAYS_BEFORE_TODAY }).toString(),
    end: today.add({ days: SYNC_WINDOW_DAYS_AFTER_TODAY }).toString(),
  };
}

/**
 * `start ≤ windowEnd && end ≥ windowStart`. Plain string comparison is exact here: zero-padded
 * `YYYY-MM-DD` dates with four-digit years sort lexicographically in calendar order.
 */
export function overlapsWindow(span: CalendarDaySpan, window: DateRange): boolean {
  return span.startOn <= window.end && span.endOn >= window.start;
}
