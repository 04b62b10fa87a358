import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

@Entity('users')
@Index('uq_users_workspace_email', ['workspaceId', 'emailNormalized'], { unique: true })
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId: string;

  /** As the user typed it; uniqueness and matching use the normalized form. */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ name: 'email_normalized', type: 'varchar', length: 320 })
  emailNormalized: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 10 })
  role: Role;

  @CreateDateColumn({ name: 'created_on' })
  createdOn: Date;
}

export function normalizeAccountEmail(email: string): string {
  return email.trim().toLowerCase();
}
