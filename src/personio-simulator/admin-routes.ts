import type { PersonioSimulator } from './personio-simulator';
import type { SimEndpoint } from './simulator-faults';
import type {
  SimAbsencePeriod,
  SimDeliveryFilter,
  SimDeliveryOutcome,
  SimPerson,
  SimWebhookEventName,
} from './simulator.types';

export interface AdminResult {
  status: number;
  body: unknown;
}

/**
 * `/_admin/...` JSON mirror of the in-process admin methods, for a simulator in another process:
 *   GET|POST /_admin/companies                 GET|DELETE /_admin/companies/:id
 *   PUT /_admin/companies/:id/credentials      POST /_admin/companies/:id/revoke-tokens
 *   PUT /_admin/companies/:id/open-end-filter  body `{ reading: "lenient" | "strict" }` (ends_at.date_time.gte and null ends)
 *   POST /_admin/companies/:id/age-tokens      body `{ seconds }`: the company's tokens expire that much sooner
 *   GET|POST /_admin/companies/:id/{persons|absence-types|absence-periods}
 *   PATCH|DELETE /_admin/companies/:id/{persons|absence-periods}/:itemId, DELETE .../absence-types/:itemId
 *   PATCH /_admin/companies/:id/{persons|absence-periods}   bulk: body `[{ id, ...patch }]` → `{ updated }`
 *   DELETE /_admin/companies/:id/absence-periods           bulk: body `{ ids: [...] }` → `{ deleted }`
 *     (bulk operations check every id first and change nothing when one is unknown)
 *   GET /_admin/process                        the simulator process's memory (rss, maxRSS, heap) in bytes
 *   PUT|DELETE /_admin/faults, PUT|DELETE /_admin/companies/:id/faults   (FaultSettings; `{ profile: "realistic" }`
 *                                               = 200 ms ± 50 ms latency and Personio's per-endpoint buckets, per company)
 *   GET|DELETE /_admin/stats                   request counts, and `rateLimited`: the requests answered 429
 *   GET /_admin[/companies/:id]/held             requests a hold fault keeps now
 *   GET /_admin[/companies/:id]/held?wait=ms[&endpoint=…&page=n]
 *                                               answers once a matching request is held (408 after ms)
 *   DELETE /_admin[/companies/:id]/held[/:heldId] releases all held requests, or one → { released }
 *   GET|POST /_admin/companies/:id/webhooks    subscriptions (camelCase SimWebhookInput; status DISABLED unless given)
 *   GET|PATCH|DELETE /_admin/companies/:id/webhooks/:webhookId   (DELETE = removed in Personio's UI)
 *   PUT /_admin/webhook-delivery               body `{ retryDelaysMs?, timeoutMs?, concurrent? }`
 *   GET /_admin[/companies/:id]/webhook-deliveries   every delivery attempt so far; DELETE /_admin/webhook-deliveries clears the log
 *   GET /_admin[/companies/:id]/webhook-deliveries?wait=ms[&eventName=…&resourceId=…&webhookId=…&outcome=…&afterSequence=n]
 *                                               answers with the first matching attempt (408 after ms)
 *   POST /_admin[/companies/:id]/settle-deliveries?wait=ms   answers once nothing is left to deliver or retry (408 after ms)
 */
