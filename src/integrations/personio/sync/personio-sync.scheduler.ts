import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AppConfig } from '../../../config/app-config';
import { PersonioSyncService, SYNC_INSTANCE_ID } from './personio-sync.service';
import { SyncLeaseRepository } from './sync-lease.repository';

export interface TickResult {
  claimed: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

/**
 * The hourly tick only claims due integrations through the database and runs them with bounded
 * concurrency. Each worker claims one integration at a time, so several instances share the
 * work and nothing waits in a local queue while its lease runs out.
 */
@Injectable()
export class PersonioSyncScheduler {
  private readonly logger = new Logger(PersonioSyncScheduler.name);
  private ticking: Promise<TickResult> | null = null;

  constructor(
    private readonly sync: PersonioSyncService,
    private readonly leases: SyncLeaseRepository,
    private readonly config: AppConfig,
    @Inject(SYNC_INSTANCE_ID) private readonly instanceId: string,
  ) {}

  @Cron('0 * * * *', { name: 'personio-sync' })
  async onHourlyTick(): Promise<void> {
    if (!this.config.syncCronEnabled) return;
    await this.tick();
  }

  /** One tick; a tick still running on this instance is joined rather than doubled. */
  tick(): Promise<TickResult> {
    this.ticking ??= this.runTick().finally(() => (this.ticking = null));
    return this.ticking;
  }

  get isTicking(): boolean {
    return this.ticking !== null;
  }

  private async runTick(): Promise<TickResult> {
    const started = Date.now();
    const result: TickResult = { claimed: 0, succeeded: 0, failed: 0, skipped: 0 };
    const worker = async () => {
      for (;;) {
        const [workspaceId] = await this.leases.claimDue(this.instanceId, this.config.syncLeaseSeconds, 1);
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
        `tick done claimed=${result.claimed} succeeded=${result.succeeded} failed=${result.failed} skipped=${result.skipped} ms=${Date.now() - started}`,
      );
    }
    return result;
  }
}
