import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { PersonioIntegration } from './personio-integration.entity';

const MAX_ERROR_LENGTH = 2000;

/** The one place that changes an integration's stored sync state; methods are named after what happened. */
@Injectable()
export class PersonioIntegrationStateService {
  constructor(@InjectRepository(PersonioIntegration) private readonly integrations: Repository<PersonioIntegration>) {}

  find(workspaceId: string): Promise<PersonioIntegration | null> {
    return this.integrations.findOne({ where: { workspaceId } });
  }

  exists(workspaceId: string): Promise<boolean> {
    return this.integrations.exists({ where: { workspaceId } });
  }

  /** New or replaced credentials: whatever went wrong before, the integration is active again. */
  async connected(workspaceId: string, input: { clientId: string; clientSecretEncrypted: string; hideAbsenceDetails?: boolean }): Promise<PersonioIntegration> {
    const existing = await this.find(workspaceId);
    const fields = { clientId: input.clientId, clientSecretEncrypted: input.clientSecretEncrypted, status: 'active' as const, lastError: null };
    if (existing) {
      const hideAbsenceDetails = input.hideAbsenceDetails ?? existing.hideAbsenceDetails;
      await this.integrations.update({ id: existing.id }, { ...fields, hideAbsenceDetails });
    } else {
      await this.integrations.insert({ id: randomUUID(), workspaceId, ...fields, hideAbsenceDetails: input.hideAbsenceDetails ?? false, nextRunAt: null });
    }
    return (await this.find(workspaceId))!;
  }

  async hideAbsenceDetailsChanged(workspaceId: string, hideAbsenceDetails: boolean): Promise<void> {
    await this.integrations.update({ workspaceId }, { hideAbsenceDetails });
  }

  async syncSucceeded(workspaceId: string, runId: string): Promise<void> {
    await this.integrations.update({ workspaceId }, { status: 'active', lastError: null, lastRunId: runId });
  }

  /** Personio refused the stored credentials: no syncs until an admin saves new ones. */
  async credentialsRejected(workspaceId: string, runId: string, error: string): Promise<void> {
    await this.integrations.update({ workspaceId }, { status: 'needs_reauth', lastError: truncate(error), lastRunId: runId });
  }

  /** Retried on the next tick. */
  async syncFailed(workspaceId: string, runId: string, error: string): Promise<void> {
    await this.integrations.update({ workspaceId }, { status: 'failing', lastError: truncate(error), lastRunId: runId });
  }

  async disconnected(workspaceId: string): Promise<boolean> {
    const result = await this.integrations.delete({ workspaceId });
    return (result.affected ?? 0) > 0;
  }
}

export function truncate(message: string, max = MAX_ERROR_LENGTH): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}
