/**
 * Sync speed and memory at scale, beside the download-only floor (issue 7).
 *
 *   npm run bench -- [--db=postgres|sqlite|both] [--scale=full|small] [--only=large,fleet] [--concurrency=N]
 *
 * Each database gets a fresh, bench-owned database (PostgreSQL: a new database on BENCH_POSTGRES_URL,
 * default postgres://postgres@127.0.0.1:5432/test; SQLite: a temp dir), the real app (createApp,
 * migrations, cron off) in its own child process (bench/app-process.ts, driven over IPC through
 * bench/app-process-client.ts) and the Personio simulator in another child process on loopback
 * (bench/simulator-process.ts), driven over its /_admin routes (bench/simulator-admin-client.ts).
 * Seeding, expectations, DB snapshots and checks stay in this process, on its own DataSource.
 * Wall time, SQL counts and RSS are measured inside the app child, so RSS is the app's alone;
 * this driver's and the simulator's memory are reported beside it.
 *
 *   --app-cpu-prof[=dir]   run the app child with --cpu-prof (profile written to dir when it exits, default <tmpdir>/awork-bench-profiles)
 */
import 'reflect-metadata';
import { execSync, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { User } from '../src/host/users/user.entity';
import { Workspace } from '../src/host/workspaces/workspace.entity';
import { PersonioCredentialService } from '../src/integrations/personio/credentials/personio-credential.service';
import { SecretCipher } from '../src/integrations/personio/credentials/secret-cipher';
import { PersonioIntegration } from '../src/integrations/personio/personio-integration.entity';
import { syncWindowFor } from '../src/integrations/personio/sync/sync-window';
import type { SimPerson } from '../src/personio-simulator';
import {
  compareWithExpectation,
  DbRow,
  diffSnapshots,
  expectedRows,
  ExpectedRow,
  nextDay,
  Window,
} from './expectation';
import { AppFigures, AppProcess, TimedResult } from './app-process-client';
import { mb, SqlCounts } from './instruments';
import { SimulatorAdminClient } from './simulator-admin-client';
import { SimulatorProcess } from './simulator-process';

type DbKind = 'postgres' | 'sqlite';
type Scale = 'full' | 'small';

const SCALES: Record<
  Scale,
  { persons: number; absences: number; fleetWorkspaces: number; fleetPersons: number; fleetAbsences: number }
> = {
  full: { persons: 5000, absences: 60_000, fleetWorkspaces: 1000, fleetPersons: 25, fleetAbsences: 250 },
  small: { persons: 500, absences: 6000, fleetWorkspaces: 100, fleetPersons: 25, fleetAbsences: 250 },
};
const TIME_ZONE = 'Europe/Berlin';
const CREDENTIALS_KEY = Buffer.alloc(32, 11).toString('base64');
const FLEET_LATENCY_MS = 30;
const INSERT_BATCH = 1000;
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGETS = { firstSyncVsDownload: 1.5, noChangeVsDownload: 1.2, peakRssMb: 300, fleetTickMs: 5 * 60_000 };

interface Args {
  dbs: DbKind[];
  scale: Scale;
  only: Set<string>;
  concurrency?: number;
  cpuProfDir?: string;
}

interface PhaseFigures {
  wallMs: number;
  personioRequests: number;
  requestsByEndpoint: Record<string, number>;
  /** The app's statements only (counted in the app child). */
  sql: SqlCounts;
  /** The app child's: RSS after a forced GC before the call, peak sampled every 50 ms during it, kernel maxRSS so far (= app.*). */
  rssBeforeMb: number;
  peakRssMb: number;
  maxRssMb: number;
  /** The app child's memory over the phase, measured inside it. */
  app: AppFigures;
  /** This bench driver's RSS right after the phase and its maxRSS so far (not the app's). */
  driver: { rssMb: number; maxRssMb: number };
  /** The simulator child's RSS right after the phase and its lifetime maxRSS so far. */
  simulator: { rssMb: number; maxRssMb: number };
}

interface SyncPhase extends PhaseFigures {
  status: string;
  counts: { fetched: number; created: number; updated: number; deleted: number; unchanged: number; skipped: number };
  db: { inserted: number; updated: number; deleted: number; rows: number };
}

interface DownloadPhase extends PhaseFigures {
  persons: number;
  absenceTypes: number;
  absencePeriods: number;
}

const failures: string[] = [];
function check(condition: boolean, message: string): void {
  if (!condition) {
    failures.push(message);
    console.error(`  CHECK FAILED: ${message}`);
  }
}

function parseArgs(argv: string[]): Args {
  const flags = new Map(argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=') as [string, string]));
  const db = flags.get('db') ?? 'both';
  const scale = (flags.get('scale') ?? 'full') as Scale;
  if (!['postgres', 'sqlite', 'both'].includes(db))
    throw new Error(`--db must be postgres, sqlite or both (got ${db})`);
  if (!SCALES[scale]) throw new Error(`--scale must be full or small (got ${scale})`);
  const concurrency = flags.get('concurrency') ?? process.env.SYNC_CONCURRENCY;
  return {
    dbs: db === 'both' ? ['postgres', 'sqlite'] : [db as DbKind],
    scale,
    only: new Set((flags.get('only') ?? 'large,fleet').split(',')),
    concurrency: concurrency ? Number(concurrency) : undefined,
    cpuProfDir: flags.has('app-cpu-prof')
      ? (flags.get('app-cpu-prof') ?? join(tmpdir(), 'awork-bench-profiles'))
      : undefined,
  };
}

// ---- database and app ------------------------------------------------------------------

interface BenchDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function createDatabase(kind: DbKind): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'awork-bench-'));
  if (kind === 'sqlite')
    return { env: { DATA_DIR: dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const name = `awork_bench_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), DATA_DIR: dataDir },
    drop: async () => {
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

interface Bench {
  kind: DbKind;
  /** The application under test, in its own process. */
  app: AppProcess;
  syncConcurrency: number;
  /** This process's own connection to the app's database: seeding, snapshots, counts (not measured). */
  dataSource: DataSource;
  simulator: SimulatorAdminClient;
  credentials: PersonioCredentialService;
}

// ---- seeding ---------------------------------------------------------------------------

interface SeededWorkspace {
  workspaceId: string;
  companyId: string;
  clientId: string;
  clientSecret: string;
  userIdByPersonId: Map<string, string>;
}

/**
 * One simulator company with its own credentials, every person with a distinct e-mail; returns the
 * persons as the simulator now holds them. Many-item changes go through the bulk admin routes.
 */
async function seedCompany(
  simulator: SimulatorAdminClient,
  companyId: string,
  seed: number,
  persons: number,
  absences: number,
  window: Window,
  approveAll: boolean,
) {
  const clientId = `${companyId}-client`;
  const clientSecret = `${companyId}-secret-${randomBytes(8).toString('hex')}`;
  await simulator.createCompany({
    id: companyId,
    credentials: { clientId, clientSecret },
    generate: {
      seed,
      persons,
      totalAbsences: absences,
      window,
      missingEmailShare: 0,
      emailDomain: `${companyId}.example`,
    },
  });
  // The generator gives a few persons a shared address on purpose; the bench wants all matched.
  const seen = new Set<string>();
  const emailFixes: Array<{ id: string; email: string; updatedAt: string }> = [];
  for (const person of await simulator.listPersons(companyId)) {
    let email = normalize(person.email);
    if (!email || seen.has(email)) {
      email = `person-${person.id}@${companyId}.example`;
      emailFixes.push({ id: person.id, email, updatedAt: person.updatedAt });
    }
    seen.add(email);
  }
  check(
    (await simulator.updatePersons(companyId, emailFixes)) === emailFixes.length,
    `${companyId}: not every e-mail fix was applied`,
  );
  if (approveAll) {
    const approvals = (await simulator.listAbsencePeriods(companyId))
      .filter((period) => period.approvalStatus !== 'APPROVED')
      .map((period) => ({ id: period.id, approvalStatus: 'APPROVED', updatedAt: period.updatedAt }));
    check(
      (await simulator.updateAbsencePeriods(companyId, approvals)) === approvals.length,
      `${companyId}: not every approval was applied`,
    );
  }
  return { clientId, clientSecret, persons: await simulator.listPersons(companyId) };
}

function normalize(email: string | null | undefined): string | null {
  const value = email?.trim().toLowerCase() ?? '';
  return value === '' ? null : value;
}

/** Workspaces, users and integrations straight through the DataSource (setup is not measured). */
async function insertWorkspaces(
  bench: Bench,
  items: Array<{ companyId: string; clientId: string; clientSecret: string; persons: SimPerson[] }>,
): Promise<SeededWorkspace[]> {
  const seeded: SeededWorkspace[] = [];
  const workspaces: Partial<Workspace>[] = [];
  const users: Partial<User>[] = [];
  const integrations: Partial<PersonioIntegration>[] = [];
  for (const item of items) {
    const workspaceId = randomUUID();
    workspaces.push({ id: workspaceId, name: item.companyId, plan: 'business', timeZone: TIME_ZONE });
    const userIdByPersonId = new Map<string, string>();
    for (const person of item.persons) {
      const email = normalize(person.email)!;
      const userId = randomUUID();
      userIdByPersonId.set(person.id, userId);
      users.push({
        id: userId,
        workspaceId,
        email,
        emailNormalized: email,
        name: `${person.firstName} ${person.lastName}`,
        role: 'member',
      });
    }
    integrations.push({
      id: randomUUID(),
      workspaceId,
      clientId: item.clientId,
      clientSecretEncrypted: bench.credentials.seal(workspaceId, item.clientSecret),
      hideAbsenceDetails: false,
      status: 'active',
      lastError: null,
      lastRunId: null,
      nextRunAt: null,
    });
    seeded.push({
      workspaceId,
      companyId: item.companyId,
      clientId: item.clientId,
      clientSecret: item.clientSecret,
      userIdByPersonId,
    });
  }
  for (const [entity, rows] of [
    [Workspace, workspaces],
    [User, users],
    [PersonioIntegration, integrations],
  ] as const) {
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await bench.dataSource
        .createQueryBuilder()
        .insert()
        .into(entity)
        .values(rows.slice(i, i + INSERT_BATCH))
        .updateEntity(false)
        .execute();
    }
  }
  return seeded;
}

// ---- measuring -------------------------------------------------------------------------

/** One phase in the app child: it collects its heap, times the call, counts SQL and samples its RSS. */
async function measure<T>(
  bench: Bench,
  work: () => Promise<TimedResult<T>>,
): Promise<{ result: T; figures: PhaseFigures }> {
  await bench.simulator.resetStats();
  const timed = await work();
  const stats = await bench.simulator.stats();
  const simulatorProcess = await bench.simulator.processInfo();
  return {
    result: timed.result,
    figures: {
      wallMs: timed.wallMs,
      personioRequests: stats.total,
      requestsByEndpoint: stats.byEndpoint,
      sql: timed.sql,
      rssBeforeMb: timed.app.baselineRssMb,
      peakRssMb: timed.app.peakRssMb,
      maxRssMb: timed.app.maxRssMb,
      app: timed.app,
      driver: { rssMb: mb(process.memoryUsage().rss), maxRssMb: mb(process.resourceUsage().maxRSS * 1024) },
      simulator: { rssMb: mb(simulatorProcess.rssBytes), maxRssMb: mb(simulatorProcess.maxRssBytes) },
    },
  };
}

async function snapshotAbsences(bench: Bench, workspaceId: string): Promise<Map<string, DbRow>> {
  const placeholder = bench.kind === 'postgres' ? '$1' : '?';
  const rows: Array<Record<string, unknown>> = await bench.dataSource.query(
    `SELECT id, external_id, user_id, start_on, end_on, is_half_day_on_start, is_half_day_on_end, description, updated_on
       FROM absences WHERE workspace_id = ${placeholder} AND external_provider = 'personio'`,
    [workspaceId],
  );
  return new Map(
    rows.map((row) => [
      String(row.external_id),
      {
        id: String(row.id),
        externalId: String(row.external_id),
        userId: String(row.user_id),
        startOn: String(row.start_on),
        endOn: String(row.end_on),
        isHalfDayOnStart: Boolean(row.is_half_day_on_start),
        isHalfDayOnEnd: Boolean(row.is_half_day_on_end),
        description: (row.description as string | null) ?? null,
        updatedOn: row.updated_on instanceof Date ? row.updated_on.toISOString() : String(row.updated_on),
      },
    ]),
  );
}

async function countAbsences(bench: Bench): Promise<number> {
  const [row] = await bench.dataSource.query(`SELECT COUNT(*) AS n FROM absences WHERE external_provider = 'personio'`);
  return Number(row.n);
}

/** The floor: the app's PersonioHttpClient lists everything a sync reads, in the app child (same process as the syncs). */
async function downloadOnly(
  bench: Bench,
  credentials: { clientId: string; clientSecret: string },
  window: Window,
): Promise<DownloadPhase> {
  const { result, figures } = await measure(bench, () => bench.app.download(credentials, window));
  return { ...figures, ...result };
}

async function syncPhase(bench: Bench, workspaceId: string): Promise<{ phase: SyncPhase; after: Map<string, DbRow> }> {
  const before = await snapshotAbsences(bench, workspaceId);
  const { result: run, figures } = await measure(bench, () => bench.app.sync(workspaceId));
  const after = await snapshotAbsences(bench, workspaceId);
  if (!run) throw new Error('runNow returned no run');
  const counts = {
    fetched: run.fetched,
    created: run.created,
    updated: run.updated,
    deleted: run.deleted,
    unchanged: run.unchanged,
    skipped: run.skipped,
  };
  check(run.status === 'succeeded', `sync run ${run.id} ${run.status}: ${run.error}`);
  const db = { ...diffSnapshots(before, after), rows: after.size };
  check(
    db.inserted === counts.created && db.updated === counts.updated && db.deleted === counts.deleted,
    `run counts ${JSON.stringify(counts)} disagree with the DB ${JSON.stringify(db)}`,
  );
  return { phase: { ...figures, status: run.status, counts, db }, after };
}

// ---- scenarios -------------------------------------------------------------------------

async function largeWorkspace(bench: Bench, scale: Scale) {
  const { persons, absences } = SCALES[scale];
  const window = syncWindowFor(new Date(), TIME_ZONE);
  const companyId = 'large';
  const setupStarted = performance.now();
  const seededCompany = await seedCompany(bench.simulator, companyId, 7, persons, absences, window, true);
  const { clientId, clientSecret } = seededCompany;
  const [workspace] = await insertWorkspaces(bench, [{ companyId, ...seededCompany }]);
  const expectation = async () =>
    expectedRows(
      await bench.simulator.listAbsencePeriods(companyId),
      await bench.simulator.listAbsenceTypes(companyId),
      workspace.userIdByPersonId,
      window,
    );
  const expectedAtStart = await expectation();
  check(
    expectedAtStart.size === absences,
    `expected ${absences} approved absences in the window, the simulator holds ${expectedAtStart.size}`,
  );
  console.log(
    `  large: seeded ${persons} persons, ${expectedAtStart.size} approved absences in ${window.start}..${window.end} (${Math.round(performance.now() - setupStarted)} ms)`,
  );

  const verify = (label: string, db: Map<string, DbRow>, expected: Map<string, ExpectedRow>) => {
    const problems = compareWithExpectation(db, expected);
    check(problems.length === 0, `${label}: DB differs from the simulator's window:\n    ${problems.join('\n    ')}`);
  };

  const credentials = { clientId, clientSecret };
  const downloads: DownloadPhase[] = [];
  downloads.push(await downloadOnly(bench, credentials, window));
  console.log(`  download-only #1: ${downloads[0].wallMs} ms, ${downloads[0].personioRequests} requests`);

  const first = await syncPhase(bench, workspace.workspaceId);
  console.log(`  first sync: ${first.phase.wallMs} ms`);
  check(
    first.phase.counts.created === absences && first.phase.counts.skipped === 0,
    `first sync created ${first.phase.counts.created} (skipped ${first.phase.counts.skipped}), expected ${absences}`,
  );
  verify('after the first sync', first.after, expectedAtStart);
  // The bench's own 60,000-row copies are let go as soon as they are checked (they live in this driver
  // process, not in the app child whose RSS is reported).
  first.after.clear();

  const noChange = await syncPhase(bench, workspace.workspaceId);
  console.log(`  no-change sync: ${noChange.phase.wallMs} ms`);
  const c = noChange.phase.counts;
  const w = noChange.phase.sql.absenceWrites;
  check(c.created + c.updated + c.deleted === 0, `no-change sync wrote rows: ${JSON.stringify(c)}`);
  check(w.insert + w.update + w.delete === 0, `no-change sync sent absence write statements: ${JSON.stringify(w)}`);
  check(
    noChange.phase.db.inserted + noChange.phase.db.updated + noChange.phase.db.deleted === 0,
    `no-change sync changed the DB: ${JSON.stringify(noChange.phase.db)}`,
  );
  verify('after the no-change sync', noChange.after, expectedAtStart);
  noChange.after.clear();
  expectedAtStart.clear();

  downloads.push(await downloadOnly(bench, credentials, window));
  console.log(`  download-only #2: ${downloads[1].wallMs} ms`);

  // 1 % changed (half comments, half dates moved a day later) and another 1 % deleted.
  const periods = await bench.simulator.listAbsencePeriods(companyId);
  const onePercent = Math.round(absences / 100);
  const stride = Math.floor(periods.length / (2 * onePercent));
  const picked = Array.from({ length: 2 * onePercent }, (_, i) => periods[i * stride]);
  periods.length = 0;
  const changed = picked.filter((_, i) => i % 2 === 0);
  const deleted = picked.filter((_, i) => i % 2 === 1);
  const shift = (dateTime: string) => `${nextDay(dateTime.slice(0, 10))}${dateTime.slice(10)}`;
  const patches = changed.map((period, i) => {
    const moveDates = i % 2 === 1 && period.startsFrom.dateTime.slice(0, 10) < window.end;
    return moveDates
      ? {
          id: period.id,
          startsFrom: { ...period.startsFrom, dateTime: shift(period.startsFrom.dateTime) },
          endsAt: period.endsAt && { ...period.endsAt, dateTime: shift(period.endsAt.dateTime) },
        }
      : { id: period.id, comment: `bench change ${i}` };
  });
  check(
    (await bench.simulator.updateAbsencePeriods(companyId, patches)) === changed.length,
    'not every 1% change reached the simulator',
  );
  check(
    (await bench.simulator.deleteAbsencePeriods(
      companyId,
      deleted.map((period) => period.id),
    )) === deleted.length,
    'not every 1% deletion reached the simulator',
  );
  const expectedAfterChange = await expectation();

  const onePercentSync = await syncPhase(bench, workspace.workspaceId);
  console.log(`  1% change sync: ${onePercentSync.phase.wallMs} ms`);
  const o = onePercentSync.phase.counts;
  check(
    o.created === 0 && o.updated === changed.length && o.deleted === deleted.length,
    `1% sync: expected 0/${changed.length}/${deleted.length} created/updated/deleted, got ${o.created}/${o.updated}/${o.deleted}`,
  );
  const ow = onePercentSync.phase.sql.absenceWrites;
  check(ow.insert === 0, `1% sync sent ${ow.insert} INSERT statements on absences`);
  check(
    onePercentSync.phase.db.updated === changed.length &&
      onePercentSync.phase.db.deleted === deleted.length &&
      onePercentSync.phase.db.inserted === 0,
    `1% sync touched other rows in the DB: ${JSON.stringify(onePercentSync.phase.db)}`,
  );
  verify('after the 1% sync', onePercentSync.after, expectedAfterChange);
  onePercentSync.after.clear();
  expectedAfterChange.clear();

  downloads.push(await downloadOnly(bench, credentials, window));
  console.log(`  download-only #3: ${downloads[2].wallMs} ms`);

  const floorMs = median(downloads.map((d) => d.wallMs));
  await bench.simulator.deleteCompany(companyId);
  await bench.dataSource.query(`DELETE FROM workspaces WHERE id = ${bench.kind === 'postgres' ? '$1' : '?'}`, [
    workspace.workspaceId,
  ]);
  return {
    persons,
    absences,
    window,
    changed: changed.length,
    deleted: deleted.length,
    downloadOnly: { floorMs, runs: downloads },
    firstSync: first.phase,
    noChangeSync: noChange.phase,
    onePercentSync: onePercentSync.phase,
    ratios: {
      firstSyncVsDownload: round2(first.phase.wallMs / floorMs),
      noChangeVsDownload: round2(noChange.phase.wallMs / floorMs),
      onePercentVsDownload: round2(onePercentSync.phase.wallMs / floorMs),
    },
  };
}

