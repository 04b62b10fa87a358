import { maxNesting } from '../../../common/http/json-body';
import { ReceivedEvent } from './webhook-event.store';

const MAX_NESTING = 32;
const MAX_FIELD_LENGTH = 100;
const MAX_RESOURCE_ID_LENGTH = 200;

export type ParsedEnvelope =
  { kind: 'event'; event: ReceivedEvent } | { kind: 'ignored' } | { kind: 'invalid'; reason: string };

export const isAbsenceEvent = (eventName: string) => eventName.startsWith('absence-period.');
export const isPersonEvent = (eventName: string) => eventName.startsWith('person.');

/**
 * Personio's envelope `{company_id, event_name, occurred_at, payload}` (PERSONIO_API.md §8). The
 * absence id comes in either spelling; person payloads are undocumented, so their id is optional.
 * Events of other kinds (employment.*) are acknowledged and ignored.
 */
export function parseWebhookEnvelope(text: string): ParsedEnvelope {
  if (maxNesting(text, MAX_NESTING) > MAX_NESTING) return invalid('body nests too deep');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return invalid('body is not JSON');
  }
  if (!isObject(body)) return invalid('body must be a JSON object');
  const { company_id: companyId, event_name: eventName, occurred_at: occurredAt, payload } = body;
  if (typeof companyId !== 'string' && typeof companyId !== 'number') return invalid('company_id is missing');
  if (!isText(eventName)) return invalid('event_name must be a non-empty string of at most 100 characters');
  if (!isText(occurredAt)) return invalid('occurred_at must be a non-empty string of at most 100 characters');
  if (!isObject(payload)) return invalid('payload must be an object');
  if (isAbsenceEvent(eventName)) {
    const id = idOf(payload['absence-period']) ?? idOf(payload['absence_period']);
    if (id === null) return invalid('payload["absence-period"].id is missing');
    return { kind: 'event', event: { eventName, resourceId: id, occurredAt } };
  }
  if (isPersonEvent(eventName)) {
    const id = idOf(payload.person) ?? '';
    return { kind: 'event', event: { eventName, resourceId: id, occurredAt } };
  }
  return { kind: 'ignored' };
}

function idOf(value: unknown): string | null {
  if (!isObject(value)) return null;
  const id = typeof value.id === 'number' && Number.isFinite(value.id) ? String(value.id) : value.id;
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_RESOURCE_ID_LENGTH && !id.includes('\u0000')
    ? id
    : null;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_FIELD_LENGTH && !value.includes('\u0000');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(reason: string): ParsedEnvelope {
  return { kind: 'invalid', reason };
}
