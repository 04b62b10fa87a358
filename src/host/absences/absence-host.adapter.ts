import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AworkHostPort } from '../../integrations/awork-host.port';
import type {
  AbsenceChangeSet,
  AppliedAbsenceChanges,
  DateRange,
  DesiredAbsence,
  HostUser,
  HostWorkspace,
  StoredExternalAbsence,
} from '../../integrations/awork-host.types';
import { User } from '../users/user.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { Absence } from './absence.entity';

/** Rows per bulk DELETE / UPDATE statement. */
export const ABSENCE_WRITE_BATCH = 1000;
/** Bind parameters one statement may carry (better-sqlite3 builds SQLite with SQLITE_MAX_VARIABLE_NUMBER = 32,766). */
const MAX_PARAMETERS = { postgres: 65_535, sqlite: 32_766 } as const;
const INSERT_COLUMNS = 11;
/** PostgreSQL takes whole columns as array parameters (unnest), so its batches are bounded by size, not parameters. */
const POSTGRES_ARRAY_BATCH = 10_000;

const SELECT_EXTERNAL = `SELECT id AS "id", external_id AS "externalId", user_id AS "userId", start_on AS "startOn", end_on AS "endOn",
    is_half_day_on_start AS "isHalfDayOnStart", is_half_day_on_end AS "isHalfDayOnEnd", description AS "description",
    external_open_ended AS "openEnded"
  FROM absences`;

type RawExternalAbsence = {
  id: string;
  externalId: string;
  userId: string;
  startOn: string;
  endOn: string;
  isHalfDayOnStart: boolean | number;
  isHalfDayOnEnd: boolean | number;
  description: string | null;
  openEnded: boolean | number;
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
    const users = await this.dataSource
      .getRepository(User)
      .find({ select: { id: true, email: true, name: true }, where: { workspaceId } });
    return users.map(({ id, email, name }) => ({ id, email, name }));
  }

  async findExternalAbsencesOverlapping(
    workspaceId: string,
    provider: string,
    range: DateRange,
  ): Promise<StoredExternalAbsence[]> {
    const sql = this.parameters();
    const rows: RawExternalAbsence[] = await this.dataSource.query(
      `${SELECT_EXTERNAL} WHERE ${ownedBy(sql, workspaceId, provider, '')} AND end_on >= ${sql.add(range.start)} AND start_on <= ${sql.add(range.end)}`,
      sql.values,
    );
    return rows.map(toStoredExternalAbsence);
  }

  async findExternalAbsencesByExternalId(
    workspaceId: string,
    provider: string,
    externalIds: string[],
  ): Promise<StoredExternalAbsence[]> {
    if (externalIds.length === 0) return [];
    if (this.dialect === 'postgres') {
      // One array parameter, however many ids: no statement per thousand ids.
      const sql = this.parameters();
      const rows: RawExternalAbsence[] = await this.dataSource.query(
        `${SELECT_EXTERNAL} WHERE ${ownedBy(sql, workspaceId, provider, '')} AND external_id = ANY(${sql.add(externalIds)}::varchar[])`,
        sql.values,
      );
      return rows.map(toStoredExternalAbsence);
    }
    const found: StoredExternalAbsence[] = [];
    for (const ids of chunks(externalIds, MAX_PARAMETERS.sqlite - 2)) {
      const sql = this.parameters();
      const rows: RawExternalAbsence[] = await this.dataSource.query(
        `${SELECT_EXTERNAL} WHERE ${ownedBy(sql, workspaceId, provider, '')} AND external_id IN (${ids.map((id) => sql.add(id)).join(', ')})`,
        sql.values,
      );
      found.push(...rows.map(toStoredExternalAbsence));
    }
    return found;
  }

  async applyExternalAbsenceChanges(
    workspaceId: string,
    provider: string,
    changes: AbsenceChangeSet,
  ): Promise<AppliedAbsenceChanges> {
    if (changes.creates.length + changes.updates.length + changes.deletes.length === 0)
      return { created: 0, updated: 0, deleted: 0 };
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
      const postgres = this.dialect === 'postgres';
      const updateRows = postgres ? POSTGRES_ARRAY_BATCH : ABSENCE_WRITE_BATCH;
      for (const batch of chunks(changes.updates, updateRows))
        await this.updateBatch(manager, workspaceId, provider, batch);
      const insertRows = postgres ? POSTGRES_ARRAY_BATCH : Math.floor(MAX_PARAMETERS.sqlite / INSERT_COLUMNS);
      for (const batch of chunks(changes.creates, insertRows))
        await this.insertBatch(manager, workspaceId, provider, batch);
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
      .where('workspace_id = :workspaceId AND external_provider = :provider AND description IS NOT NULL', {
        workspaceId,
        provider,
      })
      .execute();
    return result.affected ?? 0;
  }

  /** One INSERT per batch; timestamps come from the column defaults. */
  private async insertBatch(
    manager: EntityManager,
    workspaceId: string,
    provider: string,
    batch: DesiredAbsence[],
  ): Promise<void> {
    const sql = this.parameters();
    const columns =
      'id, workspace_id, user_id, start_on, end_on, is_half_day_on_start, is_half_day_on_end, description, external_provider, external_id, external_open_ended';
    if (this.dialect === 'postgres') {
      await manager.query(
        `INSERT INTO absences (${columns})
         SELECT v.id, ${sql.add(workspaceId)}, v.user_id, v.start_on, v.end_on, v.hs, v.he, v.description, ${sql.add(provider)}, v.external_id, v.open_ended
         FROM ${unnestAbsences(
           sql,
           batch,
           batch.map(() => randomUUID()),
         )}`,
        sql.values,
      );
      return;
    }
    const tuples = batch.map((a) =>
      sql.tuple([
        randomUUID(),
        workspaceId,
        a.userId,
        a.startOn,
        a.endOn,
        sql.bool(a.isHalfDayOnStart),
        sql.bool(a.isHalfDayOnEnd),
        a.description,
        provider,
        a.externalId,
        sql.bool(a.openEnded),
      ]),
    );
    await manager.query(`INSERT INTO absences (${columns}) VALUES ${tuples.join(', ')}`, sql.values);
  }

  /** One UPDATE per batch (never one statement per row). */
  private async updateBatch(
    manager: EntityManager,
    workspaceId: string,
    provider: string,
    batch: StoredExternalAbsence[],
  ): Promise<void> {
    const sql = this.parameters();
    if (this.dialect === 'postgres') {
      await manager.query(
        `UPDATE absences AS a SET user_id = v.user_id, start_on = v.start_on, end_on = v.end_on,
           is_half_day_on_start = v.hs, is_half_day_on_end = v.he, description = v.description,
           external_open_ended = v.open_ended, updated_on = (now() at time zone 'utc')
         FROM ${unnestAbsences(
           sql,
           batch,
           batch.map((a) => a.id),
         )}
         WHERE a.id = v.id AND ${ownedBy(sql, workspaceId, provider, 'a.')}`,
        sql.values,
      );
      return;
    }
    const tuples = batch.map((a) =>
      sql.tuple([
        a.id,
        a.userId,
        a.startOn,
        a.endOn,
        sql.bool(a.isHalfDayOnStart),
        sql.bool(a.isHalfDayOnEnd),
        a.description,
        sql.bool(a.openEnded),
      ]),
    );
    await manager.query(
      `UPDATE absences SET user_id = v.column2, start_on = v.column3, end_on = v.column4,
         is_half_day_on_start = v.column5, is_half_day_on_end = v.column6, description = v.column7,
         external_open_ended = v.column8, updated_on = strftime('%Y-%m-%d %H:%M:%f', 'now')
       FROM (VALUES ${tuples.join(', ')}) AS v
       WHERE absences.id = v.column1 AND ${ownedBy(sql, workspaceId, provider, 'absences.')}`,
      sql.values,
    );
  }

  private get dialect(): SqlDialect {
    return this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  private parameters(): SqlParameters {
    return new SqlParameters(this.dialect);
  }
}

