import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11:
 * - single-day Personio absences follow awork's half-day flags (isHalfDayOnStart = morning,
 *   isHalfDayOnEnd = afternoon). The old mapping stored exactly the opposite, so swapping the two
 *   flags corrects every such row, in the window and behind it, and the next sync writes nothing;
 * - absences record whether their source period is open-ended (`external_open_ended`);
 * - runs count malformed items apart from skipped ones (`invalid`).
 */
export class HalfDaysOpenEndsInvalid1764300000000 implements MigrationInterface {
  name = 'HalfDaysOpenEndsInvalid1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const falseValue = queryRunner.connection.options.type === 'postgres' ? 'false' : '0';
    await queryRunner.query(
      `ALTER TABLE absences ADD COLUMN external_open_ended boolean NOT NULL DEFAULT ${falseValue}`,
    );
    await queryRunner.query(`ALTER TABLE personio_sync_runs ADD COLUMN invalid integer NOT NULL DEFAULT 0`);
    await swapSingleDayFlags(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await swapSingleDayFlags(queryRunner);
    await queryRunner.query(`ALTER TABLE personio_sync_runs DROP COLUMN invalid`);
    await queryRunner.query(`ALTER TABLE absences DROP COLUMN external_open_ended`);
  }
}

// Both databases evaluate every right-hand side against the row as it was, so this is a swap.
function swapSingleDayFlags(queryRunner: QueryRunner): Promise<unknown> {
  return queryRunner.query(
    `UPDATE absences SET is_half_day_on_start = is_half_day_on_end, is_half_day_on_end = is_half_day_on_start
     WHERE external_provider = 'personio' AND start_on = end_on AND is_half_day_on_start <> is_half_day_on_end`,
  );
}