async function fleetTick(bench: Bench, scale: Scale) {
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

// ---- report ----------------------------------------------------------------------------

type LargeResult = Awaited<ReturnType<typeof largeWorkspace>>;
type FleetResult = Awaited<ReturnType<typeof fleetTick>>;

function printReport(kind: DbKind, scale: Scale, large: LargeResult | undefined, fleet: FleetResult | undefined): void {
  const lines: string[][] = [
    [
      'scenario',
      'wall ms',
      '× floor',
      'Personio req',
      'created',
      'updated',
      'deleted',
      'DB ins/upd/del',
      'SQL stmts',
      'abs writes',
      'app base MB',
      'app peak RSS MB',
      'app maxRSS MB',
    ],
  ];
  if (large) {
    const floor = large.downloadOnly.floorMs;
    for (const [name, d] of large.downloadOnly.runs.map((run, i) => [`download-only #${i + 1}`, run] as const)) {
      lines.push([
        name,
        String(d.wallMs),
        ratio(d.wallMs, floor),
        String(d.personioRequests),
        '-',
        '-',
        '-',
        '-',
        String(d.sql.total),
        '-',
        String(d.app.baselineRssMb),
        String(d.peakRssMb),
        String(d.maxRssMb),
      ]);
    }
    for (const [name, p] of [
      ['first sync', large.firstSync],
      ['no-change sync', large.noChangeSync],
      ['1% change sync', large.onePercentSync],
    ] as const) {
      const w = p.sql.absenceWrites;
      lines.push([
        name,
        String(p.wallMs),
        ratio(p.wallMs, floor),
        String(p.personioRequests),
        String(p.counts.created),
        String(p.counts.updated),
        String(p.counts.deleted),
        `${p.db.inserted}/${p.db.updated}/${p.db.deleted}`,
        String(p.sql.total),
        `${w.insert}/${w.update}/${w.delete}`,
        String(p.app.baselineRssMb),
        String(p.peakRssMb),
        String(p.maxRssMb),
      ]);
    }
  }
  if (fleet) {
    const w = fleet.sql.absenceWrites;
    lines.push([
      `fleet tick (${fleet.workspaces} ws, c=${fleet.concurrency})`,
      String(fleet.wallMs),
      '-',
      String(fleet.personioRequests),
      '-',
      '-',
      '-',
      `${fleet.tick.succeeded} ok`,
      String(fleet.sql.total),
      `${w.insert}/${w.update}/${w.delete}`,
      String(fleet.app.baselineRssMb),
      String(fleet.peakRssMb),
      String(fleet.maxRssMb),
    ]);
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((line) => line[i].length)));
  console.log(`\n${kind} / ${scale}`);
  for (const [index, line] of lines.entries()) {
    console.log(`| ${line.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`);
    if (index === 0) console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  }
}

