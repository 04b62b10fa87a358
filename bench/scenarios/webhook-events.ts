/**
 * Personio webhooks under load (issue 14): 100 connected workspaces subscribed to the app child's HTTP port, then
 * absence-period changes made through the simulator's bulk admin routes in bursts; the simulator delivers each
 * change's event to the app's receiver (the realistic path) while answering the app's Personio calls with 30 ms of
 * latency. Measured: the receiver's acknowledgement time (in the app child, request in → response finished), the
 * change-to-visible latency of every 50th change (polled every 250 ms) (from just before the admin PATCH is sent until the absences API,
 * read as the absence's user over HTTP, lists it), events lost (every changed absence must be visible at the end)
 * and Personio requests per event (the simulator's request counts over the event phase).
 *
 * Each change approves a period that was not approved (PENDING, REJECTED, ...) and that lies in the sync window,
 * so the absence appears in awork only through its event. The simulator sends each burst's deliveries all at once
 * (its `concurrent` delivery option, for this scenario only), so a burst is 200 concurrent requests; the most the
 * receiver had open at once is reported as `maxInFlight`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { syncWindowFor } from '../../src/integrations/personio/sync/sync-window';
import { Bench, check, Scale, TIME_ZONE } from '../context';
import { expectedRows } from '../expectation';
import { insertWorkspaces, seedCompany, SeededWorkspace } from '../seed';

const EVENT_LATENCY_MS = 30;
const WORKSPACES = 100;
const PERSONS = 25;
const BURST = 200;
const SAMPLE_EVERY = 50;
const VISIBLE_DEADLINE_MS = 120_000;
const POLL_MS = 250;
export const EVENT_SCALES: Record<Scale, { events: number; absencesPerWorkspace: number }> = {
  full: { events: 10_000, absencesPerWorkspace: 900 },
  small: { events: 1000, absencesPerWorkspace: 250 },
};

export type EventsResult = Awaited<ReturnType<typeof webhookEvents>>;

interface Change {
  workspace: SeededWorkspace;
  periodId: string;
  userId: string;
  updatedAt: string;
}

export async function webhookEvents(bench: Bench, scale: Scale, appBaseUrl: string) {
  const { events, absencesPerWorkspace } = EVENT_SCALES[scale];
  const perWorkspace = Math.ceil(events / WORKSPACES);
  const window = syncWindowFor(new Date(), TIME_ZONE);
  const setupStarted = performance.now();
  const items = [];
  for (let i = 0; i < WORKSPACES; i++) {
    const companyId = `events-${i}`;
    items.push({
      companyId,
      ...(await seedCompany(bench.simulator, companyId, 5000 + i, PERSONS, absencesPerWorkspace, window, false)),
    });
  }
  const seeded = await insertWorkspaces(bench, items);
  // The first full sync (one tick for all) maps persons and subscribes each workspace to the app's receiver.
  const tick = await bench.app.tick();
  check(
    tick.result.succeeded === WORKSPACES,
    `events setup tick: ${JSON.stringify(tick.result)}, expected ${WORKSPACES} succeeded`,
  );
  const subscribed = Number(
    (await bench.dataSource.query(`SELECT COUNT(*) AS n FROM personio_integrations WHERE webhook_id IS NOT NULL`))[0].n,
  );
  check(subscribed === WORKSPACES, `events: ${subscribed} workspaces subscribed, expected ${WORKSPACES}`);

  // Per workspace, the changes to make: periods not approved yet that would show once approved.
  const queues: Change[][] = [];
  const tokens = new Map<string, string>();
  for (const workspace of seeded) {
    const periods = await bench.simulator.listAbsencePeriods(workspace.companyId);
    const types = await bench.simulator.listAbsenceTypes(workspace.companyId);
    const pending = periods.filter((p) => p.approvalStatus !== 'APPROVED' && p.approvalStatus !== 'DELETION_PENDING');
    const visibleOnce = expectedRows(
      pending.map((p) => ({ ...p, approvalStatus: 'APPROVED' })),
      types,
      workspace.userIdByPersonId,
      window,
    );
    const queue = pending
      .filter((p) => visibleOnce.has(p.id))
      .slice(0, perWorkspace)
      .map((p) => ({
        workspace,
        periodId: p.id,
        userId: workspace.userIdByPersonId.get(p.personId)!,
        updatedAt: p.updatedAt,
      }));
    check(
      queue.length === perWorkspace,
      `events: ${workspace.companyId} has ${queue.length} changes, wanted ${perWorkspace}`,
    );
    queues.push(queue);
  }
  // Bursts of BURST changes: 2 per workspace per burst with 100 workspaces, one bulk PATCH per workspace.
  const perBurstPerWorkspace = Math.max(1, Math.round(BURST / WORKSPACES));
  const bursts: Change[][][] = [];
  for (let offset = 0; offset < perWorkspace; offset += perBurstPerWorkspace)
    bursts.push(queues.map((queue) => queue.slice(offset, offset + perBurstPerWorkspace)).filter((c) => c.length > 0));
  const total = bursts.flat(2).length;
  let index = 0;
  const sampled: Change[] = [];
  for (const burst of bursts)
    for (const group of burst) for (const change of group) if (index++ % SAMPLE_EVERY === 0) sampled.push(change);
  for (const change of sampled)
    if (!tokens.has(change.userId)) tokens.set(change.userId, await bench.app.issueToken(change.userId));
  console.log(
    `  events: seeded ${WORKSPACES} workspaces (subscribed ${subscribed}), ${total} changes in ${bursts.length} bursts, ${sampled.length} sampled (${Math.round(performance.now() - setupStarted)} ms)`,
  );

  const visible = async (change: Change): Promise<boolean> => {
    const response = await fetch(`${appBaseUrl}/api/v1/absences?userId=${change.userId}&pageSize=1000`, {
      headers: { authorization: `Bearer ${tokens.get(change.userId)}` },
    });
    if (!response.ok) throw new Error(`absences API → ${response.status}`);
    const rows = (await response.json()) as Array<{ externalId: string | null }>;
    return rows.some((row) => row.externalId === change.periodId);
  };
  const sampleSet = new Set(sampled);
  const visibleMs: number[] = [];
  const notVisible: string[] = [];
  const watch = async (change: Change, changedAt: number) => {
    while (performance.now() - changedAt < VISIBLE_DEADLINE_MS) {
      if (await visible(change)) return void visibleMs.push(performance.now() - changedAt);
      await sleep(POLL_MS);
    }
    notVisible.push(change.periodId);
  };

  await bench.app.receiverTimes();
  await bench.app.receiverMaxInFlight();
  await bench.simulator.configureWebhookDelivery({ concurrent: true });
  await bench.simulator.clearDeliveries();
  await bench.simulator.setLatency(EVENT_LATENCY_MS);
  await bench.simulator.resetStats();
  const watchers: Promise<void>[] = [];
  const started = performance.now();
  for (const burst of bursts) {
    await Promise.all(
      burst.map(async (group) => {
        const changedAt = performance.now();
        const updated = await bench.simulator.updateAbsencePeriods(
          group[0].workspace.companyId,
          group.map((c) => ({ id: c.periodId, approvalStatus: 'APPROVED', updatedAt: new Date().toISOString() })),
        );
        check(updated === group.length, `events: ${updated} of ${group.length} changes applied`);
        for (const change of group) if (sampleSet.has(change)) watchers.push(watch(change, changedAt));
      }),
    );
    // The burst's deliveries are made (all acknowledged) before the next burst starts.
    await bench.simulator.settleDeliveries(60_000);
  }
  const deliveredMs = Math.round(performance.now() - started);
  await Promise.all(watchers);
  const stats = await bench.simulator.stats();
  await bench.simulator.setLatency(0);
  await bench.simulator.configureWebhookDelivery({ concurrent: false });
  const acks = await bench.app.receiverTimes();
  const maxInFlight = await bench.app.receiverMaxInFlight();
  const deliveries = await bench.simulator.webhookDeliveries();
  const delivered = deliveries.filter((d) => d.outcome === 'delivered').length;
  const failedAttempts = deliveries.filter((d) => d.outcome !== 'delivered').length;

  // Lost: every changed absence must be visible at the end (waited for up to the deadline, read from the DB).
  const allChanged = bursts.flat(2);
  let lostIds: string[] = allChanged.map((change) => change.periodId);
  const lostDeadline = performance.now() + VISIBLE_DEADLINE_MS;
  while (performance.now() < lostDeadline) {
    const ids = new Set<string>(
      (await bench.dataSource.query(`SELECT external_id AS id FROM absences WHERE external_provider = 'personio'`)).map(
        (row: { id: string }) => row.id,
      ),
    );
    lostIds = allChanged.filter((change) => !ids.has(change.periodId)).map((change) => change.periodId);
    if (lostIds.length === 0) break;
    await sleep(250);
  }
  const lost = lostIds.length;
  const durationMs = Math.round(performance.now() - started);
  check(lost === 0, `events: ${lost} of ${allChanged.length} changed absences not in the DB at the end`);
  check(
    notVisible.length === 0,
    `events: ${notVisible.length} sampled changes not visible within ${VISIBLE_DEADLINE_MS} ms`,
  );
  const apiRequests = stats.total;
  return {
    workspaces: WORKSPACES,
    personsPerWorkspace: PERSONS,
    absencesPerWorkspace,
    latencyMs: EVENT_LATENCY_MS,
    events: allChanged.length,
    burst: BURST,
    bursts: bursts.length,
    deliveries: deliveries.length,
    delivered,
    failedAttempts,
    maxInFlight,
    ackMs: { count: acks.length, p50: percentile(acks, 50), p99: percentile(acks, 99), max: percentile(acks, 100) },
    visibleMs: {
      sampled: sampled.length,
      count: visibleMs.length,
      p50: percentile(visibleMs, 50),
      p99: percentile(visibleMs, 99),
      max: percentile(visibleMs, 100),
    },
    lost,
    lostPeriodIds: lostIds.slice(0, 20),
    personioRequests: apiRequests,
    personioRequestsByEndpoint: stats.byEndpoint,
    requestsPerEvent: Math.round((apiRequests / allChanged.length) * 1000) / 1000,
    deliveredMs,
    durationMs,
  };
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[rank] * 10) / 10;
}
