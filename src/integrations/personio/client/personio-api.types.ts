// Our own plain types for what we read from Personio. Nothing above the client sees Personio JSON.

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
