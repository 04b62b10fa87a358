import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { CoalescingBatcher } from '../../../common/coalescing-batcher';
import { truncate } from '../personio-integration-state.service';
import { PersonioWebhookEvent } from './personio-webhook-event.entity';

const TABLE = 'personio_webhook_events';

export interface ReceivedEvent {
  eventName: string;
  resourceId: string;
  occurredAt: string;
}

export interface ClaimedEvent extends ReceivedEvent {
  id: string;
  workspaceId: string;
  attempts: number;
}

interface EventStatements {
  /** params per row: id, workspaceId, eventName, resourceId, occurredAt */
  record: (rows: number) => string;
  /** params: owner, leaseSeconds, limit */
  claim: string;
  /** params: delaySeconds, error, attemptIncrement, owner, then the ids */
  release: (ids: number) => string;
  /** params: owner, then the ids */
  processed: (ids: number) => string;
  /** params: retentionSeconds */
  prune: string;
  /** no params: is anything waiting (a read, so an idle poll takes no write lock) */
  anyPending: string;
  /** params: workspaceId */
  applying: string;
}

const RECORD_PARAMS = 5;
/** Rows one INSERT of received events carries at most. */
const MAX_RECORD_ROWS = 200;
/** INSERTs of received events in flight at once (each on the receiver's own connection). */
const MAX_RECORD_STATEMENTS = 4;
const PG_NOW = `(now() at time zone 'utc')`;
const PG_LATER = (param: string) => `${PG_NOW} + make_interval(secs => ${param})`;
const pgList = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

// Times come from the database clock, as the workspace claims do, so instances with skewed clocks agree.
const POSTGRES: EventStatements = {
  record: (rows) => `
    INSERT INTO ${TABLE} (id, workspace_id, event_name, resource_id, occurred_at, received_at, attempts)
    VALUES ${Array.from({ length: rows }, (_, i) => `(${pgList(i * RECORD_PARAMS + 1, RECORD_PARAMS)}, ${PG_NOW}, 0)`).join(', ')}
    ON CONFLICT DO NOTHING`,
  claim: `
    UPDATE ${TABLE}
       SET claimed_by = $1, claim_expires_at = ${PG_LATER('$2')}
     WHERE id IN (
           SELECT id FROM ${TABLE}
            WHERE processed_at IS NULL AND (claim_expires_at IS NULL OR claim_expires_at < ${PG_NOW})
            ORDER BY received_at
            LIMIT $3
              FOR UPDATE SKIP LOCKED)
    RETURNING id, workspace_id, event_name, resource_id, occurred_at, attempts`,
  release: (ids) => `
    UPDATE ${TABLE}
       SET claimed_by = NULL, claim_expires_at = ${PG_LATER('$1')}, last_error = $2, attempts = attempts + $3
     WHERE claimed_by = $4 AND id IN (${pgList(5, ids)})`,
  processed: (ids) => `
    UPDATE ${TABLE}
       SET claimed_by = NULL, claim_expires_at = NULL, processed_at = ${PG_NOW}
     WHERE claimed_by = $1 AND id IN (${pgList(2, ids)})`,
  prune: `DELETE FROM ${TABLE} WHERE processed_at < ${PG_NOW} - make_interval(secs => $1)`,
  anyPending: `SELECT 1 FROM ${TABLE} WHERE processed_at IS NULL AND (claim_expires_at IS NULL OR claim_expires_at < ${PG_NOW}) LIMIT 1`,
  applying: `SELECT 1 FROM ${TABLE} WHERE workspace_id = $1 AND processed_at IS NULL AND claimed_by IS NOT NULL AND claim_expires_at >= ${PG_NOW} LIMIT 1`,
};

// NOTE: SQLite keeps these timestamps as TEXT in TypeORM's UTC format; both sides go through strftime.
const SQLITE_NOW = `strftime('%Y-%m-%d %H:%M:%f', 'now')`;
const SQLITE_LATER = `strftime('%Y-%m-%d %H:%M:%f', 'now', '+' || ? || ' seconds')`;
const stored = (column: string) => `strftime('%Y-%m-%d %H:%M:%f', ${column})`;
const sqliteList = (count: number) => Array.from({ length: count }, () => '?').join(', ');

const SQLITE: EventStatements = {
  record: (rows) => `
    INSERT INTO ${TABLE} (id, workspace_id, event_name, resource_id, occurred_at, received_at, attempts)
    VALUES ${Array.from({ length: rows }, () => `(${sqliteList(RECORD_PARAMS)}, ${SQLITE_NOW}, 0)`).join(', ')}
    ON CONFLICT DO NOTHING`,
  claim: `
    UPDATE ${TABLE}
       SET claimed_by = ?, claim_expires_at = ${SQLITE_LATER}
     WHERE id IN (
           SELECT id FROM ${TABLE}
            WHERE processed_at IS NULL AND (claim_expires_at IS NULL OR ${stored('claim_expires_at')} < ${SQLITE_NOW})
            ORDER BY received_at
            LIMIT ?)
    RETURNING id, workspace_id, event_name, resource_id, occurred_at, attempts`,
  release: (ids) => `
    UPDATE ${TABLE}
       SET claimed_by = NULL, claim_expires_at = ${SQLITE_LATER}, last_error = ?, attempts = attempts + ?
     WHERE claimed_by = ? AND id IN (${sqliteList(ids)})`,
  processed: (ids) => `
    UPDATE ${TABLE}
       SET claimed_by = NULL, claim_expires_at = NULL, processed_at = ${SQLITE_NOW}
     WHERE claimed_by = ? AND id IN (${sqliteList(ids)})`,
  anyPending: `SELECT 1 FROM ${TABLE} WHERE processed_at IS NULL AND (claim_expires_at IS NULL OR ${stored('claim_expires_at')} < ${SQLITE_NOW}) LIMIT 1`,
  prune: `DELETE FROM ${TABLE} WHERE ${stored('processed_at')} < strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || ? || ' seconds')`,
  applying: `SELECT 1 FROM ${TABLE} WHERE workspace_id = ? AND processed_at IS NULL AND claimed_by IS NOT NULL AND ${stored('claim_expires_at')} >= ${SQLITE_NOW} LIMIT 1`,
};

