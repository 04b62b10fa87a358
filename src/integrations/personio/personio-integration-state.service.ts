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
  async connected(
    workspaceId: string,
    input: { clientId: string; clientSecretEncrypted: string; hideAbsenceDetails?: boolean },
  ): Promise<PersonioIntegration> {
    const existing = await this.find(workspaceId);
    const fields = {
      clientId: input.clientId,
      clientSecretEncrypted: input.clientSecretEncrypted,
      status: 'active' as const,
      lastError: null,
    };
    if (existing) {
      const hideAbsenceDetails = input.hideAbsenceDetails ?? existing.hideAbsenceDetails;
      await this.integrations.update({ id: existing.id }, { ...fields, hideAbsenceDetails });
    } else {
      await this.integrations.insert({
        id: randomUUID(),
        workspaceId,
        ...fields,
        hideAbsenceDetails: input.hideAbsenceDetails ?? false,
        nextRunAt: null,
      });
    }
    return (await this.find(workspaceId))!;
  }

  async hideAbsenceDetailsChanged(workspaceId: string, hideAbsenceDetails: boolean): Promise<void> {
    await this.integrations.update({ workspaceId }, { hideAbsenceDetails });
  }

  // The outcome of a run is recorded only while the integration still has the credentials that run
  // used: new credentials saved meanwhile must not be marked as rejected by a run with the old ones.

  async syncSucceeded(ran: RunCredentials, runId: string): Promise<void> {
    await this.integrations.update(sameCredentials(ran), { status: 'active', lastError: null, lastRunId: runId });
  }

  /** Personio refused the stored credentials: no syncs until an admin saves new ones. */
  async credentialsRejected(ran: RunCredentials, runId: string, error: string): Promise<void> {
    await this.integrations.update(sameCredentials(ran), {
      status: 'needs_reauth',
      lastError: truncate(error),
      lastRunId: runId,
    });
  }

  /** Retried on the next tick. */
  async syncFailed(ran: RunCredentials, runId: string, error: string): Promise<void> {
    await this.integrations.update(sameCredentials(ran), {
      status: 'failing',
      lastError: truncate(error),
      lastRunId: runId,
    });
  }

  async disconnected(workspaceId: string): Promise<boolean> {
    const result = await this.integrations.delete({ workspaceId });
    return (result.affected ?? 0) > 0;
  }
}

type RunCredentials = Pick<PersonioIntegration, 'workspaceId' | 'clientId' | 'clientSecretEncrypted'>;

function sameCredentials(ran: RunCredentials): RunCredentials {
  return { workspaceId: ran.workspaceId, clientId: ran.clientId, clientSecretEncrypted: ran.clientSecretEncrypted };
}

export function truncate(message: string, max = MAX_ERROR_LENGTH): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}
