import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { entityManagerOf } from '../../database/host-transaction';
import { HostTransaction } from '../awork-host.types';
import { AlertState, PersonioIntegration } from './personio-integration.entity';
import { WebhookTokenCache } from './webhooks/webhook-token.cache';

export type ApplyGateState = Pick<PersonioIntegration, 'clientId' | 'clientSecretEncrypted' | 'hideAbsenceDetails'>;

const MAX_ERROR_LENGTH = 2000;

/** The one place that changes an integration's stored sync state; methods are named after what happened. */
@Injectable()
export class PersonioIntegrationStateService {
  constructor(
    @InjectRepository(PersonioIntegration) private readonly integrations: Repository<PersonioIntegration>,
    private readonly webhookTokens: WebhookTokenCache,
  ) {}

  find(workspaceId: string): Promise<PersonioIntegration | null> {
    return this.integrations.findOne({ where: { workspaceId } });
  }

  /** The sealed webhook tokens alone (the receiver's read), one per id in order; null where there is none. */
  async webhookTokensOf(workspaceIds: readonly string[]): Promise<Array<string | null>> {
    const rows = await this.integrations.find({
      select: { id: true, workspaceId: true, webhookTokenEncrypted: true },
      where: { workspaceId: In([...new Set(workspaceIds)]) },
    });
    const byWorkspace = new Map(rows.map((row) => [row.workspaceId, row.webhookTokenEncrypted]));
    return workspaceIds.map((workspaceId) => byWorkspace.get(workspaceId) ?? null);
  }

  /**
   * Inside the host's write transaction: the integration as it is now, locked until the commit so
   * that a DELETE or a settings change waits for the writes (PostgreSQL: FOR SHARE; SQLite: a no-op
   * UPDATE takes the database's write lock, so another instance waits too).
   */
  async lockedForApply(transaction: HostTransaction, workspaceId: string): Promise<ApplyGateState | null> {
    const manager = entityManagerOf(transaction);
    if (manager.connection.options.type === 'postgres') {
      return manager.getRepository(PersonioIntegration).findOne({
        select: { clientId: true, clientSecretEncrypted: true, hideAbsenceDetails: true },
        where: { workspaceId },
        lock: { mode: 'pessimistic_read' },
      });
    }
    const rows: Array<{ clientId: string; clientSecretEncrypted: string; hideAbsenceDetails: number | boolean }> =
      await manager.query(
        `UPDATE personio_integrations SET workspace_id = workspace_id WHERE workspace_id = ?
         RETURNING client_id AS "clientId", client_secret_encrypted AS "clientSecretEncrypted", hide_absence_details AS "hideAbsenceDetails"`,
        [workspaceId],
      );
    return rows.length === 0 ? null : { ...rows[0], hideAbsenceDetails: Boolean(rows[0].hideAbsenceDetails) };
  }

