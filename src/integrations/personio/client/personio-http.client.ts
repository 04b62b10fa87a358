import type { LoggerService } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import axios, { AxiosRequestConfig, AxiosResponse, isAxiosError } from 'axios';
import { firstValueFrom, Observable } from 'rxjs';
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
import { PersonioClient } from './personio-client.port';
import {
  PersonioClientConfig,
  resolvePersonioClientConfig,
  ResolvedPersonioClientConfig,
} from './personio-client.config';
import { PersonioError, PersonioErrorKind } from './personio-error';
import {
  isRetryableCreateFailure,
  isRetryableResourceFailure,
  isRetryableTokenFailure,
  mapResourceFailure,
  mapTokenFailure,
  PersonioFailure,
} from './personio-error.mapper';
import { absencePeriodQuery, wholeRangeFilter } from './absence-period-filter';
import { destroyAgents, personioHttpOptions } from './personio-http.options';
import {
  MalformedPersonioItemError,
  toListedAbsencePeriod,
  toPersonioAbsenceType,
  toPersonioPerson,
  toPersonioWebhook,
} from './personio-response.mapper';
import { CallOutcome, failureOf, PersonioAttempt, PersonioRetryPolicy } from './personio-retry.policy';
import { CachedToken, credentialCacheKey, PersonioTokenCache, tokenExpiry } from './personio-token-cache';
import { PersonioRequestBudget } from './personio-request-budget';
import { parseRetryAfterMs } from './personio-retry-timing';

export const PERSONS_READ_SCOPE = 'personio:persons:read';
export const ABSENCES_READ_SCOPE = 'personio:absences:read';
/** Named in every webhook permission error: the integration both creates and checks its subscription. */
export const WEBHOOKS_WRITE_SCOPE = 'personio:webhooks:write';
/** The most ids Personio's `id` list filter takes in one request. */
export const MAX_IDS_PER_REQUEST = 100;

const FORM: AxiosRequestConfig = { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };

interface AuthorizedRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  /** A JSON body. */
  data?: unknown;
}

export type PersonioClientLogger = Pick<LoggerService, 'log' | 'warn' | 'error' | 'debug'>;

interface ListSpec<T> {
  endpoint: string;
  requiredScope: string;
  query: Record<string, string>;
  toItem: (raw: unknown) => T;
}

/**
 * Personio v2 over HTTP: sends through Nest's `HttpService`, streams pages, and maps every answer to
 * our own types and errors. Tokens are cached by `PersonioTokenCache`; retries are `PersonioRetryPolicy`'s.
 */
export class PersonioHttpClient extends PersonioClient {
  private readonly config: ResolvedPersonioClientConfig;
  private readonly tokens: PersonioTokenCache;
  private readonly retries: PersonioRetryPolicy;
  private readonly now: () => number;
  private readonly baseOrigin: string;
  /** Shared by every request this client sends, per company (client id): the rate limits are Personio's per company. */
  private readonly budget: PersonioRequestBudget | null;

  /** `http` carries `personioHttpOptions(config)` as its defaults (PersonioClientModule, or `create`). */
  constructor(
    private readonly http: HttpService,
    config: PersonioClientConfig,
    private readonly logger?: PersonioClientLogger,
  ) {
    super();
    this.config = resolvePersonioClientConfig(config);
    this.now = config.now ?? Date.now;
    this.tokens = new PersonioTokenCache(this.now);
    this.retries = new PersonioRetryPolicy(this.config.retry, logger, PersonioHttpClient.name);
    this.baseOrigin = new URL(this.config.baseUrl).origin;
    this.budget = config.budget === false ? null : (config.budget ?? new PersonioRequestBudget());
  }

  /** Outside Nest (tests, the bench): the same client over its own `HttpService`, as HttpModule would build it. */
  static create(config: PersonioClientConfig, logger?: PersonioClientLogger): PersonioHttpClient {
    const http = new HttpService(axios.create(personioHttpOptions(resolvePersonioClientConfig(config))));
    return new PersonioHttpClient(http, config, logger);
  }

