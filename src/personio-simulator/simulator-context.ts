import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompanyRegistry } from './company-registry';
import type { RequestStats } from './request-stats';
import type { SimulatedCompany } from './simulated-company';
import type { FaultSet, SimEndpoint } from './simulator-faults';
import type { TokenStore } from './token-store';

/** What the simulator holds, shared by its HTTP routes and its in-process admin facade. */
export interface SimulatorState {
  readonly companies: CompanyRegistry;
  readonly tokens: TokenStore;
  readonly globalFaults: FaultSet;
  readonly requestStats: RequestStats;
  readonly now: () => number;
}

/** What a route gets from the server it runs in. */
export interface RouteContext {
  readonly baseUrl: string;
  /** Runs the faults configured for the endpoint; false when the response was taken over. */
  applyFaults(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: SimEndpoint,
    page: number,
    company: SimulatedCompany | undefined,
  ): Promise<boolean>;
}
