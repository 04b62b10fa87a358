/**
 * A fleet of small workspaces (1,000 × 25 persons × 250 absences at full scale) transferred by one scheduler tick
 * against a simulator answering with 30 ms of latency; checks every workspace succeeded and every absence arrived.
 */
import { performance } from 'node:perf_hooks';
import { syncWindowFor } from '../../src/integrations/personio/sync/sync-window';
import { Bench, check, Scale, SCALES, TIME_ZONE } from '../context';
import { expectedRows } from '../expectation';
import { countAbsences, measure } from '../phases';
import { insertWorkspaces, seedCompany } from '../seed';

const FLEET_LATENCY_MS = 30;

export type FleetResult = Awaited<ReturnType<typeof fleetTick>>;

export async function fleetTick(bench: Bench, scale: Scale) {
  const { fleetWorkspaces, fleetPersons, fleetAbsences } = SCALES[scale];
  const window = syncWindowFor(new Date(), TIME_ZONE);
  const setupStarted = performance.now();
  const items = [];
  for (let i = 0; i < fleetWorkspaces; i++) {
    const companyId = `fleet-${i}`;
    items.push({
      companyId,
      ...(await seedCompany(bench.simulator, companyId, 1000 + i, fleetPersons, fleetAbsences, window, false)),
    });
  }
  const seeded = await insertWorkspaces(bench, items);
  let expectedTotal = 0;
  for (const workspace of seeded) {
    expectedTotal += expectedRows(
      await bench.simulator.listAbsencePeriods(workspace.companyId),
      await bench.simulator.listAbsenceTypes(workspace.companyId),
      workspace.userIdByPersonId,
      window,
    ).size;
  }
  console.log(
    `  fleet: seeded ${fleetWorkspaces} workspaces, ${expectedTotal} absences to transfer (${Math.round(performance.now() - setupStarted)} ms)`,
  );

  await bench.simulator.setLatency(FLEET_LATENCY_MS);
  const { result, figures } = await measure(bench, () => bench.app.tick());
  await bench.simulator.setLatency(0);
  console.log(`  fleet tick: ${figures.wallMs} ms ${JSON.stringify(result)}`);
  check(
    result.claimed === fleetWorkspaces && result.succeeded === fleetWorkspaces,
    `fleet tick: ${JSON.stringify(result)}, expected ${fleetWorkspaces} claimed and succeeded`,
  );
  const rows = await countAbsences(bench);
  check(rows === expectedTotal, `fleet tick: ${rows} absences in the DB, expected ${expectedTotal}`);
  return {
    workspaces: fleetWorkspaces,
    personsPerWorkspace: fleetPersons,
    absencesPerWorkspace: fleetAbsences,
    latencyMs: FLEET_LATENCY_MS,
    concurrency: bench.syncConcurrency,
    tick: result,
    absencesInDb: rows,
    expectedAbsences: expectedTotal,
    ...figures,
  };
}
