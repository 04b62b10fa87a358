import { QueryRunner, TableForeignKey } from 'typeorm';

/** One migration set for both databases: only the timestamp type name differs. */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'postgres' ? 'timestamp' : 'datetime';
}

export function nowDefault(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'postgres'
    ? "(now() at time zone 'utc')"
    : "(strftime('%Y-%m-%d %H:%M:%f', 'now'))";
}

/** Rows go with the row they belong to. */
export function cascadingForeignKey(column: string, referencedTable: string): TableForeignKey {
  return new TableForeignKey({
    columnNames: [column],
    referencedTableName: referencedTable,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });
}
