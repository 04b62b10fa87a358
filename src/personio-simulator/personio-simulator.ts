import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { handleAdminRequest } from './admin-routes';
import { generateCompany, GenerateCompanyOptions } from './company-generator';
import {
  encodeCursor,
  InvalidQueryError,
  ListQuery,
  decodeCursor,
  normalizeLocalDateTime,
  parseAbsencePeriodsQuery,
  parseAbsenceTypesQuery,
  parsePersonsQuery,
} from './list-query';
import { ClientIdentity, RequestStats, SimulatorStats } from './request-stats';
import { SimulatedCompany } from './simulated-company';
import {
  ConnectionResetFault,
  FaultSet,
  FaultSettings,
  HeldRequestFilter,
  HeldRequestInfo,
  HoldFault,
  PageFailureFault,
  RateLimitSetting,
  SimEndpoint,
  StallFault,
} from './simulator-faults';
import {
  ABSENCES_READ_SCOPE,
  ALL_SCOPES,
  PERSONS_READ_SCOPE,
  SimAbsencePeriod,
  SimAbsenceType,
  SimCompanyData,
  SimCompanySummary,
  SimCredential,
  SimOpenEndFilterReading,
  SimPerson,
} from './simulator.types';
import { SortedCollection } from './sorted-collection';
import {
  absencePeriodToWire,
  absenceTypeToWire,
  oauthProblem,
  personToWire,
  problemForStatus,
  PROBLEM_TYPES,
  resourceProblem,
} from './wire-format';

const TOKEN_LIFETIME_SECONDS = 86_400;

export interface StartOptions {
  port?: number;
  host?: string;
}

export interface CreateCompanyInput extends Partial<SimCompanyData> {
  id?: string;
  name?: string;
  /** How `ends_at.date_time.gte` treats open-ended periods (default lenient). */
  openEndFilter?: SimOpenEndFilterReading;
  /** Defaults to one credential `<id>-client` with a random secret and both read scopes. */
  credentials?: CredentialInput | CredentialInput[];
  /** Seeded data, added before `persons` / `absenceTypes` / `absencePeriods`. */
  generate?: GenerateCompanyOptions;
}

export interface CredentialInput {
  clientId: string;
  clientSecret: string;
  scopes?: readonly string[];
}

interface IssuedToken {
  companyId: string;
  clientId: string;
  scopes: ReadonlySet<string>;
  expiresAtMs: number;
}

interface ResourceEndpoint<T extends { id: string }> {
  scope: string;
  parse(params: URLSearchParams, company: SimulatedCompany): ListQuery<T>;
  collection(company: SimulatedCompany): SortedCollection<T>;
  toWire(item: T, baseUrl: string): Record<string, unknown>;
}

// Erases the item type so the three endpoints fit one lookup table; each entry is checked on its own.
function resourceEndpoint<T extends { id: string }>(endpoint: ResourceEndpoint<T>): ResourceEndpoint<{ id: string }> {
  return endpoint as unknown as ResourceEndpoint<{ id: string }>;
}

const RESOURCE_ENDPOINTS: Record<string, ResourceEndpoint<{ id: string }>> = {
  '/v2/persons': resourceEndpoint<SimPerson>({
    scope: PERSONS_READ_SCOPE,
    parse: parsePersonsQuery,
    collection: (company) => company.persons,
    toWire: personToWire,
  }),
  '/v2/absence-periods': resourceEndpoint<SimAbsencePeriod>({
    scope: ABSENCES_READ_SCOPE,
    parse: (params, company) => parseAbsencePeriodsQuery(params, company.openEndFilter),
    collection: (company) => company.absencePeriods,
    toWire: absencePeriodToWire,
  }),
  '/v2/absence-types': resourceEndpoint<SimAbsenceType>({
    scope: ABSENCES_READ_SCOPE,
    parse: parseAbsenceTypesQuery,
    collection: (company) => company.absenceTypes,
    toWire: (type) => absenceTypeToWire(type),
  }),
};

/**
 * A multi-tenant Personio v2 simulator on a real HTTP server. Every company has its own
 * credentials, data and faults; a token belongs to exactly one company.
 */
