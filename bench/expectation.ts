import type { DesiredAbsence } from '../src/integrations/awork-host.types';
import type { SimAbsencePeriod, SimAbsenceType } from '../src/personio-simulator';

/** One awork absence as the bench expects it (the port's shape), computed without the app's mapping code. */
export type ExpectedRow = Omit<DesiredAbsence, 'openEnded'>;

export interface DbRow extends ExpectedRow {
  id: string;
  updatedOn: string;
}

export interface Window {
  start: string;
  end: string;
}

/**
 * The product rules restated from PRODUCT.md, independently of src/: approved periods of matched
 * persons overlapping the window; day units end at the exclusive midnight, hour units use the
 * times for the half-day flags; open ends run to the window's end; a single day that starts and
 * ends at midday is malformed and left out.
 */
export function expectedRows(
  periods: readonly SimAbsencePeriod[],
  types: readonly SimAbsenceType[],
  userIdByPersonId: ReadonlyMap<string, string>,
  window: Window,
): Map<string, ExpectedRow> {
  const typeName = new Map(types.map((type) => [type.id, type.name]));
  const rows = new Map<string, ExpectedRow>();
  for (const period of periods) {
    if (period.approvalStatus !== 'APPROVED' && period.approvalStatus !== 'DELETION_PENDING') continue;
    const userId = userIdByPersonId.get(period.personId);
    if (!userId) continue;
    const startOn = period.startsFrom.dateTime.slice(0, 10);
    const startTime = period.startsFrom.dateTime.slice(11, 19);
    let endOn: string;
    let isHalfDayOnStart: boolean;
    let isHalfDayOnEnd: boolean;
    let times: string | null = null;
    if (period.endsAt === null) {
      if (startOn > window.end) continue;
      endOn = window.end;
      isHalfDayOnStart = startTime === '00:00:00' ? period.startsFrom.type === 'SECOND_HALF' : startTime >= '12:00:00';
      isHalfDayOnEnd = false;
    } else {
      const endDate = period.endsAt.dateTime.slice(0, 10);
      const endTime = period.endsAt.dateTime.slice(11, 19);
      endOn = endTime === '00:00:00' ? previousDay(endDate) : endDate;
      if (startTime === '00:00:00' && endTime === '00:00:00') {
        isHalfDayOnStart = period.startsFrom.type === 'SECOND_HALF';
        isHalfDayOnEnd = period.endsAt.type === 'FIRST_HALF';
      } else {
        isHalfDayOnStart = startTime >= '12:00:00';
        isHalfDayOnEnd = endTime !== '00:00:00' && endTime <= '12:00:00';
        times = `${startTime.slice(0, 5)}\u2013${endTime.slice(0, 5)}`;
      }
    }
    // One day that starts at midday and ends at midday is empty: malformed, never transferred (PRODUCT.md §3).
    if (startOn === endOn && isHalfDayOnStart && isHalfDayOnEnd) continue;
    // awork's single-day flags: isHalfDayOnStart = the morning, isHalfDayOnEnd = the afternoon.
    if (startOn === endOn) [isHalfDayOnStart, isHalfDayOnEnd] = [isHalfDayOnEnd, isHalfDayOnStart];
    // Both halves of one day (an afternoon start and a morning end on the same day) cannot be stored: awork
    // refuses it and the sync counts the item invalid (README, "Half days").
    if (startOn === endOn && isHalfDayOnStart && isHalfDayOnEnd) continue;
    if (!(startOn <= window.end && endOn >= window.start)) continue;
    const label = (typeName.get(period.absenceTypeId)?.trim() || 'Absence') + (times ? ` (${times})` : '');
    const comment = period.comment?.trim() ?? '';
    rows.set(period.id, {
      externalId: period.id,
      userId,
      startOn,
      endOn,
      isHalfDayOnStart,
      isHalfDayOnEnd,
      description: comment === '' ? label : `${label}: ${comment}`,
    });
  }
  return rows;
}

export function previousDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

export function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

const FIELDS = ['userId', 'startOn', 'endOn', 'isHalfDayOnStart', 'isHalfDayOnEnd', 'description'] as const;

/** Differences between the database and the expectation, as readable lines (empty = equal). */
export function compareWithExpectation(
  db: ReadonlyMap<string, DbRow>,
  expected: ReadonlyMap<string, ExpectedRow>,
  limit = 5,
): string[] {
  const problems: string[] = [];
  let missing = 0;
  let extra = 0;
  let different = 0;
  for (const [externalId, want] of expected) {
    const have = db.get(externalId);
    if (!have) {
      if (missing++ < limit) problems.push(`missing in DB: ${externalId}`);
      continue;
    }
    const field = FIELDS.find((name) => have[name] !== want[name]);
    if (field && different++ < limit)
      problems.push(
        `${externalId}.${field}: DB ${JSON.stringify(have[field])} != expected ${JSON.stringify(want[field])}`,
      );
  }
  for (const externalId of db.keys())
    if (!expected.has(externalId) && extra++ < limit) problems.push(`unexpected in DB: ${externalId}`);
  if (missing + extra + different > 0)
    problems.unshift(
      `DB has ${db.size} rows, expected ${expected.size}: ${missing} missing, ${extra} extra, ${different} different`,
    );
  return problems;
}

/** What changed between two snapshots of the table, by row id (any field or updated_on). */
export function diffSnapshots(
  before: ReadonlyMap<string, DbRow>,
  after: ReadonlyMap<string, DbRow>,
): { inserted: number; updated: number; deleted: number } {
  const beforeById = new Map([...before.values()].map((row) => [row.id, row]));
  const afterIds = new Set<string>();
  let inserted = 0;
  let updated = 0;
  for (const row of after.values()) {
    afterIds.add(row.id);
    const old = beforeById.get(row.id);
    if (!old) inserted++;
    else if (row.updatedOn !== old.updatedOn || FIELDS.some((name) => row[name] !== old[name])) updated++;
  }
  let deleted = 0;
  for (const id of beforeById.keys()) if (!afterIds.has(id)) deleted++;
  return { inserted, updated, deleted };
}
