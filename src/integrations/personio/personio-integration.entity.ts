import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Stored states; `plan_inactive` is not stored but derived from the workspace's plan when read. */
export type StoredIntegrationStatus = 'active' | 'needs_reauth' | 'failing';
export type IntegrationStatus = StoredIntegrationStatus | 'plan_inactive';
/** The workspace's Personio webhook subscription (PRODUCT.md §7). */
export type WebhookState = 'active' | 'unavailable' | 'off';
/** What the workspace's admins were last told about the sync (PRODUCT.md §8: one notification per change). */
export type AlertState = 'ok' | 'needs_reauth' | 'failing';

/**
 * One workspace's connection to Personio, with its sync state in explicit columns. The state is
 * changed only through PersonioIntegrationStateService.
 */
@Entity('personio_integrations')
export class PersonioIntegration {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('uq_personio_integrations_workspace', { unique: true })
  @Column({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId: string;

  @Column({ name: 'client_id', type: 'varchar', length: 200 })
  clientId: string;

  /** AES-256-GCM, see SecretCipher; never leaves the credential service in clear. */
  @Column({ name: 'client_secret_encrypted', type: 'varchar', length: 2000 })
  clientSecretEncrypted: string;

  @Column({ name: 'hide_absence_details', type: 'boolean', default: false })
  hideAbsenceDetails: boolean;

  /** Personio absence type ids the admin chose not to transfer; null = none excluded. */
  @Column({ name: 'excluded_absence_type_ids', type: 'simple-json', nullable: true })
  excludedAbsenceTypeIds: string[] | null;

  @Column({ type: 'varchar', length: 20 })
  status: StoredIntegrationStatus;

  @Column({ name: 'last_error', type: 'varchar', length: 2000, nullable: true })
  lastError: string | null;

  @Column({ name: 'last_run_id', type: 'varchar', length: 36, nullable: true })
  lastRunId: string | null;

  @Column({ name: 'next_run_at', type: Date, nullable: true })
  nextRunAt: Date | null;

  /** The claim: which instance runs a sync now, and until when its lease holds. */
  @Column({ name: 'lease_owner', type: 'varchar', length: 100, nullable: true })
  leaseOwner: string | null;

  @Column({ name: 'lease_expires_at', type: Date, nullable: true })
  leaseExpiresAt: Date | null;

  /** Personio's id of this workspace's webhook subscription. */
  @Column({ name: 'webhook_id', type: 'varchar', length: 200, nullable: true })
  webhookId: string | null;

  /** The token Personio sends in `Authorization`, sealed like the client secret. */
  @Column({ name: 'webhook_token_encrypted', type: 'varchar', length: 2000, nullable: true })
  webhookTokenEncrypted: string | null;

  @Column({ name: 'webhook_state', type: 'varchar', length: 20, default: 'off' })
  webhookState: WebhookState;

  @Column({ name: 'webhook_reason', type: 'varchar', length: 2000, nullable: true })
  webhookReason: string | null;

  @Column({ name: 'webhook_last_event_at', type: Date, nullable: true })
  webhookLastEventAt: Date | null;

  /** A person event asked for a full sync, due at this time (at most one a minute). */
  @Column({ name: 'person_sync_due_at', type: Date, nullable: true })
  personSyncDueAt: Date | null;

  @Column({ name: 'last_full_sync_started_at', type: Date, nullable: true })
  lastFullSyncStartedAt: Date | null;

  @Column({ name: 'alert_state', type: 'varchar', length: 20, default: 'ok' })
  alertState: AlertState;

  /** Full runs that failed in a row (reset by a successful one); webhook batches do not count. */
  @Column({ name: 'consecutive_failed_runs', type: 'integer', default: 0 })
  consecutiveFailedRuns: number;

  @CreateDateColumn({ name: 'created_on' })
  createdOn: Date;

  @UpdateDateColumn({ name: 'updated_on' })
  updatedOn: Date;
}
