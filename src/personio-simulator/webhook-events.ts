import { SimAbsencePeriod, SimPerson, SimWebhookEnvelope, SimWebhookEventName } from './simulator.types';

/**
 * The events Personio fires for a change of one absence period (PERSONIO_API.md §8): created,
 * deleted, time range changed, status changed. Comment and type edits fire nothing, which is why
 * the app still needs its periodic full sync.
 */
export function absencePeriodChangeEvents(
  before: SimAbsencePeriod | undefined,
  after: SimAbsencePeriod | undefined,
): SimWebhookEventName[] {
  if (!before && !after) return [];
  if (!before) return ['absence-period.created'];
  if (!after) return ['absence-period.deleted'];
  const events: SimWebhookEventName[] = [];
  if (
    boundaryKey(before.startsFrom) !== boundaryKey(after.startsFrom) ||
    boundaryKey(before.endsAt) !== boundaryKey(after.endsAt)
  )
    events.push('absence-period.updated.timerange');
  if (before.approvalStatus !== after.approvalStatus) events.push('absence-period.updated.status');
  return events;
}

/** person.created / person.deleted, and person.updated when anything but `updatedAt` changed. */
export function personChangeEvents(before: SimPerson | undefined, after: SimPerson | undefined): SimWebhookEventName[] {
  if (!before && !after) return [];
  if (!before) return ['person.created'];
  if (!after) return ['person.deleted'];
  const fields = (person: SimPerson) => JSON.stringify({ ...person, updatedAt: undefined });
  return fields(before) === fields(after) ? [] : ['person.updated'];
}

export function webhookEnvelope(
  companyId: string,
  eventName: SimWebhookEventName,
  resourceId: string,
  occurredAt: string,
): SimWebhookEnvelope {
  const payload = eventName.startsWith('person.')
    ? { person: { id: resourceId } }
    : { 'absence-period': { id: resourceId } };
  return { company_id: companyId, event_name: eventName, occurred_at: occurredAt, payload, meta: {} };
}

function boundaryKey(boundary: { dateTime: string; type: string } | null): string {
  return boundary === null ? 'open' : `${boundary.dateTime}/${boundary.type}`;
}
