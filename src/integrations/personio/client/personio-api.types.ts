// Our own plain types for what we read from Personio. Nothing above the client sees Personio JSON.

/**
 * The date filters of one absence-period listing, offset-less local date-times (`YYYY-MM-DDTHH:mm:ss`).
 * Personio matches periods that overlap what the filters describe (PERSONIO_API.md §3).
 */
export interface AbsencePeriodFilter {
  startsFromGte?: string;
  startsFromLte?: string;
  endsAtGte?: string;
}

export interface PersonioCredentials {
  clientId: string;
  clientSecret: string;
}

export interface PersonioPerson {
  id: string;
  /** As HR typed it (any case, maybe padded); null when missing or not readable. */
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  preferredName: string | null;
  status: string | null;
}

export interface PersonioAbsenceType {
  id: string;
  name: string;
  category: string | null;
  unit: string | null;
}

export type PersonioHalf = 'FIRST_HALF' | 'SECOND_HALF';

export interface PersonioAbsenceBoundary {
  /** Local wall-clock time as sent, e.g. `2026-06-10T00:00:00` (a `Z` or offset may trail it). */
  dateTime: string;
  /** A boundary sent without `type` gets the whole-day default. */
  type: PersonioHalf;
}

export interface PersonioAbsencePeriod {
  id: string;
  personId: string;
  absenceTypeId: string | null;
  startsFrom: PersonioAbsenceBoundary;
  /** null = open-ended. */
  endsAt: PersonioAbsenceBoundary | null;
  timezoneId: string | null;
  comment: string | null;
  /** APPROVED, PENDING, REJECTED, DELETION_PENDING, ... (unknown values are kept as given); null when missing. */
  approvalStatus: string | null;
  updatedAt: string | null;
}

/** A listed item that cannot be read as an absence period: the sync counts it as invalid and moves on. */
export interface MalformedPersonioAbsencePeriod {
  malformed: true;
  /** The item's id when it has a usable one, so a copy transferred earlier is kept. */
  id: string | null;
  reason: string;
}

export type ListedAbsencePeriod = PersonioAbsencePeriod | MalformedPersonioAbsencePeriod;

export function isMalformedPeriod(item: ListedAbsencePeriod): item is MalformedPersonioAbsencePeriod {
  return 'malformed' in item;
}

/** Inclusive calendar dates `YYYY-MM-DD`. */
export interface DateRange {
  start: string;
  end: string;
}

/** What `createWebhook` subscribes; the client always asks for `status: ENABLED` and `auth_type: TOKEN`. */
export interface PersonioWebhookSubscription {
  /** Where Personio POSTs the events (HTTPS in production). */
  url: string;
  description: string;
  enabledEvents: readonly string[];
  /** Personio sends it verbatim in `Authorization` with every delivery. */
  token: string;
}

/** A subscription as Personio reports it (the token is not part of it). */
export interface PersonioWebhook {
  id: string;
  url: string | null;
  description: string | null;
  enabledEvents: string[];
  /** ENABLED or DISABLED (kept as given); null when missing. */
  status: string | null;
  authType: string | null;
}
