import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const DEFAULT_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? DEFAULT_POSTGRES_ADMIN_URL;

export interface TestDatabase {
  kind: 'postgres' | 'sqlite';
  /** Environment for loadConfig: DATABASE_URL for PostgreSQL, DATA_DIR for SQLite. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * The environment variable naming the PostgreSQL server (any database on it) that creates and drops the fresh
   * database; default TEST_POSTGRES_URL, the bench passes BENCH_POSTGRES_URL. Unset: postgres://postgres@127.0.0.1:5432/test.
   */
  adminUrlVariable?: string;
  /** Names the database `awork_<prefix>_<random>` and the temp dir `awork-<prefix>-…`; default `test`. */
  namePrefix?: string;
}

/** A fresh, empty database per test file, on the engine the jest project selected (TEST_DB). */
export async function createTestDatabase(
  kind = (process.env.TEST_DB ?? 'sqlite') as TestDatabase['kind'],
  { adminUrlVariable = 'TEST_POSTGRES_URL', namePrefix = 'test' }: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  if (!/^[a-z0-9_]+$/.test(namePrefix)) throw new Error(`namePrefix must be [a-z0-9_]+ (got ${namePrefix})`);
  const dataDir = mkdtempSync(join(tmpdir(), `awork-${namePrefix}-`));
  if (kind === 'sqlite') {
    return { kind, env: { DATA_DIR: dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const admin = { url: process.env[adminUrlVariable] ?? DEFAULT_POSTGRES_ADMIN_URL, variable: adminUrlVariable };
  const name = `awork_${namePrefix}_${randomBytes(6).toString('hex')}`;
  await withAdminClient(admin, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin.url);
  url.pathname = `/${name}`;
  return {
    kind,
    env: { DATABASE_URL: url.toString(), DATA_DIR: dataDir },
    drop: async () => {
      await withAdminClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function withAdminClient<T>(
  admin: { url: string; variable: string },
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: admin.url });
  try {
    await client.connect();
  } catch (error) {
    // Never skip silently: the PostgreSQL half of the suite is half of what it proves.
    throw new Error(
      `PostgreSQL is not reachable at ${admin.url} (${(error as Error).message}); start it or set ${admin.variable}`,
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
