import type { PersonioStatus, SyncRun } from '../api/types';

/** The reason codes of src/integrations/personio/matching (and issue 15's link reasons), in words. */
const UNMATCHED_REASONS: Record<string, string> = {
  no_email: 'no e-mail in Personio',
  no_awork_user: 'no awork user with this e-mail',
  duplicate_email: 'two persons share this e-mail',
  linked_to_other_person: 'this user is linked to someone else',
};

export function unmatchedReasonInWords(reason: string): string {
  return UNMATCHED_REASONS[reason] ?? reason.replace(/_/g, ' ');
}

export const STATUS_IN_WORDS: Record<PersonioStatus['status'], string> = {
  active: 'Active',
  needs_reauth: 'Needs new credentials',
  failing: 'Failing',
  plan_inactive: 'Paused (plan below Business)',
};

export const TRIGGER_IN_WORDS: Record<SyncRun['trigger'], string> = {
  schedule: 'hourly',
  manual: 'Sync now',
  setup: 'first sync',
  webhook: 'webhook events',
};

export const WEBHOOKS_IN_WORDS: Record<PersonioStatus['webhooks']['state'], string> = {
  active: 'Active: changes arrive within seconds',
  unavailable: 'Unavailable: hourly sync only',
  off: 'Off on this server: hourly sync only',
};

export const ELIGIBLE_PLANS = ['business', 'enterprise'];

export function planName(plan: string): string {
  return plan.charAt(0).toUpperCase() + plan.slice(1);
}

export type ConnectField = 'clientId' | 'clientSecret' | 'hideAbsenceDetails' | 'form';

/**
 * Where an error of PUT /integrations/personio is shown: next to the field it concerns. Rejected
 * credentials are most often a wrong secret; a missing permission belongs to the API credential
 * (its client ID); the plan and Personio being unreachable concern the whole form.
 */
export function connectErrorField(status: number, message: string): ConnectField {
  if (status === 400 || status === 422) {
    if (/rejected the client ID or client secret/i.test(message)) return 'clientSecret';
    if (/refused access|permission|scope/i.test(message)) return 'clientId';
    if (/clientSecret/.test(message)) return 'clientSecret';
    if (/clientId/.test(message)) return 'clientId';
    if (/hideAbsenceDetails/.test(message)) return 'hideAbsenceDetails';
  }
  return 'form';
}

export function runCounts(run: SyncRun): string {
  const counts: Array<[string, number | undefined]> = [
    ['fetched', run.fetched],
    ['created', run.created],
    ['updated', run.updated],
    ['deleted', run.deleted],
    ['unchanged', run.unchanged],
    ['skipped', run.skipped],
    ['invalid', run.invalid],
    ['duplicates', run.duplicates],
  ];
  return counts
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${value} ${name}`)
    .join(', ');
}

/** "21 Jul 2026, 12:00" in the browser's own zone: these are instants, not calendar days. */
export function instant(iso: string | null): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
