import type { PersonioRequestBudget } from './personio-request-budget';

export const DEFAULT_PERSONIO_APP_ID = 'awork-absence-sync';

export interface PersonioRetryConfig {
  /** Attempts per HTTP call, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total time budget for one call and its retries, waits included. */
  maxTotalMs: number;
}

export interface PersonioClientConfig {
  baseUrl: string;
  /** Per attempt. */
  requestTimeoutMs?: number;
  retry?: Partial<PersonioRetryConfig>;
  partnerId?: string;
  /** Sent as `X-Personio-App-ID`; default `awork-absence-sync`. */
  appId?: string;
  pageSize?: { persons?: number; absencePeriods?: number; absenceTypes?: number };
  /** Keep-alive sockets per origin. */
  maxSockets?: number;
  /** Epoch milliseconds for token lifetimes; tests pin it to age tokens without waiting. */
  now?: () => number;
  /**
   * The per-company request budget (pacing to Personio's rate limits): default a budget of this client's own;
   * pass one to share it between clients, or false for none (tests of the retry policy alone).
   */
  budget?: PersonioRequestBudget | false;
}

export interface ResolvedPersonioClientConfig {
  baseUrl: string;
  requestTimeoutMs: number;
  retry: PersonioRetryConfig;
  partnerId?: string;
  appId: string;
  pageSize: { persons: number; absencePeriods: number; absenceTypes: number };
  maxSockets: number;
}

export function resolvePersonioClientConfig(config: PersonioClientConfig): ResolvedPersonioClientConfig {
  const baseUrl = new URL(config.baseUrl).toString().replace(/\/+$/, '');
  const resolved: ResolvedPersonioClientConfig = {
    baseUrl,
    requestTimeoutMs: config.requestTimeoutMs ?? 10_000,
    retry: {
      maxAttempts: config.retry?.maxAttempts ?? 5,
      baseDelayMs: config.retry?.baseDelayMs ?? 1_000,
      maxDelayMs: config.retry?.maxDelayMs ?? 30_000,
      maxTotalMs: config.retry?.maxTotalMs ?? 120_000,
    },
    partnerId: config.partnerId?.trim() || undefined,
    appId: config.appId?.trim() || DEFAULT_PERSONIO_APP_ID,
    pageSize: {
      persons: config.pageSize?.persons ?? 50,
      absencePeriods: config.pageSize?.absencePeriods ?? 100,
      absenceTypes: config.pageSize?.absenceTypes ?? 100,
    },
    maxSockets: config.maxSockets ?? 64,
  };
  assertInRange('pageSize.persons', resolved.pageSize.persons, 1, 50);
  assertInRange('pageSize.absencePeriods', resolved.pageSize.absencePeriods, 1, 100);
  assertInRange('pageSize.absenceTypes', resolved.pageSize.absenceTypes, 1, 100);
  assertInRange('retry.maxAttempts', resolved.retry.maxAttempts, 1, 100);
  return resolved;
}

function assertInRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`Personio client config: ${name} must be an integer in ${min}..${max}`);
}
