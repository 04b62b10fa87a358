import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** `webhook`: a batch of Personio events, not a full run (never `lastRun`, never changes the status). */
export type SyncTrigger = 'schedule' | 'manual' | 'setup' | 'webhook';
export const FULL_SYNC_TRIGGERS: readonly SyncTrigger[] = ['schedule', 'manual', 'setup'];
export type SyncRunStatus = 'running' | 'succeeded' | 'failed';

@Entity('personio_sync_runs')
@Index('ix_personio_sync_runs_workspace_started', ['workspaceId', 'startedAt'])
export class SyncRun {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId: string;

  @Column({ type: 'varchar', length: 10 })
  trigger: SyncTrigger;

  @Column({ type: 'varchar', length: 10 })
  status: SyncRunStatus;

  @Column({ name: 'started_at', type: Date })
  startedAt: Date;

  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'window_start', type: 'date' })
  windowStart: string;

  @Column({ name: 'window_end', type: 'date' })
  windowEnd: string;

  @Column({ type: 'integer', default: 0 }) fetched: number;
  @Column({ type: 'integer', default: 0 }) created: number;
  @Column({ type: 'integer', default: 0 }) updated: number;
  @Column({ type: 'integer', default: 0 }) deleted: number;
  @Column({ type: 'integer', default: 0 }) unchanged: number;
  @Column({ type: 'integer', default: 0 }) skipped: number;
  @Column({ type: 'integer', default: 0 }) invalid: number;
  /** Manual absences a transferred one duplicates, counted at the run's end; null when not counted. */
  @Column({ type: 'integer', nullable: true }) duplicates: number | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  error: string | null;

  /** While running: listing pages fetched so far (null before the first report). */
  @Column({ name: 'progress_pages', type: 'integer', nullable: true })
  progressPages: number | null;

  /** While running: distinct absence periods fetched so far. */
  @Column({ name: 'progress_absences_fetched', type: 'integer', nullable: true })
  progressAbsencesFetched: number | null;
}
