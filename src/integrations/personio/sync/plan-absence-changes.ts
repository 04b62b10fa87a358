import { AbsenceChangeSet, DateRange, StoredExternalAbsence } from '../../awork-host.types';
import { diffAbsences } from './absence-diff';
import { InvalidAbsencePeriod, TransferableAbsences } from './transferable-absences';

/**
 * Which absences a plan covers: the whole window (a full sync listed it all), or exactly these
 * Personio ids (fetched one by one or with the list's id filter; an id not handed back is gone).
 */
export type PlanScope = 'window' | { externalIds: ReadonlySet<string> };

export interface AbsencePlanInput {
  /** Personio's answer, classified (TransferableAbsenceCollector over the listed or fetched periods). */
  listed: TransferableAbsences;
  /**
   * Copies this integration stored: for the window, those overlapping it plus those a listed period
   * moved in from outside it; for ids, those with these external ids.
   */
  stored: readonly StoredExternalAbsence[];
  window: DateRange;
  scope: PlanScope;
  /** Ids whose state could not be fetched: their copies stay (never deleted on a failed fetch). */
  unconfirmed?: Iterable<string>;
}

export interface AbsencePlan {
  changes: AbsenceChangeSet;
  counts: { skipped: number; invalid: number; unchanged: number };
  /** For the run's log, once per run. */
  invalidPeriods: InvalidAbsencePeriod[];
  unknownStatuses: ReadonlyMap<string, number>;
}

/**
 * What to write so that awork holds what Personio says, within the scope: a plan by ids never
 * touches a stored copy of another id, and deletes one of its ids only when Personio confirmed it
 * gone (not handed back) or not transferable (not approved, unmatched).
 */
export function planAbsenceChanges({ listed, stored, window, scope, unconfirmed = [] }: AbsencePlanInput): AbsencePlan {
  const inScope = scope === 'window' ? () => true : (externalId: string) => scope.externalIds.has(externalId);
  const changes = diffAbsences({
    desired: listed.desired.filter((absence) => inScope(absence.externalId)),
    stored: stored.filter((absence) => inScope(absence.externalId)),
    window,
    keep: new Set([...listed.keepExternalIds, ...unconfirmed]),
  });
  const { unmatched, notApproved, unknownStatus } = listed.skipped;
  return {
    changes,
    counts: { skipped: unmatched + notApproved + unknownStatus, invalid: listed.invalid, unchanged: changes.unchanged },
    invalidPeriods: listed.invalidPeriods,
    unknownStatuses: listed.unknownStatuses,
  };
}
