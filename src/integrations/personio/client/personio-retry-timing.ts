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
