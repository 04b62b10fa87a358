import { randomUUID } from 'node:crypto';
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
  SimDeliveryFilter,
  SimPerson,
  SimWebhook,
  SimWebhookDelivery,
  SimWebhookEventName,
} from './simulator.types';
import { TokenStore } from './token-store';
import { WebhookDeliveryOptions, WebhookDispatcher } from './webhook-dispatcher';
import { absencePeriodChangeEvents, personChangeEvents } from './webhook-events';
import { cloneWebhook, newWebhook, patchedWebhook, SimWebhookInput } from './webhook-subscriptions';

export type { CreateCompanyInput, CredentialInput } from './company-registry';
export type { StartOptions } from './simulator-server';
export type { WebhookDeliveryOptions } from './webhook-dispatcher';
export type { SimWebhookInput } from './webhook-subscriptions';

export interface SimulatorOptions {
  /** How webhook deliveries time out and are retried (compressed by default; see WebhookDeliveryOptions). */
  webhookDelivery?: WebhookDeliveryOptions;
}

/**
 * A multi-tenant Personio v2 simulator on a real HTTP server. Every company has its own
 * credentials, data and faults; a token belongs to exactly one company.
 *
 * This class is the in-process admin facade; `/_admin/...` (admin-routes.ts) mirrors it over HTTP.
 * The server (simulator-server.ts) serves auth-routes.ts, resource-routes.ts and webhook-routes.ts.
 * Every change made here to persons and absence periods is sent to the company's enabled webhook
 * subscriptions in the background (webhook-dispatcher.ts); tests await `whenDelivered` or `settleDeliveries`.
 */
export class PersonioSimulator {
  private readonly companies = new CompanyRegistry();
  private readonly tokens: TokenStore;
  private readonly globalFaults = new FaultSet();
  private readonly requestStats = new RequestStats();
  private readonly server: SimulatorServer;
  private readonly webhooks: WebhookDispatcher;

