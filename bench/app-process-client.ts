import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TickResult } from '../src/integrations/personio/sync/personio-sync.scheduler';
import type { Window } from './expectation';
import type { SqlCounts } from './instruments';
import type { SyncCounts } from '../src/integrations/personio/sync/sync-run.recorder';

const ROOT = join(__dirname, '..');
/** bench/tsconfig.app-child.json compiles app-process.ts and the src it imports here. */
const COMPILED_CHILD = join(ROOT, 'dist', 'bench-app-child', 'bench', 'app-process.js');

/**
 * How the app child runs. `compiled` (the default) runs it as deployed, plain JavaScript (`npm start` runs
 * dist/): its RSS is the app's. `ts-node` compiles on load, as the bench did before issue 17's second
 * session; its RSS carries TypeScript's compiler (about 110 MB more after init).
 */
export type AppRuntime = 'compiled' | 'ts-node';

let compiledOnce = false;

/** Compiles the child once per bench process (tsc, about 6 s), so it always runs this checkout's code. */
function compileChild(): void {
  if (compiledOnce) return;
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'bench', 'tsconfig.app-child.json')],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (tsc.status !== 0) throw new Error(`compiling the app child failed (tsc exited ${tsc.status})`);
  compiledOnce = true;
}

export type AppRequest =
  | { id: number; op: 'init'; env: Record<string, string>; listenPort?: number }
  | { id: number; op: 'sync'; workspaceId: string }
  | { id: number; op: 'tick' }
  | { id: number; op: 'download'; credentials: { clientId: string; clientSecret: string }; window: Window }
  | { id: number; op: 'memory' }
  | { id: number; op: 'issueToken'; userId: string }
  | { id: number; op: 'receiverTimes' }
  | { id: number; op: 'receiverMaxInFlight' }
  | { id: number; op: 'close' };

export type AppResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** The app child's memory over one timed phase (MB). */
export interface AppFigures {
  pid: number;
  /** Whether the phase started from a collected heap (the child runs with --expose-gc). */
  gcBeforePhase: boolean;
  /** RSS / V8 heap in use right after that GC, before the call. */
  baselineRssMb: number;
  baselineHeapUsedMb: number;
  /** Highest RSS / V8 heap in use sampled every 50 ms during the call (and at its end). */
  peakRssMb: number;
  peakHeapUsedMb: number;
  /** The kernel's high-water mark of the child's RSS since it started (process.resourceUsage().maxRSS). */
  maxRssMb: number;
}

export interface TimedResult<T> {
  result: T;
  /** Measured in the child around the call: no IPC in it. */
  wallMs: number;
  /** Statements the app's DataSource sent during the call. */
  sql: SqlCounts;
  app: AppFigures;
}

export interface SyncRunSummary extends SyncCounts {
  id: string;
  status: string;
  error: string | null;
}

export interface MemoryInfo {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  maxRssMb: number;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; op: string };
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The application under test in its own process (bench/app-process.ts), so that the RSS the bench
 * reports is the app's alone, not the bench's seed data, expectation maps and snapshots. The child
 * exits by itself when this process's IPC channel closes; `stop()` and this process's 'exit' kill it.
 */
export class AppProcess {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exited = false;
  private readonly killOnExit = () => this.kill('SIGKILL');

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (response: AppResponse) => {
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (response.ok) waiting.resolve(response.result);
      else waiting.reject(new Error(`app child, ${waiting.op}: ${response.error}`));
    });
    child.on('error', (error) => console.error(`app child: ${error.message}`));
    child.once('exit', (code, signal) => {
      this.exited = true;
      process.off('exit', this.killOnExit);
      for (const [, waiting] of this.pending)
        waiting.reject(new Error(`app child exited during ${waiting.op} (code ${code}, signal ${signal})`));
      this.pending.clear();
    });
    process.once('exit', this.killOnExit);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Spawns the child and builds the app in it with `env` (createApp + init: migrations run there).
   * `cpuProfDir`: run the child with `--cpu-prof` and write its profile there when it exits.
   * `listenPort`: the app also listens on 127.0.0.1:<port> (webhook deliveries, the absences API over HTTP).
   */
  static async start(
    env: Record<string, string>,
    options: { cpuProfDir?: string; listenPort?: number; runtime?: AppRuntime } = {},
  ): Promise<{ app: AppProcess; pid: number; syncConcurrency: number; memory: MemoryInfo }> {
    const execArgv = ['--expose-gc'];
    if (options.cpuProfDir) {
      mkdirSync(options.cpuProfDir, { recursive: true });
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
    }
    // e.g. BENCH_APP_NODE_FLAGS=--trace-gc (flags Node refuses in NODE_OPTIONS).
    execArgv.push(...(process.env.BENCH_APP_NODE_FLAGS ?? '').split(' ').filter(Boolean));
    const runtime = options.runtime ?? 'compiled';
    if (runtime === 'compiled') compileChild();
    const entry =
      runtime === 'compiled'
        ? [COMPILED_CHILD]
        : ['-r', 'ts-node/register/transpile-only', join(__dirname, 'app-process.ts')];
    const child = spawn(process.execPath, [...execArgv, ...entry], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const app = new AppProcess(child);
    try {
      const ready = await app.call<{ pid: number; syncConcurrency: number; memory: MemoryInfo }>({
        op: 'init',
        env,
        listenPort: options.listenPort,
      });
      return { app, ...ready };
    } catch (error) {
      app.kill('SIGKILL');
      throw error;
    }
  }

  sync(workspaceId: string): Promise<TimedResult<SyncRunSummary | null>> {
    return this.call({ op: 'sync', workspaceId });
  }

  tick(): Promise<TimedResult<TickResult>> {
    return this.call({ op: 'tick' });
  }

  download(
    credentials: { clientId: string; clientSecret: string },
    window: Window,
  ): Promise<TimedResult<{ persons: number; absenceTypes: number; absencePeriods: number }>> {
    return this.call({ op: 'download', credentials, window });
  }

  memory(): Promise<MemoryInfo> {
    return this.call({ op: 'memory' });
  }

  /** An awork API token for the user (members see their own absences). */
  issueToken(userId: string): Promise<string> {
    return this.call({ op: 'issueToken', userId });
  }

  /** The webhook receiver's response times (ms, measured in the child) since the last call; clears them. */
  receiverTimes(): Promise<number[]> {
    return this.call({ op: 'receiverTimes' });
  }

  /** The most webhook deliveries the receiver had open at once since the last call; resets it. */
  receiverMaxInFlight(): Promise<number> {
    return this.call({ op: 'receiverMaxInFlight' });
  }

  /** Asks the child to close the app and exit (so a --cpu-prof profile gets written); SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    try {
      await this.call({ op: 'close' }).catch(() => this.kill('SIGTERM'));
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private call<T>(request: WithoutId<AppRequest>): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`app child has exited (${request.op})`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, op: request.op });
      this.child.send({ ...request, id } as AppRequest, (error) => {
        if (!error) return;
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  private kill(signal: NodeJS.Signals): void {
    if (!this.exited && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}
