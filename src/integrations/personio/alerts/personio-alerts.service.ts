import { Injectable, Logger } from '@nestjs/common';
import { AworkHostPort } from '../../awork-host.port';
import { PersonioIntegrationStateService } from '../personio-integration-state.service';
import { alertNotification, alertStateAfter, FullRunOutcome } from './alert-transition';

/**
 * Tells the workspace's admins when the sync needs them and when it works again, once per change of
 * state: the state lives on the integration row and moves by compare-and-set, so only one instance
 * (or run) sends. Only full runs report here; webhook batches never do.
 */
@Injectable()
export class PersonioAlertsService {
  private readonly logger = new Logger(PersonioAlertsService.name);

  constructor(
    private readonly host: AworkHostPort,
    private readonly state: PersonioIntegrationStateService,
  ) {}

  /** After a full run's outcome was recorded on the integration; never throws (the run's result stands). */
  async afterFullRun(workspaceId: string, outcome: FullRunOutcome, error: string | null): Promise<void> {
    try {
      const current = await this.state.alertStateOf(workspaceId);
      if (!current) return;
      const next = alertStateAfter(current.alertState, outcome, current.consecutiveFailedRuns);
      if (next === current.alertState) return;
      if (!(await this.state.alertStateChanged(workspaceId, current.alertState, next))) return;
      await this.host.notifyAdmins(
        workspaceId,
        alertNotification(next, { error, failedRunsInARow: current.consecutiveFailedRuns }),
      );
      this.logger.log(`workspace=${workspaceId} admins notified: sync alert ${current.alertState} → ${next}`);
    } catch (error) {
      this.logger.warn(`workspace=${workspaceId} sync alert not sent: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}
