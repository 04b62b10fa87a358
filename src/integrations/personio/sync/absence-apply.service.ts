import { Injectable } from '@nestjs/common';
import { AworkHostPort } from '../../awork-host.port';
import { AbsenceChangeSet, AppliedAbsenceChanges } from '../../awork-host.types';
import { PersonioIntegration } from '../personio-integration.entity';
import { ApplyGateState, PersonioIntegrationStateService } from '../personio-integration-state.service';
import { PERSONIO_PROVIDER } from '../personio-provider';

export type ApplyOutcome = { kind: 'applied'; applied: AppliedAbsenceChanges } | { kind: 'abandoned'; reason: string };

export type PlannedWith = Pick<
  PersonioIntegration,
  'workspaceId' | 'clientId' | 'clientSecretEncrypted' | 'hideAbsenceDetails'
>;

/**
 * The one step that writes a change set to awork. Inside the write transaction it re-reads the
 * integration (locked against a concurrent DELETE or PATCH) and writes only while it is still
 * connected with the credentials the plan was made with; details hidden since are not written.
 * No repair after the commit is needed: a DELETE or PATCH either landed before (seen here) or
 * waits for the commit (and then removes or scrubs what was written).
 */
@Injectable()
export class AbsenceApplyService {
  constructor(
    private readonly host: AworkHostPort,
    private readonly state: PersonioIntegrationStateService,
  ) {}

  async apply(plannedWith: PlannedWith, changes: AbsenceChangeSet): Promise<ApplyOutcome> {
    const gate: { abandoned: string | null } = { abandoned: null };
    const applied = await this.host.applyExternalAbsenceChanges(
      plannedWith.workspaceId,
      PERSONIO_PROVIDER,
      async (transaction) => {
        const current = await this.state.lockedForApply(transaction, plannedWith.workspaceId);
        gate.abandoned = abandonReason(plannedWith, current);
        if (gate.abandoned !== null || current === null) return null;
        return current.hideAbsenceDetails && !plannedWith.hideAbsenceDetails ? withoutDescriptions(changes) : changes;
      },
    );
    if (gate.abandoned !== null || applied === null)
      return { kind: 'abandoned', reason: gate.abandoned ?? 'abandoned' };
    return { kind: 'applied', applied };
  }
}

/** Why a plan must not be written now, or null when it may. */
export function abandonReason(plannedWith: PlannedWith, current: ApplyGateState | null): string | null {
  if (!current) return 'abandoned: the integration was disconnected during the run';
  if (current.clientId !== plannedWith.clientId || current.clientSecretEncrypted !== plannedWith.clientSecretEncrypted)
    return 'abandoned: new credentials were saved during the run';
  return null;
}

export function withoutDescriptions(changes: AbsenceChangeSet): AbsenceChangeSet {
  return {
    ...changes,
    creates: changes.creates.map((absence) => ({ ...absence, description: null })),
    updates: changes.updates.map((absence) => ({ ...absence, description: null })),
  };
}
