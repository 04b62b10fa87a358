import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { HostUser, HostWorkspace } from '../../integrations/awork-host.types';
import { User } from '../users/user.entity';
import { Workspace } from './workspace.entity';

/** What integrations may read about workspaces and their users. */
@Injectable()
export class HostDirectoryAdapter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async getWorkspace(workspaceId: string): Promise<HostWorkspace | null> {
    const workspace = await this.dataSource.getRepository(Workspace).findOne({ where: { id: workspaceId } });
    return workspace ? { id: workspace.id, plan: workspace.plan, timeZone: workspace.timeZone } : null;
  }

  async listUsers(workspaceId: string): Promise<HostUser[]> {
    const users = await this.dataSource
      .getRepository(User)
      .find({ select: { id: true, email: true, name: true }, where: { workspaceId } });
    return users.map(({ id, email, name }) => ({ id, email, name }));
  }
}
