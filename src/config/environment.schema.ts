import { Expose, Transform } from 'class-transformer';
import { IsOptional, ValidateBy, ValidationArguments } from 'class-validator';

/** A constraint may name several problems (one per bad list item); they are joined with this. */
export const PROBLEM_SEPARATOR = '\n';

/** Unset and blank are the same: the default applies. */
const Trimmed = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : undefined));

const TrimmedLowercase = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() || undefined : undefined,
  );

const IntegerBetween = (min: number, max: number) =>
  ValidateBy({
    name: 'integerBetween',
    constraints: [min, max],
    validator: {
      validate: (value: unknown) => {
        const number = Number(value);
        return Number.isInteger(number) && number >= min && number <= max;
      },
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property} must be an integer between ${min} and ${max} (got "${String(args?.value)}")`,
    },
  });

export const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
export const FALSE_WORDS = ['0', 'false', 'no', 'off'];

const BooleanWord = () =>
  ValidateBy({
    name: 'booleanWord',
    validator: {
      validate: (value: unknown) => TRUE_WORDS.includes(String(value)) || FALSE_WORDS.includes(String(value)),
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property} must be true or false (got "${String(args?.value)}")`,
    },
  });

const Satisfies = (name: string, test: (value: string) => boolean, message: string) =>
  ValidateBy({ name, validator: { validate: (value: unknown) => test(String(value)), defaultMessage: () => message } });

// They travel as HTTP header values: printable ASCII only.
const HeaderValue = (property: string) =>
  Satisfies(
    'headerValue',
    (value) => /^[\x21-\x7e][\x20-\x7e]*$/.test(value),
    `${property} must be printable ASCII (it is sent as an HTTP header)`,
  );

export function isBase64Key(value: string): boolean {
  const key = Buffer.from(value, 'base64');
  return key.length === 32 && key.toString('base64').replace(/=+$/, '') === value.replace(/=+$/, '');
}

export const LOG_THRESHOLDS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogThreshold = (typeof LOG_THRESHOLDS)[number];

/** `NODE_ENV`, trimmed, `development` when unset. */
export function nodeEnvOf(env: { NODE_ENV?: string }): string {
  return env.NODE_ENV || 'development';
}

/**
 * Every environment variable the app reads (PRODUCT.md §6), trimmed, with its rule and the message a
 * reader sees at boot. Values stay strings here; `loadConfig` turns them into the typed `AppConfig`.
 * Properties are declared in the order their problems are listed.
 */
export class EnvironmentVariables {
  @Expose() @Trimmed() NODE_ENV?: string;
  @Expose() @Trimmed() DATA_DIR?: string;
  @Expose() @Trimmed() @IsOptional() @IntegerBetween(0, 65535) PORT?: string;

  @Expose()
  @Trimmed()
  @IsOptional()
  @Satisfies(
    'postgresUrl',
    (value) => /^postgres(ql)?:\/\//.test(value),
    'DATABASE_URL must start with postgres:// (unset it to use the embedded SQLite file)',
  )
  DATABASE_URL?: string;

  @Expose() @TrimmedLowercase() @IsOptional() @BooleanWord() DEMO?: string;

  @Expose()
  @Trimmed()
  @IsOptional()
  @Satisfies('httpUrl', (value) => /^https?:\/\/[^\s]+$/.test(value), 'PERSONIO_BASE_URL must be an http(s) URL')
  PERSONIO_BASE_URL?: string;

  @Expose()
  @Trimmed()
  @IsOptional()
  @Satisfies(
    'publicBaseUrl',
    (value) => /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(value),
    'PUBLIC_BASE_URL must be an http(s) URL without query or fragment (https:// in production)',
  )
  PUBLIC_BASE_URL?: string;

