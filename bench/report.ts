/**
 * The report: the console table, the targets of issues 7 and 14 (webhook events) and the results document written to bench/results/.
 */
import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { DataSource } from 'typeorm';
import type { DbKind, Scale } from './context';
import type { FleetResult } from './scenarios/fleet-tick';
import type { LargeResult } from './scenarios/large-workspace';
import type { EventsResult } from './scenarios/webhook-events';

const TARGETS = {
  firstSyncVsDownload: 1.5,
  noChangeVsDownload: 1.2,
  peakRssMb: 300,
  fleetTickMs: 5 * 60_000,
  ackP99Ms: 100,
  visibleP99Ms: 2000,
};

type Targets = ReturnType<typeof targets>;

export function printReport(
  kind: DbKind,
  scale: Scale,
  large: LargeResult | undefined,
  fleet: FleetResult | undefined,
  events?: EventsResult,
): void {
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
  console.log(`\n${kind} / ${scale}`);
  if (large || fleet) printTable(lines);
  if (events)
    printTable([
      ['webhook events', 'events', 'ack p50/p99 ms', 'visible p50/p99 ms', 'lost', 'Personio req/event', 'duration s'],
      [
        `${events.workspaces} ws, bursts of ${events.burst}, ${events.latencyMs} ms latency`,
        String(events.events),
        `${events.ackMs.p50}/${events.ackMs.p99}`,
        `${events.visibleMs.p50}/${events.visibleMs.p99} (${events.visibleMs.count} sampled)`,
        String(events.lost),
        String(events.requestsPerEvent),
        (events.durationMs / 1000).toFixed(1),
      ],
    ]);
}

function printTable(lines: string[][]): void {
  const widths = lines[0].map((_, i) => Math.max(...lines.map((line) => line[i].length)));
  for (const [index, line] of lines.entries()) {
    console.log(`| ${line.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`);
    if (index === 0) console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  }
}

export function targets(large: LargeResult | undefined, fleet: FleetResult | undefined, events?: EventsResult) {
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
  if (events) {
    result.eventAck = {
      target: `receiver acknowledgement p99 < ${TARGETS.ackP99Ms} ms`,
      measured: `p50 ${events.ackMs.p50} ms, p99 ${events.ackMs.p99} ms (${events.ackMs.count} deliveries, at most ${events.maxInFlight} at once)`,
      met: events.ackMs.p99 !== null && events.ackMs.p99 < TARGETS.ackP99Ms,
    };
    result.eventVisible = {
      target: `change-to-visible p99 < ${TARGETS.visibleP99Ms} ms`,
      measured: `p50 ${events.visibleMs.p50} ms, p99 ${events.visibleMs.p99} ms (${events.visibleMs.count} of ${events.visibleMs.sampled} sampled)`,
      met:
        events.visibleMs.p99 !== null &&
        events.visibleMs.p99 < TARGETS.visibleP99Ms &&
        events.visibleMs.count === events.visibleMs.sampled,
    };
    result.eventsLost = {
      target: '0 events lost (every changed absence visible at the end)',
      measured: `${events.lost} of ${events.events}`,
      met: events.lost === 0,
    };
  }
  return result;
}

export function printTargets(met: Targets): void {
  for (const [name, t] of Object.entries(met))
    console.log(`  target ${name}: ${t.target} — measured ${t.measured} — ${t.met ? 'met' : 'NOT met'}`);
}

/** The JSON written to bench/results/: machine, database version, all figures, targets and the failed checks. */
export async function resultsDocument(
  appRuntime: 'compiled' | 'ts-node',
  kind: DbKind,
  scale: Scale,
  dataSource: DataSource,
  large: LargeResult | undefined,
  fleet: FleetResult | undefined,
  met: Targets,
  checksFailed: string[],
  events?: EventsResult,
) {
  return {
    generatedAt: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machine(),
    database:
      kind === 'postgres'
        ? `PostgreSQL ${(await dataSource.query('SHOW server_version'))[0].server_version}`
        : `SQLite ${(await dataSource.query('SELECT sqlite_version() AS v'))[0].v} (better-sqlite3, WAL)`,
    scale,
    appRuntime,
    simulator: 'child process (src/personio-simulator/main.ts), loopback; its RSS is in each phase\'s "simulator"',
    rssMethod:
      'The app runs alone in a child process (bench/app-process.ts, createApp as before; compiled by tsc first unless appRuntime is ts-node). Each phase runs there: global.gc(), then RSS/heap as "app.baseline*", ' +
      'the wall time measured around the call inside the child, RSS sampled every 50 ms during it ("app.peakRssMb"), and the kernel maxRSS of the child so far ("app.maxRssMb"). ' +
      'The phase\'s top-level rssBeforeMb/peakRssMb/maxRssMb are the app child\'s; "driver" is this bench process (seed data, expectations, snapshots), not the app.',
    largeWorkspace: large,
    fleetTick: fleet,
    webhookEvents: events,
    targets: met,
    checksFailed,
  };
}

const ratio = (value: number, floor: number) => (floor > 0 ? (value / floor).toFixed(2) : '-');
export const round2 = (value: number) => Math.round(value * 100) / 100;
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function machine() {
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
