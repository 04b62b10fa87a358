import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const PLANS = ['free', 'basic', 'business', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

@Entity('workspaces')
export class Workspace {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  plan: Plan;

  /** IANA zone; "today" for the sync window is the local date here. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone: string;

  @CreateDateColumn({ name: 'created_on' })
  createdOn: Date;
}
