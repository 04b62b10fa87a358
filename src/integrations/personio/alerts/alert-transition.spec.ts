import type { AlertState } from '../personio-integration.entity';
import { alertNotification, alertStateAfter, FullRunOutcome } from './alert-transition';

describe('alertStateAfter', () => {
  it.each<[AlertState, FullRunOutcome, number, AlertState]>([
    ['ok', 'succeeded', 0, 'ok'],
    ['ok', 'failed', 1, 'ok'],
    ['ok', 'failed', 2, 'ok'],
    ['ok', 'failed', 3, 'failing'],
    ['failing', 'failed', 4, 'failing'],
    ['failing', 'succeeded', 0, 'ok'],
    ['ok', 'needs_reauth', 1, 'needs_reauth'],
    ['failing', 'needs_reauth', 5, 'needs_reauth'],
    ['needs_reauth', 'failed', 1, 'needs_reauth'],
    ['needs_reauth', 'failed', 3, 'failing'],
    ['needs_reauth', 'succeeded', 0, 'ok'],
  ])('%s, then a run that %s (%d failed in a row) → %s', (current, outcome, failed, expected) => {
    expect(alertStateAfter(current, outcome, failed)).toBe(expected);
  });

  it('changes state (and so notifies) once over a run of failures, once on recovery', () => {
    let state: AlertState = 'ok';
    let changes = 0;
    const outcomes: FullRunOutcome[] = ['failed', 'failed', 'failed', 'failed', 'failed', 'succeeded', 'succeeded'];
    let failed = 0;
    for (const outcome of outcomes) {
      failed = outcome === 'succeeded' ? 0 : failed + 1;
      const next = alertStateAfter(state, outcome, failed);
      if (next !== state) changes++;
      state = next;
    }
    expect(changes).toBe(2);
  });
});

describe('alertNotification', () => {
  it('says what happened and what to do, with the last error', () => {
    const reauth = alertNotification('needs_reauth', { error: 'Personio: invalid_client', failedRunsInARow: 1 });
    expect(reauth.kind).toBe('personio.needs_reauth');
    expect(reauth.message).toContain('invalid_client');
    expect(reauth.message).toMatch(/What to do: .*PUT \/api\/v1\/integrations\/personio/);
    const failing = alertNotification('failing', { error: 'Personio: HTTP 503', failedRunsInARow: 3 });
    expect(failing.title).toContain('3 times in a row');
    expect(failing.message).toContain('The last error: Personio: HTTP 503. What to do:');
    expect(alertNotification('ok', { error: null, failedRunsInARow: 0 }).kind).toBe('personio.recovered');
  });

  it('quotes a long error shortened, so that the advice always fits the 2,000 characters a notification keeps', () => {
    const notification = alertNotification('failing', { error: `Personio: ${'x'.repeat(1990)}`, failedRunsInARow: 3 });
    expect(notification.message.length).toBeLessThanOrEqual(2000);
    expect(notification.message).toMatch(/x… What to do: /);
  });
});
