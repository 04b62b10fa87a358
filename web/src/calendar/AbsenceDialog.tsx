import { useId, useState } from 'preact/hooks';
import { ApiClient, ApiError } from '../api/api-client';
import type { Absence, User } from '../api/types';
import { ErrorText } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { PersonioIcon } from '../components/PersonioIcon';
import { AbsenceDates, datesOf, halfDayFlags, HalfDayChoice } from './absence-halves';
import { longDay } from './calendar-days';

export type AbsenceDialogState =
  | { kind: 'new'; userId: string; startOn: string; endOn: string }
  | { kind: 'edit'; absence: Absence }
  | { kind: 'personio'; absence: Absence };

type Field = 'userId' | 'startOn' | 'endOn' | 'description' | 'form';

function errorField(error: ApiError): Field {
  if (error.status === 400) {
    if (/\buserId\b/.test(error.message)) return 'userId';
    if (/\bendOn\b/.test(error.message)) return 'endOn';
    if (/\bstartOn\b/.test(error.message)) return 'startOn';
    if (/\bdescription\b/.test(error.message)) return 'description';
  }
  return 'form';
}

/** Words for the days an absence covers, with its half days. */
export function absenceDaysInWords(
  absence: Pick<Absence, 'startOn' | 'endOn' | 'isHalfDayOnStart' | 'isHalfDayOnEnd'>,
) {
  if (absence.startOn === absence.endOn) {
    const part = absence.isHalfDayOnStart ? ' (morning)' : absence.isHalfDayOnEnd ? ' (afternoon)' : '';
    return `${longDay(absence.startOn)}${part}`;
  }
  const from = `${longDay(absence.startOn)}${absence.isHalfDayOnStart ? ' from midday' : ''}`;
  const to = `${longDay(absence.endOn)}${absence.isHalfDayOnEnd ? ' until midday' : ''}`;
  return `${from} – ${to}`;
}

