import { useEffect, useState } from 'preact/hooks';
import { ApiClient, ApiError } from '../api/api-client';
import type { User } from '../api/types';
import { ErrorText, NotAvailable, StatusText } from '../components/Alert';
import { absenceDaysInWords } from '../calendar/AbsenceDialog';
import {
  AbsenceTypeChoice,
  absenceTypesOf,
  AdminNotification,
  DuplicatePair,
  duplicatesOf,
  notificationsOf,
} from './admin-control-shapes';
import { instant } from './personio-wording';

type Loaded<T> =
  { state: 'loading' } | { state: 'missing' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

/** GETs a route of issue 15; a 404 for the route itself means this server does not have it yet. */
function useOptionalRoute<T>(api: ApiClient, path: string, read: (body: unknown) => T, reloads: number): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    api.get<unknown>(path).then(
      (body) => current && setLoaded({ state: 'ready', value: read(body) }),
      (caught: ApiError) =>
        current && setLoaded(caught.missingRoute ? { state: 'missing' } : { state: 'error', message: caught.message }),
    );
    return () => (current = false);
  }, [api, path, reloads]);
  return loaded;
}

export function AbsenceTypesSection(props: { api: ApiClient; onChanged: () => void }) {
  const [reloads, setReloads] = useState(0);
  const loaded = useOptionalRoute(props.api, '/integrations/personio/absence-types', absenceTypesOf, reloads);
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (loaded.state === 'ready')
      setChosen(Object.fromEntries(loaded.value.map((type) => [type.id, type.transferred])));
  }, [loaded]);

  const save = (types: AbsenceTypeChoice[]) => {
    setMessage(null);
    const excludedAbsenceTypeIds = types.filter((type) => !chosen[type.id]).map((type) => type.id);
    props.api.patch('/integrations/personio', { excludedAbsenceTypeIds }).then(
      () => {
        setMessage({ ok: true, text: 'Saved. A sync has started and applies the choice.' });
        setReloads((n) => n + 1);
        props.onChanged();
      },
      (caught: ApiError) => setMessage({ ok: false, text: caught.message }),
    );
  };

  return (
    <section class="card" aria-labelledby="absence-types-title">
      <h2 id="absence-types-title">Absence types</h2>
      {loaded.state === 'loading' && <p role="status">Asking Personio…</p>}
      {loaded.state === 'missing' && <NotAvailable what="Choosing the absence types" />}
      {loaded.state === 'error' && <ErrorText>{loaded.message}</ErrorText>}
      {loaded.state === 'ready' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save(loaded.value);
          }}
        >
          <fieldset>
            <legend>Transfer these absence types to awork</legend>
            <p class="muted small">
              Types left out (home office, say) do not mark anyone absent; copies transferred earlier are removed.
            </p>
            {loaded.value.map((type) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={chosen[type.id] ?? type.transferred}
                  onChange={(event) => setChosen({ ...chosen, [type.id]: event.currentTarget.checked })}
                />
                {type.name}
              </label>
            ))}
          </fieldset>
          <button type="submit">Save absence types</button>
          {message && (message.ok ? <StatusText>{message.text}</StatusText> : <ErrorText>{message.text}</ErrorText>)}
        </form>
      )}
    </section>
  );
}

export function DuplicatesSection(props: { api: ApiClient; users: User[]; reloads: number; onChanged: () => void }) {
  const [reloads, setReloads] = useState(0);
  const loaded = useOptionalRoute(
    props.api,
    '/integrations/personio/duplicates',
    duplicatesOf,
    reloads + props.reloads,
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const userName = (userId: string) => props.users.find((user) => user.id === userId)?.name ?? userId;

  const resolve = (ids: string[]) => {
    setMessage(null);
    props.api.post('/integrations/personio/duplicates/resolve', { absenceIds: ids }).then(
      () => {
        setMessage({ ok: true, text: `Removed ${ids.length} manual ${ids.length === 1 ? 'absence' : 'absences'}.` });
        setSelected(new Set());
        setReloads((n) => n + 1);
        props.onChanged();
      },
      (caught: ApiError) => setMessage({ ok: false, text: caught.message }),
    );
  };

  const pairs: DuplicatePair[] = loaded.state === 'ready' ? loaded.value : [];
  return (
    <section class="card" aria-labelledby="duplicates-title">
      <h2 id="duplicates-title">Manual duplicates</h2>
      {loaded.state === 'loading' && <p role="status">Looking for duplicates…</p>}
      {loaded.state === 'missing' && <NotAvailable what="The list of manual duplicates" />}
      {loaded.state === 'error' && <ErrorText>{loaded.message}</ErrorText>}
      {loaded.state === 'ready' && pairs.length === 0 && <p>No manual absence duplicates one from Personio.</p>}
      {loaded.state === 'ready' && pairs.length > 0 && (
        <>
          <p class="muted small">
            Manual absences of matched users that overlap one transferred from Personio. Removing them deletes only the
            manual ones.
          </p>
          <table class="list">
            <caption class="visually-hidden">Manual absences that duplicate absences from Personio</caption>
            <thead>
              <tr>
                <th scope="col">Remove</th>
                <th scope="col">Person</th>
                <th scope="col">Manual absence</th>
                <th scope="col">From Personio</th>
              </tr>
            </thead>
            <tbody>
              {pairs.map(({ manual, transferred }) => (
                <tr>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Remove the manual absence of ${userName(manual.userId)}, ${absenceDaysInWords(manual)}`}
                      checked={selected.has(manual.id)}
                      onChange={(event) => {
                        const next = new Set(selected);
                        if (event.currentTarget.checked) next.add(manual.id);
                        else next.delete(manual.id);
                        setSelected(next);
                      }}
                    />
                  </td>
                  <td>{userName(manual.userId)}</td>
                  <td>
                    {absenceDaysInWords(manual)}
                    {manual.description ? ` · ${manual.description}` : ''}
                  </td>
                  <td>
                    {transferred
                      ? `${absenceDaysInWords(transferred)}${transferred.description ? ` · ${transferred.description}` : ''}`
                      : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="actions">
            <button type="button" disabled={selected.size === 0} onClick={() => resolve([...selected])}>
              Remove selected duplicates
            </button>
            <button type="button" onClick={() => resolve(pairs.map((pair) => pair.manual.id))}>
              Remove all duplicates
            </button>
          </div>
        </>
      )}
      {message && (message.ok ? <StatusText>{message.text}</StatusText> : <ErrorText>{message.text}</ErrorText>)}
    </section>
  );
}

export function NotificationsSection(props: { api: ApiClient; reloads: number }) {
  const loaded = useOptionalRoute(props.api, '/notifications', notificationsOf, props.reloads);
  const list: AdminNotification[] = loaded.state === 'ready' ? loaded.value : [];
  return (
    <section class="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications for admins</h2>
      {loaded.state === 'loading' && <p role="status">Loading notifications…</p>}
      {loaded.state === 'missing' && <NotAvailable what="The list of notifications for admins" />}
      {loaded.state === 'error' && <ErrorText>{loaded.message}</ErrorText>}
      {loaded.state === 'ready' && list.length === 0 && <p>No notifications.</p>}
      {list.length > 0 && (
        <ul class="notifications" aria-label="Notifications, newest first">
          {list.map((notification) => (
            <li>
              <span class="muted small">{instant(notification.at)}</span>
              {notification.title && <strong> {notification.title}</strong>}
              <p>{notification.message}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