export class PersonioSimulator {
  private server: Server | null = null;
  private url: string | null = null;
  private readonly companies = new Map<string, SimulatedCompany>();
  private readonly companyByClientId = new Map<string, SimulatedCompany>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly globalFaults = new FaultSet();
  private readonly requestStats = new RequestStats();
  private readonly pendingTimers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private companySequence = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async start({ port = 0, host = '127.0.0.1' }: StartOptions = {}): Promise<{ baseUrl: string }> {
    if (this.server) throw new Error('simulator already started');
    const server = createServer({ keepAlive: true }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed)
          this.sendJson(
            res,
            500,
            resourceProblem('Internal server error', String(error), PROBLEM_TYPES.serverError, req.url ?? ''),
          );
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    // Longer than any client's idle keep-alive, so the server never closes a socket a client is about to reuse.
    server.keepAliveTimeout = 65_000;
    const address = server.address() as AddressInfo;
    this.server = server;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    return { baseUrl: this.url };
  }

  async stop(): Promise<void> {
    for (const pending of this.pendingTimers) {
      clearTimeout(pending.timer);
      pending.resolve();
    }
    this.pendingTimers.clear();
    this.globalFaults.releaseHeld();
    for (const company of this.companies.values()) company.faults.releaseHeld();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get baseUrl(): string {
    if (!this.url) throw new Error('simulator not started');
    return this.url;
  }

  // ---- companies and credentials -------------------------------------------------------

  createCompany(input: CreateCompanyInput = {}): SimCompanySummary {
    const id = input.id ?? `company-${++this.companySequence}`;
    if (this.companies.has(id)) throw new Error(`company ${id} already exists`);
    const company = new SimulatedCompany(id, input.name ?? id);
    company.openEndFilter = input.openEndFilter ?? 'lenient';
    this.companies.set(id, company);
    const credentials =
      input.credentials === undefined
        ? [
            {
              clientId: `${id}-client`,
              clientSecret: `${id}-secret-${randomBytes(12).toString('hex')}`,
              scopes: [...ALL_SCOPES],
            },
          ]
        : [input.credentials].flat();
    for (const credential of credentials) this.setCredential(id, credential);
    const generated = input.generate ? generateCompany(input.generate) : undefined;
    company.persons.upsertMany([...(generated?.persons ?? []), ...(input.persons ?? [])].map(clonePerson));
    company.absenceTypes.upsertMany(
      [...(generated?.absenceTypes ?? []), ...(input.absenceTypes ?? [])].map((t) => ({ ...t })),
    );
    company.absencePeriods.upsertMany(generated?.absencePeriods ?? []);
    company.absencePeriods.upsertMany((input.absencePeriods ?? []).map(normalizePeriod));
    return company.summary();
  }

  deleteCompany(companyId: string): void {
    const company = this.company(companyId);
    for (const clientId of company.credentials.keys()) this.companyByClientId.delete(clientId);
    this.companies.delete(companyId);
    this.revokeTokens(companyId);
  }

  /** Switches one company between the lenient and the strict reading of `ends_at.date_time.gte`. */
  setOpenEndFilter(companyId: string, reading: SimOpenEndFilterReading): SimCompanySummary {
    if (reading !== 'lenient' && reading !== 'strict') throw new Error('reading must be "lenient" or "strict"');
    const company = this.company(companyId);
    company.openEndFilter = reading;
    return company.summary();
  }

  getCompany(companyId: string): SimCompanySummary {
    return this.company(companyId).summary();
  }

  listCompanies(): SimCompanySummary[] {
    return [...this.companies.values()].map((company) => company.summary());
  }

  /** Adds or replaces a credential (by clientId). Tokens already issued keep their scopes. */
  setCredential(companyId: string, credential: CredentialInput): SimCredential {
    const company = this.company(companyId);
    const owner = this.companyByClientId.get(credential.clientId);
    if (owner && owner !== company) throw new Error(`clientId ${credential.clientId} belongs to company ${owner.id}`);
    const stored: SimCredential = {
      clientId: credential.clientId,
      clientSecret: credential.clientSecret,
      scopes: [...(credential.scopes ?? ALL_SCOPES)],
    };
    company.credentials.set(stored.clientId, stored);
    this.companyByClientId.set(stored.clientId, company);
    return { ...stored, scopes: [...stored.scopes] };
  }

  removeCredential(clientId: string): void {
    const company = this.companyByClientId.get(clientId);
    company?.credentials.delete(clientId);
    this.companyByClientId.delete(clientId);
  }

  /** Revokes every token of one company, or of all companies. */
  revokeTokens(companyId?: string): number {
    let revoked = 0;
    for (const [token, issued] of this.tokens) {
      if (companyId === undefined || issued.companyId === companyId) {
        this.tokens.delete(token);
        revoked += 1;
      }
    }
    return revoked;
  }

  /** Moves every token of one company (or all) closer to its expiry, as if that much time had passed. */
  ageTokens(seconds: number, companyId?: string): number {
    if (!Number.isFinite(seconds)) throw new Error('seconds must be a number');
    let aged = 0;
    for (const issued of this.tokens.values()) {
      if (companyId === undefined || issued.companyId === companyId) {
        issued.expiresAtMs -= seconds * 1000;
        aged += 1;
      }
    }
    return aged;
  }

  /** Tokens currently valid for a company (tests use them to prove they never leak). */
  issuedTokens(companyId: string): string[] {
    return [...this.tokens].filter(([, issued]) => issued.companyId === companyId).map(([token]) => token);
  }

  // ---- data ----------------------------------------------------------------------------

  listPersons(companyId: string): SimPerson[] {
    return this.company(companyId).persons.values().map(clonePerson);
  }

  getPerson(companyId: string, personId: string): SimPerson | undefined {
    const person = this.company(companyId).persons.get(personId);
    return person && clonePerson(person);
  }

  upsertPerson(companyId: string, person: SimPerson): void {
    this.company(companyId).persons.upsert(clonePerson(person));
  }

  updatePerson(companyId: string, personId: string, patch: Partial<Omit<SimPerson, 'id'>>): SimPerson {
    const collection = this.company(companyId).persons;
    const updated = {
      ...existing(collection, personId),
      ...patch,
      id: personId,
      updatedAt: patch.updatedAt ?? new Date(this.now()).toISOString(),
    };
    collection.upsert(updated);
    return clonePerson(updated);
  }

  deletePerson(companyId: string, personId: string): boolean {
    return this.company(companyId).persons.delete(personId);
  }

  listAbsenceTypes(companyId: string): SimAbsenceType[] {
    return this.company(companyId)
      .absenceTypes.values()
      .map((t) => ({ ...t }));
  }

  upsertAbsenceType(companyId: string, type: SimAbsenceType): void {
    this.company(companyId).absenceTypes.upsert({ ...type });
  }

  deleteAbsenceType(companyId: string, typeId: string): boolean {
    return this.company(companyId).absenceTypes.delete(typeId);
  }

  listAbsencePeriods(companyId: string): SimAbsencePeriod[] {
    return this.company(companyId).absencePeriods.values().map(normalizePeriod);
  }

  getAbsencePeriod(companyId: string, periodId: string): SimAbsencePeriod | undefined {
    const period = this.company(companyId).absencePeriods.get(periodId);
    return period && normalizePeriod(period);
  }

  upsertAbsencePeriod(companyId: string, period: SimAbsencePeriod): void {
    this.company(companyId).absencePeriods.upsert(normalizePeriod(period));
  }

  updateAbsencePeriod(
    companyId: string,
    periodId: string,
    patch: Partial<Omit<SimAbsencePeriod, 'id'>>,
  ): SimAbsencePeriod {
    const collection = this.company(companyId).absencePeriods;
    const updated = normalizePeriod({
      ...existing(collection, periodId),
      ...patch,
      id: periodId,
      updatedAt: patch.updatedAt ?? new Date(this.now()).toISOString(),
    });
    collection.upsert(updated);
    return normalizePeriod(updated);
  }

  deleteAbsencePeriod(companyId: string, periodId: string): boolean {
    return this.company(companyId).absencePeriods.delete(periodId);
  }

  // ---- faults --------------------------------------------------------------------------

  /** Merges fault settings into one company's faults, or the global ones when companyId is omitted. */
  setFaults(settings: FaultSettings, companyId?: string): void {
    this.faultsOf(companyId).apply(settings);
  }

  /** Clears one company's faults, or every fault (global and all companies) when companyId is omitted. */
  clearFaults(companyId?: string): void {
    if (companyId !== undefined) return this.company(companyId).faults.clear();
    this.globalFaults.clear();
    for (const company of this.companies.values()) company.faults.clear();
  }

  setLatency(ms: number, companyId?: string): void {
    this.setFaults({ latencyMs: ms }, companyId);
  }

  rateLimit(limit: RateLimitSetting | null, companyId?: string): void {
    this.setFaults({ rateLimit: limit }, companyId);
  }

  failPage(fault: PageFailureFault, companyId?: string): void {
    this.setFaults({ pageFailures: [fault] }, companyId);
  }

  resetConnection(fault: ConnectionResetFault, companyId?: string): void {
    this.setFaults({ connectionResets: [fault] }, companyId);
  }

  stall(fault: StallFault, companyId?: string): void {
    this.setFaults({ stalls: [fault] }, companyId);
  }

  /** Holds matching requests until `releaseHeld`; `whenHeld` tells the test that one is now held. */
  hold(fault: HoldFault, companyId?: string): void {
    this.setFaults({ holds: [fault] }, companyId);
  }

  whenHeld(companyId?: string, filter: HeldRequestFilter = {}): Promise<HeldRequestInfo> {
    return this.faultsOf(companyId).whenHeld(filter);
  }

  heldRequests(companyId?: string): HeldRequestInfo[] {
    return this.faultsOf(companyId).heldRequests();
  }

  /** Releases one held request (by id) or all of them; returns how many went on. */
  releaseHeld(companyId?: string, id?: number): number {
    return this.faultsOf(companyId).releaseHeld(id);
  }

  rejectCredentials(reject = true, companyId?: string): void {
    this.setFaults({ rejectCredentials: reject }, companyId);
  }

  useRelativeNextLinks(relative = true, companyId?: string): void {
    this.setFaults({ relativeNextLinks: relative }, companyId);
  }

  // ---- stats ---------------------------------------------------------------------------

  get stats(): SimulatorStats {
    return this.requestStats.snapshot();
  }

  requestCount(endpoint: string, companyId?: string): number {
    return this.requestStats.count(endpoint, companyId);
  }

  resetStats(): void {
    this.requestStats.reset();
  }

  // ---- HTTP ----------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const body = await readBody(req);
    if (url.pathname.startsWith('/_admin/')) {
      const result = await handleAdminRequest(this, req.method ?? 'GET', url.pathname, url.searchParams, body);
      return this.sendJson(res, result.status, result.body, {}, 'application/json');
    }
    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /v2/auth/token') return this.handleToken(req, res, body);
    if (route === 'POST /v2/auth/revoke') return this.handleRevoke(req, res, body);
    const endpoint = RESOURCE_ENDPOINTS[url.pathname];
    if (req.method === 'GET' && endpoint) return this.handleList(req, res, url, endpoint);
    const periodId = /^\/v2\/absence-periods\/([^/]+)$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && periodId !== undefined)
      return this.handleGetAbsencePeriod(req, res, decodeURIComponent(periodId));
    this.requestStats.record('other', undefined, identityOf(req));
    this.sendJson(
      res,
      404,
      resourceProblem('Resource not found', `No route for ${route}.`, PROBLEM_TYPES.notFound, url.pathname),
    );
  }

  private async handleToken(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const endpoint: SimEndpoint = '/v2/auth/token';
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const form = contentType === 'application/x-www-form-urlencoded' ? new URLSearchParams(body) : null;
    const clientId = form?.get('client_id') ?? '';
    const company = this.companyByClientId.get(clientId);
    this.requestStats.record(endpoint, company?.id, identityOf(req));
    if (!(await this.applyFaults(req, res, endpoint, 1, company))) return;

    if (!form) {
      return this.sendJson(
        res,
        400,
        oauthProblem('invalid_request', 'The request body must be application/x-www-form-urlencoded.'),
      );
    }
    const missing = ['grant_type', 'client_id', 'client_secret'].filter((name) => !form.get(name));
    if (missing.length > 0) {
      return this.sendJson(
        res,
        400,
        oauthProblem('invalid_request', 'Required parameters are missing.', { meta: { missing_parameters: missing } }),
      );
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return this.sendJson(res, 400, oauthProblem('unsupported_grant_type', 'Only client_credentials is supported.'));
    }
    if (this.globalFaults.rejectCredentials || company?.faults.rejectCredentials || !company) {
      return this.sendJson(
        res,
        400,
        oauthProblem('invalid_client', 'Client authentication failed (unknown client or wrong secret).'),
      );
    }
    const credential = company.credentials.get(clientId)!;
    if (credential.clientSecret !== form.get('client_secret')) {
      return this.sendJson(
        res,
        400,
        oauthProblem('unauthorized_client', 'Client authentication failed (unknown client or wrong secret).'),
      );
    }
    const requested = form.get('scope')?.split(' ').filter(Boolean);
    const scopes = requested ? credential.scopes.filter((scope) => requested.includes(scope)) : credential.scopes;
    const [accessToken, issued] = this.stableToken(company.id, clientId, scopes);
    // Like Personio: the same token until it expires, with the lifetime it has left.
    const expiresIn = Math.ceil((issued.expiresAtMs - this.now()) / 1000);
    this.sendJson(
      res,
      200,
      { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') },
      {},
      'application/json',
    );
  }

  /** The credential's live token for exactly these scopes, or a new one. */
  private stableToken(companyId: string, clientId: string, scopes: readonly string[]): [string, IssuedToken] {
    const now = this.now();
    for (const [token, issued] of this.tokens) {
      if (issued.expiresAtMs <= now) {
        this.tokens.delete(token);
        continue;
      }
      if (issued.companyId === companyId && issued.clientId === clientId && sameScopes(issued.scopes, scopes))
        return [token, issued];
    }
    const issued: IssuedToken = {
      companyId,
      clientId,
      scopes: new Set(scopes),
      expiresAtMs: now + TOKEN_LIFETIME_SECONDS * 1000,
    };
    const token = `papi-${randomBytes(24).toString('hex')}`;
    this.tokens.set(token, issued);
    return [token, issued];
  }

  private async handleRevoke(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const token = new URLSearchParams(body).get('token') ?? '';
    const issued = this.tokens.get(token);
    this.requestStats.record('/v2/auth/revoke', issued?.companyId, identityOf(req));
    if (!(await this.applyFaults(req, res, '/v2/auth/revoke', 1, issued && this.companies.get(issued.companyId))))
      return;
    this.tokens.delete(token);
    res.writeHead(200, { 'content-length': '0' }).end();
  }

  private async handleList<T extends { id: string }>(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    endpoint: ResourceEndpoint<T>,
  ): Promise<void> {
    const path = url.pathname as SimEndpoint;
    const issued = this.validToken(req);
    const company = issued && this.companies.get(issued.companyId);
    this.requestStats.record(path, company?.id, identityOf(req));
    if (!(await this.applyFaults(req, res, path, pageNumberOf(url.searchParams), company))) return;

    if (!issued || !company || !issued.scopes.has(endpoint.scope)) {
      return this.sendJson(
        res,
        401,
        resourceProblem(
          'Unauthorized Request',
          'The access token is missing, invalid, expired, or lacks the required scope.',
          PROBLEM_TYPES.unauthorized,
          path,
        ),
      );
    }
    let query: ListQuery<T>;
    try {
      query = endpoint.parse(url.searchParams, company);
    } catch (error) {
      if (!(error instanceof InvalidQueryError)) throw error;
      return this.sendJson(
        res,
        400,
        resourceProblem(
          'Provided request parameters are invalid.',
          error.message,
          PROBLEM_TYPES.invalidParameters,
          path,
        ),
      );
    }
    const page = endpoint.collection(company).page(query.cursor?.afterId ?? null, query.limit, query.matches);
    const baseUrl = this.baseUrl;
    const links: Record<string, { href: string }> = { self: { href: `${baseUrl}${path}${url.search}` } };
    if (page.continueAfter !== null) {
      const nextParams = new URLSearchParams(url.searchParams);
      nextParams.set('cursor', encodeCursor({ afterId: page.continueAfter, page: (query.cursor?.page ?? 1) + 1 }));
      const relative = company.faults.relativeNextLinks ?? this.globalFaults.relativeNextLinks ?? false;
      links.next = { href: `${relative ? '' : baseUrl}${path}?${nextParams.toString()}` };
    }
    this.sendJson(
      res,
      200,
      { _data: page.items.map((item) => endpoint.toWire(item, baseUrl)), _meta: { links } },
      {},
      'application/json',
    );
  }

  /** `GET /v2/absence-periods/{id}`: the item as listed (not wrapped), or 404 when there is none. */
  private async handleGetAbsencePeriod(req: IncomingMessage, res: ServerResponse, periodId: string): Promise<void> {
    const path: SimEndpoint = '/v2/absence-periods/{id}';
    const issued = this.validToken(req);
    const company = issued && this.companies.get(issued.companyId);
    this.requestStats.record(path, company?.id, identityOf(req));
    if (!(await this.applyFaults(req, res, path, 1, company))) return;
    if (!issued || !company || !issued.scopes.has(ABSENCES_READ_SCOPE)) {
      return this.sendJson(res, 401, problemForStatus(401, path));
    }
    const period = company.absencePeriods.get(periodId);
    if (!period) {
      return this.sendJson(
        res,
        404,
        resourceProblem(
          'Resource not found',
          'The requested resource was not found.',
          PROBLEM_TYPES.requestedResourceNotFound,
          `/v2/absence-periods/${periodId}`,
        ),
      );
    }
    this.sendJson(res, 200, absencePeriodToWire(period, this.baseUrl), {}, 'application/json');
  }

  /** Runs latency, hold, rate limit, reset, stall and failure faults; false when the response was taken over. */
  private async applyFaults(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: SimEndpoint,
    page: number,
    company: SimulatedCompany | undefined,
  ): Promise<boolean> {
    const scopes = company ? [company.faults, this.globalFaults] : [this.globalFaults];
    const latency = scopes.reduce((sum, faults) => sum + faults.latencyMs, 0);
    if (latency > 0) await this.delay(latency);
    const closed = () => new Promise<void>((resolve) => res.once('close', () => resolve()));
    for (const faults of scopes) await faults.holdIfMatched(endpoint, page, closed);
    if (res.destroyed || !this.server) return false;

    for (const faults of scopes) {
      const verdict = faults.takeRateLimit(endpoint, this.now());
      if (!verdict) continue;
      if (verdict.limited) {
        this.sendJson(res, 429, problemForStatus(429, endpoint), verdict.headers);
        return false;
      }
      // Personio reports the bucket on every response, not only on a 429.
      for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
    }
    if (scopes.some((faults) => faults.takeConnectionReset(endpoint, page))) {
      req.socket.destroy();
      return false;
    }
    const stallMs = scopes.reduce((ms, faults) => ms + faults.takeStallMs(endpoint, page), 0);
    if (stallMs > 0) await this.delay(stallMs);
    if (res.destroyed || !this.server) return false;

    for (const faults of scopes) {
      const failure = faults.takePageFailure(endpoint, page);
      if (failure) {
        const headers: Record<string, string> =
          failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter };
        const body =
          endpoint === '/v2/auth/token' && failure.status === 400
            ? oauthProblem('invalid_client', 'Client authentication failed.')
            : problemForStatus(failure.status, endpoint);
        this.sendJson(res, failure.status, body, headers);
        return false;
      }
    }
    return true;
  }

  private validToken(req: IncomingMessage): IssuedToken | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const issued = match ? this.tokens.get(match[1]) : undefined;
    if (!issued || issued.expiresAtMs <= this.now()) return undefined;
    return issued;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const pending = {
        timer: setTimeout(() => {
          this.pendingTimers.delete(pending);
          resolve();
        }, ms),
        resolve,
      };
      this.pendingTimers.add(pending);
    });
  }

  private sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    contentType = status >= 400 ? 'application/problem+json' : 'application/json',
  ): void {
    if (res.destroyed || res.headersSent) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload), ...headers });
    res.end(payload);
  }

  private company(companyId: string): SimulatedCompany {
    const company = this.companies.get(companyId);
    if (!company) throw new Error(`unknown company ${companyId}`);
    return company;
  }

  private faultsOf(companyId: string | undefined): FaultSet {
    return companyId === undefined ? this.globalFaults : this.company(companyId).faults;
  }
}

