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
    if (changes.role !== undefined) user.role = changes.role;
    await this.users.update(
      { id: user.id },
      { email: user.email, emailNormalized: user.emailNormalized, name: user.name, role: user.role },
    );
    return toUserView(user);
  }

  private async assertEmailFree(manager: EntityManager, workspaceId: string, email: string): Promise<void> {
    const taken = await manager.exists(User, { where: { workspaceId, emailNormalized: normalizeAccountEmail(email) } });
    if (taken) throw new ConflictException(`email ${email} is already used by another user of this workspace`);
  }
}

export function toUserView(user: User): UserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
