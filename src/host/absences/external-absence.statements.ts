import type { DateRange, DesiredAbsence, StoredExternalAbsence } from '../../integrations/awork-host.types';

/** One statement and its bind values. */
export interface Statement {
  sql: string;
  values: unknown[];
}

/** Whose rows a statement may touch: one workspace's absences of one provider. */
export interface Owner {
  workspaceId: string;
  provider: string;
}

/** Every SQL statement of the external-absence store, one object per dialect (as the lease repository does it). */
export interface ExternalAbsenceStatements {
  /** Rows (or ids) per statement of each bulk path. */
  batch: { selectByExternalIds: number; selectByUsers: number; deletes: number; updates: number; inserts: number };
  selectOverlapping(owner: Owner, range: DateRange): Statement;
  selectByExternalIds(owner: Owner, externalIds: string[]): Statement;
  deleteByIds(owner: Owner, ids: string[]): Statement;
  /** `ids` are the new awork ids, one per row. */
  insert(owner: Owner, batch: DesiredAbsence[], ids: string[]): Statement;
  update(owner: Owner, batch: StoredExternalAbsence[]): Statement;
  deleteAll(owner: Owner): Statement;
  clearDescriptions(owner: Owner): Statement;
  /** The owner's rows become manual ones: provider, external id and open-end mark cleared. */
  releaseAll(owner: Owner): Statement;
  /** The first day and the last day the owner's rows cover (nulls when it has none). */
  selectOwnedRange(owner: Owner): Statement;
  /** Manual absences of the workspace reaching into the range (only `manualIds` when given); `lock` (PostgreSQL): FOR UPDATE. */
  selectManual(workspaceId: string, range: DateRange, manualIds: string[] | null, lock: boolean): Statement;
  /** The owner's rows of these users reaching into the range; `lock` (PostgreSQL): FOR SHARE. */
  selectOfUsersOverlapping(owner: Owner, userIds: string[], range: DateRange, lock: boolean): Statement;
  /** Deletes manual absences (never an integration's) of the workspace by id. */
  deleteManualByIds(workspaceId: string, ids: string[]): Statement;
}

/** Rows per bulk DELETE / UPDATE statement. */
export const ABSENCE_WRITE_BATCH = 1000;
/** Bind parameters one statement may carry (better-sqlite3 builds SQLite with SQLITE_MAX_VARIABLE_NUMBER = 32,766). */
const SQLITE_MAX_PARAMETERS = 32_766;
const INSERT_COLUMNS = 11;
/** PostgreSQL takes whole columns as array parameters (unnest), so its batches are bounded by size, not parameters. */
const POSTGRES_ARRAY_BATCH = 10_000;

const SELECT_EXTERNAL = `SELECT id AS "id", external_id AS "externalId", user_id AS "userId", start_on AS "startOn", end_on AS "endOn",
    is_half_day_on_start AS "isHalfDayOnStart", is_half_day_on_end AS "isHalfDayOnEnd", description AS "description",
    external_open_ended AS "openEnded"
  FROM absences`;
const INSERT_COLUMN_LIST =
  'id, workspace_id, user_id, start_on, end_on, is_half_day_on_start, is_half_day_on_end, description, external_provider, external_id, external_open_ended';

type Dialect = 'postgres' | 'sqlite';

/** Collects one statement's bind values and hands out the driver's placeholders ($n or ?). */
class Parameters {
  readonly values: unknown[] = [];

  constructor(private readonly dialect: Dialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }

  list(values: unknown[]): string {
    return values.map((value) => this.add(value)).join(', ');
  }

  tuple(values: unknown[]): string {
    return `(${this.list(values)})`;
  }

  /** SQLite has no boolean type: 0/1, as TypeORM stores them. */
  bool(value: boolean): boolean | number {
    return this.dialect === 'postgres' ? value : Number(value);
  }

  ownedBy({ workspaceId, provider }: Owner, alias = ''): string {
    return `${alias}workspace_id = ${this.add(workspaceId)} AND ${alias}external_provider = ${this.add(provider)}`;
  }

  statement(sql: string): Statement {
    return { sql, values: this.values };
  }
}