  async verifyCredentials(credentials: PersonioCredentials): Promise<void> {
    await this.accessToken(credentials);
    await this.fetchPage(credentials, this.url('/v2/persons', { limit: '1' }), 1, {
      endpoint: '/v2/persons',
      requiredScope: PERSONS_READ_SCOPE,
      listing: false,
    });
    await this.fetchPage(credentials, this.url('/v2/absence-periods', { limit: '1' }), 1, {
      endpoint: '/v2/absence-periods',
      requiredScope: ABSENCES_READ_SCOPE,
      listing: false,
    });
  }

  listPersons(credentials: PersonioCredentials): AsyncIterable<PersonioPerson[]> {
    return this.listPages(credentials, {
      endpoint: '/v2/persons',
      requiredScope: PERSONS_READ_SCOPE,
      query: { limit: String(this.config.pageSize.persons) },
      toItem: toPersonioPerson,
    });
  }

  listAbsenceTypes(credentials: PersonioCredentials): AsyncIterable<PersonioAbsenceType[]> {
    return this.listPages(credentials, {
      endpoint: '/v2/absence-types',
      requiredScope: ABSENCES_READ_SCOPE,
      query: { limit: String(this.config.pageSize.absenceTypes) },
      toItem: toPersonioAbsenceType,
    });
  }

  listAbsencePeriods(credentials: PersonioCredentials, range: DateRange): AsyncIterable<ListedAbsencePeriod[]> {
    return this.listAbsencePeriodsMatching(credentials, wholeRangeFilter(range));
  }

  listAbsencePeriodsMatching(
    credentials: PersonioCredentials,
    filter: AbsencePeriodFilter,
  ): AsyncIterable<ListedAbsencePeriod[]> {
    return this.listPages(credentials, {
      endpoint: '/v2/absence-periods',
      requiredScope: ABSENCES_READ_SCOPE,
      query: { limit: String(this.config.pageSize.absencePeriods), ...absencePeriodQuery(filter) },
      toItem: toListedAbsencePeriod,
    });
  }

  async getAbsencePeriod(credentials: PersonioCredentials, id: string): Promise<ListedAbsencePeriod | null> {
    const endpoint = '/v2/absence-periods/{id}';
    const url = this.url(`/v2/absence-periods/${encodeURIComponent(id)}`, {});
    const { outcome, token } = await this.authorized(credentials, { method: 'GET', url }, endpoint, notRetried404);
    const { response } = outcome;
    if (response?.status === 404 && namesMissingResource(response.data)) return null;
    if (response && response.status >= 200 && response.status < 300) {
      const body = asRecord(response.data);
      if (!body) throw this.malformed(endpoint, 1, 'body is not JSON');
      // Whether Personio wraps a single item in `_data` is unverified: bare, wrapped and a
      // one-item list are accepted. Anything that is not the period asked for is a failed fetch,
      // never an answer, because the caller deletes on what it reads here.
      const data = body._data;
      const item = Array.isArray(data) ? (data.length === 1 ? asRecord(data[0]) : null) : (asRecord(data) ?? body);
      const period = item && toListedAbsencePeriod(item);
      if (!period || period.id !== id) throw this.malformed(endpoint, 1, `the answer is not absence period ${id}`);
      return period;
    }
    throw this.scrubbed(
      mapResourceFailure(failureOf(outcome), {
        endpoint,
        requiredScope: ABSENCES_READ_SCOPE,
        listing: false,
        page: 1,
        attempts: outcome.attempts,
      }),
      credentials,
      token.accessToken,
    );
  }

  async listAbsencePeriodsByIds(
    credentials: PersonioCredentials,
    ids: readonly string[],
  ): Promise<ListedAbsencePeriod[]> {
    const wanted = new Set(ids);
    const unique = [...wanted];
    const found: ListedAbsencePeriod[] = [];
    for (let start = 0; start < unique.length; start += MAX_IDS_PER_REQUEST) {
      const chunk = unique.slice(start, start + MAX_IDS_PER_REQUEST);
      const pages = this.listPages(credentials, {
        endpoint: '/v2/absence-periods',
        requiredScope: ABSENCES_READ_SCOPE,
        query: { limit: String(this.config.pageSize.absencePeriods), id: chunk.join(',') },
        toItem: toListedAbsencePeriod,
      });
      for await (const page of pages) {
        for (const item of page) {
          // The caller treats an id it does not get back as deleted: an item it cannot attribute
          // to an id could be any of them, so the whole answer is unusable.
          if (item.id === null)
            throw new PersonioError(
              PersonioErrorKind.Unknown,
              'listing /v2/absence-periods by id: an item without a usable id, so no missing id can be read as deleted',
            );
          if (wanted.has(item.id)) found.push(item);
        }
      }
    }
    return found;
  }