export function AbsenceDialog(props: {
  state: AbsenceDialogState;
  api: ApiClient;
  users: User[];
  canChooseUser: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { state } = props;
  const userName = (userId: string) => props.users.find((user) => user.id === userId)?.name ?? 'Unknown user';

  if (state.kind === 'personio') {
    const { absence } = state;
    return (
      <Dialog title="Absence from Personio" onClose={props.onClose}>
        <dl class="facts">
          <dt>Person</dt>
          <dd>{userName(absence.userId)}</dd>
          <dt>Days</dt>
          <dd>{absenceDaysInWords(absence)}</dd>
          <dt>Description</dt>
          <dd>{absence.description ?? <span class="muted">Details hidden</span>}</dd>
        </dl>
        <p class="managed-hint">
          <PersonioIcon /> Managed in Personio: change or cancel it there, and the sync brings the change here. It
          cannot be edited or deleted in awork.
        </p>
      </Dialog>
    );
  }
  return <ManualAbsenceForm {...props} state={state} userName={userName} />;
}

function ManualAbsenceForm(props: {
  state: Exclude<AbsenceDialogState, { kind: 'personio' }>;
  api: ApiClient;
  users: User[];
  canChooseUser: boolean;
  onClose: () => void;
  onSaved: () => void;
  userName: (userId: string) => string;
}) {
  const { state } = props;
  const editing = state.kind === 'edit' ? state.absence : null;
  const [userId, setUserId] = useState(state.kind === 'edit' ? state.absence.userId : state.userId);
  const [dates, setDates] = useState<AbsenceDates>(
    editing
      ? datesOf(editing)
      : {
          startOn: state.kind === 'new' ? state.startOn : '',
          endOn: state.kind === 'new' ? state.endOn : '',
          singleDay: 'whole',
          startsAtMidday: false,
          endsAtMidday: false,
        },
  );
  const [description, setDescription] = useState(editing?.description ?? '');
  const [error, setError] = useState<{ field: Field; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const errorId = `${id}-error`;
  const fieldError = (field: Field) =>
    error?.field === field ? <ErrorText id={`${errorId}-${field}`}>{error.message}</ErrorText> : null;
  const described = (field: Field) =>
    error?.field === field ? { 'aria-invalid': true, 'aria-describedby': `${errorId}-${field}` } : {};

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      props.onSaved();
    } catch (caught) {
      const apiError = caught as ApiError;
      setError({ field: errorField(apiError), message: apiError.message });
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    run(() => {
      const body = {
        startOn: dates.startOn,
        endOn: dates.endOn,
        ...halfDayFlags(dates),
        description: description.trim() === '' ? null : description.trim(),
      };
      return editing
        ? props.api.patch(`/absences/${editing.id}`, body)
        : props.api.post('/absences', { userId, ...body });
    });

  const single = dates.startOn !== '' && dates.startOn === dates.endOn;
  return (
    <Dialog title={editing ? 'Edit absence' : 'New absence'} onClose={props.onClose}>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        {props.canChooseUser && !editing ? (
          <div class="field">
            <label for={`${id}-user`}>Person</label>
            <select
              id={`${id}-user`}
              value={userId}
              onChange={(event) => setUserId(event.currentTarget.value)}
              {...described('userId')}
            >
              {props.users.map((user) => (
                <option value={user.id}>{user.name}</option>
              ))}
            </select>
            {fieldError('userId')}
          </div>
        ) : (
          <p>
            <span class="muted">Person:</span> {props.userName(userId)}
          </p>
        )}
        <div class="field-row">
          <div class="field">
            <label for={`${id}-start`}>First day</label>
            <input
              id={`${id}-start`}
              type="date"
              required
              value={dates.startOn}
              onInput={(event) => {
                const startOn = event.currentTarget.value;
                setDates((current) => ({
                  ...current,
                  startOn,
                  endOn: current.endOn < startOn ? startOn : current.endOn,
                }));
              }}
              {...described('startOn')}
            />
            {fieldError('startOn')}
          </div>
          <div class="field">
            <label for={`${id}-end`}>Last day</label>
            <input
              id={`${id}-end`}
              type="date"
              required
              value={dates.endOn}
              onInput={(event) => setDates({ ...dates, endOn: event.currentTarget.value })}
              {...described('endOn')}
            />
            {fieldError('endOn')}
          </div>
        </div>
        {single ? (
          <div class="field">
            <label for={`${id}-part`}>Part of the day</label>
            <select
              id={`${id}-part`}
              value={dates.singleDay}
              onChange={(event) => setDates({ ...dates, singleDay: event.currentTarget.value as HalfDayChoice })}
            >
              <option value="whole">Whole day</option>
              <option value="morning">Morning only</option>
              <option value="afternoon">Afternoon only</option>
            </select>
          </div>
        ) : (
          <fieldset class="field">
            <legend>Half days</legend>
            <label class="check">
              <input
                type="checkbox"
                checked={dates.startsAtMidday}
                onChange={(event) => setDates({ ...dates, startsAtMidday: event.currentTarget.checked })}
              />
              Starts at midday of the first day
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={dates.endsAtMidday}
                onChange={(event) => setDates({ ...dates, endsAtMidday: event.currentTarget.checked })}
              />
              Ends at midday of the last day
            </label>
          </fieldset>
        )}
        <div class="field">
          <label for={`${id}-description`}>Description (optional)</label>
          <input
            id={`${id}-description`}
            type="text"
            autoFocus
            maxLength={1000}
            value={description}
            onInput={(event) => setDescription(event.currentTarget.value)}
            {...described('description')}
          />
          {fieldError('description')}
        </div>
        {fieldError('form')}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {editing ? 'Save changes' : 'Add absence'}
          </button>
          {editing && (
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() => void run(() => props.api.delete(`/absences/${editing.id}`))}
            >
              Delete absence
            </button>
          )}
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
