import type { AdminNotification } from '../../awork-host.types';
import type { AlertState } from '../personio-integration.entity';

/** How a full run ended, as far as the admins care. */
export type FullRunOutcome = 'succeeded' | 'needs_reauth' | 'failed';

/** Failed full runs in a row after which the admins are told (PRODUCT.md §8). */
export const FAILED_RUNS_BEFORE_ALERT = 3;

/** The run's error as quoted in a notification: short enough that "what to do" always fits. */
const QUOTED_ERROR_MAX_LENGTH = 500;

/**
 * The alert state after a full run: a success is `ok`, rejected credentials `needs_reauth`, and the
 * third failure in a row `failing`; fewer failures leave it as it was. The admins are told only when
 * it changes, so one notification per change, never one per run.
 */
export function alertStateAfter(current: AlertState, outcome: FullRunOutcome, failedRunsInARow: number): AlertState {
  if (outcome === 'succeeded') return 'ok';
  if (outcome === 'needs_reauth') return 'needs_reauth';
  return failedRunsInARow >= FAILED_RUNS_BEFORE_ALERT ? 'failing' : current;
}

/** What the admins are told on entering `state`: what happened and what to do. */
export function alertNotification(
  state: AlertState,
  context: { error: string | null; failedRunsInARow: number },
): AdminNotification {
  const quoted =
    context.error && context.error.length > QUOTED_ERROR_MAX_LENGTH
      ? `${context.error.slice(0, QUOTED_ERROR_MAX_LENGTH - 1)}…`
      : context.error;
  const error = quoted ? ` The last error: ${quoted}${/[.…!?]$/.test(quoted) ? '' : '.'}` : '';
  switch (state) {
    case 'needs_reauth':
      return {
        kind: 'personio.needs_reauth',
        title: 'Personio sync stopped: Personio rejected the credentials',
        message:
          `Personio no longer accepts the stored API credentials (revoked or rotated, or a permission is missing), so absences are not synced any more.${error} ` +
          'What to do: create or check the API credentials in Personio (Settings → Integrations → API credentials, with read access to persons and absences) and save them in awork’s Personio integration settings (PUT /api/v1/integrations/personio); syncing resumes at once.',
      };
    case 'failing':
      return {
        kind: 'personio.failing',
        title: `Personio sync failed ${context.failedRunsInARow} times in a row`,
        message:
          `The last ${context.failedRunsInARow} syncs with Personio failed, so absences may be out of date.${error} ` +
          'What to do: nothing if Personio is briefly unavailable, the sync retries every hour and you will be told when it works again; if it persists, check the runs (GET /api/v1/integrations/personio/runs) and Personio’s status, or start a sync by hand (POST /api/v1/integrations/personio/sync).',
      };
    case 'ok':
      return {
        kind: 'personio.recovered',
        title: 'Personio sync works again',
        message: 'The sync with Personio succeeded again and absences are up to date. Nothing to do.',
      };
  }
}
