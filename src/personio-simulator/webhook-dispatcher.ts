import { ClientRequest, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SimulatedCompany } from './simulated-company';
import type { FaultSet } from './simulator-faults';
import {
  SimDeliveryFilter,
  SimDeliveryOutcome,
  SimWebhook,
  SimWebhookDelivery,
  SimWebhookEnvelope,
  SimWebhookEventName,
} from './simulator.types';
import { webhookEnvelope } from './webhook-events';

export interface WebhookDeliveryOptions {
  /**
   * The wait before each retry of a timed-out or 5xx (not 501) attempt; its length is the number of
   * retries (Personio: up to 6, spread over 3 days; compressed here so tests run in milliseconds).
   */
  retryDelaysMs?: readonly number[];
  /** Per attempt: Personio counts only a 2xx within 3 s as an acknowledgement. */
  timeoutMs?: number;
  /**
   * true: a burst's deliveries to one subscription go out all at once (Personio promises no order;
   * the bench's bursts of 200 concurrent requests). Default false: one after another, so a test sees
   * a deterministic order.
   */
  concurrent?: boolean;
}

export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [50, 200, 1_000];
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 3_000;
const MAX_RETRIES = 6;

interface QueuedEvent {
  eventName: SimWebhookEventName;
  resourceId: string;
  envelope: SimWebhookEnvelope;
  subscriptions: SimWebhook[];
}

interface DeliveryJob {
  companyId: string;
  webhookId: string;
  url: string;
  authorization: string | null;
  eventName: SimWebhookEventName;
  resourceId: string;
  envelope: SimWebhookEnvelope;
  body: string;
  copy: number;
  /** Jobs of an earlier `stop()` are dropped when their attempt returns. */
  generation: number;
}

interface AttemptResult {
  status: number | null;
  error: string | null;
}

/**
 * Sends webhook events the way Personio does: a POST per event and subscription with the token in
 * `Authorization`, retried on timeouts and 5xx. Changes made in one synchronous run (one admin
 * request, or in-process calls without an await between them) form a burst; bursts and the events
 * in them reach each subscription one after another, so the order a test sees is deterministic
 * (reversed under the out-of-order fault), unless `concurrent` sends a burst's events at once. Retries run on their own timers and never hold up later
 * events. Nothing here blocks the change that caused an event.
 */
export class WebhookDispatcher {
  private retryDelaysMs: readonly number[] = DEFAULT_WEBHOOK_RETRY_DELAYS_MS;
  private timeoutMs = DEFAULT_WEBHOOK_TIMEOUT_MS;
  private concurrent = false;
  private readonly bursts = new Map<SimulatedCompany, QueuedEvent[]>();
  private flushScheduled = false;
  private readonly chains = new Map<string, Promise<void>>();
  /** Events and jobs per company not yet settled (delivered, given up or dropped). */
  private readonly unsettled = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<ClientRequest>();
  private readonly log: SimWebhookDelivery[] = [];
  private sequence = 0;
  private generation = 0;
  private attemptWaiters: Array<{ filter: SimDeliveryFilter; resolve: (delivery: SimWebhookDelivery) => void }> = [];
  private settleWaiters: Array<{ companyId: string | undefined; resolve: () => void }> = [];

  constructor(
    private readonly globalFaults: FaultSet,
    private readonly now: () => number,
  ) {}

  configure(options: WebhookDeliveryOptions): void {
    if (options.retryDelaysMs !== undefined) {
      const delays = [...options.retryDelaysMs];
      if (delays.length > MAX_RETRIES || delays.some((ms) => !Number.isFinite(ms) || ms < 0))
        throw new Error(`retryDelaysMs must be at most ${MAX_RETRIES} non-negative numbers`);
      this.retryDelaysMs = delays;
    }
    if (options.timeoutMs !== undefined) {
      if (!(options.timeoutMs > 0)) throw new Error('timeoutMs must be a positive number');
      this.timeoutMs = options.timeoutMs;
    }
    if (options.concurrent !== undefined) this.concurrent = options.concurrent === true;
  }

