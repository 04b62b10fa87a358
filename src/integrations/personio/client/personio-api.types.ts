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
  /** Local wall-clock time without offset, e.g. `2026-06-10T00:00:00`. */
  dateTime: string;
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
  /** APPROVED, PENDING, REJECTED, DELETION_PENDING, ... (unknown values are kept as given). */
  approvalStatus: string;
  updatedAt: string | null;
}

/** Inclusive calendar dates `YYYY-MM-DD`. */
export interface DateRange {
  start: string;
  end: string;
}
