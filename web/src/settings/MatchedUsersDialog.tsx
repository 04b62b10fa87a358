import { useEffect, useState } from 'preact/hooks';
import { ApiClient, ApiError } from '../api/api-client';
import type { UnmatchedPersonioPerson, User, UsersReport } from '../api/types';
import { ErrorText, NotAvailable } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { unmatchedReasonInWords } from './personio-wording';

/**
 * Issue 15's manual links, when this server has them: the report then says how each pair was made
 * (`matchedBy`). Unknown until a matched pair or a refused request tells.
 */
function linksAvailableIn(report: UsersReport): boolean | undefined {
  if (report.staleLinks !== undefined) return true;
  if (report.matched.length === 0) return undefined;
  return report.matched.some((entry) => entry.matchedBy !== undefined);
}

/** The window after saving credentials: who is matched by e-mail (or by hand), and who is not, with why. */
export function MatchedUsersDialog(props: {
  api: ApiClient;
  users: User[];
  onClose: () => void;
  onLinked?: () => void;
}) {
  const { api } = props;
  const [report, setReport] = useState<UsersReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [linksMissing, setLinksMissing] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let current = true;
    api.get<UsersReport>('/integrations/personio/users').then(
      (value) => current && (setReport(value), setError(null)),
      (caught: ApiError) => current && setError(`Personio could not be asked: ${caught.message}`),
    );
    return () => (current = false);
  }, [api, reloads]);

  const linksAvailable = !linksMissing && (report ? linksAvailableIn(report) !== false : false);
  const changed = () => {
    setReloads((n) => n + 1);
    props.onLinked?.();
  };
  const onLinkError = (caught: ApiError): string | null => {
    if (caught.missingRoute) {
      setLinksMissing(true);
      return null;
    }
    return caught.message;
  };
  const userName = (userId: string) => props.users.find((user) => user.id === userId)?.name ?? userId;

  return (
    <Dialog title="Matched users" onClose={props.onClose} wide>
      <p>
        awork users and Personio persons are matched by the e-mail address in both tools. If someone you expected is
        unmatched, check their e-mail address in Personio and in awork (each awork user changes their own account
        e-mail); the next sync picks them up.
      </p>
      {error && <ErrorText>{error}</ErrorText>}
      {!report && !error && <p role="status">Asking Personio…</p>}
      {report && (
        <>
          <p role="status" class="summary">
            {report.matched.length} matched · {report.unmatchedPersonio.length} Personio{' '}
            {report.unmatchedPersonio.length === 1 ? 'person' : 'persons'} without an awork user ·{' '}
            {report.unmatchedAwork.length} awork {report.unmatchedAwork.length === 1 ? 'user' : 'users'} without a
            Personio person
          </p>
          <table class="list" data-list="unmatched-personio">
            <caption>Personio persons without an awork user ({report.unmatchedPersonio.length})</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail in Personio</th>
                <th scope="col">Why not matched</th>
                <th scope="col">Link by hand</th>
              </tr>
            </thead>
            <tbody>
              {report.unmatchedPersonio.map((person) => (
                <tr>
                  <td>{person.name ?? <span class="muted">(no name)</span>}</td>
                  <td>{person.email ?? <span class="muted">none</span>}</td>
                  <td class="reason">{unmatchedReasonInWords(person.reason)}</td>
                  <td>
                    {linksAvailable ? (
                      <LinkControl
                        api={api}
                        person={person}
                        users={props.users}
                        onDone={changed}
                        onError={onLinkError}
                      />
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {!linksAvailable && <NotAvailable what="Linking a person to a user by hand" />}

          {report.staleLinks && report.staleLinks.length > 0 && (
            <table class="list" data-list="stale-links">
              <caption>Links to persons no longer in Personio ({report.staleLinks.length})</caption>
              <thead>
                <tr>
                  <th scope="col">awork user</th>
                  <th scope="col">Personio ID</th>
                  <th scope="col">Why</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {report.staleLinks.map((link) => (
                  <tr>
                    <td>{userName(link.userId)}</td>
                    <td>{link.personioPersonId}</td>
                    <td>
                      {link.reason ? unmatchedReasonInWords(link.reason) : 'the person no longer exists in Personio'}
                    </td>
                    <td>
                      <UnlinkButton
                        api={api}
                        personioPersonId={link.personioPersonId}
                        label={`Remove the stale link of ${userName(link.userId)}`}
                        onDone={changed}
                        onError={onLinkError}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <table class="list" data-list="unmatched-awork">
            <caption>awork users without a Personio person ({report.unmatchedAwork.length})</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail in awork</th>
              </tr>
            </thead>
            <tbody>
              {report.unmatchedAwork.map((user) => (
                <tr>
                  <td>{user.name}</td>
                  <td>{user.email}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <table class="list" data-list="matched">
            <caption>Matched users ({report.matched.length})</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Personio ID</th>
                <th scope="col">Matched by</th>
              </tr>
            </thead>
            <tbody>
              {report.matched.map((entry) => (
                <tr>
                  <td>{entry.name}</td>
                  <td>{entry.email}</td>
                  <td>{entry.personioPersonId}</td>
                  <td>
                    {entry.matchedBy === 'link' ? (
                      <>
                        linked by hand{' '}
                        <UnlinkButton
                          api={api}
                          personioPersonId={entry.personioPersonId}
                          label={`Remove the link of ${entry.name}`}
                          onDone={changed}
                          onError={onLinkError}
                        />
                      </>
                    ) : (
                      'e-mail'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={props.onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}

function LinkControl(props: {
  api: ApiClient;
  person: UnmatchedPersonioPerson;
  users: User[];
  onDone: () => void;
  onError: (error: ApiError) => string | null;
}) {
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = `link-${props.person.personioPersonId}`;
  const who = props.person.name ?? props.person.email ?? `person ${props.person.personioPersonId}`;
  return (
    <form
      class="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!userId) return;
        setError(null);
        props.api
          .put(`/integrations/personio/links/${encodeURIComponent(props.person.personioPersonId)}`, { userId })
          .then(props.onDone, (caught: ApiError) => setError(props.onError(caught)));
      }}
    >
      <label for={id} class="visually-hidden">
        Link {who} to an awork user
      </label>
      <select
        id={id}
        value={userId}
        onChange={(event) => setUserId(event.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        <option value="">Choose a user…</option>
        {props.users.map((user) => (
          <option value={user.id}>
            {user.name} ({user.email})
          </option>
        ))}
      </select>
      <button type="submit" disabled={!userId} aria-label={`Link ${who}`}>
        Link
      </button>
      {error && <ErrorText id={`${id}-error`}>{error}</ErrorText>}
    </form>
  );
}

function UnlinkButton(props: {
  api: ApiClient;
  personioPersonId: string;
  label: string;
  onDone: () => void;
  onError: (error: ApiError) => string | null;
}) {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        class="link-button"
        aria-label={props.label}
        onClick={() =>
          props.api
            .delete(`/integrations/personio/links/${encodeURIComponent(props.personioPersonId)}`)
            .then(props.onDone, (caught: ApiError) => setError(props.onError(caught)))
        }
      >
        Remove link
      </button>
      {error && <ErrorText>{error}</ErrorText>}
    </>
  );
}
