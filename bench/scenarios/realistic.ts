/**
 * Issue 17: the sync against Personio's real latency and rate limits (`--profile=realistic`: the simulator's
 * realistic profile, 200 ms ± 50 ms a request and per-company buckets of 30/s persons, 10/s absence periods,
 * 150/min tokens, 429 without Retry-After).
 *
 * - large: the serial download of the window (today's client, page after page), the partitioned first sync
 *   (the app as configured), and the serial first sync (a second app child with SYNC_MAX_PARTITIONS=1, after the
 *   workspace's absences and runs were removed), each checked against the simulator; beside them the rate-limit
 *   floor ⌈listed periods ÷ 100⌉ requests ÷ 10 requests/s, from this run's own listing.
 * - fleet: N workspaces of 10 persons and ~50 absences synced by one tick, once per concurrency of the sweep (a
 *   fresh app child each, the previous tick's absences, runs and leases removed first, so every tick is a first one).
 */
import { performance } from 'node:perf_hooks';
import { syncWindowFor } from '../../src/integrations/personio/sync/sync-window';
import { AppProcess } from '../app-process-client';
import { Bench, check, Scale, SCALES, TIME_ZONE } from '../context';
import { compareWithExpectation, expectedRows } from '../expectation';
import { countAbsences, downloadOnly, measure, PhaseFigures, snapshotAbsences, syncPhase } from '../phases';
import { insertWorkspaces, seedCompany } from '../seed';

/** Personio's documented absence-period rate and page size (PERSONIO_API.md §6). */
const ABSENCE_PERIOD_REQUESTS_PER_SECOND = 10;
const PERIODS_PER_PAGE = 100;
const FLEET_PERSONS = 10;
const FLEET_ABSENCES = 50;
/** Companies seeded at once (admin requests to the simulator, not measured). */
const SEED_PARALLEL = 16;

export type RealisticLargeResult = Awaited<ReturnType<typeof largeRealistic>>;
export type RealisticFleetResult = Awaited<ReturnType<typeof fleetRealistic>>;

/** Starts another app child on the same database with extra environment (stopped by the caller). */
export type StartApp = (extraEnv: Record<string, string>) => Promise<AppProcess>;

const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);

function summary(figures: PhaseFigures) {
  return {
    wallMs: figures.wallMs,
    personioRequests: figures.personioRequests,
    requestsByEndpoint: figures.requestsByEndpoint,
    rateLimited: figures.rateLimited,
    rateLimitedShare: share(figures.rateLimited, figures.personioRequests),
    peakRssMb: figures.peakRssMb,
    maxRssMb: figures.maxRssMb,
    baselineRssMb: figures.rssBeforeMb,
    peakHeapUsedMb: figures.app.peakHeapUsedMb,
    sqlStatements: figures.sql.total,
  };
}

export async function largeRealistic(bench: Bench, scale: Scale, startApp: StartApp) {
  const { persons, absences } = SCALES[scale];
  const window = syncWindowFor(new Date(), TIME_ZONE);
  const companyId = 'large-realistic';
  const seeded = await seedCompany(bench.simulator, companyId, 7, persons, absences, window, true);
  const [workspace] = await insertWorkspaces(bench, [{ companyId, ...seeded }]);
  const expected = expectedRows(
    await bench.simulator.listAbsencePeriods(companyId),
    await bench.simulator.listAbsenceTypes(companyId),
    workspace.userIdByPersonId,
    window,
  );
  check(
    // As in large-workspace.ts: the generator's few single days from midday to midday are malformed, never transferred.
    expected.size <= absences && expected.size >= absences * 0.99,
    `expected about ${absences} transferable absences in the window, the simulator holds ${expected.size}`,
  );
  const verify = async (label: string) => {
    const problems = compareWithExpectation(await snapshotAbsences(bench, workspace.workspaceId), expected);
    check(problems.length === 0, `${label}: DB differs from the simulator's window:\n    ${problems.join('\n    ')}`);
  };
  console.log(`  large (realistic): seeded ${persons} persons, ${expected.size} absences`);

  await bench.simulator.setFaults({ profile: 'realistic' });
  try {
    const download = await downloadOnly(bench, seeded, window);
    console.log(
      `  serial download: ${download.wallMs} ms, ${download.personioRequests} requests, ${download.rateLimited} × 429`,
    );
    const floorMs = (Math.ceil(download.absencePeriods / PERIODS_PER_PAGE) / ABSENCE_PERIOD_REQUESTS_PER_SECOND) * 1000;

    const partitioned = await syncPhase(bench, workspace.workspaceId);
    console.log(
      `  partitioned first sync: ${partitioned.phase.wallMs} ms (${(partitioned.phase.wallMs / floorMs).toFixed(2)} × floor), ${partitioned.phase.personioRequests} requests, ${partitioned.phase.rateLimited} × 429`,
    );
    check(
      partitioned.phase.counts.created === expected.size,
      `partitioned first sync created ${partitioned.phase.counts.created}`,
    );
    await verify('after the partitioned first sync');
    partitioned.after.clear();

    // The same first sync once more, unpartitioned: a second app child, the workspace emptied first.
    const p = bench.kind === 'postgres' ? '$1' : '?';
    await bench.dataSource.query(`DELETE FROM absences WHERE workspace_id = ${p}`, [workspace.workspaceId]);
    await bench.dataSource.query(`DELETE FROM personio_sync_runs WHERE workspace_id = ${p}`, [workspace.workspaceId]);
    const serialApp = await startApp({ SYNC_MAX_PARTITIONS: '1' });
    let serial;
    try {
      serial = await syncPhase({ ...bench, app: serialApp }, workspace.workspaceId);
    } finally {
      await serialApp.stop();
    }
    console.log(
      `  serial first sync: ${serial.phase.wallMs} ms (${(serial.phase.wallMs / floorMs).toFixed(2)} × floor), ${serial.phase.personioRequests} requests, ${serial.phase.rateLimited} × 429`,
    );
    check(serial.phase.counts.created === expected.size, `serial first sync created ${serial.phase.counts.created}`);
    await verify('after the serial first sync');
    serial.after.clear();

    return {
      persons,
      absences,
      window,
      listedPeriods: download.absencePeriods,
      rateLimitFloorMs: floorMs,
      serialDownload: { ...summary(download), vsFloor: round2(download.wallMs / floorMs) },
      partitionedFirstSync: { ...summary(partitioned.phase), vsFloor: round2(partitioned.phase.wallMs / floorMs) },
      serialFirstSync: { ...summary(serial.phase), vsFloor: round2(serial.phase.wallMs / floorMs) },
    };
  } finally {
    await bench.simulator.clearFaults();
    await bench.simulator.deleteCompany(companyId);
    const p = bench.kind === 'postgres' ? '$1' : '?';
    await bench.dataSource.query(`DELETE FROM workspaces WHERE id = ${p}`, [workspace.workspaceId]);
  }
}

