import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_PERSONIO_APP_ID } from '../integrations/personio/client/personio-client.config';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

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
  dataDir: string;
  demo: boolean;
  personio: PersonioClientSettings;
  credentialsKey: CredentialsKey;
  credentialsPreviousKeys: CredentialsKey[];
  bootstrapToken?: string;
  syncCronEnabled: boolean;
  syncConcurrency: number;
  syncLeaseSeconds: number;
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

export const LOG_THRESHOLDS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogThreshold = (typeof LOG_THRESHOLDS)[number];

export const DEFAULT_PERSONIO_BASE_URL = 'https://api.personio.de';

type Env = Record<string, string | undefined>;

export function credentialsKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** Reads and validates the environment, failing fast with every problem listed at once. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const config = new AppConfig();
  config.nodeEnv = env.NODE_ENV?.trim() || 'development';
  config.port = readInt(env, 'PORT', 3000, 0, 65535, problems);
  config.dataDir = resolve(env.DATA_DIR?.trim() || './data');

  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl))
      problems.push('DATABASE_URL must start with postgres:// (unset it to use the embedded SQLite file)');
    config.databaseUrl = databaseUrl;
  }

  const personioBaseUrl = env.PERSONIO_BASE_URL?.trim();
  config.demo = readBool(env, 'DEMO', !config.isProduction && !personioBaseUrl, problems);
  if (personioBaseUrl && !/^https?:\/\/[^\s]+$/.test(personioBaseUrl))
    problems.push('PERSONIO_BASE_URL must be an http(s) URL');
  config.personio = {
    baseUrl: personioBaseUrl || DEFAULT_PERSONIO_BASE_URL,
    requestTimeoutMs: readInt(env, 'PERSONIO_REQUEST_TIMEOUT_MS', 10_000, 1, 600_000, problems),
    retryMaxAttempts: readInt(env, 'PERSONIO_RETRY_MAX_ATTEMPTS', 5, 1, 20, problems),
    retryBaseDelayMs: readInt(env, 'PERSONIO_RETRY_BASE_DELAY_MS', 1000, 0, 60_000, problems),
    retryMaxDelayMs: readInt(env, 'PERSONIO_RETRY_MAX_DELAY_MS', 30_000, 0, 600_000, problems),
    retryMaxTotalMs: readInt(env, 'PERSONIO_RETRY_MAX_TOTAL_MS', 120_000, 0, 3_600_000, problems),
    appId: env.PERSONIO_APP_ID?.trim() || DEFAULT_PERSONIO_APP_ID,
    partnerId: env.PERSONIO_PARTNER_ID?.trim() || undefined,
  };
  for (const [name, value] of [
    ['PERSONIO_APP_ID', config.personio.appId],
    ['PERSONIO_PARTNER_ID', config.personio.partnerId],
  ] as const) {
    // They travel as HTTP header values: printable ASCII only.
    if (value !== undefined && !/^[\x21-\x7e][\x20-\x7e]*$/.test(value))
      problems.push(`${name} must be printable ASCII (it is sent as an HTTP header)`);
  }

  config.bootstrapToken = env.BOOTSTRAP_TOKEN?.trim() || undefined;
  if (config.bootstrapToken && config.bootstrapToken.length < 16)
    problems.push('BOOTSTRAP_TOKEN must be at least 16 characters');
  config.syncCronEnabled = readBool(env, 'SYNC_CRON_ENABLED', true, problems);
  config.syncConcurrency = readInt(env, 'SYNC_CONCURRENCY', 4, 1, 64, problems);
  // Renewed every third of it while a sync runs, so a dead instance's claim frees within a minute.
  config.syncLeaseSeconds = readInt(env, 'SYNC_LEASE_SECONDS', 60, 1, 86_400, problems);
  config.syncRecoverySeconds = readInt(env, 'SYNC_RECOVERY_SECONDS', 300, 1, 86_400, problems);
  config.logJson = readBool(env, 'LOG_JSON', config.isProduction, problems);
  const logLevel = env.LOG_LEVEL?.trim().toLowerCase() || (config.isProduction ? 'log' : 'debug');
  if (!(LOG_THRESHOLDS as readonly string[]).includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_THRESHOLDS.join(', ')} (got "${logLevel}")`);
  config.logLevel = logLevel as LogThreshold;

  const previous = (env.CREDENTIALS_PREVIOUS_KEYS ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  config.credentialsPreviousKeys = previous.flatMap((value, index) => {
    const key = parseKey(value, `CREDENTIALS_PREVIOUS_KEYS[${index}]`, problems);
    return key ? [key] : [];
  });
  const current = env.CREDENTIALS_KEY?.trim();
  if (current) {
    const key = parseKey(current, 'CREDENTIALS_KEY', problems);
    if (key) config.credentialsKey = key;
  } else if (config.isProduction) {
    problems.push('CREDENTIALS_KEY is required in production (32 bytes, base64)');
  } else if (problems.length === 0) {
    config.credentialsKey = developmentKey(config.dataDir);
  }

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

function parseKey(value: string, name: string, problems: string[]): CredentialsKey | undefined {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== value.replace(/=+$/, '')) {
    problems.push(`${name} must be 32 bytes encoded as base64`);
    return undefined;
  }
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
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  return { id: credentialsKeyId(key), key };
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

function readBool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}
