import { DateRange, DesiredAbsence } from '../../awork-host.types';
import { isMalformedPeriod, ListedAbsencePeriod, PersonioAbsencePeriod } from '../client/personio-api.types';
import { InvalidAbsenceReason, mapAbsencePeriod } from './absence-mapping';
import { overlapsWindow } from './sync-window';

/** Approved, or approved until a requested deletion is approved. */
export const TRANSFERRED_STATUSES: ReadonlySet<string> = new Set(['APPROVED', 'DELETION_PENDING']);
/** Known not to be approved: never transferred, and a copy transferred earlier is removed. */
export const NOT_APPROVED_STATUSES: ReadonlySet<string> = new Set([
  'PENDING',
  'REJECTED',
  'CANCELLED',
  'SUBSTITUTE_REQUESTED',
]);
/** awork's externalId column holds 128 characters. */
export const MAX_EXTERNAL_ID_LENGTH = 128;
/** How a missing approval status is named in counts and logs. */
export const MISSING_STATUS = '(missing)';

export interface TransferContext {
  userIdByPersonId: ReadonlyMap<string, string>;
  typeNameById: ReadonlyMap<string, string>;
  hideDetails: boolean;
  window: DateRange;
  /** Absence type ids the admin chose not to transfer (by id, so it works with details hidden). */
  excludedTypeIds?: ReadonlySet<string>;
}

/** In-window periods not transferred; malformed ones are counted apart, in `invalid`. */
export interface SkippedAbsenceCounts {
  unmatched: number;
  notApproved: number;
  unknownStatus: number;
  /** Of a type the admin excluded; a copy transferred earlier is removed. */
  excludedType: number;
}

export type InvalidPeriodReason = InvalidAbsenceReason | 'malformed_item' | 'malformed_id';

export interface InvalidAbsencePeriod {
  /** null when the item had no usable id. */
  externalId: string | null;
  reason: InvalidPeriodReason;
  detail: string;
}

export interface TransferableAbsences {
  /** Sorted by externalId, one per Personio period. */
  desired: DesiredAbsence[];
  /** In scope (overlapping the window) but not transferred. */
  skipped: SkippedAbsenceCounts;
  /** Malformed items, whatever their dates (they may have none that can be read). */
  invalid: number;
  /** The periods counted in `invalid`, for the run's log. */
  invalidPeriods: InvalidAbsencePeriod[];
  /** Unknown or missing status values (in the window) and how often each was seen, for the run's log. */
  unknownStatuses: Map<string, number>;
  /**
   * Listed but neither desired nor known to be gone (malformed, unknown status): a copy
   * transferred earlier stays as it is, never deleted on a guess. Sorted.
   */
  keepExternalIds: string[];
}

type PeriodOutcome =
  | { kind: 'desired'; absence: DesiredAbsence }
  | { kind: 'outside_window'; keep: boolean }
  | { kind: 'not_approved' }
  | { kind: 'excluded_type' }
  | { kind: 'unknown_status'; status: string }
  | { kind: 'unmatched' }
  | { kind: 'invalid'; period: InvalidAbsencePeriod };

/**
 * Classifies absence periods page by page, keeping one small outcome per period id instead of the
 * raw pages. A period listed again on a later page (cursor pages can shift while Personio changes)
 * replaces its earlier outcome, so the result depends neither on page size nor on such repeats.
 */
export class TransferableAbsenceCollector {
  private readonly outcomeByPeriodId = new Map<string, PeriodOutcome>();
  /** Malformed items without an id cannot be told apart: each one counts. */
  private readonly withoutId: InvalidAbsencePeriod[] = [];

  constructor(private readonly context: TransferContext) {}

  addPage(periods: readonly ListedAbsencePeriod[]): void {
    for (const period of periods) {
      if (isMalformedPeriod(period)) {
        const invalid = { reason: 'malformed_item' as const, detail: period.reason };
        if (period.id === null) this.withoutId.push({ externalId: null, ...invalid });
        else this.outcomeByPeriodId.set(period.id, { kind: 'invalid', period: { externalId: period.id, ...invalid } });
      } else {
        this.outcomeByPeriodId.set(period.id, classifyPeriod(period, this.context));
      }
    }
  }

