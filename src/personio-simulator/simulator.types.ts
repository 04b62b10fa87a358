export const PERSONS_READ_SCOPE = 'personio:persons:read';
export const ABSENCES_READ_SCOPE = 'personio:absences:read';
export const ALL_SCOPES: readonly string[] = [PERSONS_READ_SCOPE, ABSENCES_READ_SCOPE];

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
  openEndFilter: SimOpenEndFilterReading;
}
