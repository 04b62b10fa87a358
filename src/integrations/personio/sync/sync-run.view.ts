import { ApiProperty } from '@nestjs/swagger';
import type { SyncRunStatus, SyncTrigger } from './sync-run.entity';

export class SyncRunProgressView {
  @ApiProperty({ description: 'Pages of absence periods fetched from Personio so far' }) pages: number;
  @ApiProperty({ description: 'Distinct absence periods fetched so far' }) absencesFetched: number;
}

/** Run JSON (PRODUCT.md §5). */
export class SyncRunView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: ['schedule', 'manual', 'setup', 'webhook'],
    description: '`webhook`: a batch of Personio events (not a full run; `fetched` counts the periods fetched by id)',
  })
  trigger: SyncTrigger;
  @ApiProperty({ enum: ['running', 'succeeded', 'failed'] }) status: SyncRunStatus;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiProperty({ format: 'date', example: '2026-07-07' }) windowStart: string;
  @ApiProperty({ format: 'date', example: '2027-01-17' }) windowEnd: string;
  @ApiProperty({ description: 'Absence periods listed by Personio for the window' }) fetched: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() deleted: number;
  @ApiProperty() unchanged: number;
  @ApiProperty({
    description:
      'In-window absence periods not transferred: not approved, an unknown or missing approval status, or of an unmatched person (never counted in invalid too)',
  })
  skipped: number;
  @ApiProperty({
    description:
      'Malformed absence periods skipped (no id, an id longer than 128 characters, unreadable dates, end before start, a person without id); a copy transferred earlier is kept',
  })
  invalid: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Manual absences of matched users that a transferred absence now duplicates, counted when the run ended (GET …/duplicates lists them); null when not counted',
  })
  duplicates: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Personio: listing /v2/absence-periods stopped at page 3: HTTP 500 after 5 attempts',
  })
  error: string | null;
  @ApiProperty({
    type: SyncRunProgressView,
    required: false,
    description:
      'Only while the run is `running` (a full run): how far the fetch from Personio got, updated every few seconds',
  })
  progress?: SyncRunProgressView;
}
