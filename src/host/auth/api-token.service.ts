import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { User } from '../users/user.entity';
import { ApiToken } from './api-token.entity';
import { Principal } from './principal';

@Injectable()
export class ApiTokenService {
  constructor(
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  /** Creates a token for the user and returns it in clear: the only time it is visible. */
  async issue(userId: string, manager: EntityManager = this.tokens.manager): Promise<string> {
    const token = `awk_${randomBytes(32).toString('base64url')}`;
    await manager.insert(ApiToken, { id: randomUUID(), userId, tokenHash: hashToken(token) });
    return token;
  }

  async resolve(token: string): Promise<Principal | null> {
    const row = await this.tokens.findOne({ where: { tokenHash: hashToken(token) } });
    if (!row) return null;
    const user = await this.users.findOne({ where: { id: row.userId } });
    return user ? { userId: user.id, workspaceId: user.workspaceId, role: user.role } : null;
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
