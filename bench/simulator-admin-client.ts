import type {
  CreateCompanyInput,
  FaultSettings,
  SimAbsencePeriod,
  SimAbsenceType,
  SimCompanySummary,
  SimPerson,
  SimulatorStats,
  SimWebhookDelivery,
} from '../src/personio-simulator';

export type PersonPatch = Partial<Omit<SimPerson, 'id'>>;
export type AbsencePeriodPatch = Partial<Omit<SimAbsencePeriod, 'id'>>;

/** Memory of the simulator's process, from `GET /_admin/process` (bytes). */
export interface SimulatorProcessInfo {
  pid: number;
  rssBytes: number;
  maxRssBytes: number;
  heapUsedBytes: number;
}

export class SimulatorAdminError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(
      `simulator admin ${method} ${path} → ${status}: ${typeof body === 'object' && body && 'error' in body ? String((body as { error: unknown }).error) : JSON.stringify(body)}`,
    );
  }
}

/**
 * Typed client for the simulator's `/_admin/...` JSON routes (src/personio-simulator/admin-routes.ts),
 * for a simulator in another process. Mirrors the in-process admin methods the bench uses, plus the
 * bulk routes for changing many items in one request.
 */
export class SimulatorAdminClient {
  constructor(readonly baseUrl: string) {}

  createCompany(input: CreateCompanyInput): Promise<SimCompanySummary> {
    return this.request('POST', '/companies', input);
  }

  listCompanies(): Promise<SimCompanySummary[]> {
    return this.request('GET', '/companies');
  }

  getCompany(companyId: string): Promise<SimCompanySummary> {
    return this.request('GET', `/companies/${enc(companyId)}`);
  }

  async deleteCompany(companyId: string): Promise<void> {
    await this.request('DELETE', `/companies/${enc(companyId)}`);
  }

  listPersons(companyId: string): Promise<SimPerson[]> {
    return this.request('GET', `/companies/${enc(companyId)}/persons`);
  }

  updatePerson(companyId: string, personId: string, patch: PersonPatch): Promise<SimPerson> {
    return this.request('PATCH', `/companies/${enc(companyId)}/persons/${enc(personId)}`, patch);
  }

  /** One request for many persons; the simulator changes nothing when one id is unknown. */
  async updatePersons(companyId: string, patches: Array<{ id: string } & PersonPatch>): Promise<number> {
    if (patches.length === 0) return 0;
    return (await this.request<{ updated: number }>('PATCH', `/companies/${enc(companyId)}/persons`, patches)).updated;
  }

  listAbsenceTypes(companyId: string): Promise<SimAbsenceType[]> {
    return this.request('GET', `/companies/${enc(companyId)}/absence-types`);
  }

  listAbsencePeriods(companyId: string): Promise<SimAbsencePeriod[]> {
    return this.request('GET', `/companies/${enc(companyId)}/absence-periods`);
  }

  updateAbsencePeriod(companyId: string, periodId: string, patch: AbsencePeriodPatch): Promise<SimAbsencePeriod> {
    return this.request('PATCH', `/companies/${enc(companyId)}/absence-periods/${enc(periodId)}`, patch);
  }

  /** One request for many periods; the simulator changes nothing when one id is unknown. */
  async updateAbsencePeriods(companyId: string, patches: Array<{ id: string } & AbsencePeriodPatch>): Promise<number> {
    if (patches.length === 0) return 0;
    return (await this.request<{ updated: number }>('PATCH', `/companies/${enc(companyId)}/absence-periods`, patches))
      .updated;
  }

  async deleteAbsencePeriod(companyId: string, periodId: string): Promise<boolean> {
    return (
      await this.request<{ deleted: boolean }>(
        'DELETE',
        `/companies/${enc(companyId)}/absence-periods/${enc(periodId)}`,
      )
    ).deleted;
  }

  /** One request for many periods; the simulator deletes nothing when one id is unknown. */
  async deleteAbsencePeriods(companyId: string, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return (await this.request<{ deleted: number }>('DELETE', `/companies/${enc(companyId)}/absence-periods`, { ids }))
      .deleted;
  }

  /** Fault settings (e.g. `{ profile: 'realistic' }`), globally or for one company; merged into what is set. */
  async setFaults(settings: FaultSettings, companyId?: string): Promise<void> {
    await this.request('PUT', companyId === undefined ? '/faults' : `/companies/${enc(companyId)}/faults`, settings);
  }

  /** Every fault off, globally and for every company. */
  async clearFaults(): Promise<void> {
    await this.request('DELETE', '/faults');
  }

  /** Latency for every Personio request, globally or for one company. */
  async setLatency(ms: number, companyId?: string): Promise<void> {
    await this.request('PUT', companyId === undefined ? '/faults' : `/companies/${enc(companyId)}/faults`, {
      latencyMs: ms,
    });
  }

  /** `concurrent`: a burst's deliveries to one subscription go out at once instead of one after another. */
  async configureWebhookDelivery(options: { concurrent?: boolean }): Promise<void> {
    await this.request('PUT', '/webhook-delivery', options);
  }

  /** Answers once no webhook delivery is left to make or retry (throws a 408 error after `waitMs`). */
  async settleDeliveries(waitMs: number): Promise<void> {
    await this.request('POST', `/settle-deliveries?wait=${waitMs}`);
  }

  /** Every webhook delivery attempt so far (the simulator's log); `clearDeliveries` empties it. */
  webhookDeliveries(): Promise<SimWebhookDelivery[]> {
    return this.request('GET', '/webhook-deliveries');
  }

  async clearDeliveries(): Promise<void> {
    await this.request('DELETE', '/webhook-deliveries');
  }

  async resetStats(): Promise<void> {
    await this.request('DELETE', '/stats');
  }

  stats(): Promise<SimulatorStats> {
    return this.request('GET', '/stats');
  }

  processInfo(): Promise<SimulatorProcessInfo> {
    return this.request('GET', '/process');
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_admin${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new SimulatorAdminError(method, path, response.status, parsed);
    return parsed as T;
  }
}

const enc = encodeURIComponent;