/** Statements both dialects write the same way, apart from their placeholders. */
function common(dialect: Dialect) {
  const p = () => new Parameters(dialect);
  return {
    selectOverlapping(owner: Owner, range: DateRange): Statement {
      const sql = p();
      return sql.statement(
        `${SELECT_EXTERNAL} WHERE ${sql.ownedBy(owner)} AND end_on >= ${sql.add(range.start)} AND start_on <= ${sql.add(range.end)}`,
      );
    },
    deleteByIds(owner: Owner, ids: string[]): Statement {
      const sql = p();
      return sql.statement(`DELETE FROM absences WHERE ${sql.ownedBy(owner)} AND id IN (${sql.list(ids)})`);
    },
    deleteAll(owner: Owner): Statement {
      const sql = p();
      return sql.statement(`DELETE FROM absences WHERE ${sql.ownedBy(owner)}`);
    },
    selectOwnedRange(owner: Owner): Statement {
      const sql = p();
      return sql.statement(
        `SELECT MIN(start_on) AS "start", MAX(end_on) AS "end" FROM absences WHERE ${sql.ownedBy(owner)}`,
      );
    },
    selectManual(workspaceId: string, range: DateRange, manualIds: string[] | null, lock: boolean): Statement {
      const sql = p();
      // Placeholders are added in the order they appear (SQLite's `?` are positional).
      const workspace = sql.add(workspaceId);
      const within = `end_on >= ${sql.add(range.start)} AND start_on <= ${sql.add(range.end)}`;
      const only = manualIds === null ? '' : ` AND id IN (${sql.list(manualIds)})`;
      // NOTE: SQLite has no row locks; there the caller's transaction holds the write lock instead.
      const locking = lock && dialect === 'postgres' ? ' FOR UPDATE' : '';
      return sql.statement(
        `SELECT id AS "id", user_id AS "userId", start_on AS "startOn", end_on AS "endOn",
           is_half_day_on_start AS "isHalfDayOnStart", is_half_day_on_end AS "isHalfDayOnEnd", description AS "description"
         FROM absences WHERE workspace_id = ${workspace} AND external_provider IS NULL AND ${within}${only}
         ORDER BY start_on, id${locking}`,
      );
    },
    selectOfUsersOverlapping(owner: Owner, userIds: string[], range: DateRange, lock: boolean): Statement {
      const sql = p();
      // Placeholders are added in the order they appear (SQLite's `?` are positional).
      const owned = sql.ownedBy(owner);
      const users = dialect === 'postgres' ? `= ANY(${sql.add(userIds)}::varchar[])` : `IN (${sql.list(userIds)})`;
      const locking = lock && dialect === 'postgres' ? ' FOR SHARE' : '';
      return sql.statement(
        `${SELECT_EXTERNAL} WHERE ${owned} AND user_id ${users}
           AND end_on >= ${sql.add(range.start)} AND start_on <= ${sql.add(range.end)}
         ORDER BY start_on, id${locking}`,
      );
    },
    deleteManualByIds(workspaceId: string, ids: string[]): Statement {
      const sql = p();
      return sql.statement(
        `DELETE FROM absences WHERE workspace_id = ${sql.add(workspaceId)} AND external_provider IS NULL AND id IN (${sql.list(ids)})`,
      );
    },
    parameters: p,
  };
}

const pg = common('postgres');

/** PostgreSQL: the batch as one row source `v` built from column arrays, nine parameters however many rows. */
function unnestAbsences(sql: Parameters, batch: DesiredAbsence[], ids: string[]): string {
  const column = <T>(pick: (absence: DesiredAbsence) => T) => sql.add(batch.map(pick));
  return `unnest(${sql.add(ids)}::varchar[], ${column((a) => a.externalId)}::varchar[], ${column((a) => a.userId)}::varchar[],
      ${column((a) => a.startOn)}::date[], ${column((a) => a.endOn)}::date[], ${column((a) => a.isHalfDayOnStart)}::boolean[],
      ${column((a) => a.isHalfDayOnEnd)}::boolean[], ${column((a) => a.description)}::varchar[],
      ${column((a) => a.openEnded)}::boolean[])
    AS v(id, external_id, user_id, start_on, end_on, hs, he, description, open_ended)`;
}

