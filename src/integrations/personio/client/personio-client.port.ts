import {
  DateRange,
  ListedAbsencePeriod,
  PersonioAbsenceType,
  PersonioCredentials,
  PersonioPerson,
} from './personio-api.types';

/**
 * The port the sync and setup code talk to. Every listing is an async stream of pages that
 * either reaches the last page or throws a PersonioError: a short list is never returned.
 */
export abstract class PersonioClient {
  /** Token, then one page of persons and of absence periods, so a missing scope is caught. */
  abstract verifyCredentials(credentials: PersonioCredentials): Promise<void>;
  abstract listPersons(credentials: PersonioCredentials): AsyncIterable<PersonioPerson[]>;
  abstract listAbsenceTypes(credentials: PersonioCredentials): AsyncIterable<PersonioAbsenceType[]>;
  /** Absence periods overlapping the inclusive date range; unreadable items come marked malformed. */
  abstract listAbsencePeriods(credentials: PersonioCredentials, range: DateRange): AsyncIterable<ListedAbsencePeriod[]>;
  /** One absence period by id (`GET /v2/absence-periods/{id}`); null when Personio answers 404 (deleted). */
  abstract getAbsencePeriod(credentials: PersonioCredentials, id: string): Promise<ListedAbsencePeriod | null>;
}