  async createWebhook(
    credentials: PersonioCredentials,
    subscription: PersonioWebhookSubscription,
  ): Promise<{ id: string }> {
    const endpoint = '/v2/webhooks';
    const data = {
      url: subscription.url,
      description: subscription.description,
      enabled_events: [...subscription.enabledEvents],
      // Personio's default is DISABLED: a subscription that does not say ENABLED receives nothing.
      status: 'ENABLED',
      auth_type: 'TOKEN',
      token: subscription.token,
    };
    const { outcome, token } = await this.authorized(
      credentials,
      { method: 'POST', url: this.url(endpoint, {}), data },
      endpoint,
      isRetryableCreateFailure,
    );
    const { response } = outcome;
    if (response && response.status >= 200 && response.status < 300) {
      const id = singleItem(response.data)?.id;
      if (typeof id === 'string' && id !== '') return { id };
      if (typeof id === 'number' && Number.isFinite(id)) return { id: String(id) };
      throw this.malformed(endpoint, 1, 'the created webhook has no id');
    }
    throw this.webhookFailure(outcome, endpoint, credentials, token.accessToken, subscription.token);
  }

  async getWebhook(credentials: PersonioCredentials, id: string): Promise<PersonioWebhook | null> {
    const endpoint = '/v2/webhooks/{id}';
    const url = this.url(`/v2/webhooks/${encodeURIComponent(id)}`, {});
    const { outcome, token } = await this.authorized(credentials, { method: 'GET', url }, endpoint, notRetried404);
    const { response } = outcome;
    // Only a 404 that names a missing resource means gone: the caller recreates the subscription on null.
    if (response?.status === 404 && namesMissingResource(response.data)) return null;
    if (response && response.status >= 200 && response.status < 300) {
      const item = singleItem(response.data);
      let webhook: PersonioWebhook | null = null;
      try {
        webhook = item && toPersonioWebhook(item);
      } catch (error) {
        if (!(error instanceof MalformedPersonioItemError)) throw error;
      }
      if (!webhook || webhook.id !== id) throw this.malformed(endpoint, 1, `the answer is not webhook ${id}`);
      return webhook;
    }
    throw this.webhookFailure(outcome, endpoint, credentials, token.accessToken);
  }

  async deleteWebhook(credentials: PersonioCredentials, id: string): Promise<boolean> {
    const endpoint = '/v2/webhooks/{id}';
    const url = this.url(`/v2/webhooks/${encodeURIComponent(id)}`, {});
    const { outcome, token } = await this.authorized(credentials, { method: 'DELETE', url }, endpoint, notRetried404);
    const { response } = outcome;
    if (response?.status === 404) return false;
    if (response && response.status >= 200 && response.status < 300) return true;
    throw this.webhookFailure(outcome, endpoint, credentials, token.accessToken);
  }

  /** Closes the keep-alive sockets (tests, shutdown). */
  close(): void {
    destroyAgents(this.http);
    this.tokens.clear();
  }

  /** Nest calls this on shutdown for a provider instance, however it was constructed. */
  onModuleDestroy(): void {
    this.close();
  }

