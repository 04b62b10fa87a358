import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { cascadingForeignKey, nowDefault, timestampType } from './migration-column-types';

export class PersonioSchema1764200000000 implements MigrationInterface {
  name = 'PersonioSchema1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const now = nowDefault(queryRunner);
    const count = (name: string) => ({ name, type: 'integer', default: 0 });

    await queryRunner.createTable(
      new Table({
        name: 'personio_integrations',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'workspace_id', type: 'varchar', length: '36' },
          { name: 'client_id', type: 'varchar', length: '200' },
          { name: 'client_secret_encrypted', type: 'varchar', length: '2000' },
          { name: 'hide_absence_details', type: 'boolean', default: false },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'last_error', type: 'varchar', length: '2000', isNullable: true },
          { name: 'last_run_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'next_run_at', type: timestamp, isNullable: true },
          { name: 'lease_owner', type: 'varchar', length: '100', isNullable: true },
          { name: 'lease_expires_at', type: timestamp, isNullable: true },
          { name: 'created_on', type: timestamp, default: now },
          { name: 'updated_on', type: timestamp, default: now },
        ],
        indices: [
          new TableIndex({ name: 'uq_personio_integrations_workspace', columnNames: ['workspace_id'], isUnique: true }),
        ],
        foreignKeys: [cascadingForeignKey('workspace_id', 'workspaces')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'personio_sync_runs',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'workspace_id', type: 'varchar', length: '36' },
          { name: 'trigger', type: 'varchar', length: '10' },
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'started_at', type: timestamp },
          { name: 'finished_at', type: timestamp, isNullable: true },
          { name: 'window_start', type: 'date' },
          { name: 'window_end', type: 'date' },
          count('fetched'),
          count('created'),
          count('updated'),
          count('deleted'),
          count('unchanged'),
          count('skipped'),
          { name: 'error', type: 'varchar', length: '2000', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'ix_personio_sync_runs_workspace_started',
            columnNames: ['workspace_id', 'started_at'],
          }),
        ],
        foreignKeys: [cascadingForeignKey('workspace_id', 'workspaces')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('personio_sync_runs');
    await queryRunner.dropTable('personio_integrations');
  }
}
