import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A message to a workspace's admins, as an integration sent it through AworkHostPort.notifyAdmins. */
@Entity('admin_notifications')
@Index('ix_admin_notifications_workspace_created', ['workspaceId', 'createdOn'])
export class AdminNotificationRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'workspace_id', type: 'varchar', length: 36 })
  workspaceId: string;

  @Column({ type: 'varchar', length: 100 })
  kind: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 2000 })
  message: string;

  /** Set by the store with milliseconds (SQLite's default `datetime('now')` has only seconds: newest first needs more). */
  @Column({ name: 'created_on', type: Date })
  createdOn: Date;
}
