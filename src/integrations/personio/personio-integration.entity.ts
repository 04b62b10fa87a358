import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Stored states; `plan_inactive` is not stored but derived from the workspace's plan when read. */
export type StoredIntegrationStatus = 'active' | 'needs_reauth' | 'failing';
export type IntegrationStatus = StoredIntegrationStatus | 'plan_inactive';

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

  @CreateDateColumn({ name: 'created_on' })
  createdOn: Date;

  @UpdateDateColumn({ name: 'updated_on' })
  updatedOn: Date;
}
