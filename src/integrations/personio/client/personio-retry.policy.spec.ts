import type { AxiosResponse } from 'axios';
import { isRetryableResourceFailure } from './personio-error.mapper';
import { PersonioAttempt, PersonioRetryPolicy } from './personio-retry.policy';

const answer = (status: number, headers: Record<string, string> = {}): PersonioAttempt => ({
  response: { status, headers, data: null } as unknown as AxiosResponse,
});

function scripted(...attempts: PersonioAttempt[]): jest.Mock<Promise<PersonioAttempt>, []> {
  return jest.fn(async () => attempts.shift() ?? answer(200));
}

describe('PersonioRetryPolicy', () => {
  const noWait = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0, maxTotalMs: 5_000 };

  it('retries a retryable failure and returns the first success with the attempts it took', async () => {
    const send = scripted(answer(503), { transportCode: 'ECONNRESET' }, answer(200));

    const outcome = await new PersonioRetryPolicy(noWait).execute('/v2/persons', isRetryableResourceFailure, send);

    expect(outcome.response?.status).toBe(200);
    expect(outcome.attempts).toBe(3);
  });

  it('hands back the last failure once maxAttempts is spent', async () => {
    const send = scripted(answer(503), answer(502), answer(500), answer(200));

    const outcome = await new PersonioRetryPolicy(noWait).execute('/v2/persons', isRetryableResourceFailure, send);

    expect(outcome).toMatchObject({ response: { status: 500 }, attempts: 3 });
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('does not retry what the caller calls final', async () => {
    const send = scripted(answer(403));

    const outcome = await new PersonioRetryPolicy(noWait).execute('/v2/persons', isRetryableResourceFailure, send);

    expect(outcome).toMatchObject({ response: { status: 403 }, attempts: 1 });
  });

  it('gives up at once when the wait Retry-After asks for would exceed the total budget', async () => {
    const send = scripted(answer(429, { 'retry-after': '60' }));
    const debug = jest.fn();

    const outcome = await new PersonioRetryPolicy({ ...noWait, maxTotalMs: 1_000 }, { debug }).execute(
      '/v2/persons',
      isRetryableResourceFailure,
      send,
    );

    expect(outcome).toMatchObject({ response: { status: 429 }, attempts: 1 });
    expect(debug).not.toHaveBeenCalled();
  });

  it('logs each retry with the failure and the wait, under the given context', async () => {
    const debug = jest.fn();

    await new PersonioRetryPolicy(noWait, { debug }, 'PersonioHttpClient').execute(
      '/v2/persons page=2',
      isRetryableResourceFailure,
      scripted(answer(503)),
    );

    expect(debug).toHaveBeenCalledWith(
      'personio /v2/persons page=2 attempt=1 failed (HTTP 503), retrying in 0 ms',
      'PersonioHttpClient',
    );
  });
});
