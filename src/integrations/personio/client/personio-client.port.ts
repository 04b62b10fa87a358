import {
  AbsencePeriodFilter,
  DateRange,
  ListedAbsencePeriod,
  PersonioAbsenceType,
  PersonioCredentials,
  PersonioPerson,
  PersonioWebhook,
  PersonioWebhookSubscription,
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
  /** Absence periods matching these date filters (one partition of a window), every page to the last. */
  abstract listAbsencePeriodsMatching(
    credentials: PersonioCredentials,
    filter: AbsencePeriodFilter,
  ): AsyncIterable<ListedAbsencePeriod[]>;
  /** One absence period by id (`GET /v2/absence-periods/{id}`); null when Personio answers 404 (deleted). */
  abstract getAbsencePeriod(credentials: PersonioCredentials, id: string): Promise<ListedAbsencePeriod | null>;
  /**
   * The absence periods with these ids, through the list's `id` filter (≤ 100 ids a request), every
   * page of every chunk; an id missing from the answer no longer exists. Any failed or incomplete
   * fetch throws: never a partial result.
   */
  abstract listAbsencePeriodsByIds(
    credentials: PersonioCredentials,
    ids: readonly string[],
  ): Promise<ListedAbsencePeriod[]>;
  /** Subscribes `status: ENABLED`, `auth_type: TOKEN` (Personio's default status is DISABLED). */
  abstract createWebhook(
    credentials: PersonioCredentials,
    subscription: PersonioWebhookSubscription,
  ): Promise<{ id: string }>;
  /** null only when Personio answers 404 naming a missing resource; every other failure throws. */
  abstract getWebhook(credentials: PersonioCredentials, id: string): Promise<PersonioWebhook | null>;
  /** false when Personio answers 404 (already gone). */
  abstract deleteWebhook(credentials: PersonioCredentials, id: string): Promise<boolean>;
}
