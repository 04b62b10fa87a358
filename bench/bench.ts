/**
 * Sync speed and memory at scale, beside the download-only floor (issue 7).
 *
 *   npm run bench -- [--db=postgres|sqlite|both] [--scale=full|small] [--only=large,fleet,events] [--concurrency=N]
 *
 * `events` (issue 14, bench/scenarios/webhook-events.ts) is not in the default set: it makes the app child listen
 * on a loopback port with PUBLIC_BASE_URL pointing there, so the simulator delivers webhooks to it.
 *
 * Each database gets a fresh, bench-owned database (test/support/test-database.ts; PostgreSQL: a new database on
 * BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test; SQLite: a temp dir), the real app (createApp,
 * migrations, cron off) in its own child process (bench/app-process.ts, driven over IPC through
 * bench/app-process-client.ts) and the Personio simulator in another child process on loopback
 * (bench/simulator-process.ts), driven over its /_admin routes (bench/simulator-admin-client.ts).
 * Seeding (bench/seed.ts), expectations, DB snapshots and checks stay in this process, on its own DataSource.
 * Wall time, SQL counts and RSS are measured inside the app child (bench/phases.ts), so RSS is the app's alone;
 * this driver's and the simulator's memory are reported beside it. The scenarios are in bench/scenarios/, the table,
 * targets and results document in bench/report.ts; this file is the CLI and the order things run in.
 *
 *   --app-cpu-prof[=dir]   run the app child with --cpu-prof (profile written to dir when it exits, default <tmpdir>/awork-bench-profiles)
 *   --app=compiled|ts-node how the app child runs: compiled by tsc first, as deployed (default), or under ts-node
 *                          (its RSS then includes TypeScript's compiler; the figures before issue 17's second session)
 *
 * Issue 17, Personio's real latency and rate limits (bench/scenarios/realistic.ts):
 *
 *   npm run bench -- --profile=realistic [--db=postgres] [--scale=full|small] [--only=large,fleet]
 *                    [--fleet-workspaces=N (1000)] [--concurrency=4,16,64 (the sweep; one value = one tick)]
 *
 * writes bench/results/<db>-<scale>-realistic[-<only>]-<N>ws.json.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { PersonioCredentialService } from '../src/integrations/personio/credentials/personio-credential.service';
import { SecretCipher } from '../src/integrations/personio/credentials/secret-cipher';
import { createTestDatabase, TestDatabase } from '../test/support/test-database';
import { AppProcess, AppRuntime } from './app-process-client';
import { Bench, DbKind, failures, Scale, SCALES } from './context';
import { machine, printReport, printTargets, resultsDocument, targets } from './report';
import { fleetRealistic, largeRealistic } from './scenarios/realistic';
import { fleetTick } from './scenarios/fleet-tick';
import { largeWorkspace } from './scenarios/large-workspace';
import { webhookEvents } from './scenarios/webhook-events';
import { SimulatorAdminClient } from './simulator-admin-client';
import { freePort } from '../test/support/free-port';
import { SimulatorProcess } from './simulator-process';

const CREDENTIALS_KEY = Buffer.alloc(32, 11).toString('base64');

interface Args {
  dbs: DbKind[];
  scale: Scale;
  only: Set<string>;
  concurrency?: number;
  cpuProfDir?: string;
  profile: 'zero' | 'realistic';
  /** Realistic profile: the tick's concurrencies (one tick each) and the fleet's size. */
  sweep: number[];
  fleetWorkspaces: number;
  runtime: AppRuntime;
}

