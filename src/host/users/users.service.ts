import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { ApiTokenService } from '../auth/api-token.service';
import { normalizeAccountEmail, Role, User } from './user.entity';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly tokens: ApiTokenService,
  ) {}

  async create(
    workspaceId: string,
    input: { email: string; name: string; role?: Role },
    manager: EntityManager = this.users.manager,
  ): Promise<UserView & { token: string }> {
    const email = input.email.trim();
    await this.assertEmailFree(manager, workspaceId, email);
    const user = manager.create(User, {
      id: randomUUID(),
      workspaceId,
      email,
      emailNormalized: normalizeAccountEmail(email),
      name: input.name.trim(),
      role: input.role ?? 'member',
    });
    await manager.insert(User, user);
    const token = await this.tokens.issue(user.id, manager);
    return { ...toUserView(user), token };
  }

  async list(workspaceId: string): Promise<UserView[]> {
    const users = await this.users.find({ where: { workspaceId }, order: { email: 'ASC' } });
    return users.map(toUserView);
  }

  async get(workspaceId: string, userId: string): Promise<UserView> {
    const user = await this.users.findOne({ where: { id: userId, workspaceId } });
    if (!user) throw new NotFoundException(`User ${userId} not found`);
    return toUserView(user);
  }

  async update(
    workspaceId: string,
    userId: string,
    changes: { name?: string; role?: Role; email?: string },
  ): Promise<UserView> {
    const user = await this.users.findOne({ where: { id: userId, workspaceId } });
    if (!user) throw new NotFoundException(`User ${userId} not found`);
    if (changes.email !== undefined) {
      const email = changes.email.trim();
      if (normalizeAccountEmail(email) !== user.emailNormalized)
        await this.assertEmailFree(this.users.manager, workspaceId, email);
      user.email = email;
      user.emailNormalized = normalizeAccountEmail(email);
    }
    if (changes.name !== undefined) user.name = changes.name.trim();
    if (changes.role === 'member') await this.demoteUnlessLastAdmin(workspaceId, user.id);
    if (changes.role !== undefined) user.role = changes.role;
    await this.users.update(
      { id: user.id },
      {
        email: user.email,
        emailNormalized: user.emailNormalized,
        name: user.name,
        // The role is written only to promote: a demotion went through the guarded statement above.
        ...(changes.role === 'admin' ? { role: changes.role } : {}),
      },
    );
    return toUserView(user);
  }

  /**
   * A workspace always keeps at least one admin. One conditional UPDATE (demote only while another
   * admin exists); on PostgreSQL the workspace row is locked first, so two concurrent demotions of
   * the last two admins run one after the other and the second sees the first. SQLite runs one
   * writing statement at a time, which gives the same order.
   */
  private async demoteUnlessLastAdmin(workspaceId: string, userId: string): Promise<void> {
    const manager = this.users.manager;
    const postgres = manager.connection.options.type === 'postgres';
    const demote = async (m: EntityManager) => {
      if (postgres) await m.query('SELECT id FROM workspaces WHERE id = $1 FOR UPDATE', [workspaceId]);
      const result = await m
        .createQueryBuilder()
        .update(User)
        .set({ role: 'member' })
        .where('id = :userId AND workspace_id = :workspaceId', { userId, workspaceId })
        .andWhere(
          `EXISTS (SELECT 1 FROM users other WHERE other.workspace_id = :workspaceId AND other.role = 'admin' AND other.id <> :userId)`,
        )
        .execute();
      return result.affected ?? 0;
    };
    const demoted = postgres ? await manager.transaction(demote) : await demote(manager);
    if (demoted === 0)
      throw new ConflictException(
        'A workspace always keeps at least one admin: make another user admin before demoting this one',
      );
  }

  private async assertEmailFree(manager: EntityManager, workspaceId: string, email: string): Promise<void> {
    const taken = await manager.exists(User, { where: { workspaceId, emailNormalized: normalizeAccountEmail(email) } });
    if (taken) throw new ConflictException(`email ${email} is already used by another user of this workspace`);
  }
}

export function toUserView(user: User): UserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
