import { AppConfig, LOG_THRESHOLDS } from '../config/app-config';
import { LogRedactor } from './log-redaction';
import { RedactingConsoleLogger } from './redacting-console-logger';

/** The secrets of the configuration itself; every log line is scrubbed of them. */
export function configuredSecrets(config: AppConfig): string[] {
  return [
    config.bootstrapToken,
    config.credentialsKey?.key.toString('base64'),
    ...config.credentialsPreviousKeys.map((key) => key.key.toString('base64')),
    config.databaseUrl && passwordOf(config.databaseUrl),
  ].filter((secret): secret is string => Boolean(secret));
}

/** JSON lines in production (LOG_JSON), Nest's readable format otherwise; redacted either way. */
export function createAppLogger(config: AppConfig, extraSecrets: string[] = []): RedactingConsoleLogger {
  return new RedactingConsoleLogger(new LogRedactor([...configuredSecrets(config), ...extraSecrets]), {
    json: config.logJson,
    logLevels: LOG_THRESHOLDS.slice(0, LOG_THRESHOLDS.indexOf(config.logLevel) + 1),
    colors: !config.logJson && Boolean(process.stdout.isTTY),
  });
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
