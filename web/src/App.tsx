import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, ApiError } from './api/api-client';
import type { Me, Workspace } from './api/types';
import { TokenStore } from './auth/token-store';
import { SignIn } from './auth/SignIn';
import { TeamCalendar } from './calendar/TeamCalendar';
import { PersonioSettings } from './settings/PersonioSettings';

type View = 'calendar' | 'settings';

interface Session {
  api: ApiClient;
  me: Me;
  workspace: Workspace;
}

export function App({ tokens }: { tokens: TokenStore }) {
  const [token, setToken] = useState<string | null>(() => tokens.initial());
  const [session, setSession] = useState<Session | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [view, setView] = useState<View>('calendar');

  const signOut = (reason: string | null = null) => {
    tokens.clear();
    setToken(null);
    setSession(null);
    setSignInError(reason);
  };
  const api = useMemo(
    () => (token ? new ApiClient(token, () => signOut('The token was not accepted: paste a valid API token.')) : null),
    [token],
  );

  useEffect(() => {
    if (!api) return;
    let current = true;
    Promise.all([api.get<Me>('/users/me'), api.get<Workspace>('/workspace')]).then(
      ([me, workspace]) => current && setSession({ api, me, workspace }),
      (error: ApiError) => current && error.status !== 401 && signOut(`Signing in failed: ${error.message}`),
    );
    return () => (current = false);
  }, [api]);

  if (!token)
    return (
      <SignIn
        error={signInError}
        onToken={(value) => {
          tokens.save(value);
          setSignInError(null);
          setToken(value);
        }}
      />
    );
  if (!session)
    return (
      <main class="page">
        <p role="status">Signing in…</p>
      </main>
    );

  const isAdmin = session.me.role === 'admin';
  const shown: View = isAdmin ? view : 'calendar';
  return (
    <>
      <header class="top">
        <span class="brand">
          awork <span class="muted">· {session.workspace.name}</span>
        </span>
        <nav aria-label="Main">
          <button
            type="button"
            aria-current={shown === 'calendar' ? 'page' : undefined}
            onClick={() => setView('calendar')}
          >
            Team calendar
          </button>
          {isAdmin && (
            <button
              type="button"
              aria-current={shown === 'settings' ? 'page' : undefined}
              onClick={() => setView('settings')}
            >
              Settings
            </button>
          )}
        </nav>
        <span class="who">
          {session.me.name} <span class="muted">({session.me.role})</span>
          <button type="button" class="link-button" onClick={() => signOut()}>
            Sign out
          </button>
        </span>
      </header>
      <main class="page">
        {shown === 'calendar' ? (
          <TeamCalendar api={session.api} me={session.me} workspace={session.workspace} />
        ) : (
          <PersonioSettings api={session.api} workspace={session.workspace} />
        )}
      </main>
    </>
  );
}
