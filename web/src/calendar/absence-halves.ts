import type { Absence } from '../api/types';
import { addDays, dayNumber } from './calendar-days';

export type DayPart = 'full' | 'morning' | 'afternoon';

/**
 * Which part of `day` an absence covers, with awork's half-day meaning: on a single day
 * isHalfDayOnStart is the morning and isHalfDayOnEnd the afternoon; on several days
 * isHalfDayOnStart starts it at midday of the first day (afternoon only) and isHalfDayOnEnd ends
 * it at midday of the last day (morning only). Null when the day is outside the absence.
 */
export function partOfDay(
  absence: Pick<Absence, 'startOn' | 'endOn' | 'isHalfDayOnStart' | 'isHalfDayOnEnd'>,
  day: string,
): DayPart | null {
  if (day < absence.startOn || day > absence.endOn) return null;
  if (absence.startOn === absence.endOn) {
    if (absence.isHalfDayOnStart && !absence.isHalfDayOnEnd) return 'morning';
    if (absence.isHalfDayOnEnd && !absence.isHalfDayOnStart) return 'afternoon';
    return 'full';
  }
  if (day === absence.startOn && absence.isHalfDayOnStart) return 'afternoon';
  if (day === absence.endOn && absence.isHalfDayOnEnd) return 'morning';
  return 'full';
}

export interface DayHalves<A> {
  morning: A | null;
  afternoon: A | null;
}

/** Per user and day, which absence fills the morning and which the afternoon (the first listed wins a clash). */
export function halvesByUserAndDay<A extends Absence>(
  absences: readonly A[],
  firstDay: string,
  lastDay: string,
): Map<string, Map<string, DayHalves<A>>> {
  const byUser = new Map<string, Map<string, DayHalves<A>>>();
  for (const absence of absences) {
    const from = absence.startOn > firstDay ? absence.startOn : firstDay;
    const to = absence.endOn < lastDay ? absence.endOn : lastDay;
    if (from > to) continue;
    let days = byUser.get(absence.userId);
    if (!days) byUser.set(absence.userId, (days = new Map()));
    for (let day = from, n = dayNumber(to) - dayNumber(from); n >= 0; n--, day = addDays(day, 1)) {
      const part = partOfDay(absence, day);
      if (!part) continue;
      const halves = days.get(day) ?? { morning: null, afternoon: null };
      if (part !== 'afternoon') halves.morning ??= absence;
      if (part !== 'morning') halves.afternoon ??= absence;
      days.set(day, halves);
    }
  }
  return byUser;
}

export type HalfDayChoice = 'whole' | 'morning' | 'afternoon';

export interface AbsenceDates {
  startOn: string;
  endOn: string;
  /** One day: which part. */
  singleDay: HalfDayChoice;
  /** Several days: starts at midday of the first day. */
  startsAtMidday: boolean;
  /** Several days: ends at midday of the last day. */
  endsAtMidday: boolean;
}

/** The form's choice as awork's flags. */
export function halfDayFlags(dates: AbsenceDates): { isHalfDayOnStart: boolean; isHalfDayOnEnd: boolean } {
  if (dates.startOn === dates.endOn)
    return { isHalfDayOnStart: dates.singleDay === 'morning', isHalfDayOnEnd: dates.singleDay === 'afternoon' };
  return { isHalfDayOnStart: dates.startsAtMidday, isHalfDayOnEnd: dates.endsAtMidday };
}

/** awork's flags as the form's choice. */
export function datesOf(
  absence: Pick<Absence, 'startOn' | 'endOn' | 'isHalfDayOnStart' | 'isHalfDayOnEnd'>,
): AbsenceDates {
  const single = absence.startOn === absence.endOn;
  return {
    startOn: absence.startOn,
    endOn: absence.endOn,
    singleDay: !single
      ? 'whole'
      : absence.isHalfDayOnStart
        ? 'morning'
        : absence.isHalfDayOnEnd
          ? 'afternoon'
          : 'whole',
    startsAtMidday: !single && absence.isHalfDayOnStart,
    endsAtMidday: !single && absence.isHalfDayOnEnd,
  };
}
