import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonLink } from './match-by-email';
import { PersonioPersonLink } from './personio-person-link.entity';

export interface StoredPersonLink extends PersonLink {
  createdAt: Date;
}

/** The admin's manual links of a workspace (PRODUCT.md §8); the matcher reads them before e-mails. */
@Injectable()
export class PersonLinkStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(workspaceId: string): Promise<StoredPersonLink[]> {
    const rows = await this.dataSource
      .getRepository(PersonioPersonLink)
      .find({ where: { workspaceId }, order: { personId: 'ASC' } });
    return rows.map(toStoredLink);
  }

  async findByUser(workspaceId: string, userId: string): Promise<StoredPersonLink | null> {
    const row = await this.dataSource.getRepository(PersonioPersonLink).findOneBy({ workspaceId, userId });
    return row ? toStoredLink(row) : null;
  }

  /**
   * Links the person to the user, replacing the person's earlier link, in one transaction. The
   * unique key on (workspace, user) refuses a user linked meanwhile by a concurrent request (409).
   */
  async put(workspaceId: string, link: PersonLink): Promise<{ link: StoredPersonLink; changed: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(PersonioPersonLink);
      const existing = await repository.findOneBy({ workspaceId, personId: link.personioPersonId });
      if (existing?.userId === link.userId) return { link: toStoredLink(existing), changed: false };
      if (existing) await repository.delete({ workspaceId, personId: link.personioPersonId });
      await repository.insert({ workspaceId, personId: link.personioPersonId, userId: link.userId });
      const saved = await repository.findOneByOrFail({ workspaceId, personId: link.personioPersonId });
      return { link: toStoredLink(saved), changed: true };
    });
  }

  /** false when the person had no link. */
  async delete(workspaceId: string, personioPersonId: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(PersonioPersonLink)
      .delete({ workspaceId, personId: personioPersonId });
    return (result.affected ?? 0) > 0;
  }

  async deleteAll(workspaceId: string): Promise<number> {
    const result = await this.dataSource.getRepository(PersonioPersonLink).delete({ workspaceId });
    return result.affected ?? 0;
  }
}

function toStoredLink(row: PersonioPersonLink): StoredPersonLink {
  return { personioPersonId: row.personId, userId: row.userId, createdAt: row.createdAt };
}
