/**
 * The events the integration subscribes to (PRODUCT.md §7): the four absence-period events and the
 * three person events. Comment and type edits fire none; the hourly sync repairs those.
 */
export const PERSONIO_WEBHOOK_EVENTS = [
  'absence-period.created',
  'absence-period.updated.timerange',
  'absence-period.updated.status',
  'absence-period.deleted',
  'person.created',
  'person.updated',
  'person.deleted',
] as const;

export type PersonioWebhookEvent = (typeof PERSONIO_WEBHOOK_EVENTS)[number];
