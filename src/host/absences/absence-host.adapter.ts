import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AppliedAbsenceChanges, AworkHostPort, HostUser, HostWorkspace } from '../../integrations/awork-host.port';
import type { DateRange } from '../../integrations/personio/client/personio-api.types';
import type { AbsenceChangeSet, DesiredAbsence, StoredExternalAbsence } from '../../integrations/personio/sync/absence-diff';
import { User } from '../users/user.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { Absence } from './absence.entity';

/** Rows per bulk DELETE / UPDATE statement. */
export const ABSENCE_WRITE_BATCH = 1000;
const POSTGRES_MAX_PARAMETERS = 65_535;
/** better-sqlite3 builds SQLite with SQLITE_MAX_VARIABLE_NUMBER = 32,766. */
const SQLITE_MAX_PARAMETERS = 32_766;
const INSERT_COLUMNS = 10;
const POSTGRES_INSERT_BATCH = Math.floor(POSTGRES_MAX_PARAMETERS / INSERT_COLUMNS);
const SQLITE_INSERT_BATCH = Math.floor(SQLITE_MAX_PARAMETERS / INSERT_COLUMNS);
const INSERT_PLACEHOLDERS_SQLITE = Array.from({ length: INSERT_COLUMNS }, () => '?').join(', ');

const SELECT_EXTERNAL = `SELECT id AS "id", external_id AS "externalId", user_id AS "userId", start_on AS "startOn", end_on AS "endOn",
    is_half_day_on_start AS "isHalfDayOnStart", is_half_day_on_end AS "isHalfDayOnEnd", description AS "description"
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
    const sql = this.sqlFor();
    const rows: RawExternalAbsence[] = await this.dataSource.query(
      `${SELECT_EXTERNAL} WHERE workspace_id = ${sql.param(1)} AND external_provider = ${sql.param(2)} AND end_on >= ${sql.param(3)} AND start_on <= ${sql.param(4)}`,
      [workspaceId, provider, range.start, range.end],
    );
    return rows.map(toStoredExternalAbsence);
  }

  async findExternalAbsencesByExternalId(workspaceId: string, provider: string, externalIds: string[]): Promise<StoredExternalAbsence[]> {
    const sql = this.sqlFor();
    const found: StoredExternalAbsence[] = [];
    const where = `${SELECT_EXTERNAL} WHERE workspace_id = ${sql.param(1)} AND external_provider = ${sql.param(2)} AND external_id`;
    if (sql.postgres) {
      // One array parameter, however many ids: no statement per thousand ids.
      if (externalIds.length === 0) return found;
      const rows: RawExternalAbsence[] = await this.dataSource.query(`${where} = ANY($3::varchar[])`, [workspaceId, provider, externalIds]);
      return rows.map(toStoredExternalAbsence);
    }
    for (const ids of chunks(externalIds, SQLITE_MAX_PARAMETERS - 2)) {
      const rows: RawExternalAbsence[] = await this.dataSource.query(`${where} IN (${ids.map(() => '?').join(', ')})`, [workspaceId, provider, ...ids]);
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
      const insertBatch = this.sqlFor().postgres ? POSTGRES_INSERT_BATCH : SQLITE_INSERT_BATCH;
      for (const batch of chunks(changes.creates, insertBatch)) await this.insertBatch(manager, workspaceId, provider, batch);
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

  /**
   * One multi-row INSERT per batch with positional parameters, sized to the driver's parameter
   * limit; the timestamps are what TypeORM's insert wrote (the column default on PostgreSQL,
   * datetime('now') on SQLite).
   */
  private async insertBatch(manager: EntityManager, workspaceId: string, provider: string, batch: DesiredAbsence[]): Promise<void> {
    const postgres = this.sqlFor().postgres;
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const a of batch) {
      const first = params.length;
      params.push(randomUUID(), workspaceId, a.userId, a.startOn, a.endOn, postgres ? a.isHalfDayOnStart : Number(a.isHalfDayOnStart), postgres ? a.isHalfDayOnEnd : Number(a.isHalfDayOnEnd), a.description, provider, a.externalId);
      const placeholders = postgres ? Array.from({ length: INSERT_COLUMNS }, (_, i) => `$${first + i + 1}`).join(', ') : INSERT_PLACEHOLDERS_SQLITE;
      tuples.push(postgres ? `(${placeholders}, DEFAULT, DEFAULT)` : `(${placeholders}, datetime('now'), datetime('now'))`);
    }
    await manager.query(
      `INSERT INTO absences (id, workspace_id, user_id, start_on, end_on, is_half_day_on_start, is_half_day_on_end, description, external_provider, external_id, created_on, updated_on) VALUES ${tuples.join(', ')}`,
      params,
    );
  }

  private sqlFor(): { postgres: boolean; param(index: number): string } {
    const postgres = this.dataSource.options.type === 'postgres';
    return { postgres, param: (index) => (postgres ? `$${index}` : '?') };
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