  constructor(
    private readonly now: () => number = Date.now,
    options: SimulatorOptions = {},
  ) {
    this.tokens = new TokenStore(now);
    this.webhooks = new WebhookDispatcher(this.globalFaults, now);
    if (options.webhookDelivery) this.webhooks.configure(options.webhookDelivery);
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

  /** Also drops webhook deliveries still queued or waiting for a retry. */
  stop(): Promise<void> {
    this.webhooks.stop();
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
    const company = this.company(companyId);
    const before = company.persons.get(person.id);
    const after = clonePerson(person);
    company.persons.upsert(after);
    this.emit(company, personChangeEvents(before, after), person.id);
  }

  updatePerson(companyId: string, personId: string, patch: Partial<Omit<SimPerson, 'id'>>): SimPerson {
    const company = this.company(companyId);
    const before = existing(company.persons, personId);
    const updated = {
      ...before,
      ...patch,
      id: personId,
      updatedAt: patch.updatedAt ?? new Date(this.now()).toISOString(),
    };
    company.persons.upsert(updated);
    this.emit(company, personChangeEvents(before, updated), personId);
    return clonePerson(updated);
  }

  deletePerson(companyId: string, personId: string): boolean {
    const company = this.company(companyId);
    const deleted = company.persons.delete(personId);
    if (deleted) this.emit(company, ['person.deleted'], personId);
    return deleted;
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
    const company = this.company(companyId);
    const before = company.absencePeriods.get(period.id);
    const after = normalizePeriod(period);
    company.absencePeriods.upsert(after);
    this.emit(company, absencePeriodChangeEvents(before, after), period.id);
  }

  updateAbsencePeriod(
    companyId: string,
    periodId: string,
    patch: Partial<Omit<SimAbsencePeriod, 'id'>>,
  ): SimAbsencePeriod {
    const company = this.company(companyId);
    const before = existing(company.absencePeriods, periodId);
    const updated = normalizePeriod({
      ...before,
      ...patch,
      id: periodId,
      updatedAt: patch.updatedAt ?? new Date(this.now()).toISOString(),
    });
    company.absencePeriods.upsert(updated);
    this.emit(company, absencePeriodChangeEvents(before, updated), periodId);
    return normalizePeriod(updated);
  }

  deleteAbsencePeriod(companyId: string, periodId: string): boolean {
    const company = this.company(companyId);
    const deleted = company.absencePeriods.delete(periodId);
    if (deleted) this.emit(company, ['absence-period.deleted'], periodId);
    return deleted;
  }

  // ---- webhook subscriptions and deliveries --------------------------------------------

  listWebhooks(companyId: string): SimWebhook[] {
    return this.company(companyId).webhooks.values().map(cloneWebhook);
  }

  getWebhook(companyId: string, webhookId: string): SimWebhook | undefined {
    const webhook = this.company(companyId).webhooks.get(webhookId);
    return webhook && cloneWebhook(webhook);
  }

  /** A subscription made as `POST /v2/webhooks` would make it (status DISABLED unless given). */
  createWebhook(companyId: string, input: SimWebhookInput & { id?: string }): SimWebhook {
    const company = this.company(companyId);
    const webhook = newWebhook(input.id ?? randomUUID(), input, new Date(this.now()).toISOString());
    if (company.webhooks.get(webhook.id)) throw new Error(`webhook ${webhook.id} already exists`);
    company.webhooks.upsert(webhook);
    return cloneWebhook(webhook);
  }

  updateWebhook(companyId: string, webhookId: string, patch: Partial<SimWebhookInput>): SimWebhook {
    const company = this.company(companyId);
    const updated = patchedWebhook(existing(company.webhooks, webhookId), patch, new Date(this.now()).toISOString());
    company.webhooks.upsert(updated);
    return cloneWebhook(updated);
  }

  /** As if someone removed the subscription in Personio's UI. */
  deleteWebhook(companyId: string, webhookId: string): boolean {
    return this.company(companyId).webhooks.delete(webhookId);
  }

  configureWebhookDelivery(options: WebhookDeliveryOptions): void {
    this.webhooks.configure(options);
  }

  /** Every delivery attempt so far (oldest first), of one company or of all. */
  webhookDeliveries(companyId?: string): SimWebhookDelivery[] {
    return this.webhooks.deliveries(companyId);
  }

  clearWebhookDeliveries(): void {
    this.webhooks.clearLog();
  }

  /** The first attempt matching the filter that the receiver acknowledged with a 2xx (logged already, or to come). */
  whenDelivered(filter: Omit<SimDeliveryFilter, 'outcome'> = {}): Promise<SimWebhookDelivery> {
    return this.webhooks.whenAttempted({ ...filter, outcome: 'delivered' });
  }

  /** The first attempt matching the filter, whatever its outcome unless the filter names one. */
  whenDeliveryAttempted(filter: SimDeliveryFilter = {}): Promise<SimWebhookDelivery> {
    return this.webhooks.whenAttempted(filter);
  }

  /** Resolves once every event (of the company, or of all) was delivered or given up: no first attempt or retry left. */
  settleDeliveries(companyId?: string): Promise<void> {
    return this.webhooks.settled(companyId);
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

  /** Every webhook event is delivered twice. */
  duplicateDeliveries(on = true, companyId?: string): void {
    this.setFaults({ duplicateDelivery: on }, companyId);
  }

  /** The events of one burst are delivered in reverse order. */
  deliverOutOfOrder(on = true, companyId?: string): void {
    this.setFaults({ outOfOrderDelivery: on }, companyId);
  }

  /** The company's tokens lose the webhooks scopes: `/v2/webhooks` answers 401 (default) or 403; false restores them. */
  withoutWebhooksScope(status: boolean | 401 | 403 = 401, companyId?: string): void {
    this.setFaults({ missingWebhooksScope: status }, companyId);
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

  private emit(company: SimulatedCompany, events: SimWebhookEventName[], resourceId: string): void {
    for (const event of events) this.webhooks.emit(company, event, resourceId);
  }

  private company(companyId: string): SimulatedCompany {
    return this.companies.get(companyId);
  }

  private faultsOf(companyId: string | undefined): FaultSet {
    return companyId === undefined ? this.globalFaults : this.company(companyId).faults;
  }
}
