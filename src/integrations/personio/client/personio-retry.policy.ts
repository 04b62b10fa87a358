import type { LoggerService } from '@nestjs/common';
import type { AxiosResponse } from 'axios';
import { PersonioRetryConfig } from './personio-client.config';
import { PersonioFailure } from './personio-error.mapper';
import { parseRetryAfterMs, retryDelayMs } from './personio-retry-timing';

/** One attempt on the wire: a response (any status), or the transport error code when none arrived. */
export type PersonioAttempt =
  { response: AxiosResponse; transportCode?: undefined } | { response?: undefined; transportCode?: string };

export type CallOutcome = PersonioAttempt & { attempts: number };

export type PersonioRetryLogger = Pick<LoggerService, 'debug'>;

export function failureOf(outcome: PersonioAttempt): PersonioFailure {
  return outcome.response
    ? { type: 'http', status: outcome.response.status, body: outcome.response.data }
    : { type: 'transport', code: outcome.transportCode };
}

/**
 * Bounded retries for one Personio call: full-jitter backoff, or `Retry-After` when given (never less
 * than 1 s after a 429), within maxAttempts and maxTotalMs. Returns the last outcome; the caller maps it.
 */
export class PersonioRetryPolicy {
  constructor(
    private readonly retry: PersonioRetryConfig,
    private readonly logger?: PersonioRetryLogger,
    /** The log context the retry lines carry. */
    private readonly context = 'PersonioHttpClient',
  ) {}

  async execute(
    label: string,
    isRetryable: (failure: PersonioFailure) => boolean,
    attempt: () => Promise<PersonioAttempt>,
  ): Promise<CallOutcome> {
    const { maxAttempts, baseDelayMs, maxDelayMs, maxTotalMs } = this.retry;
    const startedAt = Date.now();
    for (let attempts = 1; ; attempts++) {
      const outcome: CallOutcome = { ...(await attempt()), attempts };
      if (outcome.response && outcome.response.status < 400) return outcome;
      const failure = failureOf(outcome);
      if (!isRetryable(failure) || attempts >= maxAttempts) return outcome;
      const retryAfterMs = outcome.response
        ? parseRetryAfterMs(outcome.response.headers['retry-after'] as string | undefined, Date.now())
        : null;
      const delayMs = retryDelayMs({
        attempt: attempts,
        status: outcome.response?.status,
        retryAfterMs,
        baseDelayMs,
        maxDelayMs,
      });
      if (Date.now() - startedAt + delayMs > maxTotalMs) return outcome;
      this.logger?.debug?.(
        `personio ${label} attempt=${attempts} failed (${failure.type === 'http' ? `HTTP ${failure.status}` : (failure.code ?? 'network error')}), retrying in ${delayMs} ms`,
        this.context,
      );
      await sleep(delayMs);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
