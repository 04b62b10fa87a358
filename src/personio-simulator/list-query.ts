import { SimAbsencePeriod, SimAbsenceType, SimOpenEndFilterReading, SimPerson, SimWebhook } from './simulator.types';

/** A query Personio would answer with 400 "Provided request parameters are invalid." */
export class InvalidQueryError extends Error {}

export interface ListQuery<T> {
  limit: number;
  cursor: PageCursor | null;
  matches: (item: T) => boolean;
}

export interface PageCursor {
  afterId: string;
  /** 1-based number of the page this cursor opens (page 1 has no cursor). */
  page: number;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ a: cursor.afterId, p: cursor.page })).toString('base64url');
}

export function decodeCursor(raw: string): PageCursor {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { a?: unknown; p?: unknown };
    if (typeof parsed.a === 'string' && typeof parsed.p === 'number') return { afterId: parsed.a, page: parsed.p };
  } catch {
    // fall through to the 400 below
  }
  throw new InvalidQueryError('cursor is not a valid cursor');
}

export function parsePersonsQuery(params: URLSearchParams): ListQuery<SimPerson> {
  const reader = new QueryReader(params, [
    'id',
    'email',
    'status',
    'updated_at.gt',
    'updated_at.gte',
    'updated_at.lt',
    'updated_at.lte',
  ]);
  const ids = reader.list('id');
  const emails = reader.list('email');
  const status = reader.one('status');
  if (status !== null && status !== 'ACTIVE' && status !== 'INACTIVE')
    throw new InvalidQueryError('status must be ACTIVE or INACTIVE');
  const updated = reader.instantBounds();
  return {
    ...reader.paging(50, 10),
    matches: (person) =>
      (ids === null || ids.has(person.id)) &&
      (emails === null || (typeof person.email === 'string' && emails.has(person.email))) &&
      (status === null || person.status === status) &&
      updated(person.updatedAt),
  };
}

export function parseAbsenceTypesQuery(params: URLSearchParams): ListQuery<SimAbsenceType> {
  const reader = new QueryReader(params, ['id']);
  const ids = reader.list('id');
  return { ...reader.paging(100, 100), matches: (type) => ids === null || ids.has(type.id) };
}

/** `GET /v2/webhooks`: `limit` up to 200, cursor paging, no filters. */
export function parseWebhooksQuery(params: URLSearchParams): ListQuery<SimWebhook> {
  const reader = new QueryReader(params, []);
  return { ...reader.paging(200, 50), matches: () => true };
}

/** The most ids one `id` filter on absence periods may carry (PRODUCT.md §7). */
export const MAX_ABSENCE_PERIOD_IDS = 100;

export function parseAbsencePeriodsQuery(
  params: URLSearchParams,
  openEndFilter: SimOpenEndFilterReading = 'lenient',
): ListQuery<SimAbsencePeriod> {
  const reader = new QueryReader(params, [
    'id',
    'person.id',
    'absence_type.id',
    'starts_from.date_time.gte',
    'starts_from.date_time.lte',
    'ends_at.date_time.gte',
    'ends_at.date_time.lte',
    'updated_at.gte',
    'updated_at.lte',
  ]);
  const ids = reader.list('id');
  if (ids !== null && ids.size > MAX_ABSENCE_PERIOD_IDS)
    throw new InvalidQueryError(`id takes at most ${MAX_ABSENCE_PERIOD_IDS} ids`);
  const personIds = reader.list('person.id');
  const typeIds = reader.list('absence_type.id');
  const overlaps = overlapMatcher(
    [reader.localDateTime('starts_from.date_time.gte'), reader.localDateTime('ends_at.date_time.gte')],
    [reader.localDateTime('starts_from.date_time.lte'), reader.localDateTime('ends_at.date_time.lte')],
  );
  const updated = reader.instantBounds();
  // The strict reading: a null end is not "greater than or equal to" anything.
  const dropsOpenEnds = openEndFilter === 'strict' && params.has('ends_at.date_time.gte');
  return {
    ...reader.paging(100, 100),
    matches: (period) =>
      (ids === null || ids.has(period.id)) &&
      (personIds === null || personIds.has(period.personId)) &&
      (typeIds === null || typeIds.has(period.absenceTypeId)) &&
      overlaps(period) &&
      !(dropsOpenEnds && period.endsAt === null) &&
      updated(period.updatedAt),
  };
}

