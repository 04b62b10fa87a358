import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { cascadingForeignKey, nowDefault, timestampType } from './migration-column-types';

/**
 * Issue 15 (second half): each run's duplicate count, the alert state kept on the integration (so
 * one notification per change of state holds across instances), and the host stand-in's
 * notifications to a workspace's admins.
 */
export class DuplicatesAlerts1764700000000 implements MigrationInterface {
  name = 'DuplicatesAlerts1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'personio_sync_runs',
      // Null: not counted (the run ended before it could count, or counting failed).
      new TableColumn({ name: 'duplicates', type: 'integer', isNullable: true }),
    );
    await queryRunner.addColumns('personio_integrations', [
      new TableColumn({ name: 'alert_state', type: 'varchar', length: '20', default: "'ok'" }),
      new TableColumn({ name: 'consecutive_failed_runs', type: 'integer', default: 0 }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'admin_notifications',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'workspace_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '100' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'message', type: 'varchar', length: '2000' },
          { name: 'created_on', type: timestampType(queryRunner), default: nowDefault(queryRunner) },
        ],
        indices: [
          new TableIndex({
            name: 'ix_admin_notifications_workspace_created',
            columnNames: ['workspace_id', 'created_on'],
          }),
        ],
        foreignKeys: [cascadingForeignKey('workspace_id', 'workspaces')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('admin_notifications');
    await queryRunner.dropColumn('personio_integrations', 'consecutive_failed_runs');
    await queryRunner.dropColumn('personio_integrations', 'alert_state');
    await queryRunner.dropColumn('personio_sync_runs', 'duplicates');
  }
}
