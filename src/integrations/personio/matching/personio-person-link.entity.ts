import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An admin's manual link: this Personio person is this awork user. One per person and one per user. */
@Entity('personio_person_links')
@Index('uq_personio_person_links_user', ['workspaceId', 'userId'], { unique: true })
export class PersonioPersonLink {
  @PrimaryColumn({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId: string;

  @PrimaryColumn({ name: 'person_id', type: 'varchar', length: 200 })
  personId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
