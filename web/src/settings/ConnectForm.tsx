import { useId, useState } from 'preact/hooks';
import { ApiClient, ApiError } from '../api/api-client';
import type { PersonioStatus } from '../api/types';
import { ErrorText } from '../components/Alert';
import { ConnectField, connectErrorField } from './personio-wording';

/** Client ID, client secret and the hide-details switch; PUT /integrations/personio checks them with Personio first. */
export function ConnectForm(props: {
  api: ApiClient;
  initialClientId?: string;
  initialHideDetails?: boolean;
  submitLabel: string;
  onConnected: (status: PersonioStatus) => void;
  onCancel?: () => void;
}) {
  const [clientId, setClientId] = useState(props.initialClientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [hide, setHide] = useState(props.initialHideDetails ?? false);
  const [error, setError] = useState<{ field: ConnectField; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const errorIdOf = (field: ConnectField) => `${id}-${field}-error`;
  const errorAt = (field: ConnectField) =>
    error?.field === field ? <ErrorText id={errorIdOf(field)}>{error.message}</ErrorText> : null;
  const invalid = (field: ConnectField) =>
    error?.field === field ? { 'aria-invalid': true as const, 'aria-describedby': errorIdOf(field) } : {};

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const status = await props.api.put<PersonioStatus>('/integrations/personio', {
        clientId: clientId.trim(),
        clientSecret,
        hideAbsenceDetails: hide,
      });
      setClientSecret('');
      props.onConnected(status);
    } catch (caught) {
      const apiError = caught as ApiError;
      setError({ field: connectErrorField(apiError.status, apiError.message), message: apiError.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="stack connect-form"
      aria-label="Personio credentials"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p class="muted">
        Create an API credential in Personio (Settings › Integrations › API credentials) with read access to persons and
        absences, then paste its client ID and secret here. They are checked with Personio before anything is saved; the
        secret is stored encrypted and never shown again.
      </p>
      <div class="field">
        <label for={`${id}-client-id`}>Client ID</label>
        <input
          id={`${id}-client-id`}
          type="text"
          autocomplete="off"
          spellcheck={false}
          required
          maxLength={200}
          value={clientId}
          onInput={(event) => setClientId(event.currentTarget.value)}
          {...invalid('clientId')}
        />
        {errorAt('clientId')}
      </div>
      <div class="field">
        <label for={`${id}-client-secret`}>Client secret</label>
        <input
          id={`${id}-client-secret`}
          type="password"
          autocomplete="off"
          required
          maxLength={500}
          value={clientSecret}
          onInput={(event) => setClientSecret(event.currentTarget.value)}
          {...invalid('clientSecret')}
        />
        {errorAt('clientSecret')}
      </div>
      <div class="field">
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            checked={hide}
            onChange={(event) => setHide(event.currentTarget.checked)}
            aria-describedby={`${id}-hide-help`}
            {...invalid('hideAbsenceDetails')}
          />
          Hide absence details
        </label>
        <p id={`${id}-hide-help`} class="muted small">
          When on, awork shows only that someone is absent: neither the absence type nor the comment is transferred.
        </p>
        {errorAt('hideAbsenceDetails')}
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Checking with Personio…' : props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
      {errorAt('form')}
    </form>
  );
}