  /** Queues the event for every enabled subscription of the company that wants it; sent once this synchronous run ends. */
  emit(company: SimulatedCompany, eventName: SimWebhookEventName, resourceId: string): void {
    const subscriptions = company.webhooks
      .values()
      .filter((webhook) => webhook.status === 'ENABLED' && webhook.enabledEvents.includes(eventName))
      .map((webhook) => ({ ...webhook }));
    if (subscriptions.length === 0) return;
    const envelope = webhookEnvelope(company.id, eventName, resourceId, new Date(this.now()).toISOString());
    const burst = this.bursts.get(company) ?? [];
    burst.push({ eventName, resourceId, envelope, subscriptions });
    this.bursts.set(company, burst);
    this.adjustUnsettled(company.id, 1);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Every attempt so far, oldest first; of one company when given. */
  deliveries(companyId?: string): SimWebhookDelivery[] {
    return this.log.filter((d) => companyId === undefined || d.companyId === companyId).map(cloneDelivery);
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** The first attempt (already logged or still to come) that matches the filter. */
  whenAttempted(filter: SimDeliveryFilter): Promise<SimWebhookDelivery> {
    const logged = this.log.find((delivery) => matchesDelivery(filter, delivery));
    if (logged) return Promise.resolve(cloneDelivery(logged));
    return new Promise((resolve) => this.attemptWaiters.push({ filter, resolve }));
  }

  /** Resolves once no event of the company (or of any company) waits for a first attempt or a retry. */
  settled(companyId?: string): Promise<void> {
    if (this.isSettled(companyId)) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push({ companyId, resolve }));
  }

  /** Drops queued events and pending retries, aborts attempts in flight, and lets every settle waiter go. */
  stop(): void {
    this.generation += 1;
    this.bursts.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const request of this.requests) request.destroy();
    this.requests.clear();
    this.chains.clear();
    this.unsettled.clear();
    this.resolveSettleWaiters();
  }

  private flush(): void {
    this.flushScheduled = false;
    const bursts = [...this.bursts];
    this.bursts.clear();
    for (const [company, events] of bursts) {
      const duplicate = company.faults.duplicateDelivery || this.globalFaults.duplicateDelivery;
      const reverse = company.faults.outOfOrderDelivery || this.globalFaults.outOfOrderDelivery;
      const ordered = reverse ? [...events].reverse() : events;
      const jobsByWebhook = new Map<string, DeliveryJob[]>();
      for (const event of ordered) {
        for (const webhook of event.subscriptions) {
          const jobs = jobsByWebhook.get(webhook.id) ?? [];
          for (let copy = 1; copy <= (duplicate ? 2 : 1); copy++) jobs.push(this.job(company.id, webhook, event, copy));
          jobsByWebhook.set(webhook.id, jobs);
        }
      }
      for (const [webhookId, jobs] of jobsByWebhook) {
        this.adjustUnsettled(company.id, jobs.length);
        const previous = this.chains.get(webhookId) ?? Promise.resolve();
        const concurrent = this.concurrent;
        const chain = previous.then(async () => {
          if (concurrent) await Promise.all(jobs.map((job) => this.attempt(job, 1)));
          else for (const job of jobs) await this.attempt(job, 1);
        });
        this.chains.set(webhookId, chain);
        void chain.then(() => {
          if (this.chains.get(webhookId) === chain) this.chains.delete(webhookId);
        });
      }
      this.adjustUnsettled(company.id, -events.length);
    }
  }

  private job(companyId: string, webhook: SimWebhook, event: QueuedEvent, copy: number): DeliveryJob {
    return {
      companyId,
      webhookId: webhook.id,
      url: webhook.url,
      authorization: webhook.authType === 'TOKEN' ? webhook.token : null,
      eventName: event.eventName,
      resourceId: event.resourceId,
      envelope: event.envelope,
      body: JSON.stringify(event.envelope),
      copy,
      generation: this.generation,
    };
  }

