import { mkdirSync } from 'node:fs';
import { types as pgTypes, defaults as pgDefaults } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ALL_ENTITIES } from './entities';
import { ALL_MIGRATIONS } from './migrations';

// NOTE: calendar dates stay strings and timestamps are UTC on the wire, whatever the process TZ
// (raw pg would turn a `date` into a local-midnight Date and shift it across the date line).
pgTypes.setTypeParser(1082, (value: string) => value);
pgTypes.setTypeParser(1114, (value: string) => new Date(`${value.replace(' ', 'T')}Z`));
pgDefaults.parseInputDatesAsUTC = true;

export function dataSourceOptions(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'sqlitePath'> & Partial<Pick<AppConfig, 'databasePoolMax'>>,
): DataSourceOptions {
  const common = {
    entities: ALL_ENTITIES,
    migrations: ALL_MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: false,
  } as const;
  if (config.databaseUrl) {
    return {
      ...common,
      type: 'postgres',
      url: config.databaseUrl,
      extra: { max: config.databasePoolMax ?? 20, options: '-c TimeZone=UTC' },
    };
  }
  mkdirSync(config.dataDir, { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.sqlitePath,
    // WAL lets readers go on during a sync's write transaction; the timeout covers a second instance.
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}
