import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { hostTransactionOf } from '../../database/host-transaction';
import type {
  AbsenceChangeSet,
  AppliedAbsenceChanges,
  ChangeSetGate,
  DateRange,
  ManualAbsenceDeletion,
  ManualAbsence,
  ManualAbsenceDeletionResult,
  ManualAbsenceOverlap,
  StoredExternalAbsence,
} from '../../integrations/awork-host.types';
import {
  ExternalAbsenceStatements,
  Owner,
  POSTGRES_STATEMENTS,
  SQLITE_STATEMENTS,
  Statement,
} from './external-absence.statements';

type RawManualAbsence = {
  id: string;
  userId: string;
  startOn: string;
  endOn: string;
  isHalfDayOnStart: boolean | number;
  isHalfDayOnEnd: boolean | number;
  description: string | null;
};

type RawExternalAbsence = RawManualAbsence & { externalId: string; openEnded: boolean | number };

/** The absences an integration transferred into awork: read in bulk, written in one transaction. */
@Injectable()
export class ExternalAbsenceStore {
  private readonly sql: ExternalAbsenceStatements;
  private readonly sqlite: boolean;
  /** SQLite: the writes of this process, one after another (see `exclusive`). */
  private sqliteWrites: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type !== 'postgres';
    this.sql = this.sqlite ? SQLITE_STATEMENTS : POSTGRES_STATEMENTS;
  }

  async findOverlapping(owner: Owner, range: DateRange): Promise<StoredExternalAbsence[]> {
    const rows = await this.select(this.dataSource.manager, this.sql.selectOverlapping(owner, range));
    // A full sync holds all of these while it compares: the few users and dates they share are kept once.
    const shared = new Map<string, string>();
    const once = (text: string): string => {
      const kept = shared.get(text);
      if (kept !== undefined) return kept;
      shared.set(text, text);
      return text;
    };
    return rows.map((row) => {
      row.userId = once(row.userId);
      row.startOn = once(row.startOn);
      row.endOn = once(row.endOn);
      return toStoredExternalAbsence(row);
    });
  }

  async findByExternalId(owner: Owner, externalIds: string[]): Promise<StoredExternalAbsence[]> {
    const found: StoredExternalAbsence[] = [];
    for (const ids of chunks(externalIds, this.sql.batch.selectByExternalIds)) {
      const rows = await this.select(this.dataSource.manager, this.sql.selectByExternalIds(owner, ids));
      found.push(...rows.map(toStoredExternalAbsence));
    }
    return found;
  }

  /** The gate decides inside the transaction what is written; null from it writes nothing. */
  apply(owner: Owner, gate: ChangeSetGate): Promise<AppliedAbsenceChanges | null> {
    return this.exclusive(() =>
      this.dataSource.transaction(async (manager) => {
        const changes = await gate(hostTransactionOf(manager));
        if (!changes) return null;
        return this.write(manager, owner, changes);
      }),
    );
  }

  deleteAll(owner: Owner): Promise<number> {
    return this.exclusive(() => this.execute(this.dataSource.manager, this.sql.deleteAll(owner)));
  }

  clearDescriptions(owner: Owner): Promise<number> {
    return this.exclusive(() => this.execute(this.dataSource.manager, this.sql.clearDescriptions(owner)));
  }

  releaseAll(owner: Owner): Promise<number> {
    return this.exclusive(() => this.execute(this.dataSource.manager, this.sql.releaseAll(owner)));
  }

  findManualOverlapping(owner: Owner): Promise<ManualAbsenceOverlap[]> {
    return this.manualOverlaps(this.dataSource.manager, owner, null, false);
  }

  /**
   * All or nothing in one transaction: the deletion's `begin` first (it locks what it must), then the
   * requested manual rows and their overlaps, locked (PostgreSQL: rows; SQLite: the write lock
   * `begin` took), so an edit or a sync landing meanwhile waits for the commit.
   */
  deleteManual(
    owner: Owner,
    absenceIds: string[],
    deletion: ManualAbsenceDeletion,
  ): Promise<ManualAbsenceDeletionResult> {
    return this.exclusive(() =>
      this.dataSource.transaction(async (manager): Promise<ManualAbsenceDeletionResult> => {
        if (!(await deletion.begin(hostTransactionOf(manager)))) return { kind: 'declined' };
        const ids = deletion.decide(await this.manualOverlaps(manager, owner, absenceIds, true));
        if (!ids || ids.length === 0) return { kind: 'declined' };
        // PostgreSQL: the rows are locked, so all of them go. SQLite: a DELETE of this process's own
        // request may have removed one meanwhile (its statement ran inside this transaction), and
        // rolling back would revert it too: committing leaves every requested absence gone either way.
        const count = await this.execute(manager, this.sql.deleteManualByIds(owner.workspaceId, ids));
        return { kind: 'deleted', count };
      }),
    );
  }

  /**
   * Manual absences (all, or `manualIds`) with the owner's rows of the same user sharing a calendar
   * day. Plain statements and a join in memory, not one SQL join: right after a big first sync
   * PostgreSQL's statistics still say the table is tiny, and the join's plan then compared every
   * pair (7.6 s for 2,000 manual × 10,000 transferred rows before ANALYZE, 22 ms after).
   * `lock`: the manual rows FOR UPDATE first, then the owner's rows FOR SHARE (PostgreSQL).
   */
  private async manualOverlaps(
    manager: EntityManager,
    owner: Owner,
    manualIds: string[] | null,
    lock: boolean,
  ): Promise<ManualAbsenceOverlap[]> {
    // Only manual absences inside the days the owner's rows cover can overlap one: older history
    // (kept by hand before connecting) is never read.
    const [covered] = await this.select<{ start: string | null; end: string | null }>(
      manager,
      this.sql.selectOwnedRange(owner),
    );
    if (!covered?.start || !covered.end) return [];
    const manual: RawManualAbsence[] = await this.select(
      manager,
      this.sql.selectManual(owner.workspaceId, { start: covered.start, end: covered.end }, manualIds, lock),
    );
    if (manual.length === 0) return [];
    const userIds = [...new Set(manual.map((absence) => absence.userId))];
    const range = {
      start: manual.reduce((min, absence) => (absence.startOn < min ? absence.startOn : min), manual[0].startOn),
      end: manual.reduce((max, absence) => (absence.endOn > max ? absence.endOn : max), manual[0].endOn),
    };
    const externalByUser = new Map<string, StoredExternalAbsence[]>();
    for (const users of chunks(userIds, this.sql.batch.selectByUsers)) {
      const rows = await this.select(manager, this.sql.selectOfUsersOverlapping(owner, users, range, lock));
      for (const row of rows) {
        const absence = toStoredExternalAbsence(row);
        const ofUser = externalByUser.get(absence.userId);
        if (ofUser) ofUser.push(absence);
        else externalByUser.set(absence.userId, [absence]);
      }
    }
    const overlaps: ManualAbsenceOverlap[] = [];
    for (const row of manual) {
      const external = (externalByUser.get(row.userId) ?? []).filter(
        (absence) => absence.endOn >= row.startOn && absence.startOn <= row.endOn,
      );
      if (external.length > 0) overlaps.push({ manual: toManualAbsence(row), external });
    }
    return overlaps;
  }

  /**
   * NOTE: SQLite has one connection per process, so a statement of another request issued while a
   * transaction is open runs inside it. Queued writes keep a scrub or removal from landing between
   * an apply's gate and its writes; on PostgreSQL the gate's row lock does that.
   */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (!this.sqlite) return work();
    const result = this.sqliteWrites.then(work, work);
    this.sqliteWrites = result.catch(() => undefined);
    return result;
  }

  /** Deletes, then updates, then creates, each in bulk statements (never one per row). */
  private async write(manager: EntityManager, owner: Owner, changes: AbsenceChangeSet): Promise<AppliedAbsenceChanges> {
    let deleted = 0;
    for (const ids of chunks(changes.deletes, this.sql.batch.deletes)) {
      const affected = await this.execute(manager, this.sql.deleteByIds(owner, ids));
      deleted += affected;
    }
    for (const batch of chunks(changes.updates, this.sql.batch.updates))
      await this.execute(manager, this.sql.update(owner, batch));
    for (const batch of chunks(changes.creates, this.sql.batch.inserts))
      await this.execute(
        manager,
        this.sql.insert(
          owner,
          batch,
          batch.map(() => randomUUID()),
        ),
      );
    return { created: changes.creates.length, updated: changes.updates.length, deleted };
  }

  private async select<Row = RawExternalAbsence>(manager: EntityManager, { sql, values }: Statement): Promise<Row[]> {
    return manager.query(sql, values);
  }

  // NOTE: the structured result gives `affected` on both drivers (the plain one differs per driver).
  private async execute(manager: EntityManager, { sql, values }: Statement): Promise<number> {
    const runner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, values, true);
      return result.affected ?? 0;
    } finally {
      if (!manager.queryRunner) await runner.release();
    }
  }
}

/**
 * The row itself, its flags made booleans (SQLite hands back 0/1): a full sync reads tens of thousands of these,
 * and a copy of each would only be garbage for the collector to sweep.
 */
function toStoredExternalAbsence(row: RawExternalAbsence): StoredExternalAbsence {
  row.isHalfDayOnStart = Boolean(row.isHalfDayOnStart);
  row.isHalfDayOnEnd = Boolean(row.isHalfDayOnEnd);
  row.openEnded = Boolean(row.openEnded);
  return row as StoredExternalAbsence;
}

function toManualAbsence(row: RawManualAbsence): ManualAbsence {
  return {
    id: row.id,
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
