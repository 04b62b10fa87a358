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
  /** Items without an id were listed: any stored copy could be one of them, so nothing was deleted. */
  deletionsHeldBack: boolean;
}

/**
 * What to write so that awork holds what Personio says, within the scope: a plan by ids never
 * touches a stored copy of another id, and deletes one of its ids only when Personio confirmed it
 * gone (not handed back) or not transferable (not approved, unmatched).
 */
export function planAbsenceChanges({ listed, stored, window, scope, unconfirmed = [] }: AbsencePlanInput): AbsencePlan {
  const inScope = scope === 'window' ? () => true : (externalId: string) => scope.externalIds.has(externalId);
  const storedInScope = stored.filter((absence) => inScope(absence.externalId));
  // A malformed item without an id may be any copy transferred earlier: deleting none is the only safe reading.
  const deletionsHeldBack = listed.invalidPeriods.some((period) => period.externalId === null);
  const keep = new Set([...listed.keepExternalIds, ...unconfirmed]);
  if (deletionsHeldBack) for (const absence of storedInScope) keep.add(absence.externalId);
  const changes = diffAbsences({
    desired: listed.desired.filter((absence) => inScope(absence.externalId)),
    stored: storedInScope,
    window,
    keep,
  });
  const { unmatched, notApproved, unknownStatus, excludedType } = listed.skipped;
  return {
    changes,
    counts: {
      skipped: unmatched + notApproved + unknownStatus + excludedType,
      invalid: listed.invalid,
      unchanged: changes.unchanged,
    },
    invalidPeriods: listed.invalidPeriods,
    unknownStatuses: listed.unknownStatuses,
    deletionsHeldBack,
  };
}
