import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_PERSONIO_APP_ID } from '../integrations/personio/client/personio-client.config';
import { EnvironmentVariables, LogThreshold, nodeEnvOf, TRUE_WORDS } from './environment.schema';
import { validateEnvironment } from './validate-environment';

export { ConfigValidationError } from './validate-environment';
export { LOG_THRESHOLDS, type LogThreshold } from './environment.schema';

export interface CredentialsKey {
  id: string;
  key: Buffer;
}

export interface PersonioClientSettings {
  baseUrl: string;
  requestTimeoutMs: number;
  retryMaxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  retryMaxTotalMs: number;
  /** `X-Personio-App-ID` on every request. */
  appId: string;
  /** `X-Personio-Partner-ID`, sent only when set. */
  partnerId?: string;
}

/** The whole typed configuration, read from the environment once at boot (PRODUCT.md §6). */
export class AppConfig {
  nodeEnv: string;
  port: number;
  /** `postgres://…`; undefined means the embedded SQLite file under `dataDir`. */
  databaseUrl?: string;
  /** PostgreSQL connections this instance opens at most (its pool's bound). */
  databasePoolMax: number;
  dataDir: string;
  demo: boolean;
  personio: PersonioClientSettings;
  credentialsKey: CredentialsKey;
  credentialsPreviousKeys: CredentialsKey[];
  bootstrapToken?: string;
  /**
   * Where Personio reaches this service (no trailing slash); undefined → webhooks off. In demo mode
   * it defaults to the app's own loopback URL.
   */
  publicBaseUrl?: string;
  /** The demo's loopback default: main.ts puts in the port actually listened on (PORT=0 picks one). */
  publicBaseUrlIsLoopbackDefault: boolean;
  syncCronEnabled: boolean;
  syncConcurrency: number;
  /** Partitions one workspace's absence-period listing is split into at most (1 = the serial listing). */
  syncMaxPartitions: number;
  syncLeaseSeconds: number;
  /** A claimed webhook event whose instance died is claimed again after this. */
  webhookEventLeaseSeconds: number;
  /** How often the recovery pass looks for integrations whose run this hour was lost. */
  syncRecoverySeconds: number;
  logJson: boolean;
  /** The least severe level written; `debug` adds the Personio client's page-by-page lines. */
  logLevel: LogThreshold;

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  get sqlitePath(): string {
    return join(this.dataDir, 'awork.sqlite');
  }
}

export const DEFAULT_PERSONIO_BASE_URL = 'https://api.personio.de';

type Env = Record<string, string | undefined>;

export function credentialsKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** Reads the environment, validated against `EnvironmentVariables` with every problem listed at once. */
export function loadConfig(env: Env = process.env): AppConfig {
  return toAppConfig(validateEnvironment(env));
}

/** Defaults and types for an environment that passed validation. */
function toAppConfig(env: EnvironmentVariables): AppConfig {
  const config = new AppConfig();
  config.nodeEnv = nodeEnvOf(env);
  config.port = integer(env.PORT, 3000);
  config.dataDir = resolve(env.DATA_DIR || './data');
  config.databaseUrl = env.DATABASE_URL;
  config.databasePoolMax = integer(env.DATABASE_POOL_MAX, 20);
  config.demo = boolean(env.DEMO, !config.isProduction && !env.PERSONIO_BASE_URL);
  config.personio = {
    baseUrl: env.PERSONIO_BASE_URL || DEFAULT_PERSONIO_BASE_URL,
    requestTimeoutMs: integer(env.PERSONIO_REQUEST_TIMEOUT_MS, 10_000),
    retryMaxAttempts: integer(env.PERSONIO_RETRY_MAX_ATTEMPTS, 5),
    retryBaseDelayMs: integer(env.PERSONIO_RETRY_BASE_DELAY_MS, 1000),
    retryMaxDelayMs: integer(env.PERSONIO_RETRY_MAX_DELAY_MS, 30_000),
    retryMaxTotalMs: integer(env.PERSONIO_RETRY_MAX_TOTAL_MS, 120_000),
    appId: env.PERSONIO_APP_ID || DEFAULT_PERSONIO_APP_ID,
    partnerId: env.PERSONIO_PARTNER_ID,
  };
  config.bootstrapToken = env.BOOTSTRAP_TOKEN;
  const publicBaseUrl = env.PUBLIC_BASE_URL || (config.demo ? `http://127.0.0.1:${config.port}` : undefined);
  config.publicBaseUrl = publicBaseUrl?.replace(/\/+$/, '');
  config.publicBaseUrlIsLoopbackDefault = !env.PUBLIC_BASE_URL && config.demo;
  config.syncCronEnabled = boolean(env.SYNC_CRON_ENABLED, true);
  // Measured (issue 17, realistic Personio latency): 16 syncs 1,000 small workspaces 3.8 × faster than 4.
  config.syncConcurrency = integer(env.SYNC_CONCURRENCY, 16);
  config.syncMaxPartitions = integer(env.SYNC_MAX_PARTITIONS, 6);
  config.syncLeaseSeconds = integer(env.SYNC_LEASE_SECONDS, 60);
  config.webhookEventLeaseSeconds = integer(env.WEBHOOK_EVENT_LEASE_SECONDS, 45);
  config.syncRecoverySeconds = integer(env.SYNC_RECOVERY_SECONDS, 300);
  config.logJson = boolean(env.LOG_JSON, config.isProduction);
  config.logLevel = (env.LOG_LEVEL || (config.isProduction ? 'log' : 'debug')) as LogThreshold;
  config.credentialsPreviousKeys = env.CREDENTIALS_PREVIOUS_KEYS.map(decodeKey);
  // Validation already refused a missing key in production.
  config.credentialsKey = env.CREDENTIALS_KEY ? decodeKey(env.CREDENTIALS_KEY) : developmentKey(config.dataDir);
  return config;
}

function decodeKey(value: string): CredentialsKey {
  const key = Buffer.from(value, 'base64');
  return { id: credentialsKeyId(key), key };
}

/** Development convenience: one key generated and kept beside the data, so restarts can still decrypt. */
function developmentKey(dataDir: string): CredentialsKey {
  const path = join(dataDir, 'credentials.key');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600 });
    process.stderr.write(
      `WARNING: CREDENTIALS_KEY is not set; generated a development key in ${path}. Set CREDENTIALS_KEY in production.\n`,
    );
  }
  return decodeKey(readFileSync(path, 'utf8').trim());
}

function integer(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : Number(value);
}

function boolean(value: string | undefined, fallback: boolean): boolean {
  return value === undefined ? fallback : TRUE_WORDS.includes(value);
}