export function handleAdminRequest(
  sim: PersonioSimulator,
  method: string,
  pathname: string,
  params: URLSearchParams,
  rawBody: string,
): AdminResult | Promise<AdminResult> {
  try {
    const body = rawBody ? JSON.parse(rawBody) : {};
    const parts = pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
    const route = `${method} ${parts.map((part, i) => (i % 2 === 1 && i < parts.length ? ':' : part)).join('/')}`;
    const [, companyId, , itemId] = parts;
    switch (route) {
      case 'GET companies':
        return ok(sim.listCompanies());
      case 'POST companies':
        return { status: 201, body: sim.createCompany(body) };
      case 'GET companies/:':
        return ok(sim.getCompany(companyId));
      case 'DELETE companies/:':
        return ok(sim.deleteCompany(companyId));
      case 'PUT companies/:/open-end-filter':
        return ok(sim.setOpenEndFilter(companyId, (body as { reading?: unknown }).reading as 'lenient' | 'strict'));
      case 'PUT companies/:/credentials':
        return ok(sim.setCredential(companyId, body));
      case 'POST companies/:/revoke-tokens':
        return ok({ revoked: sim.revokeTokens(companyId) });
      case 'POST companies/:/age-tokens':
        return ok({ aged: sim.ageTokens(Number((body as { seconds?: unknown }).seconds ?? 0), companyId) });
      case 'GET companies/:/persons':
        return ok(sim.listPersons(companyId));
      case 'POST companies/:/persons':
        sim.upsertPerson(companyId, body);
        return { status: 201, body: sim.getPerson(companyId, (body as { id: string }).id) };
      case 'PATCH companies/:/persons':
        return ok({
          updated: bulkUpdate<SimPerson>(
            body,
            (id) => sim.getPerson(companyId, id),
            (id, patch) => sim.updatePerson(companyId, id, patch),
          ),
        });
      case 'PATCH companies/:/persons/:':
        return ok(sim.updatePerson(companyId, itemId, body));
      case 'DELETE companies/:/persons/:':
        return ok({ deleted: sim.deletePerson(companyId, itemId) });
      case 'GET companies/:/absence-types':
        return ok(sim.listAbsenceTypes(companyId));
      case 'POST companies/:/absence-types':
        sim.upsertAbsenceType(companyId, body);
        return { status: 201, body: sim.listAbsenceTypes(companyId).find((type) => type.id === body.id) };
      case 'DELETE companies/:/absence-types/:':
        return ok({ deleted: sim.deleteAbsenceType(companyId, itemId) });
      case 'GET companies/:/absence-periods':
        return ok(sim.listAbsencePeriods(companyId));
      case 'POST companies/:/absence-periods':
        sim.upsertAbsencePeriod(companyId, body);
        return { status: 201, body: sim.getAbsencePeriod(companyId, (body as { id: string }).id) };
      case 'PATCH companies/:/absence-periods':
        return ok({
          updated: bulkUpdate<SimAbsencePeriod>(
            body,
            (id) => sim.getAbsencePeriod(companyId, id),
            (id, patch) => sim.updateAbsencePeriod(companyId, id, patch),
          ),
        });
      case 'DELETE companies/:/absence-periods':
        return ok({
          deleted: bulkDelete(
            body,
            (id) => sim.getAbsencePeriod(companyId, id),
            (id) => sim.deleteAbsencePeriod(companyId, id),
          ),
        });
      case 'PATCH companies/:/absence-periods/:':
        return ok(sim.updateAbsencePeriod(companyId, itemId, body));
      case 'DELETE companies/:/absence-periods/:':
        return ok({ deleted: sim.deleteAbsencePeriod(companyId, itemId) });
      case 'PUT faults':
        return ok(sim.setFaults(body));
      case 'DELETE faults':
        return ok(sim.clearFaults());
      case 'PUT companies/:/faults':
        return ok(sim.setFaults(body, companyId));
      case 'DELETE companies/:/faults':
        return ok(sim.clearFaults(companyId));
      case 'GET held':
        return held(sim, undefined, params);
      case 'GET companies/:/held':
        return held(sim, companyId, params);
      case 'DELETE held':
      case 'DELETE held/:':
        return ok({ released: sim.releaseHeld(undefined, heldId(parts[1])) });
      case 'DELETE companies/:/held':
      case 'DELETE companies/:/held/:':
        return ok({ released: sim.releaseHeld(companyId, heldId(itemId)) });
      case 'GET companies/:/webhooks':
        return ok(sim.listWebhooks(companyId));
      case 'POST companies/:/webhooks':
        return { status: 201, body: sim.createWebhook(companyId, body) };
      case 'GET companies/:/webhooks/:': {
        const webhook = sim.getWebhook(companyId, itemId);
        return webhook ? ok(webhook) : { status: 404, body: { error: `unknown webhook ${itemId}` } };
      }
      case 'PATCH companies/:/webhooks/:':
        return ok(sim.updateWebhook(companyId, itemId, body));
      case 'DELETE companies/:/webhooks/:':
        return ok({ deleted: sim.deleteWebhook(companyId, itemId) });
      case 'PUT webhook-delivery':
        return ok(sim.configureWebhookDelivery(body));
      case 'GET webhook-deliveries':
        return deliveries(sim, undefined, params);
      case 'GET companies/:/webhook-deliveries':
        return deliveries(sim, companyId, params);
      case 'DELETE webhook-deliveries':
        return ok(sim.clearWebhookDeliveries());
      case 'POST settle-deliveries':
        return within(
          params,
          sim.settleDeliveries().then(() => ok({ settled: true })),
          'deliveries did not settle',
        );
      case 'POST companies/:/settle-deliveries':
        return within(
          params,
          sim.settleDeliveries(companyId).then(() => ok({ settled: true })),
          'deliveries did not settle',
        );
      case 'GET stats':
        return ok(sim.stats);
      case 'DELETE stats':
        return ok(sim.resetStats());
      case 'GET process': {
        const memory = process.memoryUsage();
        return ok({
          pid: process.pid,
          rssBytes: memory.rss,
          maxRssBytes: process.resourceUsage().maxRSS * 1024,
          heapUsedBytes: memory.heapUsed,
        });
      }
      default:
        return { status: 404, body: { error: `no admin route ${method} ${pathname}` } };
    }
  } catch (error) {
    return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
  }
}

