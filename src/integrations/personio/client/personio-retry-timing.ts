/** Personio's 429 carries no Retry-After and its buckets refill per second: a sooner retry only burns a request. */
export const RATE_LIMITED_MIN_DELAY_MS = 1_000;

/** Exponential backoff with full jitter: a random wait in [0, min(max, base · 2^(attempt-1))]. */
export function backoffDelayMs(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

export interface RetryDelayInput {
  /** The attempt that just failed, 1-based. */
  attempt: number;
  /** HTTP status of that attempt; undefined for a transport failure. */
  status?: number;
  /** Parsed `Retry-After`, or null when absent/unparseable. */
  retryAfterMs: number | null;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * How long to wait before the next attempt: `Retry-After` when the server gave one; otherwise
 * backoff with jitter, and after a 429 never less than one second.
 */
export function retryDelayMs(input: RetryDelayInput, random: () => number = Math.random): number {
  if (input.retryAfterMs !== null) return input.retryAfterMs;
  const backoff = backoffDelayMs(input.attempt, input.baseDelayMs, input.maxDelayMs, random);
  return input.status === 429 ? Math.max(RATE_LIMITED_MIN_DELAY_MS, backoff) : backoff;
}

/**
 * `Retry-After` as milliseconds to wait: delta-seconds (fractions accepted) or an HTTP date.
 * Unparseable or missing → null, so the caller falls back to backoff.
 */
export function parseRetryAfterMs(header: string | string[] | undefined | null, nowMs: number): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(trimmed)) return trimmed.startsWith('-') ? null : Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}
