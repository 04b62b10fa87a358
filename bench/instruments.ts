import type { DataSource, Logger as TypeOrmLogger, QueryRunner } from 'typeorm';

export interface SqlCounts {
  total: number;
  byVerb: Record<string, number>;
  /** INSERT / UPDATE / DELETE statements on the absences table. */
  absenceWrites: { insert: number; update: number; delete: number };
}

const ABSENCE_WRITE = /^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?absences"?(?=[\s(]|$)/i;

/**
 * Counts every statement either driver sends: both query runners call
 * `dataSource.logger.logQuery` before executing, whatever `logging` says, so the bench swaps in a
 * logger that counts and then delegates.
 */
export class SqlCounter implements TypeOrmLogger {
  paused = false;
  private counts: SqlCounts = emptyCounts();

  constructor(private readonly inner: TypeOrmLogger) {}

  static install(dataSource: DataSource): SqlCounter {
    const counter = new SqlCounter(dataSource.logger);
    (dataSource as unknown as { logger: TypeOrmLogger }).logger = counter;
    return counter;
  }

  logQuery(query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    if (!this.paused) {
      const counts = this.counts;
      counts.total++;
      const verb = (/^\s*(\w+)/.exec(query)?.[1] ?? '?').toUpperCase();
      counts.byVerb[verb] = (counts.byVerb[verb] ?? 0) + 1;
      const write = ABSENCE_WRITE.exec(query);
      if (write) {
        const kind = write[1].split(/\s/)[0].toLowerCase() as 'insert' | 'update' | 'delete';
        counts.absenceWrites[kind]++;
      }
    }
    this.inner.logQuery(query, parameters, queryRunner);
  }
  logQueryError(error: string | Error, query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.inner.logQueryError(error, query, parameters, queryRunner);
  }
  logQuerySlow(time: number, query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.inner.logQuerySlow(time, query, parameters, queryRunner);
  }
  logSchemaBuild(message: string, queryRunner?: QueryRunner): void {
    this.inner.logSchemaBuild(message, queryRunner);
  }
  logMigration(message: string, queryRunner?: QueryRunner): void {
    this.inner.logMigration(message, queryRunner);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown, queryRunner?: QueryRunner): void {
    this.inner.log(level, message, queryRunner);
  }

  reset(): void {
    this.counts = emptyCounts();
  }

  snapshot(): SqlCounts {
    return JSON.parse(JSON.stringify(this.counts)) as SqlCounts;
  }

  async whilePaused<T>(work: () => Promise<T>): Promise<T> {
    this.paused = true;
    try {
      return await work();
    } finally {
      this.paused = false;
    }
  }
}

function emptyCounts(): SqlCounts {
  return { total: 0, byVerb: {}, absenceWrites: { insert: 0, update: 0, delete: 0 } };
}

/**
 * Peak resident set size (and peak V8 heap in use), sampled every 50 ms while the event loop is free;
 * the kernel's maxRSS covers what sampling misses.
 */
export class RssSampler {
  private peak = 0;
  private peakHeap = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 50) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): number {
    const { rss, heapUsed } = process.memoryUsage();
    if (rss > this.peak) this.peak = rss;
    if (heapUsed > this.peakHeap) this.peakHeap = heapUsed;
    return rss;
  }

  reset(): void {
    this.peak = 0;
    this.peakHeap = 0;
    this.sample();
  }

  get peakBytes(): number {
    this.sample();
    return this.peak;
  }

  get peakHeapUsedBytes(): number {
    this.sample();
    return this.peakHeap;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
