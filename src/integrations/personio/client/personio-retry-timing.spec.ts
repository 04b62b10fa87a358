import { backoffDelayMs, parseRetryAfterMs, retryDelayMs } from './personio-retry-timing';

describe('backoffDelayMs', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [10, 30000],
  ])('attempt %i waits at most %i ms (base 1 s, cap 30 s)', (attempt, ceiling) => {
    expect(backoffDelayMs(attempt, 1000, 30000, () => 0.999999)).toBe(ceiling);
    expect(backoffDelayMs(attempt, 1000, 30000, () => 0)).toBe(0);
  });
});

describe('retryDelayMs', () => {
  const tiny = { baseDelayMs: 5, maxDelayMs: 20 };

  it.each([1, 2, 5])(
    'waits at least 1 s after a 429 without Retry-After (attempt %i), however small the base',
    (attempt) => {
      expect(retryDelayMs({ attempt, status: 429, retryAfterMs: null, ...tiny }, () => 0)).toBe(1000);
      expect(retryDelayMs({ attempt, status: 429, retryAfterMs: null, ...tiny }, () => 0.999999)).toBe(1000);
    },
  );

  it('keeps backing off beyond 1 s after a 429 when the backoff is longer', () => {
    expect(
      retryDelayMs(
        { attempt: 3, status: 429, retryAfterMs: null, baseDelayMs: 1000, maxDelayMs: 30000 },
        () => 0.999999,
      ),
    ).toBe(4000);
  });

  it('honours a Retry-After the server did send', () => {
    expect(retryDelayMs({ attempt: 1, status: 429, retryAfterMs: 250, ...tiny })).toBe(250);
  });

  it.each([[500], [503], [undefined]])('uses plain backoff for status %p', (status) => {
    expect(retryDelayMs({ attempt: 1, status, retryAfterMs: null, ...tiny }, () => 0.999999)).toBe(5);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');

  it.each([
    ['2', 2000],
    ['0', 0],
    ['0.25', 250],
    [' 3 ', 3000],
    ['Mon, 01 Jun 2026 12:00:05 GMT', 5000],
    ['Mon, 01 Jun 2026 11:59:00 GMT', 0],
  ])('%j → %i ms', (header, ms) => {
    expect(parseRetryAfterMs(header, now)).toBe(ms);
  });

  it.each([[undefined], [null], [''], ['soon'], ['-1']])('%j → null (fall back to backoff)', (header) => {
    expect(parseRetryAfterMs(header, now)).toBeNull();
  });
});
