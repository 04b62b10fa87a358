import { connectErrorField, runCounts, unmatchedReasonInWords } from './personio-wording';

describe('the Personio settings wording', () => {
  it.each([
    ['no_email', 'no e-mail in Personio'],
    ['no_awork_user', 'no awork user with this e-mail'],
    ['duplicate_email', 'two persons share this e-mail'],
    ['linked_to_other_person', 'this user is linked to someone else'],
    ['some_new_reason', 'some new reason'],
  ])('says %s as "%s"', (reason, words) => expect(unmatchedReasonInWords(reason)).toBe(words));

  it.each([
    [422, 'Personio rejected the client ID or client secret: check both', 'clientSecret'],
    [422, 'Personio accepted the credentials but refused access: missing personio:absences:read', 'clientId'],
    [400, 'clientSecret should not be empty', 'clientSecret'],
    [400, 'clientId must be a string', 'clientId'],
    [403, 'The Personio integration needs the Business plan or above (this workspace: basic)', 'form'],
    [502, 'Personio answered unexpectedly', 'form'],
    [503, 'Personio is unreachable or unavailable right now', 'form'],
  ] as const)('shows a %i "%s" next to %s', (status, message, field) =>
    expect(connectErrorField(status, message)).toBe(field),
  );

  it('lists the counts of a run, with duplicates once the server reports them', () => {
    const run = { fetched: 3, created: 2, updated: 0, deleted: 0, unchanged: 1, skipped: 0, invalid: 0 };
    expect(runCounts(run as never)).toBe(
      '3 fetched, 2 created, 0 updated, 0 deleted, 1 unchanged, 0 skipped, 0 invalid',
    );
    expect(runCounts({ ...run, duplicates: 4 } as never)).toContain('4 duplicates');
  });
});
