import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient, ApiError } from '../api/api-client';
import type { Absence, Me, User, Workspace } from '../api/types';
import { ErrorText } from '../components/Alert';
import { PersonioIcon } from '../components/PersonioIcon';
import { DayPart, halvesByUserAndDay } from './absence-halves';
import { AbsenceDialog, AbsenceDialogState, absenceDaysInWords } from './AbsenceDialog';
import { addDays, daysFrom, isoWeekday, longDay, mondayOf, shortDay, todayIn, weekdayInitial } from './calendar-days';

const WEEKS = 6;
const PAGE_SIZE = 1000;

async function absencesBetween(api: ApiClient, from: string, to: string): Promise<Absence[]> {
  const all: Absence[] = [];
  for (let page = 1; ; page++) {
    const batch = await api.get<Absence[]>(`/absences?from=${from}&to=${to}&page=${page}&pageSize=${PAGE_SIZE}`);
    all.push(...batch);
    if (batch.length < PAGE_SIZE) return all;
  }
}

const byName = (a: User, b: User) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email);

/** Users × the next six weeks. Members see their own row (the API returns only their absences). */
export function TeamCalendar(props: { api: ApiClient; me: Me; workspace: Workspace }) {
  const { api, me } = props;
  const isAdmin = me.role === 'admin';
  const today = todayIn(props.workspace.timeZone);
  const [firstDay, setFirstDay] = useState(() => mondayOf(today));
  const days = useMemo(() => daysFrom(firstDay, WEEKS * 7), [firstDay]);
  const lastDay = days[days.length - 1];
  const [users, setUsers] = useState<User[]>(isAdmin ? [] : [me]);
  const [absences, setAbsences] = useState<Absence[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<AbsenceDialogState | null>(null);
  const [anchor, setAnchor] = useState<{ userId: string; day: string } | null>(null);
  const [active, setActive] = useState('0:0');
  const [reloads, setReloads] = useState(0);
  const table = useRef<HTMLTableElement>(null);

  useEffect(() => {
    if (isAdmin)
      api.get<User[]>('/users').then(
        (list) => setUsers([...list].sort(byName)),
        (e: ApiError) => setError(e.message),
      );
  }, [api, isAdmin]);
  useEffect(() => {
    let current = true;
    absencesBetween(api, firstDay, lastDay).then(
      (list) => current && (setAbsences(list), setError(null)),
      (e: ApiError) => current && setError(`The absences could not be loaded: ${e.message}`),
    );
    return () => (current = false);
  }, [api, firstDay, lastDay, reloads]);

  const halves = useMemo(() => halvesByUserAndDay(absences ?? [], firstDay, lastDay), [absences, firstDay, lastDay]);
  const userName = (userId: string) => users.find((user) => user.id === userId)?.name ?? '';

  // Picking days: the first pick marks a day, the second (the same day, or a later or earlier one in the same row) opens the form.
  const pick = (userId: string, day: string) => {
    if (anchor && anchor.userId === userId) {
      const [startOn, endOn] = anchor.day <= day ? [anchor.day, day] : [day, anchor.day];
      setDialog({ kind: 'new', userId, startOn, endOn });
      return;
    }
    setAnchor({ userId, day });
  };

  // Arrow keys move between cells; only the active cell is in the Tab order (a roving tabindex).
  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
    };
    const move = moves[event.key];
    const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-cell]');
    if (!move || !cell) return;
    const [row, col] = cell.dataset.cell!.split(':').map(Number);
    const next = `${Math.min(Math.max(row + move[0], 0), users.length - 1)}:${Math.min(Math.max(col + move[1], 0), days.length - 1)}`;
    event.preventDefault();
    setActive(next);
    table.current?.querySelector<HTMLElement>(`[data-cell="${next}"] button`)?.focus();
  };

  const mark = (absence: Absence, part: DayPart, user: User, tabIndex: number) => {
    const label = absence.description ?? 'Absence';
    const when = absenceDaysInWords(absence);
    if (absence.externalProvider === 'personio')
      return (
        <button
          type="button"
          tabIndex={tabIndex}
          class={`absence personio ${part}`}
          data-part={part}
          data-absence-id={absence.id}
          title={`${label} · managed in Personio`}
          aria-label={`${label}, ${user.name}, ${when}, managed in Personio`}
          onClick={() => setDialog({ kind: 'personio', absence })}
        >
          <PersonioIcon title="From Personio" />
        </button>
      );
    return (
      <button
        type="button"
        tabIndex={tabIndex}
        class={`absence manual ${part}`}
        data-part={part}
        data-absence-id={absence.id}
        title={label}
        aria-label={`Edit absence: ${label}, ${user.name}, ${when}`}
        onClick={() => setDialog({ kind: 'edit', absence })}
      />
    );
  };

  const cell = (user: User, day: string, row: number, col: number) => {
    const tabIndex = active === `${row}:${col}` ? 0 : -1;
    const dayHalves = halves.get(user.id)?.get(day);
    const picked = anchor?.userId === user.id && anchor.day === day;
    if (!dayHalves)
      return (
        <button
          type="button"
          tabIndex={tabIndex}
          class={picked ? 'pick picked' : 'pick'}
          aria-label={`Add absence for ${user.name} on ${longDay(day)}`}
          aria-pressed={picked}
          onClick={() => pick(user.id, day)}
        />
      );
    if (dayHalves.morning && dayHalves.morning === dayHalves.afternoon)
      return mark(dayHalves.morning, 'full', user, tabIndex);
    return (
      <>
        {dayHalves.morning ? mark(dayHalves.morning, 'morning', user, tabIndex) : <span class="free morning" />}
        {dayHalves.afternoon ? mark(dayHalves.afternoon, 'afternoon', user, tabIndex) : <span class="free afternoon" />}
      </>
    );
  };

  const weekStarts = days.filter((day) => isoWeekday(day) === 1);
  return (
    <section aria-labelledby="calendar-title">
      <div class="toolbar">
        <h1 id="calendar-title">Team calendar</h1>
        <div class="actions">
          <button type="button" onClick={() => setFirstDay(addDays(firstDay, -7 * WEEKS))}>
            Previous 6 weeks
          </button>
          <button type="button" onClick={() => setFirstDay(mondayOf(today))}>
            This week
          </button>
          <button type="button" onClick={() => setFirstDay(addDays(firstDay, 7 * WEEKS))}>
            Next 6 weeks
          </button>
          <button
            type="button"
            class="primary"
            onClick={() => setDialog({ kind: 'new', userId: me.id, startOn: today, endOn: today })}
          >
            New absence
          </button>
        </div>
      </div>
      <p class="muted">
        {isAdmin ? 'Everyone in the workspace' : 'Your own absences'}, {longDay(firstDay)} – {longDay(lastDay)}. To add
        an absence, pick its first free day and then its last (the same day again for one day). Arrow keys move between
        days. Violet with <PersonioIcon /> : managed in Personio (read-only); teal: manual.
      </p>
      {anchor && !dialog && (
        <p class="picking" role="status">
          Picked {longDay(anchor.day)} for {userName(anchor.userId)}: now pick the last day.{' '}
          <button type="button" class="link-button" onClick={() => setAnchor(null)}>
            Cancel picking
          </button>
        </p>
      )}
      {error && <ErrorText>{error}</ErrorText>}
      {absences === null && !error && <p role="status">Loading absences…</p>}
      <div class="grid-scroll">
        <table
          ref={table}
          class="calendar"
          aria-label={`Absences from ${longDay(firstDay)} to ${longDay(lastDay)}`}
          onKeyDown={onKeyDown}
        >
          <thead>
            <tr>
              <td />
              {weekStarts.map((monday) => (
                <th scope="colgroup" colSpan={7} class="week">
                  Week of {shortDay(monday)}
                </th>
              ))}
            </tr>
            <tr>
              <th scope="col" class="person">
                Person
              </th>
              {days.map((day) => (
                <th
                  scope="col"
                  class={`day ${isoWeekday(day) >= 6 ? 'weekend' : ''} ${day === today ? 'today' : ''}`}
                  title={longDay(day)}
                >
                  <span aria-hidden="true">
                    {weekdayInitial(day)}
                    <br />
                    {Number(day.slice(8))}
                  </span>
                  <span class="visually-hidden">{longDay(day)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {users.map((user, row) => (
              <tr data-user-id={user.id}>
                <th scope="row" class="person">
                  {user.name}
                </th>
                {days.map((day, col) => (
                  <td
                    data-cell={`${row}:${col}`}
                    data-day={day}
                    class={`day ${isoWeekday(day) >= 6 ? 'weekend' : ''} ${day === today ? 'today' : ''}`}
                    onFocusCapture={() => setActive(`${row}:${col}`)}
                  >
                    {cell(user, day, row, col)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {dialog && (
        <AbsenceDialog
          state={dialog}
          api={api}
          users={users}
          canChooseUser={isAdmin}
          onClose={() => {
            setDialog(null);
            setAnchor(null);
          }}
          onSaved={() => {
            setDialog(null);
            setAnchor(null);
            setReloads((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}
