import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type {
  AbsenceChangeSet,
  AppliedAbsenceChanges,
  DateRange,
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

/** The absences an integration transferred into awork: read in bulk, written in one transaction. */
@Injectable()
export class ExternalAbsenceStore {
  private readonly sql: ExternalAbsenceStatements;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sql = dataSource.options.type === 'postgres' ? POSTGRES_STATEMENTS : SQLITE_STATEMENTS;
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

  async apply(owner: Owner, changes: AbsenceChangeSet): Promise<AppliedAbsenceChanges> {
    if (changes.creates.length + changes.updates.length + changes.deletes.length === 0)
      return { created: 0, updated: 0, deleted: 0 };
    return this.dataSource.transaction((manager) => this.write(manager, owner, changes));
  }

  async deleteAll(owner: Owner): Promise<number> {
    return this.execute(this.dataSource.manager, this.sql.deleteAll(owner));
  }

  async clearDescriptions(owner: Owner): Promise<number> {
    return this.execute(this.dataSource.manager, this.sql.clearDescriptions(owner));
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

export function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let index = 0; index < items.length; index += size) yield items.slice(index, index + size);
}