export const POSTGRES_STATEMENTS: ExternalAbsenceStatements = {
  // One array parameter however many ids: no statement per thousand ids.
  batch: {
    selectByExternalIds: Number.POSITIVE_INFINITY,
    selectByUsers: Number.POSITIVE_INFINITY,
    deletes: ABSENCE_WRITE_BATCH,
    updates: POSTGRES_ARRAY_BATCH,
    inserts: POSTGRES_ARRAY_BATCH,
  },
  selectOverlapping: pg.selectOverlapping,
  selectByExternalIds(owner, externalIds) {
    const sql = pg.parameters();
    return sql.statement(
      `${SELECT_EXTERNAL} WHERE ${sql.ownedBy(owner)} AND external_id = ANY(${sql.add(externalIds)}::varchar[])`,
    );
  },
  deleteByIds: pg.deleteByIds,
  // Timestamps come from the column defaults.
  insert(owner, batch, ids) {
    const sql = pg.parameters();
    return sql.statement(
      `INSERT INTO absences (${INSERT_COLUMN_LIST})
       SELECT v.id, ${sql.add(owner.workspaceId)}, v.user_id, v.start_on, v.end_on, v.hs, v.he, v.description, ${sql.add(owner.provider)}, v.external_id, v.open_ended
       FROM ${unnestAbsences(sql, batch, ids)}`,
    );
  },
  update(owner, batch) {
    const sql = pg.parameters();
    return sql.statement(
      `UPDATE absences AS a SET user_id = v.user_id, start_on = v.start_on, end_on = v.end_on,
         is_half_day_on_start = v.hs, is_half_day_on_end = v.he, description = v.description,
         external_open_ended = v.open_ended, updated_on = (now() at time zone 'utc')
       FROM ${unnestAbsences(
         sql,
         batch,
         batch.map((a) => a.id),
       )}
       WHERE a.id = v.id AND ${sql.ownedBy(owner, 'a.')}`,
    );
  },
  deleteAll: pg.deleteAll,
  selectOwnedRange: pg.selectOwnedRange,
  selectManual: pg.selectManual,
  selectOfUsersOverlapping: pg.selectOfUsersOverlapping,
  deleteManualByIds: pg.deleteManualByIds,
  releaseAll(owner) {
    const sql = pg.parameters();
    return sql.statement(
      `UPDATE absences SET external_provider = NULL, external_id = NULL, external_open_ended = false,
         updated_on = (now() at time zone 'utc') WHERE ${sql.ownedBy(owner)}`,
    );
  },
  clearDescriptions(owner) {
    const sql = pg.parameters();
    return sql.statement(
      `UPDATE absences SET description = NULL, updated_on = (now() at time zone 'utc') WHERE ${sql.ownedBy(owner)} AND description IS NOT NULL`,
    );
  },
};

const lite = common('sqlite');

export const SQLITE_STATEMENTS: ExternalAbsenceStatements = {
  batch: {
    selectByExternalIds: SQLITE_MAX_PARAMETERS - 2,
    selectByUsers: SQLITE_MAX_PARAMETERS - 4,
    deletes: ABSENCE_WRITE_BATCH,
    updates: ABSENCE_WRITE_BATCH,
    inserts: Math.floor(SQLITE_MAX_PARAMETERS / INSERT_COLUMNS),
  },
  selectOverlapping: lite.selectOverlapping,
  selectByExternalIds(owner, externalIds) {
    const sql = lite.parameters();
    return sql.statement(
      `${SELECT_EXTERNAL} WHERE ${sql.ownedBy(owner)} AND external_id IN (${sql.list(externalIds)})`,
    );
  },
  deleteByIds: lite.deleteByIds,
  insert(owner, batch, ids) {
    const sql = lite.parameters();
    const tuples = batch.map((a, index) =>
      sql.tuple([
        ids[index],
        owner.workspaceId,
        a.userId,
        a.startOn,
        a.endOn,
        sql.bool(a.isHalfDayOnStart),
        sql.bool(a.isHalfDayOnEnd),
        a.description,
        owner.provider,
        a.externalId,
        sql.bool(a.openEnded),
      ]),
    );
    return sql.statement(`INSERT INTO absences (${INSERT_COLUMN_LIST}) VALUES ${tuples.join(', ')}`);
  },
  update(owner, batch) {
    const sql = lite.parameters();
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
    return sql.statement(
      `UPDATE absences SET user_id = v.column2, start_on = v.column3, end_on = v.column4,
         is_half_day_on_start = v.column5, is_half_day_on_end = v.column6, description = v.column7,
         external_open_ended = v.column8, updated_on = strftime('%Y-%m-%d %H:%M:%f', 'now')
       FROM (VALUES ${tuples.join(', ')}) AS v
       WHERE absences.id = v.column1 AND ${sql.ownedBy(owner, 'absences.')}`,
    );
  },
  deleteAll: lite.deleteAll,
  selectOwnedRange: lite.selectOwnedRange,
  selectManual: lite.selectManual,
  selectOfUsersOverlapping: lite.selectOfUsersOverlapping,
  deleteManualByIds: lite.deleteManualByIds,
  releaseAll(owner) {
    const sql = lite.parameters();
    return sql.statement(
      `UPDATE absences SET external_provider = NULL, external_id = NULL, external_open_ended = 0,
         updated_on = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE ${sql.ownedBy(owner)}`,
    );
  },
  clearDescriptions(owner) {
    const sql = lite.parameters();
    return sql.statement(
      `UPDATE absences SET description = NULL, updated_on = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE ${sql.ownedBy(owner)} AND description IS NOT NULL`,
    );
  },
};
