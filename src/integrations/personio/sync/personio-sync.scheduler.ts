import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Cron, SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../../config/app-config';
import { PersonioSyncService } from './personio-sync.service';
import { SYNC_INSTANCE_ID } from './sync-claims.service';
import { SyncLeaseRepository } from './sync-lease.repository';

export interface TickResult {
  claimed: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

export const RECOVERY_INTERVAL_NAME = 'personio-sync-recovery';

type ClaimOne = () => Promise<string | undefined>;

/**
 * The hourly tick only claims due integrations through the database and runs them with bounded
 * concurrency. Each worker claims one integration at a time, so several instances share the
 * work and nothing waits in a local queue while its lease runs out. Every SYNC_RECOVERY_SECONDS a
 * recovery pass does the same for integrations whose run this hour was lost, so they do not wait
 * for the next hour. Both run only where SYNC_CRON_ENABLED is on.
 */
@Injectable()
export class PersonioSyncScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PersonioSyncScheduler.name);
  private ticking: Promise<TickResult> | null = null;
  private recovering: Promise<TickResult> | null = null;

  constructor(
    private readonly sync: PersonioSyncService,
    private readonly leases: SyncLeaseRepository,
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    @Inject(SYNC_INSTANCE_ID) private readonly instanceId: string,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.syncCronEnabled) return;
    const interval = setInterval(() => void this.recover(), this.config.syncRecoverySeconds * 1000);
    this.registry.addInterval(RECOVERY_INTERVAL_NAME, interval);
  }

  /** Stops the recovery interval and lets a pass in progress finish before the database closes. */
  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('interval', RECOVERY_INTERVAL_NAME))
      this.registry.deleteInterval(RECOVERY_INTERVAL_NAME);
    await this.recovering;
  }

  @Cron('0 * * * *', { name: 'personio-sync' })
  async onHourlyTick(): Promise<void> {
    if (!this.config.syncCronEnabled) return;
    await this.tick();
  }

  /** One tick; a tick still running on this instance is joined rather than doubled. */
  tick(): Promise<TickResult> {
    const claimDue = async () => (await this.leases.claimDue(this.instanceId, this.config.syncLeaseSeconds, 1)).at(0);
    this.ticking ??= this.runWorkers('tick', claimDue).finally(() => (this.ticking = null));
    return this.ticking;
  }

  /**
   * One recovery pass: syncs the integrations with no finished full run this hour and no live lease.
   * Skipped while this instance ticks (the tick claims the same ones); a pass in progress is joined.
   */
  recover(): Promise<TickResult> {
    if (this.ticking) return Promise.resolve({ claimed: 0, succeeded: 0, failed: 0, skipped: 0 });
    const claimUnsynced = async () =>
      (await this.leases.claimUnsyncedThisHour(this.instanceId, this.config.syncLeaseSeconds, 1)).at(0);
    this.recovering ??= this.runWorkers('recovery pass', claimUnsynced)
      .catch((error: Error) => {
        // The next pass tries again; an interval callback must never reject.
        this.logger.warn(`recovery pass failed: ${error.message}`);
        return { claimed: 0, succeeded: 0, failed: 0, skipped: 0 };
      })
      .finally(() => (this.recovering = null));
    return this.recovering;
  }

  get isTicking(): boolean {
    return this.ticking !== null;
  }

  private async runWorkers(name: string, claimOne: ClaimOne): Promise<TickResult> {
    const started = Date.now();
    const result: TickResult = { claimed: 0, succeeded: 0, failed: 0, skipped: 0 };
    const worker = async () => {
      for (;;) {
        const workspaceId = await claimOne();
        if (!workspaceId) return;
        result.claimed++;
        try {
          const run = await this.sync.runClaimed(workspaceId, 'schedule');
          if (!run) result.skipped++;
          else if (run.status === 'succeeded') result.succeeded++;
          else result.failed++;
        } catch (error) {
          // One workspace's trouble never stops the others.
          result.failed++;
          this.logger.error(`workspace=${workspaceId} scheduled sync crashed: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: this.config.syncConcurrency }, worker));
    if (result.claimed > 0) {
      this.logger.log(
        `${name} done claimed=${result.claimed} succeeded=${result.succeeded} failed=${result.failed} skipped=${result.skipped} ms=${Date.now() - started}`,
      );
    }
    return result;
  }
}
