import { DateRange, PersonioAbsencePeriod } from '../client/personio-api.types';
import { DesiredAbsence } from './absence-diff';
import { InvalidAbsenceReason, mapAbsencePeriod } from './absence-mapping';
import { overlapsWindow } from './sync-window';

export const APPROVED_STATUS = 'APPROVED';

export interface TransferContext {
  userIdByPersonId: ReadonlyMap<string, string>;
  typeNameById: ReadonlyMap<string, string>;
  hideDetails: boolean;
  window: DateRange;
}

export interface SkippedAbsenceCounts {
  unmatched: number;
  notApproved: number;
  invalid: number;
}

export interface InvalidAbsencePeriod {
  externalId: string;
  reason: InvalidAbsenceReason;
  detail: string;
}

export interface TransferableAbsences {
  /** Sorted by externalId, one per Personio period. */
  desired: DesiredAbsence[];
  /** In scope (overlapping the window) but not transferred. */
  skipped: SkippedAbsenceCounts;
  /** Listed by Personio but not overlapping the window once mapped to days: out of scope, not skipped. */
  outsideWindow: number;
  /** The periods counted in `skipped.invalid`, for the run's log. */
  invalidPeriods: InvalidAbsencePeriod[];
}

type PeriodOutcome =
  | { kind: 'desired'; absence: DesiredAbsence }
  | { kind: 'outside_window' }
  | { kind: 'not_approved' }
  | { kind: 'unmatched' }
  | { kind: 'invalid'; period: InvalidAbsencePeriod };

/**
 * Classifies absence periods page by page, keeping one small outcome per period id instead of the
 * raw pages. A period listed again on a later page (cursor pages can shift while Personio changes)
 * replaces its earlier outcome, so the result depends neither on page size nor on such repeats.
 */
export class TransferableAbsenceCollector {
  private readonly outcomeByPeriodId = new Map<string, PeriodOutcome>();

  constructor(private readonly context: TransferContext) {}

  addPage(periods: readonly PersonioAbsencePeriod[]): void {
    for (const period of periods) this.outcomeByPeriodId.set(period.id, classifyPeriod(period, this.context));
  }

  result(): TransferableAbsences {
    const result: TransferableAbsences = {
      desired: [],
      skipped: { unmatched: 0, notApproved: 0, invalid: 0 },
      outsideWindow: 0,
      invalidPeriods: [],
    };
    for (const outcome of this.outcomeByPeriodId.values()) {
      switch (outcome.kind) {
        case 'desired':
          result.desired.push(outcome.absence);
          break;
        case 'outside_window':
          result.outsideWindow++;
          break;
        case 'not_approved':
          result.skipped.notApproved++;
          break;
        case 'unmatched':
          result.skipped.unmatched++;
          break;
        case 'invalid':
          result.skipped.invalid++;
          result.invalidPeriods.push(outcome.period);
          break;
      }
    }
    result.desired.sort((a, b) => compareStrings(a.externalId, b.externalId));
    result.invalidPeriods.sort((a, b) => compareStrings(a.externalId, b.externalId));
    return result;
  }
}

export function selectTransferable(
  periods: readonly PersonioAbsencePeriod[],
  context: TransferContext,
): TransferableAbsences {
  const collector = new TransferableAbsenceCollector(context);
  collector.addPage(periods);
  return collector.result();
}

// Order matters for the counts: bad data first (its days are unknown), then the window, so
// that only in-scope periods count as skipped for their status or person.
function classifyPeriod(period: PersonioAbsencePeriod, context: TransferContext): PeriodOutcome {
  const mapping = mapAbsencePeriod(period, {
    absenceTypeName: period.absenceTypeId === null ? null : (context.typeNameById.get(period.absenceTypeId) ?? null),
    hideDetails: context.hideDetails,
    windowEnd: context.window.end,
  });
  if (mapping.kind === 'invalid') {
    return { kind: 'invalid', period: { externalId: period.id, reason: mapping.reason, detail: mapping.detail } };
  }
  if (mapping.kind === 'starts_after_window' || !overlapsWindow(mapping.fields, context.window)) {
    return { kind: 'outside_window' };
  }
  if (period.approvalStatus !== APPROVED_STATUS) return { kind: 'not_approved' };
  const userId = context.userIdByPersonId.get(period.personId);
  if (userId === undefined) return { kind: 'unmatched' };
  return { kind: 'desired', absence: { externalId: period.id, userId, ...mapping.fields } };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