type SqlDialect = keyof typeof MAX_PARAMETERS;

/** Collects one statement's bind values and hands out the driver's placeholders ($n or ?). */
class SqlParameters {
  readonly values: unknown[] = [];

  constructor(private readonly dialect: SqlDialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }

  tuple(values: unknown[]): string {
    return `(${values.map((value) => this.add(value)).join(', ')})`;
  }

  /** SQLite has no boolean type: 0/1, as TypeORM stores them. */
  bool(value: boolean): boolean | number {
    return this.dialect === 'postgres' ? value : Number(value);
  }
}

/** PostgreSQL: the batch as one row source `v` built from column arrays, nine parameters however many rows. */
function unnestAbsences(sql: SqlParameters, batch: Array<DesiredAbsence>, ids: string[]): string {
  const column = <T>(pick: (absence: DesiredAbsence) => T) => sql.add(batch.map(pick));
  return `unnest(${sql.add(ids)}::varchar[], ${column((a) => a.externalId)}::varchar[], ${column((a) => a.userId)}::varchar[],
      ${column((a) => a.startOn)}::date[], ${column((a) => a.endOn)}::date[], ${column((a) => a.isHalfDayOnStart)}::boolean[],
      ${column((a) => a.isHalfDayOnEnd)}::boolean[], ${column((a) => a.description)}::varchar[],
      ${column((a) => a.openEnded)}::boolean[])
    AS v(id, external_id, user_id, start_on, end_on, hs, he, description, open_ended)`;
}

function ownedBy(sql: SqlParameters, workspaceId: string, provider: string, alias: string): string {
  return `${alias}workspace_id = ${sql.add(workspaceId)} AND ${alias}external_provider = ${sql.add(provider)}`;
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
    openEnded: Boolean(row.openEnded),
  };
}

export function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let index = 0; index < items.length; index += size) yield items.slice(index, index + size);
}