export async function fleetRealistic(bench: Bench, workspaces: number, concurrencies: number[], startApp: StartApp) {
  const window = syncWindowFor(new Date(), TIME_ZONE);
  const seedingStarted = performance.now();
  const items: Array<{ companyId: string } & Awaited<ReturnType<typeof seedCompany>>> = [];
  for (let i = 0; i < workspaces; i += SEED_PARALLEL) {
    const batch = Array.from({ length: Math.min(SEED_PARALLEL, workspaces - i) }, (_, j) => i + j);
    items.push(
      ...(await Promise.all(
        batch.map(async (n) => {
          const companyId = `fleet-r-${n}`;
          return {
            companyId,
            ...(await seedCompany(bench.simulator, companyId, 5000 + n, FLEET_PERSONS, FLEET_ABSENCES, window, false)),
          };
        }),
      )),
    );
  }
  const seeded = await insertWorkspaces(bench, items);
  items.length = 0;
  let expectedTotal = 0;
  for (let i = 0; i < seeded.length; i += SEED_PARALLEL) {
    const sizes = await Promise.all(
      seeded
        .slice(i, i + SEED_PARALLEL)
        .map(async (workspace) =>
          expectedRows(
            await bench.simulator.listAbsencePeriods(workspace.companyId),
            await bench.simulator.listAbsenceTypes(workspace.companyId),
            workspace.userIdByPersonId,
            window,
          ),
        ),
    );
    expectedTotal += sizes.reduce((sum, rows) => sum + rows.size, 0);
  }
  console.log(
    `  fleet (realistic): seeded ${workspaces} workspaces × ${FLEET_PERSONS} persons, ${expectedTotal} absences to transfer (${Math.round((performance.now() - seedingStarted) / 1000)} s)`,
  );

  const ticks = [];
  for (const concurrency of concurrencies) {
    await resetFleet(bench);
    const app = await startApp({ SYNC_CONCURRENCY: String(concurrency) });
    await bench.simulator.setFaults({ profile: 'realistic' });
    try {
      const hourAtStart = hourOf(Date.now());
      const { result, figures } = await measure({ ...bench, app }, () => app.tick());
      // A tick that runs across the top of the hour rightly syncs again what it synced before it (due again).
      const crossedHour = hourOf(Date.now()) !== hourAtStart;
      const rows = await countAbsences(bench);
      console.log(
        `  fleet tick, concurrency ${concurrency}: ${figures.wallMs} ms ${JSON.stringify(result)}, ${figures.personioRequests} requests, ${figures.rateLimited} × 429, peak RSS ${figures.peakRssMb} MB (heap ${figures.app.peakHeapUsedMb} MB, ${figures.rssBeforeMb} MB before)`,
      );
      if (crossedHour)
        console.log(
          `  NOTE: the tick ran across the top of the hour: ${result.claimed - workspaces} workspaces were due again and synced twice (in the wall time); run it again for a clean figure`,
        );
      check(
        (crossedHour ? result.claimed >= workspaces : result.claimed === workspaces) &&
          result.succeeded === result.claimed,
        `fleet tick (concurrency ${concurrency}): ${JSON.stringify(result)}, expected ${workspaces} claimed and succeeded`,
      );
      check(
        rows === expectedTotal,
        `fleet tick (concurrency ${concurrency}): ${rows} absences, expected ${expectedTotal}`,
      );
      ticks.push({ concurrency, tick: result, crossedHour, absencesInDb: rows, ...summary(figures) });
    } finally {
      await bench.simulator.clearFaults();
      await app.stop();
    }
  }
  return {
    workspaces,
    personsPerWorkspace: FLEET_PERSONS,
    absencesPerWorkspace: FLEET_ABSENCES,
    expectedAbsences: expectedTotal,
    ticks,
  };
}

/** Every workspace due again, with nothing transferred yet: each tick of the sweep does the same work. */
async function resetFleet(bench: Bench): Promise<void> {
  await bench.dataSource.query(`DELETE FROM absences WHERE external_provider = 'personio'`);
  await bench.dataSource.query(`DELETE FROM personio_sync_runs`);
  await bench.dataSource.query(`DELETE FROM personio_person_matches`);
  await bench.dataSource.query(
    `UPDATE personio_integrations SET next_run_at = NULL, lease_owner = NULL, lease_expires_at = NULL`,
  );
}

const hourOf = (epochMs: number) => Math.floor(epochMs / 3_600_000);

const round2 = (value: number) => Math.round(value * 100) / 100;
