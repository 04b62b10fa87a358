import type {
  AdminNotification,
  AppliedAbsenceChanges,
  ChangeSetGate,
  DateRange,
  HostUser,
  HostWorkspace,
  ManualAbsenceDeletion,
  ManualAbsenceDeletionResult,
  ManualAbsenceOverlap,
  StoredExternalAbsence,
} from './awork-host.types';

/**
 * The one narrow interface through which integrations reach awork (PRODUCT.md §1). The host
 * provides it; integrations never touch host tables or entities directly.
 */
export abstract class AworkHostPort {
  abstract getWorkspace(workspaceId: string): Promise<HostWorkspace | null>;
  abstract listUsers(workspaceId: string): Promise<HostUser[]>;
  /** Absences owned by `provider` overlapping the inclusive date range. */
  abstract findExternalAbsencesOverlapping(
    workspaceId: string,
    provider: string,
    range: DateRange,
  ): Promise<StoredExternalAbsence[]>;
  /** Absences owned by `provider` with one of these external ids (wherever they lie). */
  abstract findExternalAbsencesByExternalId(
    workspaceId: string,
    provider: string,
    externalIds: string[],
  ): Promise<StoredExternalAbsence[]>;
  /**
   * Creates, updates and deletes in one transaction; all or nothing. `gate` runs first inside that
   * transaction and says what to write (null: nothing), so an integration checks its own state
   * where no concurrent change can slip in between the check and the writes.
   */
  abstract applyExternalAbsenceChanges(
    workspaceId: string,
    provider: string,
    gate: ChangeSetGate,
  ): Promise<AppliedAbsenceChanges | null>;
  abstract deleteAllExternalAbsences(workspaceId: string, provider: string): Promise<number>;
  abstract clearExternalAbsenceDescriptions(workspaceId: string, provider: string): Promise<number>;
  /**
   * Turns the provider's absences into ordinary manual ones (provider mark and external id
   * cleared, editable again) instead of deleting them; returns how many.
   */
  abstract releaseAllExternalAbsences(workspaceId: string, provider: string): Promise<number>;
  /** Every manual absence of the workspace that shares a day with one of the same user's `provider` absences. */
  abstract findManualAbsencesOverlappingExternal(
    workspaceId: string,
    provider: string,
  ): Promise<ManualAbsenceOverlap[]>;
  /** Deletes manual absences as `deletion` decides, all or nothing. */
  abstract deleteManualAbsences(
    workspaceId: string,
    provider: string,
    absenceIds: string[],
    deletion: ManualAbsenceDeletion,
  ): Promise<ManualAbsenceDeletionResult>;
  /** Tells the workspace's admins (awork: its notification centre). */
  abstract notifyAdmins(workspaceId: string, notification: AdminNotification): Promise<void>;
}
