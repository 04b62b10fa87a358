import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidQueryError, ListQuery, parseWebhooksQuery } from './list-query';
import { sendListPage } from './resource-routes';
import { SimulatedCompany } from './simulated-company';
import { RouteContext, SimulatorState } from './simulator-context';
import { identityOf, pageNumberOf, sendJson } from './simulator-http';
import { SimEndpoint } from './simulator-faults';
import { SimWebhook, WEBHOOKS_READ_SCOPE, WEBHOOKS_WRITE_SCOPE } from './simulator.types';
import {
  InvalidWebhookError,
  newWebhook,
  patchedWebhook,
  webhookInputFromWire,
  webhookToWire,
} from './webhook-subscriptions';
import { PROBLEM_TYPES, resourceProblem } from './wire-format';

const COLLECTION: SimEndpoint = '/v2/webhooks';
const ITEM: SimEndpoint = '/v2/webhooks/{id}';

/** `POST|GET /v2/webhooks` and `GET|PATCH|DELETE /v2/webhooks/{id}`: one company's subscriptions. */
export class WebhookRoutes {
  constructor(
    private readonly state: SimulatorState,
    private readonly http: RouteContext,
  ) {}

  /** Serves the request when it is a webhook route; false when it is not one. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<boolean> {
    const method = req.method ?? 'GET';
    if (url.pathname === COLLECTION && (method === 'GET' || method === 'POST')) {
      const company = await this.authorized(req, res, COLLECTION, method === 'GET', pageNumberOf(url.searchParams));
      if (company && method === 'GET') this.list(res, url, company);
      else if (company) this.create(res, company, body);
      return true;
    }
    const rawId = /^\/v2\/webhooks\/([^/]+)$/.exec(url.pathname)?.[1];
    if (rawId === undefined || !['GET', 'PATCH', 'DELETE'].includes(method)) return false;
    const company = await this.authorized(req, res, ITEM, method === 'GET', 1);
    if (!company) return true;
    const id = decodeURIComponent(rawId);
    const webhook = company.webhooks.get(id);
    if (!webhook) {
      sendJson(
        res,
        404,
        resourceProblem(
          'Resource not found',
          'The requested resource was not found.',
          PROBLEM_TYPES.requestedResourceNotFound,
          `/v2/webhooks/${id}`,
        ),
      );
    } else if (method === 'GET') {
      sendJson(res, 200, webhookToWire(webhook, this.http.baseUrl), {}, 'application/json');
    } else if (method === 'PATCH') {
      this.update(res, company, webhook, body);
    } else {
      company.webhooks.delete(id);
      res.writeHead(204).end();
    }
    return true;
  }

  /**
   * The token's company when it may use the route; otherwise answers 401 and returns undefined.
   * Reads accept either webhooks scope; writes need `personio:webhooks:write`.
   */
  private async authorized(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: SimEndpoint,
    read: boolean,
    page: number,
  ): Promise<SimulatedCompany | undefined> {
    const issued = this.state.tokens.validBearer(req.headers.authorization);
    const company = issued && this.state.companies.find(issued.companyId);
    this.state.requestStats.record(endpoint, company?.id, identityOf(req));
    if (!(await this.http.applyFaults(req, res, endpoint, page, company))) return undefined;
    const scopes = read ? [WEBHOOKS_READ_SCOPE, WEBHOOKS_WRITE_SCOPE] : [WEBHOOKS_WRITE_SCOPE];
    // The fault takes the scope away, and picks the status: Personio's resources say 401, a 403 is also plausible.
    const scopeFault = company?.faults.missingWebhooksScope ?? this.state.globalFaults.missingWebhooksScope;
    if (issued && company && scopeFault !== null) {
      sendJson(res, scopeFault, scopeProblem(scopeFault, endpoint));
      return undefined;
    }
    if (!issued || !company || !scopes.some((scope) => issued.scopes.has(scope))) {
      sendJson(res, 401, scopeProblem(401, endpoint));
      return undefined;
    }
    return company;
  }

  private list(res: ServerResponse, url: URL, company: SimulatedCompany): void {
    let query: ListQuery<SimWebhook>;
    try {
      query = parseWebhooksQuery(url.searchParams);
    } catch (error) {
      if (!(error instanceof InvalidQueryError)) throw error;
      return invalid(res, error.message, COLLECTION);
    }
    sendListPage(res, url, company, company.webhooks, query, webhookToWire, this.state, this.http.baseUrl);
  }

  private create(res: ServerResponse, company: SimulatedCompany, body: string): void {
    let webhook: SimWebhook;
    try {
      webhook = newWebhook(randomUUID(), webhookInputFromWire(parseJson(body)), this.nowIso());
    } catch (error) {
      if (!(error instanceof InvalidWebhookError)) throw error;
      return invalid(res, error.message, COLLECTION);
    }
    company.webhooks.upsert(webhook);
    sendJson(res, 201, webhookToWire(webhook, this.http.baseUrl), {}, 'application/json');
  }

  private update(res: ServerResponse, company: SimulatedCompany, webhook: SimWebhook, body: string): void {
    let updated: SimWebhook;
    try {
      updated = patchedWebhook(webhook, webhookInputFromWire(parseJson(body)), this.nowIso());
    } catch (error) {
      if (!(error instanceof InvalidWebhookError)) throw error;
      return invalid(res, error.message, `/v2/webhooks/${webhook.id}`);
    }
    company.webhooks.upsert(updated);
    sendJson(res, 200, webhookToWire(updated, this.http.baseUrl), {}, 'application/json');
  }

  private nowIso(): string {
    return new Date(this.state.now()).toISOString();
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new InvalidWebhookError('the body is not JSON');
  }
}

function invalid(res: ServerResponse, detail: string, path: string): void {
  sendJson(
    res,
    400,
    resourceProblem('Provided request parameters are invalid.', detail, PROBLEM_TYPES.invalidParameters, path),
  );
}

function scopeProblem(status: 401 | 403, path: string): Record<string, unknown> {
  return status === 401
    ? resourceProblem(
        'Unauthorized Request',
        'The access token is missing, invalid, expired, or lacks the required scope.',
        PROBLEM_TYPES.unauthorized,
        path,
      )
    : resourceProblem(
        'Forbidden',
        'The access token does not grant the scope this operation needs.',
        PROBLEM_TYPES.forbidden,
        path,
      );
}