  /** New or replaced credentials: whatever went wrong before, the integration is active again. */
  async connected(
    workspaceId: string,
    input: { clientId: string; clientSecretEncrypted: string; hideAbsenceDetails?: boolean },
  ): Promise<PersonioIntegration> {
    this.webhookTokens.forget(workspaceId);
    const existing = await this.find(workspaceId);
    // New credentials start the failure count afresh; the alert state stays until a run succeeds.
    const fields = {
      clientId: input.clientId,
      clientSecretEncrypted: input.clientSecretEncrypted,
      status: 'active' as const,
      lastError: null,
      consecutiveFailedRuns: 0,
    };
    if (existing) {
      const hideAbsenceDetails = input.hideAbsenceDetails ?? existing.hideAbsenceDetails;
      // Type ids of another Personio client may mean other types: a new client ID starts with none excluded.
      const excludedAbsenceTypeIds = existing.clientId === input.clientId ? existing.excludedAbsenceTypeIds : null;
      await this.integrations.update({ id: existing.id }, { ...fields, hideAbsenceDetails, excludedAbsenceTypeIds });
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

  /** Sorted and without repeats; an empty list is stored as null (none excluded, the default). */
  async excludedAbsenceTypesChanged(workspaceId: string, typeIds: readonly string[]): Promise<string[]> {
    const excluded = [...new Set(typeIds)].sort();
    await this.integrations.update(
      { workspaceId },
      { excludedAbsenceTypeIds: excluded.length === 0 ? null : excluded },
    );
    return excluded;
  }

  // The outcome of a run is recorded only while the integration still has the credentials that run
  // used: new credentials saved meanwhile must not be marked as rejected by a run with the old ones.

  /** Returns whether it was recorded (false: new credentials were saved meanwhile, or disconnected). */
  async syncSucceeded(ran: RunCredentials, runId: string): Promise<boolean> {
    const result = await this.integrations.update(sameCredentials(ran), {
      status: 'active',
      lastError: null,
      lastRunId: runId,
      consecutiveFailedRuns: 0,
    });
    return (result.affected ?? 0) > 0;
  }

  /** Personio refused the stored credentials: no syncs until an admin saves new ones. */
  async credentialsRejected(ran: RunCredentials, runId: string, error: string): Promise<boolean> {
    const result = await this.integrations.update(sameCredentials(ran), {
      status: 'needs_reauth',
      lastError: truncate(error),
      lastRunId: runId,
      consecutiveFailedRuns: () => 'consecutive_failed_runs + 1',
    });
    return (result.affected ?? 0) > 0;
  }

  /** Retried on the next tick. */
  async syncFailed(ran: RunCredentials, runId: string, error: string): Promise<boolean> {
    const result = await this.integrations.update(sameCredentials(ran), {
      status: 'failing',
      lastError: truncate(error),
      lastRunId: runId,
      consecutiveFailedRuns: () => 'consecutive_failed_runs + 1',
    });
    return (result.affected ?? 0) > 0;
  }

  // ---- alerts (PRODUCT.md §8) ----

  async alertStateOf(
    workspaceId: string,
  ): Promise<Pick<PersonioIntegration, 'alertState' | 'consecutiveFailedRuns'> | null> {
    return this.integrations.findOne({
      select: { alertState: true, consecutiveFailedRuns: true },
      where: { workspaceId },
    });
  }

  /**
   * Compare-and-set: moves the alert state only if it is still `from`, so of several instances (or
   * runs) seeing the same change exactly one gets true and tells the admins.
   */
  async alertStateChanged(workspaceId: string, from: AlertState, to: AlertState): Promise<boolean> {
    const result = await this.integrations.update({ workspaceId, alertState: from }, { alertState: to });
    return (result.affected ?? 0) > 0;
  }

  // ---- webhooks (PRODUCT.md §7) ----

  async webhookSubscribed(workspaceId: string, webhookId: string, webhookTokenEncrypted: string): Promise<void> {
    this.webhookTokens.forget(workspaceId);
    await this.integrations.update(
      { workspaceId },
      { webhookId, webhookTokenEncrypted, webhookState: 'active', webhookReason: null },
    );
  }

  /** The subscription could not be made or checked; the hourly sync tries again. The old token stays valid. */
  async webhookUnavailable(workspaceId: string, reason: string): Promise<void> {
    await this.integrations.update({ workspaceId }, { webhookState: 'unavailable', webhookReason: truncate(reason) });
  }

  /** Webhooks are switched off on this deployment (no PUBLIC_BASE_URL), or the subscription was removed. */
  async webhookOff(workspaceId: string): Promise<void> {
    this.webhookTokens.forget(workspaceId);
    await this.integrations.update(
      { workspaceId },
      { webhookId: null, webhookTokenEncrypted: null, webhookState: 'off', webhookReason: null },
    );
  }

  /**
   * lastEventAt = the newest stored event's receipt time, for these workspaces in one UPDATE; written
   * by the processor when it claims events, so the receiver's request does no UPDATE (and takes no
   * lock on the integration's row).
   */
  async webhookEventsReceived(workspaceIds: readonly string[]): Promise<void> {
    await this.integrations
      .createQueryBuilder()
      .update()
      .set({
        webhookLastEventAt: () =>
          '(SELECT max(e.received_at) FROM personio_webhook_events e WHERE e.workspace_id = personio_integrations.workspace_id)',
      })
      .where('workspace_id IN (:...workspaceIds)', { workspaceIds })
      .execute();
  }

  async disconnected(workspaceId: string): Promise<boolean> {
    this.webhookTokens.forget(workspaceId);
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
