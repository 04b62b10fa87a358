/**
 * The application under test, alone in its own process (spawned by bench/app-process-client.ts with
 * `node --expose-gc`, compiled by tsc first unless --app=ts-node; IPC channel). It builds the app exactly as the
 * bench did in-process before (createApp with the env the parent sends, `logger: false`, app.init(),
 * migrations, cron off) and exposes only what the bench times:
 *
 *   sync <workspaceId>   PersonioSyncService.runNow(id, 'manual') → the run's status and counts
 *   tick                 PersonioSyncScheduler.tick()
 *   download             the download-only floor: the same PersonioHttpClient listing, in this process
 *   memory               process.memoryUsage() and resourceUsage().maxRSS
 *   issueToken <userId>  an awork API token for that user (ApiTokenService), for reading the absences API over HTTP
 *   receiverTimes        the webhook receiver's response times since the last call (ms, measured here: request in
 *                        until the response is finished), then cleared
 *   receiverMaxInFlight  the most receiver requests open at once since the last call, then reset
 *
 * With `listenPort` in init the app also listens on 127.0.0.1:<port> (app.listen instead of app.init), so the
 * simulator can deliver webhooks to it and the bench can read the absences API; the receiver's answers are timed.
 *   close                app.close(), then exit (a --cpu-prof profile is written on that exit)
 *
 * Each timed op starts from a collected heap (global.gc, if exposed), counts the app's SQL statements
 * (SqlCounter on the app's DataSource), measures its wall time here around the call (no IPC in it) and
 * samples this process's RSS every 50 ms while it runs. The process exits when the parent's IPC
 * channel closes, so it never outlives the bench.
 */
import 'reflect-metadata';
import { ConsoleLogger, INestApplication } from '@nestjs/common';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { personioClientConfig } from '../src/integrations/personio/client/personio-client.module';
import { PersonioHttpClient } from '../src/integrations/personio/client/personio-http.client';
import { PersonioSyncScheduler } from '../src/integrations/personio/sync/personio-sync.scheduler';
import { PersonioSyncService } from '../src/integrations/personio/sync/personio-sync.service';
import { WEBHOOK_RECEIVER_PATH } from '../src/integrations/personio/webhooks/personio-webhook-subscription.service';
import { ApiTokenService } from '../src/host/auth/api-token.service';
import type {
  AppFigures,
  AppRequest,
  AppResponse,
  MemoryInfo,
  SyncRunSummary,
  TimedResult,
} from './app-process-client';
import { mb, RssSampler, SqlCounter } from './instruments';

const gc = (globalThis as { gc?: () => void }).gc;

let app: INestApplication | undefined;
let config: AppConfig;
let sql: SqlCounter;
const rss = new RssSampler(50);
let receiverTimesMs: number[] = [];
let receiverInFlight = 0;
let receiverMaxInFlight = 0;
/** Under --cpu-prof: each timed op's window on the profile's clock (µs, CLOCK_MONOTONIC), written beside the profile on exit. */
const cpuProfDir = process.execArgv.find((arg) => arg.startsWith('--cpu-prof-dir='))?.slice('--cpu-prof-dir='.length);
const phaseWindows: Array<{ op: string; startUs: number; endUs: number }> = [];
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function timed<T>(op: string, work: () => Promise<T>): Promise<TimedResult<T>> {
  gc?.();
  const baseline = process.memoryUsage();
  sql.reset();
  rss.reset();
  const startUs = nowUs();
  const started = performance.now();
  const result = await work();
  const wallMs = Math.round(performance.now() - started);
  if (cpuProfDir) phaseWindows.push({ op, startUs, endUs: nowUs() });
  const figures: AppFigures = {
    pid: process.pid,
    gcBeforePhase: gc !== undefined,
    baselineRssMb: mb(baseline.rss),
    baselineHeapUsedMb: mb(baseline.heapUsed),
    peakRssMb: mb(rss.peakBytes),
    peakHeapUsedMb: mb(rss.peakHeapUsedBytes),
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
  };
  return { result, wallMs, sql: sql.snapshot(), app: figures };
}