function targets(large: LargeResult | undefined, fleet: FleetResult | undefined) {
  const result: Record<string, { target: string; measured: string; met: boolean }> = {};
  if (large) {
    result.firstSync = {
      target: `≤ ${TARGETS.firstSyncVsDownload} × download-only`,
      measured: `${large.ratios.firstSyncVsDownload} ×`,
      met: large.ratios.firstSyncVsDownload <= TARGETS.firstSyncVsDownload,
    };
    const written =
      large.noChangeSync.counts.created + large.noChangeSync.counts.updated + large.noChangeSync.counts.deleted;
    result.noChange = {
      target: `≤ ${TARGETS.noChangeVsDownload} × download-only, zero rows written`,
      measured: `${large.ratios.noChangeVsDownload} ×, ${written} rows written`,
      met: large.ratios.noChangeVsDownload <= TARGETS.noChangeVsDownload && written === 0,
    };
    const peak = Math.max(large.firstSync.peakRssMb, large.noChangeSync.peakRssMb, large.onePercentSync.peakRssMb);
    // The app child's RSS (sampled every 50 ms during the syncs); its kernel maxRSS also covers app start-up and the download-only runs.
    result.peakRss = {
      target: `≤ ${TARGETS.peakRssMb} MB (app process)`,
      measured: `${peak} MB (app child, sampled; its maxRSS ${large.onePercentSync.maxRssMb} MB)`,
      met: peak <= TARGETS.peakRssMb,
    };
  }
  if (fleet)
    result.fleetTick = {
      target: '< 5 min',
      measured: `${(fleet.wallMs / 1000).toFixed(1)} s`,
      met: fleet.wallMs < TARGETS.fleetTickMs,
    };
  return result;
}