function parseArgs(argv: string[]): Args {
  const flags = new Map(argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=') as [string, string]));
  const db = flags.get('db') ?? 'both';
  const scale = (flags.get('scale') ?? 'full') as Scale;
  if (!['postgres', 'sqlite', 'both'].includes(db))
    throw new Error(`--db must be postgres, sqlite or both (got ${db})`);
  if (!SCALES[scale]) throw new Error(`--scale must be full or small (got ${scale})`);
  const concurrency = flags.get('concurrency') ?? process.env.SYNC_CONCURRENCY;
  const profile = flags.get('profile') ?? 'zero';
  if (profile !== 'zero' && profile !== 'realistic') throw new Error(`--profile must be realistic (got ${profile})`);
  const sweep = (concurrency ?? '4,16,64').split(',').map(Number);
  if (sweep.some((n) => !Number.isInteger(n) || n < 1 || n > 64))
    throw new Error(`--concurrency takes integers in 1..64 (got ${concurrency})`);
  const runtime = (flags.get('app') ?? 'compiled') as AppRuntime;
  if (runtime !== 'compiled' && runtime !== 'ts-node')
    throw new Error(`--app must be compiled or ts-node (got ${runtime})`);
  const fleetWorkspaces = Number(flags.get('fleet-workspaces') ?? 1000);
  if (!Number.isInteger(fleetWorkspaces) || fleetWorkspaces < 1)
    throw new Error(`--fleet-workspaces must be a positive integer`);
  return {
    profile,
    runtime,
    sweep,
    fleetWorkspaces,
    dbs: db === 'both' ? ['postgres', 'sqlite'] : [db as DbKind],
    scale,
    only: new Set((flags.get('only') ?? 'large,fleet').split(',')),
    concurrency: concurrency && profile === 'zero' ? Number(concurrency) : undefined,
    cpuProfDir: flags.has('app-cpu-prof')
      ? (flags.get('app-cpu-prof') ?? join(tmpdir(), 'awork-bench-profiles'))
      : undefined,
  };
}

/** The env every app child gets: cron off, the simulator as Personio, this run's database. */
function appEnv(simulator: SimulatorAdminClient, database: TestDatabase, extra: Record<string, string> = {}) {
  return {
    NODE_ENV: 'bench',
    DEMO: 'false',
    CREDENTIALS_KEY,
    SYNC_CRON_ENABLED: 'false',
    PERSONIO_BASE_URL: simulator.baseUrl,
    ...extra,
    ...database.env,
  } as Record<string, string>;
}

/**
 * The app is built in its child (createApp + init, migrations run there); this process only opens its own
 * connection to the same database afterwards, for seeding and snapshots.
 */
async function openBench(
  kind: DbKind,
  env: Record<string, string>,
  simulator: SimulatorAdminClient,
  started: Awaited<ReturnType<typeof AppProcess.start>>,
): Promise<{ bench: Bench; config: AppConfig }> {
  const config = loadConfig(env);
  const dataSource = new DataSource({ ...dataSourceOptions(config), migrationsRun: false });
  await dataSource.initialize();
  const bench: Bench = {
    kind,
    app: started.app,
    syncConcurrency: started.syncConcurrency,
    dataSource,
    simulator,
    credentials: new PersonioCredentialService(new SecretCipher(config.credentialsKey, config.credentialsPreviousKeys)),
  };
  return { bench, config };
}

async function runOn(kind: DbKind, args: Args, simulator: SimulatorAdminClient): Promise<void> {
  console.log(`\n== ${kind} (${args.scale}) ==`);
  const failuresBefore = failures.length;
  const database = await createTestDatabase(kind, { adminUrlVariable: 'BENCH_POSTGRES_URL', namePrefix: 'bench' });
  let app: AppProcess | undefined;
  let dataSource: DataSource | undefined;
  try {
    const listenPort = args.only.has('events') ? await freePort() : undefined;
    const appBaseUrl = listenPort === undefined ? undefined : `http://127.0.0.1:${listenPort}`;
    const env = appEnv(simulator, database, {
      ...(args.concurrency ? { SYNC_CONCURRENCY: String(args.concurrency) } : {}),
      ...(process.env.SYNC_MAX_PARTITIONS ? { SYNC_MAX_PARTITIONS: process.env.SYNC_MAX_PARTITIONS } : {}),
      ...(appBaseUrl ? { PUBLIC_BASE_URL: appBaseUrl } : {}),
    });
    const started = await AppProcess.start(env, { cpuProfDir: args.cpuProfDir, listenPort, runtime: args.runtime });
    app = started.app;
    console.log(
      `  app: child process ${started.pid} (${args.runtime}), RSS ${started.memory.rssMb} MB after init${args.cpuProfDir ? `, --cpu-prof into ${args.cpuProfDir}` : ''}`,
    );
    const { bench } = await openBench(kind, env, simulator, started);
    dataSource = bench.dataSource;
    const large = args.only.has('large') ? await largeWorkspace(bench, args.scale) : undefined;
    const fleet = args.only.has('fleet') ? await fleetTick(bench, args.scale) : undefined;
    const events =
      args.only.has('events') && appBaseUrl ? await webhookEvents(bench, args.scale, appBaseUrl) : undefined;
    printReport(kind, args.scale, large, fleet, events);
    const met = targets(large, fleet, events);
    printTargets(met);
    const report = await resultsDocument(
      args.runtime,
      kind,
      args.scale,
      dataSource,
      large,
      fleet,
      met,
      failures.slice(failuresBefore),
      events,
    );
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

/** `--profile=realistic`: the large workspace and the fleet sweep under Personio's latency and rate limits. */
async function runRealistic(kind: DbKind, args: Args, simulator: SimulatorAdminClient): Promise<void> {
  console.log(`\n== ${kind} (${args.scale}, realistic Personio profile) ==`);
  const failuresBefore = failures.length;
  const database = await createTestDatabase(kind, { adminUrlVariable: 'BENCH_POSTGRES_URL', namePrefix: 'bench' });
  let app: AppProcess | undefined;
  let dataSource: DataSource | undefined;
  try {
    const env = appEnv(simulator, database);
    const started = await AppProcess.start(env, { runtime: args.runtime });
    app = started.app;
    const { bench, config } = await openBench(kind, env, simulator, started);
    dataSource = bench.dataSource;
    const startApp = async (extraEnv: Record<string, string>) =>
      (await AppProcess.start({ ...env, ...extraEnv }, { runtime: args.runtime })).app;
    const large = args.only.has('large') ? await largeRealistic(bench, args.scale, startApp) : undefined;
    await app.stop();
    app = undefined;
    const fleet = args.only.has('fleet')
      ? await fleetRealistic(bench, args.fleetWorkspaces, args.sweep, startApp)
      : undefined;
    const report = {
      kind,
      scale: args.scale,
      profile:
        'realistic (simulator: 200 ms ± 50 ms a request; 30/s persons, 10/s absence periods, 150/min tokens, per company; 429 without Retry-After)',
      machine: machine(),
      appRuntime: args.runtime,
      databasePoolMax: config.databasePoolMax,
      syncMaxPartitions: config.syncMaxPartitions,
      large,
      fleet,
      checksFailed: failures.slice(failuresBefore),
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    const only = args.only.size < 2 ? `-${[...args.only].join('-')}` : '';
    const fleetSize = args.only.has('fleet') ? `-${args.fleetWorkspaces}ws` : '';
    const path = join(__dirname, 'results', `${kind}-${args.scale}-realistic${only}${fleetSize}.json`);
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`  database pool: at most ${config.databasePoolMax} connections (DATABASE_POOL_MAX)`);
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
      if (args.profile === 'realistic') await runRealistic(kind, args, simulator.admin);
      else await runOn(kind, args, simulator.admin);
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