function memory(): MemoryInfo {
  const usage = process.memoryUsage();
  return {
    rssMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed),
    heapTotalMb: mb(usage.heapTotal),
    externalMb: mb(usage.external),
    arrayBuffersMb: mb(usage.arrayBuffers),
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
  };
}

async function handle(request: AppRequest): Promise<unknown> {
  switch (request.op) {
    case 'init': {
      if (app) throw new Error('app already built');
      config = loadConfig(request.env);
      app = await createApp(config, {
        logger: process.env.BENCH_APP_LOGS ? new ConsoleLogger({ logLevels: ['log', 'warn', 'error'] }) : false,
      });
      if (request.listenPort !== undefined) {
        app.use(
          (req: { url: string }, res: { once(event: 'finish', listener: () => void): void }, next: () => void) => {
            if (req.url.startsWith(WEBHOOK_RECEIVER_PATH)) {
              const started = performance.now();
              receiverMaxInFlight = Math.max(receiverMaxInFlight, ++receiverInFlight);
              res.once('finish', () => {
                receiverInFlight--;
                receiverTimesMs.push(performance.now() - started);
              });
            }
            next();
          },
        );
        await app.listen(request.listenPort, '127.0.0.1');
      } else await app.init();
      sql = SqlCounter.install(app.get(DataSource));
      return { pid: process.pid, syncConcurrency: config.syncConcurrency, memory: memory() };
    }
    case 'sync': {
      const sync = requireApp().get(PersonioSyncService);
      return timed('sync', async (): Promise<SyncRunSummary | null> => {
        const run = await sync.runNow(request.workspaceId, 'manual');
        return (
          run && {
            id: run.id,
            status: run.status,
            error: run.error ?? null,
            fetched: run.fetched,
            created: run.created,
            updated: run.updated,
            deleted: run.deleted,
            unchanged: run.unchanged,
            skipped: run.skipped,
            invalid: run.invalid,
            duplicates: run.duplicates ?? null,
          }
        );
      });
    }
    case 'tick': {
      const scheduler = requireApp().get(PersonioSyncScheduler);
      return timed('tick', () => scheduler.tick());
    }
    case 'download': {
      requireApp();
      const client = PersonioHttpClient.create(personioClientConfig(config.personio));
      try {
        return await timed('download', async () => {
          const counts = { persons: 0, absenceTypes: 0, absencePeriods: 0 };
          for await (const page of client.listPersons(request.credentials)) counts.persons += page.length;
          for await (const page of client.listAbsenceTypes(request.credentials)) counts.absenceTypes += page.length;
          for await (const page of client.listAbsencePeriods(request.credentials, request.window))
            counts.absencePeriods += page.length;
          return counts;
        });
      } finally {
        client.close();
      }
    }
    case 'memory':
      return memory();
    case 'issueToken':
      return requireApp().get(ApiTokenService).issue(request.userId);
    case 'receiverTimes': {
      const times = receiverTimesMs;
      receiverTimesMs = [];
      return times;
    }
    case 'receiverMaxInFlight': {
      const max = receiverMaxInFlight;
      receiverMaxInFlight = receiverInFlight;
      return max;
    }
    case 'close': {
      rss.stop();
      const closing = app;
      app = undefined;
      await closing?.close();
      if (cpuProfDir)
        writeFileSync(join(cpuProfDir, `phases-${process.pid}.json`), `${JSON.stringify(phaseWindows, null, 2)}\n`);
      // Exit after the answer is flushed; --cpu-prof writes its profile on this exit.
      setImmediate(() => process.exit(0));
      return { closed: true };
    }
  }
}

function requireApp(): INestApplication {
  if (!app) throw new Error('app not built yet (send init first)');
  return app;
}

function reply(response: AppResponse): void {
  process.send?.(response);
}

if (!process.send) {
  console.error('bench/app-process.ts is started by the bench with an IPC channel (bench/app-process-client.ts)');
  process.exit(2);
}
process.on('message', (request: AppRequest) => {
  handle(request).then(
    (result) => reply({ id: request.id, ok: true, result }),
    (error: unknown) =>
      reply({
        id: request.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
// The parent is gone (or let go of us): don't outlive it.
process.on('disconnect', () => process.exit(0));
