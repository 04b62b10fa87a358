import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { UsersService, UserView } from '../users/users.service';
import { CreateWorkspaceDto, UpdateWorkspaceDto } from './dto/workspace.dto';
import { Plan, Workspace } from './workspace.entity';

export interface WorkspaceView {
  id: string;
  name: string;
  plan: Plan;
  timeZone: string;
}

@Injectable()
export class WorkspacesService {
  constructor(
    @InjectRepository(Workspace) private readonly workspaces: Repository<Workspace>,
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
  ) {}

  /** The workspace and its first admin, in one transaction. */
  async create(input: CreateWorkspaceDto): Promise<WorkspaceView & { admin: UserView & { token: string } }> {
    return this.dataSource.transaction(async (manager) => {
      const workspace = manager.create(Workspace, {
        id: randomUUID(),
        name: input.name.trim(),
        plan: input.plan,
        timeZone: input.timeZone,
      });
      await manager.insert(Workspace, workspace);
      const admin = await this.users.create(workspace.id, { ...input.admin, role: 'admin' }, manager);
      return { ...toWorkspaceView(workspace), admin };
    });
  }

  async get(id: string): Promise<WorkspaceView> {
    const workspace = await this.workspaces.findOne({ where: { id } });
    if (!workspace) throw new NotFoundException(`Workspace ${id} not found`);
    return toWorkspaceView(workspace);
  }

  async update(id: string, changes: UpdateWorkspaceDto): Promise<WorkspaceView> {
    const workspace = await this.get(id);
    const next = { ...workspace, ...definedOnly(changes) };
    await this.workspaces.update({ id }, { plan: next.plan, timeZone: next.timeZone });
    return next;
  }
}

function toWorkspaceView(workspace: Workspace): WorkspaceView {
  return { id: workspace.id, name: workspace.name, plan: workspace.plan, timeZone: workspace.timeZone };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