/**
 * Personio's date filters select periods that OVERLAP the window they describe: every `.gte`
 * bounds the window from below, every `.lte` from above, whichever field it is put on. An
 * open-ended period (ends_at null) runs forever. Bounds are inclusive.
 */
export function overlapMatcher(
  lowerBounds: Array<string | null>,
  upperBounds: Array<string | null>,
): (period: SimAbsencePeriod) => boolean {
  const lower =
    lowerBounds
      .filter((b): b is string => b !== null)
      .sort()
      .at(-1) ?? null;
  const upper = upperBounds.filter((b): b is string => b !== null).sort()[0] ?? null;
  if (lower === null && upper === null) return () => true;
  return (period) => {
    // Stored date-times are normalized on write, so string order is time order.
    if (upper !== null && period.startsFrom.dateTime > upper) return false;
    if (lower !== null && period.endsAt !== null && period.endsAt.dateTime < lower) return false;
    return true;
  };
}

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?(?:\.\d+)?)?$/;

export function normalizeLocalDateTime(value: string): string {
  const match = LOCAL_DATE_TIME.exec(value);
  if (!match) throw new InvalidQueryError(`"${value}" is not a local date-time (YYYY-MM-DDTHH:mm:ss, no offset)`);
  return `${match[1]}T${match[2] ?? '00:00'}${match[3] ?? ':00'}`;
}

class QueryReader {
  constructor(
    private readonly params: URLSearchParams,
    filters: string[],
  ) {
    const known = new Set(['limit', 'cursor', ...filters]);
    for (const key of params.keys()) {
      if (!known.has(key)) throw new InvalidQueryError(`unknown query parameter "${key}"`);
    }
  }

  paging(maxLimit: number, defaultLimit: number): { limit: number; cursor: PageCursor | null } {
    const rawLimit = this.one('limit');
    let limit = defaultLimit;
    if (rawLimit !== null) {
      if (!/^\d+$/.test(rawLimit)) throw new InvalidQueryError('limit must be an integer');
      limit = Number(rawLimit);
      if (limit < 1 || limit > maxLimit) throw new InvalidQueryError(`limit must be between 1 and ${maxLimit}`);
    }
    const rawCursor = this.one('cursor');
    return { limit, cursor: rawCursor === null ? null : decodeCursor(rawCursor) };
  }

  one(name: string): string | null {
    const values = this.params.getAll(name);
    if (values.length > 1) throw new InvalidQueryError(`${name} given more than once`);
    return values[0] ?? null;
  }

  list(name: string): Set<string> | null {
    const raw = this.one(name);
    if (raw === null) return null;
    const values = raw.split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) throw new InvalidQueryError(`${name} contains an empty value`);
    return new Set(values);
  }

  localDateTime(name: string): string | null {
    const raw = this.one(name);
    return raw === null ? null : normalizeLocalDateTime(raw);
  }

  instantBounds(): (isoInstant: string) => boolean {
    const bound = (name: string) => {
      const raw = this.one(name);
      if (raw === null) return null;
      const millis = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(raw) ? raw : `${raw}Z`);
      if (Number.isNaN(millis)) throw new InvalidQueryError(`${name} is not a date-time`);
      return millis;
    };
    const gt = bound('updated_at.gt');
    const gte = bound('updated_at.gte');
    const lt = bound('updated_at.lt');
    const lte = bound('updated_at.lte');
    if (gt === null && gte === null && lt === null && lte === null) return () => true;
    return (isoInstant) => {
      const t = Date.parse(isoInstant);
      return (
        (gt === null || t > gt) && (gte === null || t >= gte) && (lt === null || t < lt) && (lte === null || t <= lte)
      );
    };
  }
}
