import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import type { AdminResult } from './admin-routes';
import { AuthRoutes } from './auth-routes';
import { ResourceRoutes } from './resource-routes';
import { SimulatedCompany } from './simulated-company';
import { RouteContext, SimulatorState } from './simulator-context';
import { identityOf, readBody, sendJson } from './simulator-http';
import { SimEndpoint } from './simulator-faults';
import { WebhookRoutes } from './webhook-routes';
import { oauthProblem, problemForStatus, PROBLEM_TYPES, resourceProblem } from './wire-format';

export interface StartOptions {
  port?: number;
  host?: string;
}

/** Answers `/_admin/...`; the facade passes it in so the server does not depend on the facade. */
export type AdminHandler = (
  method: string,
  pathname: string,
  params: URLSearchParams,
  body: string,
) => AdminResult | Promise<AdminResult>;

/** The simulator's HTTP server: routes requests to the auth, resource and admin routes, and applies faults first. */
export class SimulatorServer implements RouteContext {
  private server: Server | null = null;
  private url: string | null = null;
  private readonly pendingTimers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly auth: AuthRoutes;
  private readonly resources: ResourceRoutes;
  private readonly webhooks: WebhookRoutes;

  constructor(
    private readonly state: SimulatorState,
    private readonly admin: AdminHandler,
  ) {
    this.auth = new AuthRoutes(state, this);
    this.resources = new ResourceRoutes(state, this);
    this.webhooks = new WebhookRoutes(state, this);
  }

  async start({ port = 0, host = '127.0.0.1' }: StartOptions = {}): Promise<{ baseUrl: string }> {
    if (this.server) throw new Error('simulator already started');
    const server = createServer({ keepAlive: true }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed)
          sendJson(
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
    this.state.globalFaults.releaseHeld();
    for (const company of this.state.companies.all()) company.faults.releaseHeld();
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const body = await readBody(req);
    if (url.pathname.startsWith('/_admin/')) {
      const result = await this.admin(req.method ?? 'GET', url.pathname, url.searchParams, body);
      return sendJson(res, result.status, result.body, {}, 'application/json');
    }
    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /v2/auth/token') return this.auth.token(req, res, body);
    if (route === 'POST /v2/auth/revoke') return this.auth.revoke(req, res, body);
    const endpoint = this.resources.listAt(url.pathname);
    if (req.method === 'GET' && endpoint) return this.resources.list(req, res, url, endpoint);
    const periodId = /^\/v2\/absence-periods\/([^/]+)$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && periodId !== undefined)
      return this.resources.absencePeriod(req, res, decodeURIComponent(periodId));
    if (await this.webhooks.handle(req, res, url, body)) return;
    this.state.requestStats.record('other', undefined, identityOf(req));
    sendJson(
      res,
      404,
      resourceProblem('Resource not found', `No route for ${route}.`, PROBLEM_TYPES.notFound, url.pathname),
    );
  }

  /** Runs latency, hold, rate limit, reset, stall and failure faults; false when the response was taken over. */
  async applyFaults(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: SimEndpoint,
    page: number,
    company: SimulatedCompany | undefined,
  ): Promise<boolean> {
    const globalFaults = this.state.globalFaults;
    const scopes = company ? [company.faults, globalFaults] : [globalFaults];
    const latency = scopes.reduce((sum, faults) => sum + faults.drawLatencyMs(), 0);
    if (latency > 0) await this.delay(latency);
    const closed = () => new Promise<void>((resolve) => res.once('close', () => resolve()));
    const query = new URL(req.url ?? '/', 'http://simulator.invalid').searchParams;
    for (const faults of scopes) await faults.holdIfMatched(endpoint, page, closed, query);
    if (res.destroyed || !this.server) return false;

    for (const faults of scopes) {
      const verdict = faults.takeRateLimit(endpoint, this.state.now(), company?.id);
      if (!verdict) continue;
      if (verdict.limited) {
        this.state.requestStats.recordRateLimited(endpoint, company?.id);
        sendJson(res, 429, problemForStatus(429, endpoint), verdict.headers);
        return false;
      }
      // Personio reports the bucket on every response, not only on a 429.
      for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
    }
    if (scopes.some((faults) => faults.takeConnectionReset(endpoint, page, query))) {
      req.socket.destroy();
      return false;
    }
    const stallMs = scopes.reduce((ms, faults) => ms + faults.takeStallMs(endpoint, page, query), 0);
    if (stallMs > 0) await this.delay(stallMs);
    if (res.destroyed || !this.server) return false;

    for (const faults of scopes) {
      const failure = faults.takePageFailure(endpoint, page, query);
      if (failure) {
        const headers: Record<string, string> =
          failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter };
        const body =
          endpoint === '/v2/auth/token' && failure.status === 400
            ? oauthProblem('invalid_client', 'Client authentication failed.')
            : problemForStatus(failure.status, endpoint);
        sendJson(res, failure.status, body, headers);
        return false;
      }
    }
    return true;
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
}
