import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { cascadingForeignKey, nowDefault, timestampType } from './migration-column-types';

/**
 * Issue 15 (admin controls, first half): the admin's manual links between Personio persons and
 * awork users (one link per person and per user), and the absence types the admin excluded from
 * the transfer (JSON array of Personio type ids; null = none excluded, as before).
 */
export class PersonioLinksAbsenceTypes1764600000000 implements MigrationInterface {
  name = 'PersonioLinksAbsenceTypes1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'personio_integrations',
      new TableColumn({ name: 'excluded_absence_type_ids', type: 'text', isNullable: true }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'personio_person_links',
        columns: [
          { name: 'workspace_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'person_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: timestampType(queryRunner), default: nowDefault(queryRunner) },
        ],
        indices: [
          new TableIndex({
            name: 'uq_personio_person_links_user',
            columnNames: ['workspace_id', 'user_id'],
            isUnique: true,
          }),
        ],
        foreignKeys: [cascadingForeignKey('workspace_id', 'workspaces')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('personio_person_links');
    await queryRunner.dropColumn('personio_integrations', 'excluded_absence_type_ids');
  }
}