  private async *listPages<T>(credentials: PersonioCredentials, spec: ListSpec<T>): AsyncGenerator<T[]> {
    const context = { endpoint: spec.endpoint, requiredScope: spec.requiredScope, listing: true };
    let pending: Promise<Record<string, unknown>> | null = this.fetchPage(
      credentials,
      this.url(spec.endpoint, spec.query),
      1,
      context,
    );
    for (let page = 1; pending !== null; page++) {
      const body: Record<string, unknown> = await pending;
      const data = body._data;
      if (!Array.isArray(data)) throw this.malformed(spec.endpoint, page, 'no _data array');
      let items: T[];
      try {
        items = data.map(spec.toItem);
      } catch (error) {
        if (error instanceof MalformedPersonioItemError) throw this.malformed(spec.endpoint, page, error.message);
        throw error;
      }
      const url = this.nextPageUrl(body, spec.endpoint, page);
      this.logger?.debug?.(
        `personio ${spec.endpoint} page=${page} items=${items.length}${url ? '' : ' last'}`,
        PersonioHttpClient.name,
      );
      // One page ahead: the next request is on the wire while the caller works on this page.
      pending = url === null ? null : this.fetchPage(credentials, url, page + 1, context);
      // A caller that stops early never awaits the prefetch; its failure must not become an unhandled rejection.
      pending?.catch(() => undefined);
      yield items;
    }
  }

  private async fetchPage(
    credentials: PersonioCredentials,
    url: string,
    page: number,
    context: { endpoint: string; requiredScope: string; listing: boolean },
  ): Promise<Record<string, unknown>> {
    const { outcome, token } = await this.authorized(
      credentials,
      { method: 'GET', url },
      context.endpoint,
      isRetryableResourceFailure,
      `${context.endpoint} page=${page}`,
    );
    const { response } = outcome;
    if (response && response.status >= 200 && response.status < 300) {
      if (typeof response.data !== 'object' || response.data === null)
        throw this.malformed(context.endpoint, page, 'body is not JSON');
      return response.data as Record<string, unknown>;
    }
    throw this.scrubbed(
      mapResourceFailure(failureOf(outcome), { ...context, page, attempts: outcome.attempts }),
      credentials,
      token.accessToken,
    );
  }

  /** A request with the cached token and bounded retries; on a 401 the token is renewed once. */
  private async authorized(
    credentials: PersonioCredentials,
    request: AuthorizedRequest,
    /** The endpoint as the budget and the errors name it (`/v2/webhooks/{id}`). */
    endpoint: string,
    isRetryable: (failure: PersonioFailure) => boolean,
    /** For the retry log lines; default the endpoint. */
    label = endpoint,
  ): Promise<{ outcome: CallOutcome; token: CachedToken }> {
    const key = credentialCacheKey(credentials);
    let token = await this.accessToken(credentials);
    const attempt = () => this.budgeted(credentials, endpoint, () => this.sendWithToken(request, token));
    let outcome = await this.retries.execute(label, isRetryable, attempt);
    if (outcome.response?.status === 401) {
      // The token may have been revoked or expired early: renew once, then believe the 401.
      this.logger?.debug?.(`personio ${label} answered 401, renewing the token`, PersonioHttpClient.name);
      this.tokens.invalidate(key, token.accessToken);
      token = await this.accessToken(credentials);
      outcome = await this.retries.execute(label, isRetryable, attempt);
    }
    return { outcome, token };
  }

  /** One attempt through the company's request budget: it waits for the endpoint's slot and learns from the answer. */
  private budgeted(
    credentials: PersonioCredentials,
    endpoint: string,
    send: () => Promise<PersonioAttempt>,
  ): Promise<PersonioAttempt> {
    if (!this.budget) return send();
    return this.budget.send(credentials.clientId, endpoint, send, ({ response }) => ({
      status: response?.status,
      headers: response?.headers as Record<string, unknown> | undefined,
      retryAfterMs:
        response?.status === 429
          ? parseRetryAfterMs(response.headers['retry-after'] as string | undefined, Date.now())
          : null,
    }));
  }

  private async accessToken(credentials: PersonioCredentials): Promise<CachedToken> {
    return this.tokens.get(credentialCacheKey(credentials), () => this.requestToken(credentials));
  }

