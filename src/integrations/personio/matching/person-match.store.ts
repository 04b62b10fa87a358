import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { PersonUserMatching } from './match-by-email';
import { PersonioPersonMatch } from './personio-person-match.entity';

const WRITE_CHUNK = 500;

/**
 * The matching of the last successful full sync, which the event path reads: looking up one person
 * could not see duplicate e-mails, and the hourly sync would then delete what events created.
 */
@Injectable()
export class PersonMatchStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Makes the workspace's stored matching equal this one in one transaction, writing only the persons whose
   * pair changed: an hourly sync of an unchanged company writes nothing (5,000 persons were rewritten before).
   */
  async replace(
    workspaceId: string,
    matching: Pick<PersonUserMatching, 'matched' | 'unmatchedPersonio'>,
  ): Promise<void> {
    // A person id listed twice (pages shifting) is stored once, the last listing deciding.
    const wanted = new Map<string, PersonioPersonMatch>();
    for (const m of matching.matched)
      wanted.set(m.personioPersonId, {
        workspaceId,
        personId: m.personioPersonId,
        userId: m.userId,
        unmatchedReason: null,
      });
    for (const u of matching.unmatchedPersonio)
      wanted.set(u.personioPersonId, {
        workspaceId,
        personId: u.personioPersonId,
        userId: null,
        unmatchedReason: u.reason,
      });
    await this.dataSource.transaction(async (manager) => {
      // Two of these for one workspace (a lease taken over mid-sync) must not both compare against the rows
      // before either wrote: the integration's row lock puts them one after the other (SQLite writes one at a time).
      if (this.dataSource.options.type === 'postgres')
        await manager.query('SELECT 1 FROM personio_integrations WHERE workspace_id = $1 FOR UPDATE', [workspaceId]);
      const repository = manager.getRepository(PersonioPersonMatch);
      const stored = await repository.find({ where: { workspaceId } });
      const gone = stored.filter((row) => !wanted.has(row.personId)).map((row) => row.personId);
      const storedByPerson = new Map(stored.map((row) => [row.personId, row]));
      const changed = [...wanted.values()].filter((row) => {
        const before = storedByPerson.get(row.personId);
        return before?.userId !== row.userId || before.unmatchedReason !== row.unmatchedReason;
      });
      for (let i = 0; i < gone.length; i += WRITE_CHUNK)
        await repository.delete({ workspaceId, personId: In(gone.slice(i, i + WRITE_CHUNK)) });
      for (let i = 0; i < changed.length; i += WRITE_CHUNK)
        await repository.upsert(changed.slice(i, i + WRITE_CHUNK), ['workspaceId', 'personId']);
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
