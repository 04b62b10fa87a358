import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AppliedAbsenceChanges, AworkHostPort, HostUser, HostWorkspace } from '../../integrations/awork-host.port';
import type { DateRange } from '../../integrations/personio/client/personio-api.types';
import type { AbsenceChangeSet, StoredExternalAbsence } from '../../integrations/personio/sync/absence-diff';
import { User } from '../users/user.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { Absence } from './absence.entity';

/** Rows per bulk statement: 1,000 × 12 columns stays far below PostgreSQL's 65,535 parameters. */
export const ABSENCE_WRITE_BATCH = 1000;

type RawExternalAbsence = {
  id: string;
  externalId: string;
  userId: string;
  startOn: string;
  endOn: string;
  isHalfDayOnStart: boolean | number;
  isHalfDayOnEnd: boolean | number;
  description: string | null;
};

/** The host's side of AworkHostPort: how integrations read and write awork absences and users. */
@Injectable()
export class AbsenceHostAdapter extends AworkHostPort {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async getWorkspace(workspaceId: string): Promise<HostWorkspace | null> {
    const workspace = await this.dataSource.getRepository(Workspace).findOne({ where: { id: workspaceId } });
    return workspace ? { id: workspace.id, plan: workspace.plan, timeZone: workspace.timeZone } : null;
  }

  async listUsers(workspaceId: string): Promise<HostUser[]> {
    const users = await this.dataSource.getRepository(User).find({ select: { id: true, email: true, name: true }, where: { workspaceId } });
    return users.map(({ id, email, name }) => ({ id, email, name }));
  }

  async findExternalAbsencesOverlapping(workspaceId: string, provider: string, range: DateRange): Promise<StoredExternalAbsence[]> {
    const rows = await this.selectExternal(workspaceId, provider)
      .andWhere('a.end_on >= :start AND a.start_on <= :end', { start: range.start, end: range.end })
      .getRawMany<RawExternalAbsence>();
    return rows.map(toStoredExternalAbsence);
  }

  async findExternalAbsencesByExternalId(workspaceId: string, provider: string, externalIds: string[]): Promise<StoredExternalAbsence[]> {
    const found: StoredExternalAbsence[] = [];
    for (const ids of chunks(externalIds, ABSENCE_WRITE_BATCH)) {
      const rows = await this.selectExternal(workspaceId, provider).andWhere('a.external_id IN (:...ids)', { ids }).getRawMany<RawExternalAbsence>();
      found.push(...rows.map(toStoredExternalAbsence));
    }
    return found;
  }

  async applyExternalAbsenceChanges(workspaceId: string, provider: string, changes: AbsenceChangeSet): Promise<AppliedAbsenceChanges> {
    if (changes.creates.length + changes.updates.length + changes.deletes.length === 0) return { created: 0, updated: 0, deleted: 0 };
    return this.dataSource.transaction(async (manager) => {
      let deleted = 0;
      for (const ids of chunks(changes.deletes, ABSENCE_WRITE_BATCH)) {
        const result = await manager
          .createQueryBuilder()
          .delete()
          .from(Absence)
          .where({ workspaceId, externalProvider: provider, id: In(ids) })
          .execute();
        deleted += result.affected ?? ids.length;
      }
      for (const batch of chunks(changes.updates, ABSENCE_WRITE_BATCH)) await this.updateBatch(manager, workspaceId, provider, batch);
      for (const batch of chunks(changes.creates, ABSENCE_WRITE_BATCH)) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(Absence)
          .values(batch.map((absence) => ({ ...absence, id: randomUUID(), workspaceId, externalProvider: provider })))
          .updateEntity(false)
          .execute();
      }
      return { created: changes.creates.length, updated: changes.updates.length, deleted };
    });
  }

  async deleteAllExternalAbsences(workspaceId: string, provider: string): Promise<number> {
    const result = await this.dataSource.getRepository(Absence).delete({ workspaceId, externalProvider: provider });
    return result.affected ?? 0;
  }

  async clearExternalAbsenceDescriptions(workspaceId: string, provider: string): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Absence)
      .set({ description: null })
      .where('workspace_id = :workspaceId AND external_provider = :provider AND description IS NOT NULL', { workspaceId, provider })
      .execute();
    return result.affected ?? 0;
  }

  private selectExternal(workspaceId: string, provider: string) {
    return this.dataSource
      .getRepository(Absence)
      .createQueryBuilder('a')
      .select([
        'a.id AS "id"',
        'a.external_id AS "externalId"',
        'a.user_id AS "userId"',
        'a.start_on AS "startOn"',
        'a.end_on AS "endOn"',
        'a.is_half_day_on_start AS "isHalfDayOnStart"',
        'a.is_half_day_on_end AS "isHalfDayOnEnd"',
        'a.description AS "description"',
      ])
      .where('a.workspace_id = :workspaceId AND a.external_provider = :provider', { workspaceId, provider });
  }

  /** One UPDATE … FROM (VALUES …) per batch instead of one statement per row. */
  private async updateBatch(manager: EntityManager, workspaceId: string, provider: string, batch: StoredExternalAbsence[]): Promise<void> {
    const postgres = this.dataSource.options.type === 'postgres';
    const params: unknown[] = [];
    const placeholder = (value: unknown) => {
      params.push(value);
      return postgres ? `$${params.length}` : '?';
    };
    const bool = (value: boolean) => (postgres ? value : value ? 1 : 0);
    const tuples = batch.map(
      (a) =>
        `(${[a.id, a.userId, a.startOn, a.endOn, bool(a.isHalfDayOnStart), bool(a.isHalfDayOnEnd), a.description].map(placeholder).join(', ')})`,
    );
    const sql = postgres
      ? `UPDATE absences AS a SET user_id = v.user_id, start_on = v.start_on::date, end_on = v.end_on::date,
           is_half_day_on_start = v.hs::boolean, is_half_day_on_end = v.he::boolean, description = v.description,
           updated_on = (now() at time zone 'utc')
         FROM (VALUES ${tuples.join(', ')}) AS v(id, user_id, start_on, end_on, hs, he, description)
         WHERE a.id = v.id AND a.workspace_id = ${placeholder(workspaceId)} AND a.external_provider = ${placeholder(provider)}`
      : `UPDATE absences SET user_id = v.column2, start_on = v.column3, end_on = v.column4,
           is_half_day_on_start = v.column5, is_half_day_on_end = v.column6, description = v.column7,
           updated_on = strftime('%Y-%m-%d %H:%M:%f', 'now')
         FROM (VALUES ${tuples.join(', ')}) AS v
         WHERE absences.id = v.column1 AND absences.workspace_id = ${placeholder(workspaceId)} AND absences.external_provider = ${placeholder(provider)}`;
    await manager.query(sql, params);
  }
}

function toStoredExternalAbsence(row: RawExternalAbsence): StoredExternalAbsence {
  return {
    id: row.id,
    externalId: row.externalId,
    userId: row.userId,
    startOn: row.startOn,
    endOn: row.endOn,
    isHalfDayOnStart: Boolean(row.isHalfDayOnStart),
    isHalfDayOnEnd: Boolean(row.isHalfDayOnEnd),
    description: row.description,
  };
}

export function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let index = 0; index < items.length; index += size) yield items.slice(index, index + size);
}