  /** Whether Personio listed (or handed back) a period with this id, readable or not. */
  has(periodId: string): boolean {
    return this.outcomeByPeriodId.has(periodId);
  }

  result(): TransferableAbsences {
    const result: TransferableAbsences = {
      desired: [],
      skipped: { unmatched: 0, notApproved: 0, unknownStatus: 0, excludedType: 0 },
      invalid: this.withoutId.length,
      invalidPeriods: [...this.withoutId],
      unknownStatuses: new Map(),
      keepExternalIds: [],
    };
    for (const [periodId, outcome] of this.outcomeByPeriodId) {
      switch (outcome.kind) {
        case 'desired':
          result.desired.push(outcome.absence);
          break;
        case 'outside_window':
          if (outcome.keep) result.keepExternalIds.push(periodId);
          break;
        case 'not_approved':
          result.skipped.notApproved++;
          break;
        case 'excluded_type':
          result.skipped.excludedType++;
          break;
        case 'unknown_status':
          result.skipped.unknownStatus++;
          result.unknownStatuses.set(outcome.status, (result.unknownStatuses.get(outcome.status) ?? 0) + 1);
          result.keepExternalIds.push(periodId);
          break;
        case 'unmatched':
          result.skipped.unmatched++;
          break;
        case 'invalid':
          result.invalid++;
          result.invalidPeriods.push(outcome.period);
          result.keepExternalIds.push(periodId);
          break;
      }
    }
    result.desired.sort((a, b) => compareStrings(a.externalId, b.externalId));
    result.invalidPeriods.sort((a, b) => compareStrings(a.externalId ?? '', b.externalId ?? ''));
    result.keepExternalIds.sort(compareStrings);
    return result;
  }
}

// Order matters for the counts: bad data first (its days are unknown), then the window, so
// that only in-scope periods count as skipped for their status or person.
function classifyPeriod(period: PersonioAbsencePeriod, context: TransferContext): PeriodOutcome {
  // An id awork cannot store would fail the whole transaction (PostgreSQL refuses it).
  if (period.id.length > MAX_EXTERNAL_ID_LENGTH || period.id.includes('\u0000')) {
    return {
      kind: 'invalid',
      period: {
        externalId: period.id,
        reason: 'malformed_id',
        detail: `id of ${period.id.length} characters is longer than ${MAX_EXTERNAL_ID_LENGTH} or holds a NUL`,
      },
    };
  }
  const mapping = mapAbsencePeriod(period, {
    absenceTypeName: period.absenceTypeId === null ? null : (context.typeNameById.get(period.absenceTypeId) ?? null),
    hideDetails: context.hideDetails,
    windowEnd: context.window.end,
  });
  if (mapping.kind === 'invalid') {
    return { kind: 'invalid', period: { externalId: period.id, reason: mapping.reason, detail: mapping.detail } };
  }
  const status = period.approvalStatus;
  const knownStatus = status !== null && (TRANSFERRED_STATUSES.has(status) || NOT_APPROVED_STATUSES.has(status));
  // Excluded whatever its status: the admin's choice is known, so an earlier copy goes, never kept on a guess.
  const excluded = period.absenceTypeId !== null && (context.excludedTypeIds?.has(period.absenceTypeId) ?? false);
  if (mapping.kind === 'starts_after_window' || !overlapsWindow(mapping.fields, context.window)) {
    return { kind: 'outside_window', keep: !knownStatus && !excluded };
  }
  if (excluded) return { kind: 'excluded_type' };
  if (!knownStatus) return { kind: 'unknown_status', status: status ?? MISSING_STATUS };
  if (!TRANSFERRED_STATUSES.has(status)) return { kind: 'not_approved' };
  const userId = context.userIdByPersonId.get(period.personId);
  if (userId === undefined) return { kind: 'unmatched' };
  return {
    kind: 'desired',
    absence: { externalId: period.id, userId, openEnded: period.endsAt === null, ...mapping.fields },
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
