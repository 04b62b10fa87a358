import { Injectable } from '@nestjs/common';
import { AworkHostPort } from '../integrations/awork-host.port';
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
} from '../integrations/awork-host.types';
import { ExternalAbsenceStore } from './absences/external-absence.store';
import { AdminNotificationStore } from './notifications/admin-notification.store';
import { HostDirectoryAdapter } from './workspaces/host-directory.adapter';

/** The host's side of AworkHostPort: the directory (workspaces, users) and the external-absence store behind one port. */
@Injectable()
export class AworkHostAdapter extends AworkHostPort {
  constructor(
    private readonly directory: HostDirectoryAdapter,
    private readonly absences: ExternalAbsenceStore,
    private readonly notifications: AdminNotificationStore,
  ) {
    super();
  }

  getWorkspace(workspaceId: string): Promise<HostWorkspace | null> {
    return this.directory.getWorkspace(workspaceId);
  }

  listUsers(workspaceId: string): Promise<HostUser[]> {
    return this.directory.listUsers(workspaceId);
  }

  findExternalAbsencesOverlapping(
    workspaceId: string,
    provider: string,
    range: DateRange,
  ): Promise<StoredExternalAbsence[]> {
    return this.absences.findOverlapping({ workspaceId, provider }, range);
  }

  findExternalAbsencesByExternalId(
    workspaceId: string,
    provider: string,
    externalIds: string[],
  ): Promise<StoredExternalAbsence[]> {
    return this.absences.findByExternalId({ workspaceId, provider }, externalIds);
  }

  applyExternalAbsenceChanges(
    workspaceId: string,
    provider: string,
    gate: ChangeSetGate,
  ): Promise<AppliedAbsenceChanges | null> {
    return this.absences.apply({ workspaceId, provider }, gate);
  }

  deleteAllExternalAbsences(workspaceId: string, provider: string): Promise<number> {
    return this.absences.deleteAll({ workspaceId, provider });
  }

  clearExternalAbsenceDescriptions(workspaceId: string, provider: string): Promise<number> {
    return this.absences.clearDescriptions({ workspaceId, provider });
  }

  releaseAllExternalAbsences(workspaceId: string, provider: string): Promise<number> {
    return this.absences.releaseAll({ workspaceId, provider });
  }

  findManualAbsencesOverlappingExternal(workspaceId: string, provider: string): Promise<ManualAbsenceOverlap[]> {
    return this.absences.findManualOverlapping({ workspaceId, provider });
  }

  deleteManualAbsences(
    workspaceId: string,
    provider: string,
    absenceIds: string[],
    deletion: ManualAbsenceDeletion,
  ): Promise<ManualAbsenceDeletionResult> {
    return this.absences.deleteManual({ workspaceId, provider }, absenceIds, deletion);
  }

  async notifyAdmins(workspaceId: string, notification: AdminNotification): Promise<void> {
    await this.notifications.record(workspaceId, notification);
  }
}