  @Expose() @Trimmed() @IsOptional() @IntegerBetween(1, 600_000) PERSONIO_REQUEST_TIMEOUT_MS?: string;
  @Expose() @Trimmed() @IsOptional() @IntegerBetween(1, 20) PERSONIO_RETRY_MAX_ATTEMPTS?: string;
  @Expose() @Trimmed() @IsOptional() @IntegerBetween(0, 60_000) PERSONIO_RETRY_BASE_DELAY_MS?: string;
  @Expose() @Trimmed() @IsOptional() @IntegerBetween(0, 600_000) PERSONIO_RETRY_MAX_DELAY_MS?: string;
  @Expose() @Trimmed() @IsOptional() @IntegerBetween(0, 3_600_000) PERSONIO_RETRY_MAX_TOTAL_MS?: string;
  @Expose() @Trimmed() @IsOptional() @HeaderValue('PERSONIO_APP_ID') PERSONIO_APP_ID?: string;
  @Expose() @Trimmed() @IsOptional() @HeaderValue('PERSONIO_PARTNER_ID') PERSONIO_PARTNER_ID?: string;

  @Expose()
  @Trimmed()
  @IsOptional()
  @Satisfies('minLength16', (value) => value.length >= 16, 'BOOTSTRAP_TOKEN must be at least 16 characters')
  BOOTSTRAP_TOKEN?: string;

  @Expose() @TrimmedLowercase() @IsOptional() @BooleanWord() SYNC_CRON_ENABLED?: string;
  @Expose() @Trimmed() @IsOptional() @IntegerBetween(1, 64) SYNC_CONCURRENCY?: string;
  // One workspace's absence-period listing in at most this many concurrent partitions (1 = serial).
  @Expose() @Trimmed() @IsOptional() @IntegerBetween(1, 32) SYNC_MAX_PARTITIONS?: string;
  @Expose() @Trimmed() @IsOptional() @IntegerBetween(1, 200) DATABASE_POOL_MAX?: string;
  // Renewed every third of it while a sync runs, so a dead instance's claim frees within a minute.
  @Expose() @Trimmed() @IsOptional() @IntegerBetween(1, 86_400) SYNC_LEASE_SECONDS?: string;
  @Expose() @Trimmed() @IsOptional() @IntegerBetween(1, 86_400) SYNC_RECOVERY_SECONDS?: string;
  // A webhook event claimed by an instance that died is claimed again after this (default 45).
  @Expose() @Trimmed() @IsOptional() @IntegerBetween(1, 86_400) WEBHOOK_EVENT_LEASE_SECONDS?: string;
  @Expose() @TrimmedLowercase() @IsOptional() @BooleanWord() LOG_JSON?: string;

  @Expose()
  @TrimmedLowercase()
  @IsOptional()
  @ValidateBy({
    name: 'logThreshold',
    validator: {
      validate: (value: unknown) => (LOG_THRESHOLDS as readonly string[]).includes(String(value)),
      defaultMessage: (args?: ValidationArguments) =>
        `LOG_LEVEL must be one of ${LOG_THRESHOLDS.join(', ')} (got "${String(args?.value)}")`,
    },
  })
  LOG_LEVEL?: string;

  /** Comma-separated; blanks between commas are ignored. One problem per key that is not 32 bytes. */
  @Expose()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((key) => key.trim())
          .filter(Boolean)
      : [],
  )
  @ValidateBy({
    name: 'base64Keys',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.every((key) => isBase64Key(String(key))),
      defaultMessage: (args?: ValidationArguments) =>
        ((args?.value as string[] | undefined) ?? [])
          .flatMap((key, index) =>
            isBase64Key(key) ? [] : [`CREDENTIALS_PREVIOUS_KEYS[${index}] must be 32 bytes encoded as base64`],
          )
          .join(PROBLEM_SEPARATOR),
    },
  })
  CREDENTIALS_PREVIOUS_KEYS: string[];

  @Expose()
  @Trimmed()
  @ValidateBy({
    name: 'credentialsKey',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        value === undefined
          ? nodeEnvOf(args?.object as EnvironmentVariables) !== 'production'
          : isBase64Key(String(value)),
      defaultMessage: (args?: ValidationArguments) =>
        args?.value === undefined
          ? 'CREDENTIALS_KEY is required in production (32 bytes, base64)'
          : 'CREDENTIALS_KEY must be 32 bytes encoded as base64',
    },
  })
  CREDENTIALS_KEY?: string;
}
