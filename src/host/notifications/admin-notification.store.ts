import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, LessThan } from 'typeorm';
import type { AdminNotification } from '../../integrations/awork-host.types';
import { AdminNotificationRecord } from './admin-notification.entity';
import { AdminNotificationView } from './dto/admin-notification.dto';

/** Notifications kept per workspace; older ones are pruned when a new one arrives. */
export const KEPT_NOTIFICATIONS_PER_WORKSPACE = 500;

/** The host stand-in's notification centre: what integrations told a workspace's admins. */
@Injectable()
export class AdminNotificationStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(workspaceId: string, notification: AdminNotification): Promise<void> {
    const repository = this.dataSource.getRepository(AdminNotificationRecord);
    await repository.insert({
      id: randomUUID(),
      workspaceId,
      kind: notification.kind.slice(0, 100),
      title: notification.title.slice(0, 200),
      message: notification.message.slice(0, 2000),
      createdOn: new Date(),
    });
    const boundary = await repository.find({
      select: { createdOn: true },
      where: { workspaceId },
      order: { createdOn: 'DESC' },
      skip: KEPT_NOTIFICATIONS_PER_WORKSPACE - 1,
      take: 1,
    });
    if (boundary.length > 0) await repository.delete({ workspaceId, createdOn: LessThan(boundary[0].createdOn) });
  }

  /** Newest first. */
  async list(workspaceId: string, limit: number): Promise<AdminNotificationView[]> {
    const rows = await this.dataSource.getRepository(AdminNotificationRecord).find({
      where: { workspaceId },
      order: { createdOn: 'DESC', id: 'DESC' },
      take: limit,
    });
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      message: row.message,
      createdOn: new Date(row.createdOn).toISOString(),
    }));
  }
}
