import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { UnmatchedPersonReason } from './match-by-email';

/** The matching the last successful full sync used, read by the event path (never a lookup of one person). */
@Entity('personio_person_matches')
export class PersonioPersonMatch {
  @PrimaryColumn({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId: string;

  @PrimaryColumn({ name: 'person_id', type: 'varchar', length: 200 })
  personId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  @Column({ name: 'unmatched_reason', type: 'varchar', length: 30, nullable: true })
  unmatchedReason: UnmatchedPersonReason | null;
}