/** The held requests now, or (with `wait`) the first matching one to be held within that many ms. */
async function held(
  sim: PersonioSimulator,
  companyId: string | undefined,
  params: URLSearchParams,
): Promise<AdminResult> {
  const waitMs = params.get('wait');
  if (waitMs === null) return ok(sim.heldRequests(companyId));
  const page = params.get('page');
  const filter = {
    endpoint: (params.get('endpoint') ?? undefined) as SimEndpoint | undefined,
    page: page === null ? undefined : Number(page),
  };
  return within(params, sim.whenHeld(companyId, filter).then(ok), 'no request held');
}

/** The delivery log now, or (with `wait`) the first matching attempt within that many ms. */
function deliveries(
  sim: PersonioSimulator,
  companyId: string | undefined,
  params: URLSearchParams,
): AdminResult | Promise<AdminResult> {
  if (params.get('wait') === null) return ok(sim.webhookDeliveries(companyId));
  const text = (name: string) => params.get(name) ?? undefined;
  const afterSequence = params.get('afterSequence');
  const filter: SimDeliveryFilter = {
    companyId,
    webhookId: text('webhookId'),
    eventName: text('eventName') as SimWebhookEventName | undefined,
    resourceId: text('resourceId'),
    outcome: text('outcome') as SimDeliveryOutcome | undefined,
    afterSequence: afterSequence === null ? undefined : Number(afterSequence),
  };
  return within(params, sim.whenDeliveryAttempted(filter).then(ok), 'no matching delivery');
}

/** The answer of `promise`, or 408 once `?wait=` ms have passed (no `wait`: 10 s). */
async function within(params: URLSearchParams, promise: Promise<AdminResult>, what: string): Promise<AdminResult> {
  const waitMs = Number(params.get('wait') ?? 10_000);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<AdminResult>((resolve) => {
    timer = setTimeout(() => resolve({ status: 408, body: { error: `${what} within ${waitMs} ms` } }), waitMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function heldId(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const id = Number(raw);
  if (!Number.isInteger(id)) throw new Error(`held request id must be an integer (got ${JSON.stringify(raw)})`);
  return id;
}

type Patch<T> = { id: string } & Partial<Omit<T, 'id'>>;

/** Applies `[{ id, ...patch }]` after checking that the body is such a list and every id exists. */
function bulkUpdate<T>(
  body: unknown,
  find: (id: string) => unknown,
  update: (id: string, patch: Partial<Omit<T, 'id'>>) => unknown,
): number {
  if (!Array.isArray(body)) throw new Error('bulk PATCH expects a JSON array of { id, ...patch }');
  const patches = body as Array<Patch<T>>;
  assertAllExist(
    patches.map((patch) => patch?.id),
    find,
  );
  for (const { id, ...patch } of patches) update(id, patch as Partial<Omit<T, 'id'>>);
  return patches.length;
}

/** Deletes `{ ids: [...] }` after checking that every id exists. */
function bulkDelete(body: unknown, find: (id: string) => unknown, remove: (id: string) => boolean): number {
  const ids = (body as { ids?: unknown })?.ids;
  if (!Array.isArray(ids)) throw new Error('bulk DELETE expects { "ids": [...] }');
  assertAllExist(ids, find);
  return ids.filter((id: string) => remove(id)).length;
}

function assertAllExist(ids: unknown[], find: (id: string) => unknown): void {
  const unknownIds = ids.filter((id) => typeof id !== 'string' || find(id) === undefined);
  if (unknownIds.length > 0)
    throw new Error(
      `unknown id(s): ${unknownIds
        .slice(0, 5)
        .map((id) => JSON.stringify(id))
        .join(', ')}${unknownIds.length > 5 ? ', …' : ''}`,
    );
}

function ok(body: unknown): AdminResult {
  return { status: 200, body: body ?? { ok: true } };
}
