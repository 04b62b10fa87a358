import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const ABSENCE_DESCRIPTION_MAX_LENGTH = 1000;

/** awork's absence: whole days with half-day flags. `externalProvider` set = source-locked. */
@Entity('absences')
@Index('uq_absences_external', ['workspaceId', 'externalProvider', 'externalId'], { unique: true })
@Index('ix_absences_workspace_start', ['workspaceId', 'startOn'])
@Index('ix_absences_user_start', ['userId', 'startOn'])
export class Absence {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  /** Calendar date `YYYY-MM-DD`; never converted through a JS Date. */
  @Column({ name: 'start_on', type: 'date' })
  startOn: string;

  @Column({ name: 'end_on', type: 'date' })
  endOn: string;

  @Column({ name: 'is_half_day_on_start', type: 'boolean', default: false })
  isHalfDayOnStart: boolean;

  @Column({ name: 'is_half_day_on_end', type: 'boolean', default: false })
  isHalfDayOnEnd: boolean;

  @Column({ type: 'varchar', length: ABSENCE_DESCRIPTION_MAX_LENGTH, nullable: true })
  description: string | null;

  @Column({ name: 'external_provider', type: 'varchar', length: 32, nullable: true })
  externalProvider: string | null;

  @Column({ name: 'external_id', type: 'varchar', length: 128, nullable: true })
  externalId: string | null;

  /** Set by an integration for an absence whose source has no end yet (its endOn moves with the window). */
  @Column({ name: 'external_open_ended', type: 'boolean', default: false })
  externalOpenEnded: boolean;

  @CreateDateColumn({ name: 'created_on' })
  createdOn: Date;

  @UpdateDateColumn({ name: 'updated_on' })
  updatedOn: Date;
}
