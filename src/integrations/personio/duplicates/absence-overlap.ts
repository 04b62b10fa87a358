import { toDayNumber } from '../../../common/calendar-days';
import type { ManualAbsence, ManualAbsenceOverlap, StoredExternalAbsence } from '../../awork-host.types';

/** The fields that say when an absence is: whole days with awork's half-day flags. */
export type AbsenceTime = Pick<ManualAbsence, 'startOn' | 'endOn' | 'isHalfDayOnStart' | 'isHalfDayOnEnd'>;

/** A manual absence that a transferred one duplicates, with that transferred one. */
export interface DuplicateAbsence {
  manual: ManualAbsence;
  transferred: StoredExternalAbsence;
}

/**
 * The absence as half-day slots `[from, to)` (slot 2d = morning of day d, 2d + 1 = afternoon), read
 * as awork's API defines the flags: on one day they are the morning or the afternoon only; over
 * several days they mean it starts at midday of the first day or ends at midday of the last day.
 */
export function halfDaySlots(absence: AbsenceTime): { from: number; to: number } {
  const first = toDayNumber(absence.startOn) * 2;
  const last = toDayNumber(absence.endOn) * 2;
  if (first === last) {
    if (absence.isHalfDayOnStart && !absence.isHalfDayOnEnd) return { from: first, to: first + 1 };
    if (absence.isHalfDayOnEnd && !absence.isHalfDayOnStart) return { from: first + 1, to: first + 2 };
    return { from: first, to: first + 2 };
  }
  return { from: first + (absence.isHalfDayOnStart ? 1 : 0), to: last + (absence.isHalfDayOnEnd ? 1 : 2) };
}

/** Whether two absences are off at the same time for at least half a day (a morning and an afternoon do not clash). */
export function absencesOverlap(a: AbsenceTime, b: AbsenceTime): boolean {
  const x = halfDaySlots(a);
  const y = halfDaySlots(b);
  return x.from < y.to && y.from < x.to;
}

/**
 * Manual absences of matched users that one of that user's transferred absences overlaps, each
 * with the earliest such transferred absence. `candidates` share at least a calendar day (the
 * host's coarse filter, ordered by start); this rule decides with half days.
 */
export function findDuplicates(
  candidates: ManualAbsenceOverlap[],
  matchedUserIds: ReadonlySet<string>,
): DuplicateAbsence[] {
  const duplicates: DuplicateAbsence[] = [];
  for (const { manual, external } of candidates) {
    if (!matchedUserIds.has(manual.userId)) continue;
    const transferred = external.find(
      (absence) => absence.userId === manual.userId && absencesOverlap(manual, absence),
    );
    if (transferred) duplicates.push({ manual, transferred });
  }
  return duplicates;
}