/** How the client identified itself (Personio asks for `X-Personio-App-ID`, partners add `X-Personio-Partner-ID`). */
function identityOf(req: IncomingMessage): ClientIdentity {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  return { appId: header('x-personio-app-id'), partnerId: header('x-personio-partner-id') };
}

function sameScopes(granted: ReadonlySet<string>, scopes: readonly string[]): boolean {
  return granted.size === new Set(scopes).size && scopes.every((scope) => granted.has(scope));
}

function pageNumberOf(params: URLSearchParams): number {
  const cursor = params.get('cursor');
  if (cursor === null) return 1;
  try {
    return decodeCursor(cursor).page;
  } catch {
    return 1;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function existing<T extends { id: string }>(collection: SortedCollection<T>, id: string): T {
  const item = collection.get(id);
  if (!item) throw new Error(`unknown id ${id}`);
  return item;
}

function clonePerson(person: SimPerson): SimPerson {
  return { ...person };
}

function normalizePeriod(period: SimAbsencePeriod): SimAbsencePeriod {
  return {
    ...period,
    startsFrom: { ...period.startsFrom, dateTime: normalizeLocalDateTime(period.startsFrom.dateTime) },
    endsAt:
      period.endsAt === null ? null : { ...period.endsAt, dateTime: normalizeLocalDateTime(period.endsAt.dateTime) },
  };
}
