import { IncomingMessage, ServerResponse } from 'node:http';
import { RouteContext, SimulatorState } from './simulator-context';
import { identityOf, sendJson } from './simulator-http';
import { SimEndpoint } from './simulator-faults';
import { oauthProblem } from './wire-format';

/** `POST /v2/auth/token` (client credentials) and `POST /v2/auth/revoke`. */
export class AuthRoutes {
  constructor(
    private readonly state: SimulatorState,
    private readonly http: RouteContext,
  ) {}

  async token(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const endpoint: SimEndpoint = '/v2/auth/token';
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const form = contentType === 'application/x-www-form-urlencoded' ? new URLSearchParams(body) : null;
    const clientId = form?.get('client_id') ?? '';
    const company = this.state.companies.ownerOf(clientId);
    this.state.requestStats.record(endpoint, company?.id, identityOf(req));
    if (!(await this.http.applyFaults(req, res, endpoint, 1, company))) return;

    if (!form) {
      return sendJson(
        res,
        400,
        oauthProblem('invalid_request', 'The request body must be application/x-www-form-urlencoded.'),
      );
    }
    const missing = ['grant_type', 'client_id', 'client_secret'].filter((name) => !form.get(name));
    if (missing.length > 0) {
      return sendJson(
        res,
        400,
        oauthProblem('invalid_request', 'Required parameters are missing.', { meta: { missing_parameters: missing } }),
      );
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return sendJson(res, 400, oauthProblem('unsupported_grant_type', 'Only client_credentials is supported.'));
    }
    if (this.state.globalFaults.rejectCredentials || company?.faults.rejectCredentials || !company) {
      return sendJson(
        res,
        400,
        oauthProblem('invalid_client', 'Client authentication failed (unknown client or wrong secret).'),
      );
    }
    const credential = company.credentials.get(clientId)!;
    if (credential.clientSecret !== form.get('client_secret')) {
      return sendJson(
        res,
        400,
        oauthProblem('unauthorized_client', 'Client authentication failed (unknown client or wrong secret).'),
      );
    }
    const requested = form.get('scope')?.split(' ').filter(Boolean);
    const scopes = requested ? credential.scopes.filter((scope) => requested.includes(scope)) : credential.scopes;
    const [accessToken, issued] = this.state.tokens.stableToken(company.id, clientId, scopes);
    // Like Personio: the same token until it expires, with the lifetime it has left.
    const expiresIn = Math.ceil((issued.expiresAtMs - this.state.now()) / 1000);
    sendJson(
      res,
      200,
      { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') },
      {},
      'application/json',
    );
  }

  async revoke(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const token = new URLSearchParams(body).get('token') ?? '';
    const issued = this.state.tokens.get(token);
    this.state.requestStats.record('/v2/auth/revoke', issued?.companyId, identityOf(req));
    const company = issued && this.state.companies.find(issued.companyId);
    if (!(await this.http.applyFaults(req, res, '/v2/auth/revoke', 1, company))) return;
    this.state.tokens.delete(token);
    res.writeHead(200, { 'content-length': '0' }).end();
  }
}
