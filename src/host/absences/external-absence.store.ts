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

type RawManualOverlap = RawExternalAbsence & {
  mId: string;
  mUserId: string;
  mStartOn: string;
  mEndOn: string;
  mHalfStart: boolean | number;
  mHalfEnd: boolean | number;
  mDescription: string | null;
};

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
    return rows.map(toStoredExternalAbsence);
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

  async findManualOverlapping(owner: Owner): Promise<ManualAbsenceOverlap[]> {
    const rows: RawManualOverlap[] = await this.dataSource.manager.query(
      ...statementArgs(this.sql.selectManualOverlapping(owner, null, false)),
    );
    return groupOverlaps(rows);
  }

  /**
   * All or nothing in one transaction: the deletion's `begin` first (it locks what it must), then the
   * requested manual rows and their overlaps, locked (PostgreSQL: rows; SQLite: the write lock
   * `begin` took), so an edit or a sync landing meanwhile waits for the commit.
   */
  deleteManual(owner: Owner, absenceIds: string[], deletion: ManualAbsenceDeletion): Promise<number | null> {
    return this.exclusive(() =>
      this.dataSource.transaction(async (manager) => {
        if (!(await deletion.begin(hostTransactionOf(manager)))) return null;
        const rows: RawManualOverlap[] = await manager.query(
          ...statementArgs(this.sql.selectManualOverlapping(owner, absenceIds, true)),
        );
        const ids = deletion.decide(groupOverlaps(rows));
        if (!ids || ids.length === 0) return null;
        const deleted = await this.execute(manager, this.sql.deleteManualByIds(owner.workspaceId, ids));
        // Locked above, so every row is still there; anything else would break all-or-nothing.
        if (deleted !== ids.length) throw new Error(`expected to delete ${ids.length} absences, deleted ${deleted}`);
        return deleted;
      }),
    );
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

  private async select(manager: EntityManager, { sql, values }: Statement): Promise<RawExternalAbsence[]> {
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

/** One entry per manual absence, in the statement's order, with its overlapping rows. */
function groupOverlaps(rows: RawManualOverlap[]): ManualAbsenceOverlap[] {
  const byManualId = new Map<string, ManualAbsenceOverlap>();
  for (const row of rows) {
    let entry = byManualId.get(row.mId);
    if (!entry) {
      entry = {
        manual: {
          id: row.mId,
          userId: row.mUserId,
          startOn: row.mStartOn,
          endOn: row.mEndOn,
          isHalfDayOnStart: Boolean(row.mHalfStart),
          isHalfDayOnEnd: Boolean(row.mHalfEnd),
          description: row.mDescription,
        },
        external: [],
      };
      byManualId.set(row.mId, entry);
    }
    entry.external.push(toStoredExternalAbsence(row));
  }
  return [...byManualId.values()];
}

function statementArgs({ sql, values }: Statement): [string, unknown[]] {
  return [sql, values];
}

export function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let index = 0; index < items.length; index += size) yield items.slice(index, index + size);
}
