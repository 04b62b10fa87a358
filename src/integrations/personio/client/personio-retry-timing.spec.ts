import { backoffDelayMs, parseRetryAfterMs } from './personio-retry-timing';

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