const ratio = (value: number, floor: number) => (floor > 0 ? (value / floor).toFixed(2) : '-');
const round2 = (value: number) => Math.round(value * 100) / 100;
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function machine() {
  const git = (command: string) => {
    try {
      return execSync(command, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    commit: git('git rev-parse --short HEAD'),
    workingTreeDirty: git('git status --porcelain') !== '',
  };
}

// ---- main ------------------------------------------------------------------------------

async function runOn(kind: DbKind, args: Args, simulator: SimulatorAdminClient): Promise<void> {
  console.log(`\n== ${kind} (${args.scale}) ==`);
  const failuresBefore = failures.length;
  const database = await createDatabase(kind);
  let app: AppProcess | undefined;
  let dataSource: DataSource | undefined;
  try {
    const env: Record<string, string> = {
      NODE_ENV: 'bench',
      DEMO: 'false',
      CREDENTIALS_KEY,
      SYNC_CRON_ENABLED: 'false',
      PERSONIO_BASE_URL: simulator.baseUrl,
      ...(args.concurrency ? { SYNC_CONCURRENCY: String(args.concurrency) } : {}),
      ...database.env,
    };
    // The app is built in its child (createApp + init, migrations run there); this process only opens
    // its own connection to the same database afterwards, for seeding and snapshots.
    const started = await AppProcess.start(env, { cpuProfDir: args.cpuProfDir });
    app = started.app;
    console.log(
      `  app: child process ${started.pid}, RSS ${started.memory.rssMb} MB after init${args.cpuProfDir ? `, --cpu-prof into ${args.cpuProfDir}` : ''}`,
    );
    const config = loadConfig(env);
    dataSource = new DataSource({ ...dataSourceOptions(config), migrationsRun: false });
    await dataSource.initialize();
    const bench: Bench = {
      kind,
      app,
      syncConcurrency: started.syncConcurrency,
      dataSource,
      simulator,
      credentials: new PersonioCredentialService(
        new SecretCipher(config.credentialsKey, config.credentialsPreviousKeys),
      ),
    };
    const large = args.only.has('large') ? await largeWorkspace(bench, args.scale) : undefined;
    const fleet = args.only.has('fleet') ? await fleetTick(bench, args.scale) : undefined;
    printReport(kind, args.scale, large, fleet);
    const met = targets(large, fleet);
    for (const [name, t] of Object.entries(met))
      console.log(`  target ${name}: ${t.target} — measured ${t.measured} — ${t.met ? 'met' : 'NOT met'}`);
    const report = {
      generatedAt: new Date().toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine: machine(),
      database:
        kind === 'postgres'
          ? `PostgreSQL ${(await dataSource.query('SHOW server_version'))[0].server_version}`
          : `SQLite ${(await dataSource.query('SELECT sqlite_version() AS v'))[0].v} (better-sqlite3, WAL)`,
      scale: args.scale,
      simulator: 'child process (src/personio-simulator/main.ts), loopback; its RSS is in each phase\'s "simulator"',
      rssMethod:
        'The app runs alone in a child process (bench/app-process.ts, createApp as before). Each phase runs there: global.gc(), then RSS/heap as "app.baseline*", ' +
        'the wall time measured around the call inside the child, RSS sampled every 50 ms during it ("app.peakRssMb"), and the kernel maxRSS of the child so far ("app.maxRssMb"). ' +
        'The phase\'s top-level rssBeforeMb/peakRssMb/maxRssMb are the app child\'s; "driver" is this bench process (seed data, expectations, snapshots), not the app.',
      largeWorkspace: large,
      fleetTick: fleet,
      targets: met,
      checksFailed: failures.slice(failuresBefore),
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    const path = join(
      __dirname,
      'results',
      `${kind}-${args.scale}${args.only.size < 2 ? `-${[...args.only].join('-')}` : ''}.json`,
    );
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`  written ${path}`);
  } finally {
    await dataSource?.destroy().catch(() => undefined);
    await app?.stop();
    await database.drop();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.dbs.length > 1) {
    // One bench process per database (each with its own app child and simulator child).
    let failed = false;
    for (const kind of args.dbs) {
      const argv = process.argv.slice(2).filter((arg) => !arg.startsWith('--db='));
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', '-r', 'ts-node/register/transpile-only', __filename, ...argv, `--db=${kind}`],
        { stdio: 'inherit' },
      );
      failed ||= child.status !== 0;
    }
    if (failed) console.error('\nat least one database run failed');
    process.exitCode = failed ? 1 : 0;
    return;
  }
  const simulator = await SimulatorProcess.start();
  console.log(`Personio simulator: child process ${simulator.pid} on ${simulator.baseUrl}`);
  try {
    for (const kind of args.dbs) {
      for (const company of await simulator.admin.listCompanies()) await simulator.admin.deleteCompany(company.id);
      await runOn(kind, args, simulator.admin);
    }
  } finally {
    await simulator.stop();
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} check(s) failed:\n- ${failures.join('\n- ')}`);
    process.exitCode = 1;
  } else {
    console.log('\nall correctness checks passed');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
