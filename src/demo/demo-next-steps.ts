import { SyncRunView } from '../integrations/personio/sync/sync-run.view';

export interface NextStepsInput {
  baseUrl: string;
  adminToken: string;
  markerPath: string;
  today: string;
  inAMonth: string;
  lastRun: SyncRunView | null;
}

export const NEXT_STEPS_HEADLINE = 'Demo ready: what to do next';

/** The text a first demo start prints once: the admin token and three copy-paste curl commands. */
export function nextStepsText({ baseUrl, adminToken, markerPath, today, inAMonth, lastRun }: NextStepsInput): string {
  const auth = `-H "Authorization: Bearer ${adminToken}"`;
  const run = lastRun
    ? `First sync ${lastRun.status}: fetched=${lastRun.fetched} created=${lastRun.created} skipped=${lastRun.skipped}${lastRun.error ? ` error=${lastRun.error}` : ''}`
    : 'The first sync has not run yet.';
  const rule = '─'.repeat(78);
  return [
    '',
    rule,
    `${NEXT_STEPS_HEADLINE}`,
    '',
    'A demo workspace "Demo GmbH" (Business plan) is connected to the bundled Personio simulator.',
    run,
    '',
    `Admin token (kept in ${markerPath}):`,
    `  ${adminToken}`,
    '',
    'Open the team calendar and the Personio settings in a browser, signed in as the demo admin',
    '(the token travels in the fragment, which the browser never sends; the page removes it at once):',
    `  ${baseUrl}/#token=${adminToken}`,
    '',
    'Or ask the API directly:',
    '1. Integration status:',
    `  curl -s ${auth} ${baseUrl}/api/v1/integrations/personio`,
    '2. Matched and unmatched users:',
    `  curl -s ${auth} ${baseUrl}/api/v1/integrations/personio/users`,
    '3. Absences transferred from Personio:',
    `  curl -s ${auth} "${baseUrl}/api/v1/absences?from=${today}&to=${inAMonth}"`,
    '',
    `API documentation: ${baseUrl}/api/docs    health: ${baseUrl}/health`,
    'This text is printed once; later starts on the same DATA_DIR reuse the demo workspace.',
    rule,
    '',
  ].join('\n');
}
