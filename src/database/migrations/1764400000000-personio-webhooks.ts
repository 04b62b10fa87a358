import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { cascadingForeignKey, nowDefault, timestampType } from './migration-column-types';

/**
 * Issue 14 (webhooks): the subscription and its state on the integration, the 1-per-minute person
 * rule kept in the database, the received events (deduplicated, claimed with their own lease), and
 * the matching the last full sync stored, which the event path reads instead of asking Personio.
 */
export class PersonioWebhooks1764400000000 implements MigrationInterface {
  name = 'PersonioWebhooks1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const now = nowDefault(queryRunner);
    await queryRunner.addColumns('personio_integrations', [
      new TableColumn({ name: 'webhook_id', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'webhook_token_encrypted', type: 'varchar', length: '2000', isNullable: true }),
      new TableColumn({ name: 'webhook_state', type: 'varchar', length: '20', default: "'off'" }),
      new TableColumn({ name: 'webhook_reason', type: 'varchar', length: '2000', isNullable: true }),
      new TableColumn({ name: 'webhook_last_event_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'person_sync_due_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'last_full_sync_started_at', type: timestamp, isNullable: true }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'personio_webhook_events',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'workspace_id', type: 'varchar', length: '36' },
          { name: 'event_name', type: 'varchar', length: '100' },
          // '' for an event without a resource id, so the unique key still deduplicates it.
          { name: 'resource_id', type: 'varchar', length: '200', default: "''" },
          { name: 'occurred_at', type: 'varchar', length: '100' },
          { name: 'received_at', type: timestamp, default: now },
          { name: 'claimed_by', type: 'varchar', length: '100', isNullable: true },
          { name: 'claim_expires_at', type: timestamp, isNullable: true },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'processed_at', type: timestamp, isNullable: true },
          { name: 'last_error', type: 'varchar', length: '2000', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'uq_personio_webhook_events_dedupe',
            columnNames: ['workspace_id', 'event_name', 'resource_id', 'occurred_at'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'ix_personio_webhook_events_pending',
            columnNames: ['processed_at', 'claim_expires_at'],
          }),
        ],
        foreignKeys: [cascadingForeignKey('workspace_id', 'workspaces')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'personio_person_matches',
        columns: [
          { name: 'workspace_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'person_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'unmatched_reason', type: 'varchar', length: '30', isNullable: true },
        ],
        foreignKeys: [cascadingForeignKey('workspace_id', 'workspaces')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('personio_person_matches');
    await queryRunner.dropTable('personio_webhook_events');
    for (const column of [
      'last_full_sync_started_at',
      'person_sync_due_at',
      'webhook_last_event_at',
      'webhook_reason',
      'webhook_state',
      'webhook_token_encrypted',
      'webhook_id',
    ])
      await queryRunner.dropColumn('personio_integrations', column);
  }
}
