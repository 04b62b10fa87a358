import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../../config/app-config';
import { SyncRunRecorder } from './sync-run.recorder';

export const STALE_RUN_SWEEP_INTERVAL_NAME = 'personio-stale-run-sweep';

/**
 * Closes runs left "running" by an instance that died, on its own schedule (once per lease period)
 * rather than inside every sync. Runs only where SYNC_CRON_ENABLED is on, like the recovery pass.
 */
@Injectable()
export class StaleRunSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StaleRunSweeper.name);
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly runs: SyncRunRecorder,
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.syncCronEnabled) return;
    const interval = setInterval(() => void this.sweep(), this.config.syncLeaseSeconds * 1000);
    this.registry.addInterval(STALE_RUN_SWEEP_INTERVAL_NAME, interval);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('interval', STALE_RUN_SWEEP_INTERVAL_NAME))
      this.registry.deleteInterval(STALE_RUN_SWEEP_INTERVAL_NAME);
    await this.sweeping;
  }

  /** One sweep: runs started more than a lease ago whose workspace no live claim holds. A sweep in progress is joined. */
  sweep(): Promise<number> {
    this.sweeping ??= this.runs
      .abandonStale(new Date(Date.now() - this.config.syncLeaseSeconds * 1000))
      .then((closed) => {
        if (closed > 0) this.logger.log(`stale runs closed as abandoned count=${closed}`);
        return closed;
      })
      .catch((error: Error) => {
        // The next sweep tries again; an interval callback must never reject.
        this.logger.warn(`stale run sweep failed: ${error.message}`);
        return 0;
      })
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }
}
