import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { cascadingForeignKey, nowDefault, timestampType } from './migration-column-types';

export class HostSchema1764100000000 implements MigrationInterface {
  name = 'HostSchema1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const now = nowDefault(queryRunner);
    const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const createdOn = { name: 'created_on', type: timestamp, default: now };

    await queryRunner.createTable(
      new Table({
        name: 'workspaces',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'plan', type: 'varchar', length: '20' },
          { name: 'time_zone', type: 'varchar', length: '64' },
          createdOn,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          { name: 'workspace_id', type: 'varchar', length: '36' },
          { name: 'email', type: 'varchar', length: '320' },
          { name: 'email_normalized', type: 'varchar', length: '320' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'role', type: 'varchar', length: '10' },
          createdOn,
        ],
        indices: [
          new TableIndex({
            name: 'uq_users_workspace_email',
            columnNames: ['workspace_id', 'email_normalized'],
            isUnique: true,
          }),
        ],
        foreignKeys: [cascadingForeignKey('workspace_id', 'workspaces')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          id,
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'user_id', type: 'varchar', length: '36' },
          createdOn,
        ],
        indices: [new TableIndex({ name: 'uq_api_tokens_hash', columnNames: ['token_hash'], isUnique: true })],
        foreignKeys: [cascadingForeignKey('user_id', 'users')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'absences',
        columns: [
          id,
          { name: 'workspace_id', type: 'varchar', length: '36' },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'start_on', type: 'date' },
          { name: 'end_on', type: 'date' },
          { name: 'is_half_day_on_start', type: 'boolean', default: false },
          { name: 'is_half_day_on_end', type: 'boolean', default: false },
          { name: 'description', type: 'varchar', length: '1000', isNullable: true },
          { name: 'external_provider', type: 'varchar', length: '32', isNullable: true },
          { name: 'external_id', type: 'varchar', length: '128', isNullable: true },
          createdOn,
          { name: 'updated_on', type: timestamp, default: now },
        ],
        indices: [
          new TableIndex({
            name: 'uq_absences_external',
            columnNames: ['workspace_id', 'external_provider', 'external_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_absences_workspace_start', columnNames: ['workspace_id', 'start_on'] }),
          new TableIndex({ name: 'ix_absences_user_start', columnNames: ['user_id', 'start_on'] }),
        ],
        foreignKeys: [cascadingForeignKey('workspace_id', 'workspaces'), cascadingForeignKey('user_id', 'users')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['absences', 'api_tokens', 'users', 'workspaces']) await queryRunner.dropTable(table);
  }
}
