import { IncomingMessage, ServerResponse } from 'node:http';
import {
  encodeCursor,
  InvalidQueryError,
  ListQuery,
  parseAbsencePeriodsQuery,
  parseAbsenceTypesQuery,
  parsePersonsQuery,
} from './list-query';
import { SimulatedCompany } from './simulated-company';
import { RouteContext, SimulatorState } from './simulator-context';
import { identityOf, pageNumberOf, sendJson } from './simulator-http';
import { SimEndpoint } from './simulator-faults';
import {
  ABSENCES_READ_SCOPE,
  PERSONS_READ_SCOPE,
  SimAbsencePeriod,
  SimAbsenceType,
  SimPerson,
} from './simulator.types';
import { SortedCollection } from './sorted-collection';
import {
  absencePeriodToWire,
  absenceTypeToWire,
  personToWire,
  problemForStatus,
  PROBLEM_TYPES,
  resourceProblem,
} from './wire-format';

export interface ResourceEndpoint<T extends { id: string }> {
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

/** The listed resources (`GET /v2/persons`, `/v2/absence-types`, `/v2/absence-periods`) and one absence period by id. */
export class ResourceRoutes {
  constructor(
    private readonly state: SimulatorState,
    private readonly http: RouteContext,
  ) {}

  /** The list endpoint served at this path, if any. */
  listAt(pathname: string): ResourceEndpoint<{ id: string }> | undefined {
    return RESOURCE_ENDPOINTS[pathname];
  }

  async list<T extends { id: string }>(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    endpoint: ResourceEndpoint<T>,
  ): Promise<void> {
    const path = url.pathname as SimEndpoint;
    const issued = this.state.tokens.validBearer(req.headers.authorization);
    const company = issued && this.state.companies.find(issued.companyId);
    this.state.requestStats.record(path, company?.id, identityOf(req));
    if (!(await this.http.applyFaults(req, res, path, pageNumberOf(url.searchParams), company))) return;

    if (!issued || !company || !issued.scopes.has(endpoint.scope)) {
      return sendJson(
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
      return sendJson(
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
    sendListPage(
      res,
      url,
      company,
      endpoint.collection(company),
      query,
      endpoint.toWire,
      this.state,
      this.http.baseUrl,
    );
  }

  /** `GET /v2/absence-periods/{id}`: the item as listed (not wrapped), or 404 when there is none. */
  async absencePeriod(req: IncomingMessage, res: ServerResponse, periodId: string): Promise<void> {
    const path: SimEndpoint = '/v2/absence-periods/{id}';
    const issued = this.state.tokens.validBearer(req.headers.authorization);
    const company = issued && this.state.companies.find(issued.companyId);
    this.state.requestStats.record(path, company?.id, identityOf(req));
    if (!(await this.http.applyFaults(req, res, path, 1, company))) return;
    if (!issued || !company || !issued.scopes.has(ABSENCES_READ_SCOPE)) {
      return sendJson(res, 401, problemForStatus(401, path));
    }
    const period = company.absencePeriods.get(periodId);
    if (!period) {
      return sendJson(
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
    sendJson(res, 200, absencePeriodToWire(period, this.http.baseUrl), {}, 'application/json');
  }
}

/** One page of a v2 list: `_data` plus `_meta.links` (`next` keeps the query and carries the cursor). */
export function sendListPage<T extends { id: string }>(
  res: ServerResponse,
  url: URL,
  company: SimulatedCompany,
  collection: SortedCollection<T>,
  query: ListQuery<T>,
  toWire: (item: T, baseUrl: string) => Record<string, unknown>,
  state: SimulatorState,
  baseUrl: string,
): void {
  const path = url.pathname;
  const page = collection.page(query.cursor?.afterId ?? null, query.limit, query.matches);
  const links: Record<string, { href: string }> = { self: { href: `${baseUrl}${path}${url.search}` } };
  if (page.continueAfter !== null) {
    const nextParams = new URLSearchParams(url.searchParams);
    nextParams.set('cursor', encodeCursor({ afterId: page.continueAfter, page: (query.cursor?.page ?? 1) + 1 }));
    const relative = company.faults.relativeNextLinks ?? state.globalFaults.relativeNextLinks ?? false;
    links.next = { href: `${relative ? '' : baseUrl}${path}?${nextParams.toString()}` };
  }
  sendJson(
    res,
    200,
    { _data: page.items.map((item) => toWire(item, baseUrl)), _meta: { links } },
    {},
    'application/json',
  );
}
