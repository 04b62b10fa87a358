import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonUserMatching } from './match-by-email';
import { PersonioPersonMatch } from './personio-person-match.entity';

const INSERT_CHUNK = 500;

/**
 * The matching of the last successful full sync, which the event path reads: looking up one person
 * could not see duplicate e-mails, and the hourly sync would then delete what events created.
 */
@Injectable()
export class PersonMatchStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Replaces the workspace's stored matching in one transaction. */
  async replace(
    workspaceId: string,
    matching: Pick<PersonUserMatching, 'matched' | 'unmatchedPersonio'>,
  ): Promise<void> {
    const rows: PersonioPersonMatch[] = [
      ...matching.matched.map((m) => ({
        workspaceId,
        personId: m.personioPersonId,
        userId: m.userId,
        unmatchedReason: null,
      })),
      ...matching.unmatchedPersonio.map((u) => ({
        workspaceId,
        personId: u.personioPersonId,
        userId: null,
        unmatchedReason: u.reason,
      })),
    ];
    await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(PersonioPersonMatch);
      await repository.delete({ workspaceId });
      // A person id listed twice (pages shifting) is stored once.
      const unique = [...new Map(rows.map((row) => [row.personId, row])).values()];
      for (let i = 0; i < unique.length; i += INSERT_CHUNK) await repository.insert(unique.slice(i, i + INSERT_CHUNK));
    });
  }

  async userIdByPersonId(workspaceId: string): Promise<Map<string, string>> {
    const rows = await this.dataSource
      .getRepository(PersonioPersonMatch)
      .find({ select: { personId: true, userId: true }, where: { workspaceId } });
    return new Map(rows.filter((row) => row.userId !== null).map((row) => [row.personId, row.userId!]));
  }

  async deleteAll(workspaceId: string): Promise<void> {
    await this.dataSource.getRepository(PersonioPersonMatch).delete({ workspaceId });
  }
}
