export const PERSONS_READ_SCOPE = 'personio:persons:read';
export const ABSENCES_READ_SCOPE = 'personio:absences:read';
export const WEBHOOKS_READ_SCOPE = 'personio:webhooks:read';
export const WEBHOOKS_WRITE_SCOPE = 'personio:webhooks:write';
export const ALL_SCOPES: readonly string[] = [
  PERSONS_READ_SCOPE,
  ABSENCES_READ_SCOPE,
  WEBHOOKS_READ_SCOPE,
  WEBHOOKS_WRITE_SCOPE,
];

/** The events the simulator sends (PERSONIO_API.md §8); the only ones a subscription may enable. */
export const SIM_WEBHOOK_EVENTS = [
  'absence-period.created',
  'absence-period.updated.timerange',
  'absence-period.updated.status',
  'absence-period.deleted',
  'person.created',
  'person.updated',
  'person.deleted',
] as const;
export type SimWebhookEventName = (typeof SIM_WEBHOOK_EVENTS)[number];
export type SimWebhookStatus = 'ENABLED' | 'DISABLED';
export type SimWebhookAuthType = 'TOKEN' | 'NONE';

export type SimPersonStatus = 'ACTIVE' | 'INACTIVE';
export type SimHalf = 'FIRST_HALF' | 'SECOND_HALF';
/** Personio's units (PERSONIO_API.md §4). */
export type SimAbsenceUnit = 'DAY' | 'HOUR';

export interface SimPerson {
  /** Numeric string, like Personio's v1 employee id. */
  id: string;
  /** `undefined` = the key is missing from the JSON; `null` = sent as null. */
  email?: string | null;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  status: SimPersonStatus;
  createdAt: string;
  updatedAt: string;
}

export interface SimAbsenceType {
  id: string;
  name: string;
  /** Upper-case like Personio's (`PAID_VACATION`, `SICK_LEAVE`, ...), or null. */
  category: string | null;
  unit: SimAbsenceUnit;
}

export interface SimAbsenceBoundary {
  /** Local wall-clock `YYYY-MM-DDTHH:mm:ss`, no offset. */
  dateTime: string;
  type: SimHalf;
}

export interface SimAbsencePeriod {
  id: string;
  personId: string;
  absenceTypeId: string;
  startsFrom: SimAbsenceBoundary;
  endsAt: SimAbsenceBoundary | null;
  timezoneId: string;
  comment: string | null;
  /** APPROVED, PENDING, REJECTED, CANCELLED, DELETION_PENDING, or anything else a test wants to throw at a client. */
  approvalStatus: string;
  createdAt: string;
  updatedAt: string;
  /**
   * JSON fields sent instead of the generated ones, for tests that throw odd shapes at a client:
   * `{ id: null }`, a `Z`-suffixed `starts_from` without `type`, ... Filters still use the fields above.
   */
  wire?: Record<string, unknown>;
}

/**
 * Whether an open-ended period (ends_at null) matches `ends_at.date_time.gte`, which Personio does
 * not document: `lenient` (default) = it does, `strict` = it does not.
 */
export type SimOpenEndFilterReading = 'lenient' | 'strict';

export interface SimCredential {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export interface SimCompanyData {
  persons: SimPerson[];
  absenceTypes: SimAbsenceType[];
  absencePeriods: SimAbsencePeriod[];
}

export interface SimCompanySummary {
  id: string;
  name: string;
  credentials: SimCredential[];
  persons: number;
  absenceTypes: number;
  absencePeriods: number;
  webhooks: number;
  openEndFilter: SimOpenEndFilterReading;
}

export interface SimWebhook {
  id: string;
  url: string;
  description: string | null;
  enabledEvents: SimWebhookEventName[];
  /** Personio's default is DISABLED: a subscription that does not ask to be enabled receives nothing. */
  status: SimWebhookStatus;
  authType: SimWebhookAuthType;
  /** Sent verbatim in `Authorization`; never served back by the API. */
  token: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The JSON body of one delivery: ids only ("dataless"), no event id. */
export interface SimWebhookEnvelope {
  company_id: string;
  event_name: SimWebhookEventName;
  occurred_at: string;
  payload: { 'absence-period': { id: string } } | { person: { id: string } };
  meta: Record<string, unknown>;
}

export type SimDeliveryOutcome = 'delivered' | 'retrying' | 'failed';

/** One delivery attempt, as the simulator logged it. */
export interface SimWebhookDelivery {
  /** Increases with every attempt, across companies. */
  sequence: number;
  companyId: string;
  webhookId: string;
  url: string;
  eventName: SimWebhookEventName;
  resourceId: string;
  occurredAt: string;
  /** 1, or 2 for the second copy the duplicate-delivery fault sends. */
  copy: number;
  /** 1-based; attempt n > 1 is a retry. */
  attempt: number;
  /** The receiver's HTTP status; null when none arrived (timeout, connection error). */
  status: number | null;
  /** `timeout` or the socket error code when no status arrived. */
  error: string | null;
  /** delivered = 2xx; retrying = a retry is scheduled; failed = not retried (4xx, 501) or retries used up. */
  outcome: SimDeliveryOutcome;
  envelope: SimWebhookEnvelope;
}

/** Which deliveries `whenDelivered` / `whenDeliveryAttempt` wait for; omitted fields match any. */
export interface SimDeliveryFilter {
  companyId?: string;
  webhookId?: string;
  eventName?: SimWebhookEventName;
  resourceId?: string;
  outcome?: SimDeliveryOutcome;
  /** Only attempts logged after this sequence number (e.g. the last one seen before a change). */
  afterSequence?: number;
}
