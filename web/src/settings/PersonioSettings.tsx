import { useEffect, useState } from 'preact/hooks';
import { ApiClient, ApiError } from '../api/api-client';
import type { PersonioStatus, SyncRun, User, Workspace } from '../api/types';
import { ErrorText, StatusText } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { AbsenceTypesSection, DuplicatesSection, NotificationsSection } from './AdminControls';
import { ConnectForm } from './ConnectForm';
import { MatchedUsersDialog } from './MatchedUsersDialog';
import {
  ELIGIBLE_PLANS,
  instant,
  planName,
  runCounts,
  STATUS_IN_WORDS,
  TRIGGER_IN_WORDS,
  WEBHOOKS_IN_WORDS,
} from './personio-wording';

type Connection = { state: 'loading' } | { state: 'disconnected' } | { state: 'connected'; status: PersonioStatus };

const POLL_MS = 1500;

/** Settings › Integrations › Personio (admins). */
export function PersonioSettings(props: { api: ApiClient; workspace: Workspace }) {
  const { api, workspace } = props;
  const [connection, setConnection] = useState<Connection>({ state: 'loading' });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [showUsers, setShowUsers] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const [disconnecting, setDisconnecting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const refresh = () => setReloads((n) => n + 1);

  useEffect(() => {
    api.get<User[]>('/users').then(setUsers, () => undefined);
  }, [api]);
  useEffect(() => {
    let current = true;
    api.get<PersonioStatus>('/integrations/personio').then(
      (status) => current && (setConnection({ state: 'connected', status }), setLoadError(null)),
      (caught: ApiError) => {
        if (!current) return;
        if (caught.status === 404 && !caught.missingRoute) setConnection({ state: 'disconnected' });
        else setLoadError(`The integration could not be loaded: ${caught.message}`);
      },
    );
    return () => (current = false);
  }, [api, reloads]);

  // The first sync runs in the background after saving: follow it until it has finished.
  const status = connection.state === 'connected' ? connection.status : null;
  const syncPending =
    status !== null && status.status === 'active' && (!status.lastRun || status.lastRun.status === 'running');
  useEffect(() => {
    if (!syncPending) return;
    const timer = setTimeout(refresh, POLL_MS);
    return () => clearTimeout(timer);
  }, [syncPending, status]);

  const eligible = ELIGIBLE_PLANS.includes(workspace.plan);
  return (
    <section aria-labelledby="settings-title">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <ol>
          <li>Settings</li>
          <li>Integrations</li>
          <li aria-current="page">Personio</li>
        </ol>
      </nav>
      <h1 id="settings-title">Personio</h1>
      <p class="muted">
        Transfers approved absences from Personio into awork's calendar every hour (and within seconds through
        Personio's webhooks where this server is reachable). Transferred absences are read-only in awork.
      </p>
      {loadError && <ErrorText>{loadError}</ErrorText>}
      {notice && <StatusText>{notice}</StatusText>}
      {connection.state === 'loading' && !loadError && <p role="status">Loading…</p>}

      {connection.state === 'disconnected' &&
        (eligible ? (
          <section class="card" aria-labelledby="connect-title">
            <h2 id="connect-title">Connect Personio</h2>
            <ConnectForm
              api={api}
              submitLabel="Save and connect"
              onConnected={(connected) => {
                setNotice(null);
                setConnection({ state: 'connected', status: connected });
                setShowUsers(true);
              }}
            />
          </section>
        ) : (
          <p class="plan-message" role="status">
            The Personio integration is part of the Business plan and above. This workspace is on the{' '}
            <strong>{planName(workspace.plan)}</strong> plan: upgrade to Business or Enterprise to connect Personio.
          </p>
        ))}

      {status && (
        <>
          <StatusCard
            api={api}
            status={status}
            workspace={workspace}
            onChanged={refresh}
            onStatus={(next) => setConnection({ state: 'connected', status: next })}
            onShowUsers={() => setShowUsers(true)}
          />
          <section class="card" aria-labelledby="credentials-title">
            <h2 id="credentials-title">Credentials</h2>
            <p>
              Client ID <code>{status.clientId}</code>; the secret is stored encrypted.
            </p>
            {replacing || status.status === 'needs_reauth' ? (
              <ConnectForm
                api={api}
                initialClientId={status.clientId}
                initialHideDetails={status.hideAbsenceDetails}
                submitLabel="Save new credentials"
                onCancel={status.status === 'needs_reauth' ? undefined : () => setReplacing(false)}
                onConnected={(connected) => {
                  setReplacing(false);
                  setConnection({ state: 'connected', status: connected });
                  setShowUsers(true);
                }}
              />
            ) : (
              <button type="button" onClick={() => setReplacing(true)}>
                Replace credentials
              </button>
            )}
          </section>
          <RunHistory api={api} lastRunId={status.lastRun?.id ?? null} reloads={reloads} />
          <AbsenceTypesSection api={api} onChanged={refresh} />
          <DuplicatesSection api={api} users={users} reloads={reloads} onChanged={refresh} />
          <NotificationsSection api={api} reloads={reloads} />
          <section class="card danger-zone" aria-labelledby="disconnect-title">
            <h2 id="disconnect-title">Disconnect</h2>
            <button type="button" class="danger" onClick={() => setDisconnecting(true)}>
              Disconnect Personio…
            </button>
          </section>
        </>
      )}

      {showUsers && (
        <MatchedUsersDialog api={api} users={users} onClose={() => setShowUsers(false)} onLinked={refresh} />
      )}
      {disconnecting && (
        <DisconnectDialog
          api={api}
          onClose={() => setDisconnecting(false)}
          onDisconnected={(keptAbsences) => {
            setDisconnecting(false);
            setConnection({ state: 'disconnected' });
            setNotice(
              keptAbsences
                ? 'Personio is disconnected. The absences it transferred stay as ordinary manual absences.'
                : 'Personio is disconnected and the absences it transferred are removed.',
            );
          }}
        />
      )}
    </section>
  );
}

function StatusCard(props: {
  api: ApiClient;
  status: PersonioStatus;
  workspace: Workspace;
  onChanged: () => void;
  onStatus: (status: PersonioStatus) => void;
  onShowUsers: () => void;
}) {
  const { api, status } = props;
  const [sync, setSync] = useState<{ busy: boolean; ok?: string; error?: string }>({ busy: false });
  const [hideError, setHideError] = useState<string | null>(null);
  const [hideSaved, setHideSaved] = useState<string | null>(null);
  const run = status.lastRun;

  const syncNow = () => {
    setSync({ busy: true });
    api.post<SyncRun>('/integrations/personio/sync').then(
      (finished) => {
        setSync({
          busy: false,
          ok: `Sync ${finished.status === 'succeeded' ? 'finished' : 'failed'}: ${runCounts(finished)}${finished.error ? `. ${finished.error}` : ''}`,
        });
        props.onChanged();
      },
      (caught: ApiError) =>
        setSync({
          busy: false,
          // 409 also answers "needs new credentials" or a paused plan: only "already running" is said in our words.
          error:
            caught.status === 409 && /already running/i.test(caught.message)
              ? 'A sync is already running for this workspace; its result shows here when it ends.'
              : caught.message,
        }),
    );
  };
  const setHide = (hideAbsenceDetails: boolean) => {
    setHideError(null);
    setHideSaved(null);
    api.patch<PersonioStatus>('/integrations/personio', { hideAbsenceDetails }).then(
      (next) => {
        props.onStatus(next);
        setHideSaved(
          hideAbsenceDetails
            ? 'Details hidden: types and comments are removed from the transferred absences now.'
            : 'Details shown again: the next sync brings types and comments back.',
        );
      },
      (caught: ApiError) => setHideError(caught.message),
    );
  };

  return (
    <section class="card status-card" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      {status.status === 'plan_inactive' && (
        <p class="plan-message" role="status">
          Syncing is paused: the Personio integration is part of the Business plan and above, and this workspace is on
          the <strong>{planName(props.workspace.plan)}</strong> plan. Transferred absences stay read-only; you can still
          disconnect.
        </p>
      )}
      <dl class="facts">
        <dt>Status</dt>
        <dd data-field="status">
          <span class={`badge ${status.status}`}>{STATUS_IN_WORDS[status.status]}</span>
          {status.lastError && <span class="error-inline"> {status.lastError}</span>}
        </dd>
        <dt>Last run</dt>
        <dd data-field="last-run">
          {run ? (
            <>
              {instant(run.finishedAt ?? run.startedAt)}, {TRIGGER_IN_WORDS[run.trigger]}:{' '}
              {run.status === 'running' ? 'running…' : run.status}
              {run.status !== 'running' && <> · {runCounts(run)}</>}
              {run.error && <span class="error-inline"> · {run.error}</span>}
            </>
          ) : (
            'The first sync is running…'
          )}
        </dd>
        <dt>Next run</dt>
        <dd data-field="next-run">{instant(status.nextRunAt)}</dd>
        <dt>Webhooks</dt>
        <dd data-field="webhooks">
          {WEBHOOKS_IN_WORDS[status.webhooks.state]}
          {status.webhooks.reason && <> · {status.webhooks.reason}</>}
          {status.webhooks.lastEventAt && <> · last event {instant(status.webhooks.lastEventAt)}</>}
        </dd>
      </dl>
      <div class="actions">
        <button type="button" class="primary" disabled={sync.busy} onClick={syncNow}>
          {sync.busy ? 'Syncing…' : 'Sync now'}
        </button>
        <button type="button" onClick={props.onShowUsers}>
          Show matched users
        </button>
      </div>
      {sync.ok && <StatusText>{sync.ok}</StatusText>}
      {sync.error && <ErrorText>{sync.error}</ErrorText>}
      <div class="field">
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            checked={status.hideAbsenceDetails}
            onChange={(event) => setHide(event.currentTarget.checked)}
            aria-describedby="hide-details-help"
          />
          Hide absence details
        </label>
        <p id="hide-details-help" class="muted small">
          When on, awork shows only that someone is absent: neither the absence type nor the comment is transferred.
        </p>
        {hideSaved && <StatusText>{hideSaved}</StatusText>}
        {hideError && <ErrorText>{hideError}</ErrorText>}
      </div>
    </section>
  );
}

function RunHistory(props: { api: ApiClient; lastRunId: string | null; reloads: number }) {
  const [runs, setRuns] = useState<SyncRun[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    props.api
      .get<SyncRun[]>('/integrations/personio/runs?limit=10')
      .then(setRuns, (caught: ApiError) => setError(caught.message));
  }, [props.api, props.lastRunId, props.reloads]);
  return (
    <section class="card" aria-labelledby="runs-title">
      <h2 id="runs-title">Run history</h2>
      {error && <ErrorText>{error}</ErrorText>}
      {runs && runs.length === 0 && <p>No runs yet.</p>}
      {runs && runs.length > 0 && (
        <table class="list runs">
          <caption class="visually-hidden">The last ten runs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Trigger</th>
              <th scope="col">Outcome</th>
              <th scope="col">Counts</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr>
                <td>{instant(run.startedAt)}</td>
                <td>{TRIGGER_IN_WORDS[run.trigger]}</td>
                <td>{run.status}</td>
                <td>{run.status === 'running' ? '' : runCounts(run)}</td>
                <td>{run.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Whether this server's DELETE takes `keepAbsences` (issue 15), read from its own OpenAPI document. */
async function keepAbsencesSupported(): Promise<boolean> {
  const response = await fetch('/api/docs-json', { cache: 'no-store', credentials: 'omit' });
  if (!response.ok) return false;
  const document = (await response.json()) as {
    paths?: Record<string, { delete?: { parameters?: Array<{ name?: string }> } }>;
  };
  const parameters = document.paths?.['/api/v1/integrations/personio']?.delete?.parameters ?? [];
  return parameters.some((parameter) => parameter.name === 'keepAbsences');
}

function DisconnectDialog(props: { api: ApiClient; onClose: () => void; onDisconnected: (kept: boolean) => void }) {
  const [canKeep, setCanKeep] = useState<boolean | null>(null);
  const [keep, setKeep] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    keepAbsencesSupported().then(setCanKeep, () => setCanKeep(false));
  }, []);
  const disconnect = () => {
    setBusy(true);
    setError(null);
    const kept = canKeep === true && keep;
    props.api.delete(`/integrations/personio${kept ? '?keepAbsences=true' : ''}`).then(
      () => props.onDisconnected(kept),
      (caught: ApiError) => {
        setBusy(false);
        setError(caught.message);
      },
    );
  };
  return (
    <Dialog title="Disconnect Personio?" onClose={props.onClose}>
      <p>Disconnecting removes:</p>
      <ul>
        <li>the stored client ID and client secret, and Personio's webhook subscription for this workspace;</li>
        <li>the hourly sync and its settings (hide details, and the links and absence-type choice where set);</li>
        <li>
          {keep && canKeep
            ? 'nothing else: the absences transferred from Personio stay, as ordinary manual absences that anyone allowed can edit.'
            : "every absence transferred from Personio, from everyone's calendar."}
        </li>
      </ul>
      <p>Manual absences are not touched. The run history is removed with the integration.</p>
      {canKeep && (
        <label class="check">
          <input type="checkbox" checked={keep} onChange={(event) => setKeep(event.currentTarget.checked)} />
          Keep the transferred absences as ordinary manual absences
        </label>
      )}
      {canKeep === false && (
        <p class="muted small">Keeping the transferred absences is not available on this server yet.</p>
      )}
      {error && <ErrorText>{error}</ErrorText>}
      <div class="actions">
        <button type="button" class="danger" disabled={busy} onClick={disconnect}>
          Disconnect
        </button>
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
