import {
  ListedAbsencePeriod,
  PersonioAbsenceBoundary,
  PersonioAbsencePeriod,
  PersonioAbsenceType,
  PersonioHalf,
  PersonioPerson,
  PersonioWebhook,
} from './personio-api.types';

/** Thrown for an item without the fields nothing can work without (ids, start). */
export class MalformedPersonioItemError extends Error {}

type JsonObject = Record<string, unknown>;

export function toPersonioPerson(raw: unknown): PersonioPerson {
  const item = requireObject(raw, 'person');
  return {
    id: requireId(item.id, 'person.id'),
    email: nonBlankString(item.email),
    firstName: optionalString(item.first_name),
    lastName: optionalString(item.last_name),
    preferredName: optionalString(item.preferred_name),
    status: optionalString(item.status),
  };
}

export function toPersonioAbsenceType(raw: unknown): PersonioAbsenceType {
  const item = requireObject(raw, 'absence type');
  return {
    id: requireId(item.id, 'absence_type.id'),
    name: optionalString(item.name) ?? '',
    category: optionalString(item.category),
    unit: optionalString(item.unit),
  };
}

export function toPersonioAbsencePeriod(raw: unknown): PersonioAbsencePeriod {
  const item = requireObject(raw, 'absence period');
  const startsFrom = toBoundary(item.starts_from, 'FIRST_HALF');
  if (!startsFrom) throw new MalformedPersonioItemError('absence period without starts_from.date_time');
  return {
    id: requireId(item.id, 'absence_period.id'),
    personId: requireId(asObject(item.person)?.id ?? item.person_id, 'absence_period.person.id'),
    absenceTypeId: optionalId(asObject(item.absence_type)?.id ?? item.absence_type_id),
    startsFrom,
    endsAt: toEnd(item.ends_at),
    timezoneId: optionalString(item.timezone_id),
    comment: optionalString(item.comment),
    approvalStatus: optionalString(asObject(item.approval)?.status) ?? optionalString(item.status),
    updatedAt: optionalString(item.updated_at),
  };
}

export function toPersonioWebhook(raw: unknown): PersonioWebhook {
  const item = requireObject(raw, 'webhook');
  const events = item.enabled_events;
  return {
    id: requireId(item.id, 'webhook.id'),
    url: optionalString(item.url),
    description: optionalString(item.description),
    enabledEvents: Array.isArray(events) ? events.filter((event): event is string => typeof event === 'string') : [],
    status: optionalString(item.status),
    authType: optionalString(item.auth_type),
  };
}

/**
 * One listed item; an item the sync cannot work with comes back marked malformed instead of
 * failing the whole listing, so one bad record never blocks a workspace.
 */
export function toListedAbsencePeriod(raw: unknown): ListedAbsencePeriod {
  try {
    return toPersonioAbsencePeriod(raw);
  } catch (error) {
    if (!(error instanceof MalformedPersonioItemError)) throw error;
    return { malformed: true, id: optionalId(asObject(raw)?.id), reason: error.message };
  }
}

/**
 * null only for an end Personio leaves open (`ends_at` null or absent, or its `date_time` null). An
 * end that is there but unreadable (a bare string, an empty or non-string date_time) is malformed:
 * read as open, it would stretch the absence to the end of the window.
 */
function toEnd(raw: unknown): PersonioAbsenceBoundary | null {
  if (raw === null || raw === undefined) return null;
  const boundary = asObject(raw);
  if (boundary?.date_time === null) return null;
  const end = toBoundary(raw, 'SECOND_HALF');
  if (!end) throw new MalformedPersonioItemError(`absence period with an unreadable ends_at ${excerpt(raw)}`);
  return end;
}

function excerpt(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function toBoundary(raw: unknown, defaultHalf: PersonioHalf): PersonioAbsenceBoundary | null {
  const boundary = asObject(raw);
  const dateTime = optionalString(boundary?.date_time);
  if (!boundary || !dateTime) return null;
  const type = boundary.type === 'FIRST_HALF' || boundary.type === 'SECOND_HALF' ? boundary.type : defaultHalf;
  return { dateTime, type };
}

function asObject(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}

function requireObject(value: unknown, what: string): JsonObject {
  const object = asObject(value);
  if (!object) throw new MalformedPersonioItemError(`${what} is not an object`);
  return object;
}

function optionalId(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function requireId(value: unknown, what: string): string {
  const id = optionalId(value);
  if (id === null) throw new MalformedPersonioItemError(`${what} is missing`);
  return id;
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function nonBlankString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
