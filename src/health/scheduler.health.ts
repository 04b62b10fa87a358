import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '../config/app-config';
import { PersonioSyncScheduler } from '../integrations/personio/sync/personio-sync.scheduler';

const SYNC_CRON_NAME = 'personio-sync';

/** Reports the sync scheduler's state; it is informational and never marks the service down. */
@Injectable()
export class SchedulerHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly scheduler: PersonioSyncScheduler,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  check(key: string) {
    return this.indicators.check(key).up({
      cronEnabled: this.config.syncCronEnabled,
      tickInProgress: this.scheduler.isTicking,
      nextTickAt: this.config.syncCronEnabled ? this.nextTickAt() : null,
    });
  }

  private nextTickAt(): string | null {
    try {
      return this.registry.getCronJob(SYNC_CRON_NAME).nextDate().toJSDate().toISOString();
    } catch {
      return null;
    }
  }
}