  private async requestToken(credentials: PersonioCredentials): Promise<CachedToken> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    this.logger?.debug?.('personio /v2/auth/token requesting a token', PersonioHttpClient.name);
    const outcome = await this.retries.execute('/v2/auth/token', isRetryableTokenFailure, () =>
      this.budgeted(credentials, '/v2/auth/token', () =>
        this.send(this.http.post(`${this.config.baseUrl}/v2/auth/token`, form.toString(), FORM)),
      ),
    );
    if (outcome.response?.status !== 200) {
      throw this.scrubbed(mapTokenFailure(failureOf(outcome), { attempts: outcome.attempts }), credentials);
    }
    const body = outcome.response.data as Record<string, unknown> | null;
    const accessToken = body?.access_token;
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new PersonioError(PersonioErrorKind.Unknown, 'Personio token response has no access_token', 200);
    }
    return { accessToken, expiresAtMs: tokenExpiry(this.now(), body?.expires_in) };
  }

  private sendWithToken(request: AuthorizedRequest, token: CachedToken): Promise<PersonioAttempt> {
    const headers: Record<string, string> = { Authorization: `Bearer ${token.accessToken}` };
    if (request.data !== undefined) headers['Content-Type'] = 'application/json';
    return this.send(this.http.request({ method: request.method, url: request.url, data: request.data, headers }));
  }

  private async send(request: Observable<AxiosResponse>): Promise<PersonioAttempt> {
    try {
      return { response: await firstValueFrom(request) };
    } catch (error) {
      // Only the code leaves this block: an axios error carries the request config, Authorization included.
      if (!isAxiosError(error))
        throw new PersonioError(PersonioErrorKind.Unknown, 'unexpected error while calling Personio');
      return { transportCode: error.code };
    }
  }

  private nextPageUrl(body: Record<string, unknown>, endpoint: string, page: number): string | null {
    const meta = body._meta as { links?: { next?: { href?: unknown } } } | undefined;
    const href = meta?.links?.next?.href;
    if (href === undefined || href === null || href === '') return null;
    if (typeof href !== 'string') throw this.malformed(endpoint, page, 'next link is not a string');
    const next = new URL(href, `${this.config.baseUrl}/`);
    // The bearer token must only ever go to the configured Personio origin.
    if (next.origin !== this.baseOrigin) throw this.malformed(endpoint, page, 'next link points to another host');
    return next.toString();
  }

  private url(path: string, query: Record<string, string>): string {
    const url = new URL(`${this.config.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url.toString();
  }

  private webhookFailure(
    outcome: CallOutcome,
    endpoint: string,
    credentials: PersonioCredentials,
    accessToken: string,
    webhookToken?: string,
  ): PersonioError {
    return this.scrubbed(
      mapResourceFailure(failureOf(outcome), {
        endpoint,
        requiredScope: WEBHOOKS_WRITE_SCOPE,
        listing: false,
        page: 1,
        attempts: outcome.attempts,
      }),
      credentials,
      accessToken,
      webhookToken,
    );
  }

  private malformed(endpoint: string, page: number, reason: string): PersonioError {
    return new PersonioError(
      PersonioErrorKind.Unknown,
      `listing ${endpoint} stopped at page ${page}: malformed response (${reason})`,
    );
  }

  /** Belt and braces: no message may ever carry the secret or a token, whatever Personio echoed. */
  private scrubbed(
    error: PersonioError,
    credentials: PersonioCredentials,
    accessToken?: string,
    webhookToken?: string,
  ): PersonioError {
    const secrets = [credentials.clientSecret, accessToken, webhookToken].filter(
      (s): s is string => typeof s === 'string' && s.length >= 4,
    );
    if (!secrets.some((secret) => error.message.includes(secret))) return error;
    const message = secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), error.message);
    return new PersonioError(error.kind, message, error.status);
  }
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** On a single item a 404 is the answer (gone), not a sporadic list failure to retry. */
function notRetried404(failure: PersonioFailure): boolean {
  return !(failure.type === 'http' && failure.status === 404) && isRetryableResourceFailure(failure);
}

/** A single item as Personio may send it: bare, wrapped in `_data`, or a one-item `_data` list. */
function singleItem(body: unknown): Record<string, unknown> | null {
  const record = asRecord(body);
  if (!record) return null;
  const data = record._data;
  if (Array.isArray(data)) return data.length === 1 ? asRecord(data[0]) : null;
  return asRecord(data) ?? record;
}

/** Personio's problem+json for an id it does not know (`common.requested_resource_not_found`). */
function namesMissingResource(body: unknown): boolean {
  const errors = asRecord(body)?.errors;
  return Array.isArray(errors) && errors.some((error) => /resource_not_found/.test(String(asRecord(error)?.type)));
}
