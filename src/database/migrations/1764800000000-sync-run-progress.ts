import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: a running full sync records its progress (listing pages fetched, absence periods fetched) every
 * few seconds, so the status shows a large first sync moving. Null on runs that never reported any.
 */
export class SyncRunProgress1764800000000 implements MigrationInterface {
  name = 'SyncRunProgress1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE personio_sync_runs ADD COLUMN progress_pages integer NULL`);
    await queryRunner.query(`ALTER TABLE personio_sync_runs ADD COLUMN progress_absences_fetched integer NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE personio_sync_runs DROP COLUMN progress_absences_fetched`);
    await queryRunner.query(`ALTER TABLE personio_sync_runs DROP COLUMN progress_pages`);
  }
}
