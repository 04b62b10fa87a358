import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One event Personio delivered, stored before the 202 and processed later by any instance.
 * Personio sends no event id: the unique key (event, resource, occurred_at as received) deduplicates.
 */
@Entity('personio_webhook_events')
@Index('uq_personio_webhook_events_dedupe', ['workspaceId', 'eventName', 'resourceId', 'occurredAt'], { unique: true })
export class PersonioWebhookEvent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId: string;

  @Column({ name: 'event_name', type: 'varchar', length: 100 })
  eventName: string;

  /** The absence period's or person's id; '' when the payload named none. */
  @Column({ name: 'resource_id', type: 'varchar', length: 200, default: '' })
  resourceId: string;

  @Column({ name: 'occurred_at', type: 'varchar', length: 100 })
  occurredAt: string;

  @Column({ name: 'received_at', type: Date })
  receivedAt: Date;

  @Column({ name: 'claimed_by', type: 'varchar', length: 100, nullable: true })
  claimedBy: string | null;

  /** While claimed: until when; after a failed attempt: not before then (the backoff). */
  @Column({ name: 'claim_expires_at', type: Date, nullable: true })
  claimExpiresAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'processed_at', type: Date, nullable: true })
  processedAt: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 2000, nullable: true })
  lastError: string | null;
}
