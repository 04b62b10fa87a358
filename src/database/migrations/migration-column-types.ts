import { QueryRunner } from 'typeorm';

/** One migration set for both databases: only the timestamp type name differs. */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'postgres' ? 'timestamp' : 'datetime';
}

export function nowDefault(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'postgres' ? "(now() at time zone 'utc')" : "(strftime('%Y-%m-%d %H:%M:%f', 'now'))";
}
