import { SyncRun } from './sync-run.entity';
import { SyncProgress, SyncRunRecorder } from './sync-run.recorder';

/** How often a running sync writes its progress at most (the status shows it "every few seconds"). */
export const PROGRESS_INTERVAL_MS = 2_000;

/**
 * Writes a running run's progress at most every PROGRESS_INTERVAL_MS, one write at a time, never failing
 * the sync: a progress row that could not be written is only logged.
 */
export class RunProgressReporter {
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private writing = false;

  constructor(
    private readonly recorder: SyncRunRecorder,
    private readonly run: SyncRun,
    private readonly onWriteFailed: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  report(progress: SyncProgress): void {
    const now = this.now();
    if (this.writing || now - this.lastWriteAt < PROGRESS_INTERVAL_MS) return;
    this.lastWriteAt = now;
    this.writing = true;
    this.recorder
      .progressed(this.run, { ...progress })
      .catch(this.onWriteFailed)
      .finally(() => (this.writing = false));
  }
}
