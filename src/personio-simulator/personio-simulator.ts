import { handleAdminRequest } from './admin-routes';
import {
  clonePerson,
  CompanyRegistry,
  CreateCompanyInput,
  CredentialInput,
  existing,
  normalizePeriod,
} from './company-registry';
import { RequestStats, SimulatorStats } from './request-stats';
import { SimulatedCompany } from './simulated-company';
import { SimulatorState } from './simulator-context';
import {
  ConnectionResetFault,
  FaultSet,
  FaultSettings,
  HeldRequestFilter,
  HeldRequestInfo,
  HoldFault,
  PageFailureFault,
  RateLimitSetting,
  StallFault,
} from './simulator-faults';
import { SimulatorServer, StartOptions } from './simulator-server';
import {
  SimAbsencePeriod,
  SimAbsenceType,
  SimCompanySummary,
  SimCredential,
  SimOpenEndFilterReading,
  SimPerson,
} from './simulator.types';
import { TokenStore } from './token-store';

export type { CreateCompanyInput, CredentialInput } from './company-registry';
export type { StartOptions } from './simulator-server';

/**
 * A multi-tenant Personio v2 simulator on a real HTTP server. Every company has its own
 * credentials, data and faults; a token belongs to exactly one company.
 *
 * This class is the in-process admin facade; `/_admin/...` (admin-routes.ts) mirrors it over HTTP.
 * The server (simulator-server.ts) serves auth-routes.ts and resource-routes.ts.
 */
export class PersonioSimulator {
  private readonly companies = new CompanyRegistry();
  private readonly tokens: TokenStore;
  private readonly globalFaults = new FaultSet();
  private readonly requestStats = new RequestStats();
  private readonly server: SimulatorServer;

  constructor(private readonly now: () => number = Date.now) {
    this.tokens = new TokenStore(now);
    const state: SimulatorState = {
      companies: this.companies,
      tokens: this.tokens,
      globalFaults: this.globalFaults,
      requestStats: this.requestStats,
      now,
    };
    this.server = new SimulatorServer(state, (method, pathname, params, body) =>
      handleAdminRequest(this, method, pathname, params, body),
    );
  }

  start(options: StartOptions = {}): Promise<{ baseUrl: string }> {
    return this.server.start(options);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  // ---- companies and credentials -------------------------------------------------------

  createCompany(input: CreateCompanyInput = {}): SimCompanySummary {
    return this.companies.create(input).summary();
  }

  deleteCompany(companyId: string): void {
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
    return this.companies.all().map((company) => company.summary());
  }

  /** Adds or replaces a credential (by clientId). Tokens already issued keep their scopes. */
  setCredential(companyId: string, credential: CredentialInput): SimCredential {
    return this.companies.setCredential(companyId, credential);
  }

  removeCredential(clientId: string): void {
    this.companies.removeCredential(clientId);
  }

  /** Revokes every token of one company, or of all companies. */
  revokeTokens(companyId?: string): number {
    return this.tokens.revoke(companyId);
  }

  /** Moves every token of one company (or all) closer to its expiry, as if that much time had passed. */
  ageTokens(seconds: number, companyId?: string): number {
    return this.tokens.age(seconds, companyId);
  }

  /** Tokens currently valid for a company (tests use them to prove they never leak). */
  issuedTokens(companyId: string): string[] {
    return this.tokens.issuedTo(companyId);
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
    for (const company of this.companies.all()) company.faults.clear();
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

  private company(companyId: string): SimulatedCompany {
    return this.companies.get(companyId);
  }

  private faultsOf(companyId: string | undefined): FaultSet {
    return companyId === undefined ? this.globalFaults : this.company(companyId).faults;
  }
}
