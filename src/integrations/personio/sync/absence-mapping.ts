import { fromDayNumber, toDayNumber } from '../../../common/calendar-days';
import { PersonioAbsencePeriod } from '../client/personio-api.types';

/** awork's limit for an absence description. */
export const AWORK_DESCRIPTION_MAX_LENGTH = 1000;
/** Stands in for the type name when the period has no type or its type is not in the listing. */
export const UNKNOWN_ABSENCE_TYPE_NAME = 'Absence';

/** The awork fields one Personio absence period maps to. */
export interface AworkAbsenceFields {
  startOn: string;
  endOn: string;
  isHalfDayOnStart: boolean;
  isHalfDayOnEnd: boolean;
  description: string | null;
}

export type InvalidAbsenceReason =
  | 'malformed_date_time'
  | 'end_not_after_start'
  /** One day that starts at midday and ends at midday: no time off at all. */
  | 'empty_single_day';

export type AbsenceMappingResult =
  | { kind: 'mapped'; fields: AworkAbsenceFields }
  /** Open-ended and starting after the window: nothing to transfer yet, and nothing wrong. */
  | { kind: 'starts_after_window' }
  /** Bad vendor data: the sync skips the period and counts it as invalid. */
  | { kind: 'invalid'; reason: InvalidAbsenceReason; detail: string };

export interface AbsenceMappingOptions {
  /** null when the period has no type or its type is unknown. */
  absenceTypeName: string | null;
  hideDetails: boolean;
  /** Inclusive last day of the sync window: where an open-ended absence ends for now. */
  windowEnd: string;
}

/** An offset-less local date-time, as a day number and the time of day (no Date, no zone). */
interface LocalDateTime {
  date: string;
  day: number;
  nanosOfDay: number;
  hoursAndMinutes: string;
}