  private async attempt(job: DeliveryJob, attempt: number): Promise<void> {
    if (job.generation !== this.generation) return;
    const result = await this.post(job);
    if (job.generation !== this.generation) return;
    const delivered = result.status !== null && result.status >= 200 && result.status < 300;
    // Personio retries a timeout or a 5xx other than 501 (Not Implemented); anything else is final.
    const retryable = result.status === null || (result.status >= 500 && result.status !== 501);
    const retryDelayMs = !delivered && retryable ? this.retryDelaysMs[attempt - 1] : undefined;
    const outcome: SimDeliveryOutcome = delivered ? 'delivered' : retryDelayMs !== undefined ? 'retrying' : 'failed';
    this.record(job, attempt, result, outcome);
    if (retryDelayMs === undefined) return this.adjustUnsettled(job.companyId, -1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(job, attempt + 1);
    }, retryDelayMs);
    this.timers.add(timer);
  }

  private post(job: DeliveryJob): Promise<AttemptResult> {
    return new Promise((resolve) => {
      const headers: Record<string, string | number> = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(job.body),
        'user-agent': 'Personio-Webhooks (simulator)',
      };
      // Verbatim, no "Bearer": the receiver compares the whole header with the token it chose.
      if (job.authorization !== null) headers.authorization = job.authorization;
      let req: ClientRequest;
      try {
        const url = new URL(job.url);
        const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
        // A fresh connection per attempt (no agent), so nothing lingers after a test or a stop().
        req = send(url, { method: 'POST', headers, agent: false }, (res) => {
          res.resume();
          finish({ status: res.statusCode ?? null, error: null });
        });
      } catch (error) {
        return resolve({ status: null, error: error instanceof Error ? error.message : String(error) });
      }
      const timer = setTimeout(() => {
        finish({ status: null, error: 'timeout' });
        req.destroy();
      }, this.timeoutMs);
      const finish = (result: AttemptResult) => {
        clearTimeout(timer);
        this.requests.delete(req);
        resolve(result);
      };
      this.requests.add(req);
      req.on('error', (error: NodeJS.ErrnoException) => finish({ status: null, error: error.code ?? error.message }));
      req.end(job.body);
    });
  }

  private record(job: DeliveryJob, attempt: number, result: AttemptResult, outcome: SimDeliveryOutcome): void {
    const delivery: SimWebhookDelivery = {
      sequence: ++this.sequence,
      companyId: job.companyId,
      webhookId: job.webhookId,
      url: job.url,
      eventName: job.eventName,
      resourceId: job.resourceId,
      occurredAt: job.envelope.occurred_at,
      copy: job.copy,
      attempt,
      status: result.status,
      error: result.error,
      outcome,
      envelope: job.envelope,
    };
    this.log.push(delivery);
    const waiting = this.attemptWaiters;
    this.attemptWaiters = waiting.filter((waiter) => !matchesDelivery(waiter.filter, delivery));
    for (const waiter of waiting) if (matchesDelivery(waiter.filter, delivery)) waiter.resolve(cloneDelivery(delivery));
  }

  private adjustUnsettled(companyId: string, delta: number): void {
    const count = (this.unsettled.get(companyId) ?? 0) + delta;
    if (count > 0) this.unsettled.set(companyId, count);
    else this.unsettled.delete(companyId);
    if (delta < 0) this.resolveSettleWaiters();
  }

  private isSettled(companyId: string | undefined): boolean {
    return companyId === undefined ? this.unsettled.size === 0 : !this.unsettled.has(companyId);
  }

  private resolveSettleWaiters(): void {
    const waiting = this.settleWaiters;
    this.settleWaiters = waiting.filter((waiter) => !this.isSettled(waiter.companyId));
    for (const waiter of waiting) if (this.isSettled(waiter.companyId)) waiter.resolve();
  }
}

function matchesDelivery(filter: SimDeliveryFilter, delivery: SimWebhookDelivery): boolean {
  return (
    (filter.companyId === undefined || filter.companyId === delivery.companyId) &&
    (filter.webhookId === undefined || filter.webhookId === delivery.webhookId) &&
    (filter.eventName === undefined || filter.eventName === delivery.eventName) &&
    (filter.resourceId === undefined || filter.resourceId === delivery.resourceId) &&
    (filter.outcome === undefined || filter.outcome === delivery.outcome) &&
    (filter.afterSequence === undefined || delivery.sequence > filter.afterSequence)
  );
}

function cloneDelivery(delivery: SimWebhookDelivery): SimWebhookDelivery {
  return { ...delivery, envelope: structuredClone(delivery.envelope) };
}