interface ClaimedRow {
  id: string;
  workspace_id: string;
  event_name: string;
  resource_id: string;
  occurred_at: string;
  attempts: number;
}

/**
 * The received webhook events: stored once (duplicates ignored), claimed with their own lease by
 * any instance (each event once), then marked processed or put back with a delay.
 */
@Injectable()
export class WebhookEventStore implements OnModuleDestroy {
  /** Deliveries arriving while MAX_RECORD_STATEMENTS INSERTs run join the next one. */
  private readonly records = new CoalescingBatcher<unknown[], void>(
    (rows) => this.insertRecords(rows),
    MAX_RECORD_STATEMENTS,
    MAX_RECORD_ROWS,
  );
  /**
   * The receiver's own connections (at most MAX_RECORD_STATEMENTS, taken from the pool on first use
   * and kept): an acknowledgement never queues for a connection behind the processor's queries.
   */
  private readonly recordConnections: QueryRunner[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleDestroy(): Promise<void> {
    await Promise.all(
      this.recordConnections.splice(0).map((connection) => connection.release().catch(() => undefined)),
    );
  }

  private get sql(): EventStatements {
    return this.dataSource.options.type === 'postgres' ? POSTGRES : SQLITE;
  }

  /**
   * Stored once this resolves; a duplicate delivery (same event, resource and occurred_at) is ignored.
   * No transaction: one INSERT … ON CONFLICT DO NOTHING, on a connection of the receiver's own. A
   * delivery arriving while MAX_RECORD_STATEMENTS INSERTs are in flight joins the next one, so a
   * burst costs a few statements (and commits), not one each, and a lone delivery waits for nothing.
   */
  record(workspaceId: string, event: ReceivedEvent): Promise<void> {
    return this.records.run([randomUUID(), workspaceId, event.eventName, event.resourceId, event.occurredAt]);
  }

  private async insertRecords(rows: unknown[][]): Promise<void[]> {
    const connection = this.recordConnections.pop() ?? this.dataSource.createQueryRunner();
    let healthy = false;
    try {
      await connection.query(this.sql.record(rows.length), rows.flat());
      healthy = true;
      return rows.map(() => undefined);
    } finally {
      // A connection whose statement failed may be broken: it goes back to the pool, a fresh one replaces it.
      if (healthy) this.recordConnections.push(connection);
      else await connection.release().catch(() => undefined);
    }
  }

  async claim(owner: string, leaseSeconds: number, limit: number): Promise<ClaimedEvent[]> {
    const { records } = await this.run(this.sql.claim, [owner, leaseSeconds, limit]);
    return (records as ClaimedRow[]).map((row) => ({
      id: row.id,
      workspaceId: row.workspace_id,
      eventName: row.event_name,
      resourceId: row.resource_id,
      occurredAt: row.occurred_at,
      attempts: Number(row.attempts),
    }));
  }

  /** Done (applied, or left to the next full sync on purpose). */
  async processed(owner: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(this.sql.processed(ids.length), [owner, ...ids]);
  }

  /** Back to pending, not to be claimed again for `delaySeconds`; `failed` counts it as an attempt. */
  async release(
    owner: string,
    ids: readonly string[],
    delaySeconds: number,
    error: string,
    failed = true,
  ): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(this.sql.release(ids.length), [
      delaySeconds,
      truncate(error),
      failed ? 1 : 0,
      owner,
      ...ids,
    ]);
  }

  async anyPending(): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(this.sql.anyPending);
    return rows.length > 0;
  }

  /** Whether some instance is applying events of this workspace now (claimed, lease live). */
  async applying(workspaceId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(this.sql.applying, [workspaceId]);
    return rows.length > 0;
  }

  async prune(retentionSeconds: number): Promise<number> {
    return (await this.run(this.sql.prune, [retentionSeconds])).affected;
  }

  async deleteAll(workspaceId: string): Promise<void> {
    await this.dataSource.getRepository(PersonioWebhookEvent).delete({ workspaceId });
  }

  /** How many events of the workspace are stored (tests). */
  count(workspaceId: string): Promise<number> {
    return this.dataSource.getRepository(PersonioWebhookEvent).count({ where: { workspaceId } });
  }

  // NOTE: the structured result gives { records, affected } on both drivers (see SyncLeaseRepository).
  private async run(sql: string, parameters: unknown[]): Promise<{ records: unknown[]; affected: number }> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, parameters, true);
      return { records: result.records ?? [], affected: result.affected ?? 0 };
    } finally {
      await runner.release();
    }
  }
}