// Personio's date_time is local wall-clock time. Clients of the live API also see a trailing `Z`,
// an offset or fractional seconds: the wall-clock part is read and the designator ignored, never
// converted (converting would move a day absence to another date).
// NOTE: parsed by hand rather than with Temporal: this runs for every period of every sync and
// Temporal's parser was the largest application cost of a 60,000-absence sync (bench/README.md).
const LOCAL_DATE_TIME_PATTERN =
  /^(\d{4}-\d{2}-\d{2})T((\d{2}):(\d{2}))(?::(\d{2})(?:\.(\d{1,9}))?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const NANOS_PER_SECOND = 1_000_000_000;
const MIDDAY = 12 * 3600 * NANOS_PER_SECOND;

export function mapAbsencePeriod(period: PersonioAbsencePeriod, options: AbsenceMappingOptions): AbsenceMappingResult {
  const start = parseLocalDateTime(period.startsFrom.dateTime);
  if (!start) return malformed('starts_from', period.startsFrom.dateTime);

  if (period.endsAt === null) return mapOpenEnded(period, start, options);

  const end = parseLocalDateTime(period.endsAt.dateTime);
  if (!end) return malformed('ends_at', period.endsAt.dateTime);
  const dayUnit = isMidnight(start) && isMidnight(end);
  // A day-unit end at midnight of the start day itself is how some clients report one day.
  const zeroLengthDay = dayUnit && end.day === start.day;
  if (compareLocal(end, start) <= 0 && !zeroLengthDay) {
    return {
      kind: 'invalid',
      reason: 'end_not_after_start',
      detail: `ends_at ${period.endsAt.dateTime} is not after starts_from ${period.startsFrom.dateTime}`,
    };
  }

  const startOn = start.date;
  const endOn = isMidnight(end) && !zeroLengthDay ? dateOfDay(end.day - 1) : end.date;

  if (dayUnit) {
    return withHalfDays(
      period,
      startOn,
      endOn,
      period.startsFrom.type === 'SECOND_HALF',
      period.endsAt.type === 'FIRST_HALF',
      describeAbsence(period, options, null),
    );
  }

  // Hour unit: the times decide the half days and the FIRST_HALF/SECOND_HALF types are ignored.
  return withHalfDays(
    period,
    startOn,
    endOn,
    startsAtOrAfterMidday(start),
    !isMidnight(end) && end.nanosOfDay <= MIDDAY,
    describeAbsence(period, options, `${start.hoursAndMinutes}\u2013${end.hoursAndMinutes}`),
  );
}

/**
 * awork's flags (its public absences API): on several days they mark a start at midday and an end
 * at midday; on one day `isHalfDayOnStart` is the morning and `isHalfDayOnEnd` the afternoon.
 */
function withHalfDays(
  period: PersonioAbsencePeriod,
  startOn: string,
  endOn: string,
  startsAtMidday: boolean,
  endsAtMidday: boolean,
  description: string | null,
): AbsenceMappingResult {
  if (startOn !== endOn) {
    return mapped({ startOn, endOn, isHalfDayOnStart: startsAtMidday, isHalfDayOnEnd: endsAtMidday, description });
  }
  if (startsAtMidday && endsAtMidday) {
    return {
      kind: 'invalid',
      reason: 'empty_single_day',
      detail: `one day ${startOn} that starts at midday and ends at midday (starts_from ${period.startsFrom.dateTime}, ends_at ${period.endsAt?.dateTime ?? 'null'})`,
    };
  }
  return mapped({ startOn, endOn, isHalfDayOnStart: endsAtMidday, isHalfDayOnEnd: startsAtMidday, description });
}

function mapOpenEnded(
  period: PersonioAbsencePeriod,
  start: LocalDateTime,
  options: AbsenceMappingOptions,
): AbsenceMappingResult {
  if (start.date > options.windowEnd) return { kind: 'starts_after_window' };
  return withHalfDays(
    period,
    start.date,
    options.windowEnd,
    isMidnight(start) ? period.startsFrom.type === 'SECOND_HALF' : startsAtOrAfterMidday(start),
    false,
    describeAbsence(period, options, null),
  );
}

function describeAbsence(
  period: PersonioAbsencePeriod,
  options: AbsenceMappingOptions,
  times: string | null,
): string | null {
  if (options.hideDetails) return null;
  const typeName = options.absenceTypeName?.trim() || UNKNOWN_ABSENCE_TYPE_NAME;
  const label = times === null ? typeName : `${typeName} (${times})`;
  const comment = period.comment?.trim() ?? '';
  // PostgreSQL cannot store NUL in text: one in a comment or type name would fail the whole sync.
  const description = comment === '' ? label : `${label}: ${comment}`;
  // The common case keeps the type's own string: no copy per absence.
  return capDescription(description.includes('\u0000') ? description.replaceAll('\u0000', '') : description);
}

function capDescription(description: string): string {
  if (description.length <= AWORK_DESCRIPTION_MAX_LENGTH) return description;
  let kept = description.slice(0, AWORK_DESCRIPTION_MAX_LENGTH - 1);
  // Never leave half of a surrogate pair behind.
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}\u2026`;
}

function parseLocalDateTime(text: string): LocalDateTime | null {
  const match = LOCAL_DATE_TIME_PATTERN.exec(text);
  if (!match) return null;
  const [, dateText, hoursAndMinutes, hours, minutes, seconds = '0', fraction = ''] = match;
  const date = calendarDateOf(dateText);
  // Out-of-range fields (2026-02-30, 25:00) are refused, not clamped; a leap second reads as :59, as in ISO 8601 parsers.
  if (date === null || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 60) return null;
  const secondOfDay = (Number(hours) * 60 + Number(minutes)) * 60 + Math.min(Number(seconds), 59);
  return {
    date: date.text,
    day: date.day,
    hoursAndMinutes,
    nanosOfDay: secondOfDay * NANOS_PER_SECOND + Number(fraction.padEnd(9, '0')),
  };
}

// Thousands of absences share a few hundred dates: each date is checked and converted once, and every absence
// of a day holds the same string (a sync keeps tens of thousands of them until it has written).
interface CalendarDate {
  text: string;
  day: number;
}
const calendarDates = new Map<string, CalendarDate | null>();
const datesByDay = new Map<number, string>();
const DATE_CACHE_LIMIT = 50_000;

/** The day number of a real calendar date, or null for one that does not exist (2026-02-30). */
function calendarDateOf(text: string): CalendarDate | null {
  let date = calendarDates.get(text);
  if (date === undefined) {
    const day = toDayNumber(text);
    date = fromDayNumber(day) === text ? { text: dateOfDay(day), day } : null;
    if (calendarDates.size >= DATE_CACHE_LIMIT) calendarDates.clear();
    calendarDates.set(text, date);
  }
  return date;
}

function dateOfDay(day: number): string {
  let text = datesByDay.get(day);
  if (text === undefined) {
    text = fromDayNumber(day);
    if (datesByDay.size >= DATE_CACHE_LIMIT) datesByDay.clear();
    datesByDay.set(day, text);
  }
  return text;
}

function compareLocal(a: LocalDateTime, b: LocalDateTime): number {
  return a.day - b.day || a.nanosOfDay - b.nanosOfDay;
}

function isMidnight(dateTime: LocalDateTime): boolean {
  return dateTime.nanosOfDay === 0;
}

function startsAtOrAfterMidday(dateTime: LocalDateTime): boolean {
  return dateTime.nanosOfDay >= MIDDAY;
}

function mapped(fields: AworkAbsenceFields): AbsenceMappingResult {
  return { kind: 'mapped', fields };
}

function malformed(boundary: 'starts_from' | 'ends_at', text: string): AbsenceMappingResult {
  return {
    kind: 'invalid',
    reason: 'malformed_date_time',
    detail: `${boundary} ${JSON.stringify(text)} is not a date-time YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]`,
  };
}
