import { AbsenceChangeSet, DateRange, DesiredAbsence, StoredExternalAbsence } from '../../awork-host.types';
import { overlapsWindow } from './sync-window';

export interface AbsenceDiffInput {
  /** Mapped, matched, approved Personio absences; repeated externalIds keep the last one. */
  desired: readonly DesiredAbsence[];
  /** Transferred absences overlapping the window or listed in `desired`; never manual ones. */
  stored: readonly StoredExternalAbsence[];
  window: DateRange;
  /** External ids Personio listed without saying what they should be (malformed, unknown status): left as they are. */
  keep?: ReadonlySet<string>;
}

/**
 * What to create, update and delete so that inside the window awork holds exactly the desired
 * absences. Stored absences behind or beyond the window that Personio no longer lists are
 * history and stay; a desired absence that does not overlap the window is out of scope and
 * counts as not listed.
 */
export function diffAbsences({ desired, stored, window, keep = new Set() }: AbsenceDiffInput): AbsenceChangeSet {
  // The last listing of an id decides; one that does not overlap the window counts as not listed.
  const desiredByExternalId = new Map<string, DesiredAbsence>();
  for (const absence of desired) {
    if (overlapsWindow(absence, window)) desiredByExternalId.set(absence.externalId, absence);
    else desiredByExternalId.delete(absence.externalId);
  }
  const storedByExternalId = new Map<string, StoredExternalAbsence>();
  const deletes: string[] = [];

  // The externalId is unique per workspace, so two rows sharing one are a leftover of a race: keep
  // the lowest id and remove the other copies.
  for (const absence of stored) {
    const kept = storedByExternalId.get(absence.externalId);
    if (!kept) {
      storedByExternalId.set(absence.externalId, absence);
      continue;
    }
    // A repeated external id keeps its lowest awork id, so the outcome does not depend on row order.
    const [lowest, drop] = kept.id < absence.id ? [kept, absence] : [absence, kept];
    storedByExternalId.set(absence.externalId, lowest);
    deletes.push(drop.id);
  }

  const creates: DesiredAbsence[] = [];
  const updates: StoredExternalAbsence[] = [];
  let unchanged = 0;

  for (const wanted of desiredByExternalId.values()) {
    const existing = storedByExternalId.get(wanted.externalId);
    if (!existing) creates.push(wanted);
    else if (hasSameFields(existing, wanted)) unchanged++;
    else updates.push({ ...wanted, id: existing.id });
  }

  for (const existing of storedByExternalId.values()) {
    if (
      !desiredByExternalId.has(existing.externalId) &&
      !keep.has(existing.externalId) &&
      overlapsWindow(existing, window)
    )
      deletes.push(existing.id);
  }

  return {
    creates: creates.sort(byKey((absence) => absence.externalId)),
    updates: updates.sort(byKey((absence) => absence.externalId)),
    deletes: deletes.sort(),
    unchanged,
  };
}

export function hasSameFields(stored: DesiredAbsence, desired: DesiredAbsence): boolean {
  return (
    stored.userId === desired.userId &&
    stored.startOn === desired.startOn &&
    stored.endOn === desired.endOn &&
    stored.isHalfDayOnStart === desired.isHalfDayOnStart &&
    stored.isHalfDayOnEnd === desired.isHalfDayOnEnd &&
    stored.description === desired.description &&
    stored.openEnded === desired.openEnded
  );
}

function byKey<T>(keyOf: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const left = keyOf(a);
    const right = keyOf(b);
    return left < right ? -1 : left > right ? 1 : 0;
  };
}
