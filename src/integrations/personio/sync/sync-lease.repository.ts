import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LOST_RUN_ERROR } from './sync-run.recorder';

interface LeaseStatements {
  /** params: owner, leaseSeconds, limit → rows of { workspace_id } */
  claimDue: string;
  /** params: owner, leaseSeconds, limit → rows of { workspace_id } */
  claimUnsyncedThisHour: string;
  /** params: owner, leaseSeconds, workspaceId */
  claim: string;
  /** params: leaseSeconds, workspaceId, owner */
  renew: string;
  /** params: workspaceId, owner */
  release: string;
  /** params: owner, leaseSeconds, limit → rows of { workspace_id } */
  claimPersonSyncDue: string;
  /** params: workspaceId: a full sync starts now, which satisfies every person event received before */
  fullSyncStarted: string;
  /** params: minIntervalSeconds, workspaceId: a person event asks for a full sync, at most one a minute */
  personSyncRequested: string;
}

const TABLE = 'personio_integrations';
const RUNS = 'personio_sync_runs';
// Full runs only: a later issue's event-driven runs (trigger `webhook`) do not stand for the hourly one.
const FULL_RUN_TRIGGERS = `('schedule', 'manual', 'setup')`;

/** No full run started since `hourStart` has finished (succeeded or failed; a run lost with its instance does not count). */
const noFinishedFullRunSince = (startedAt: string, hourStart: string) => `
              AND NOT EXISTS (
                  SELECT 1 FROM ${RUNS} r
                   WHERE r.workspace_id = i.workspace_id
                     AND r.trigger IN ${FULL_RUN_TRIGGERS}
                     AND r.status IN ('succeeded', 'failed')
                     AND COALESCE(r.error, '') <> '${LOST_RUN_ERROR}'
                     AND ${startedAt} >= ${hourStart})`;

// Every time below is read from the database clock, so app instances with skewed clocks agree.
// Timestamps are UTC `timestamp` (without time zone) on PostgreSQL.
const PG_NOW = `(now() at time zone 'utc')`;
const PG_LEASE_END = (secondsParam: string) => `${PG_NOW} + make_interval(secs => ${secondsParam})`;

const POSTGRES: LeaseStatements = {
  // SKIP LOCKED: a concurrent claimer passes over rows another one is claiming; a row claimed and
  // committed meanwhile is re-checked against the WHERE and no longer due.
  claimDue: `
    UPDATE ${TABLE}
       SET lease_owner = $1,
           lease_expires_at = ${PG_LEASE_END('$2')},
           next_run_at = date_trunc('hour', ${PG_NOW}) + interval '1 hour'
     WHERE id IN (
           SELECT id FROM ${TABLE}
            WHERE status <> 'needs_reauth'
              AND ((lease_expires_at IS NULL AND (next_run_at IS NULL OR next_run_at <= ${PG_NOW}))
                   OR lease_expires_at < ${PG_NOW})
            ORDER BY next_run_at NULLS FIRST
            LIMIT $3
              FOR UPDATE SKIP LOCKED)
    RETURNING workspace_id`,
  claimUnsyncedThisHour: `
    UPDATE ${TABLE}
       SET lease_owner = $1,
           lease_expires_at = ${PG_LEASE_END('$2')},
           next_run_at = date_trunc('hour', ${PG_NOW}) + interval '1 hour'
     WHERE id IN (
           SELECT i.id FROM ${TABLE} i
            WHERE i.status <> 'needs_reauth'
              AND (i.lease_expires_at IS NULL OR i.lease_expires_at < ${PG_NOW})
              ${noFinishedFullRunSince('r.started_at', `date_trunc('hour', ${PG_NOW})`)}
            ORDER BY i.next_run_at NULLS FIRST
            LIMIT $3
              FOR UPDATE OF i SKIP LOCKED)
    RETURNING workspace_id`,
  claim: `
    UPDATE ${TABLE}
       SET lease_owner = $1, lease_expires_at = ${PG_LEASE_END('$2')}
     WHERE workspace_id = $3 AND (lease_expires_at IS NULL OR lease_expires_at < ${PG_NOW})`,
  renew: `
    UPDATE ${TABLE}
       SET lease_expires_at = ${PG_LEASE_END('$1')}
     WHERE workspace_id = $2 AND lease_owner = $3`,
  release: `
    UPDATE ${TABLE}
       SET lease_owner = NULL, lease_expires_at = NULL
     WHERE workspace_id = $1 AND lease_owner = $2`,
  claimPersonSyncDue: `
    UPDATE ${TABLE}
       SET lease_owner = $1, lease_expires_at = ${PG_LEASE_END('$2')}, person_sync_due_at = NULL
     WHERE id IN (
           SELECT id FROM ${TABLE}
            WHERE status <> 'needs_reauth' AND person_sync_due_at <= ${PG_NOW}
              AND (lease_expires_at IS NULL OR lease_expires_at < ${PG_NOW})
            ORDER BY person_sync_due_at
            LIMIT $3
              FOR UPDATE SKIP LOCKED)
    RETURNING workspace_id`,
  fullSyncStarted: `
    UPDATE ${TABLE} SET last_full_sync_started_at = ${PG_NOW}, person_sync_due_at = NULL WHERE workspace_id = $1`,
  // A due time already set stays: later events are coalesced into that sync.
  personSyncRequested: `
    UPDATE ${TABLE}
       SET person_sync_due_at = GREATEST(${PG_NOW}, COALESCE(last_full_sync_started_at + make_interval(secs => $1), ${PG_NOW}))
     WHERE workspace_id = $2 AND person_sync_due_at IS NULL`,
};

// NOTE: SQLite stores these columns as TEXT 'YYYY-MM-DD HH:MM:SS.SSS' (UTC, as TypeORM writes them),
// so the clock expressions produce exactly that format and compare as strings. The stored side is
// normalised through strftime too, so a value written as ISO 'YYYY-MM-DDTHH:MM:SS.SSSZ' compares right.
// 'now' is fixed for the duration of one statement; writes are serialised, so no locking clause.
const SQLITE_NOW = `strftime('%Y-%m-%d %H:%M:%f', 'now')`;
const SQLITE_LEASE_END = `strftime('%Y-%m-%d %H:%M:%f', 'now', '+' || ? || ' seconds')`;
const sqliteStored = (column: string) => `strftime('%Y-%m-%d %H:%M:%f', ${column})`;

const SQLITE_PERSON_SYNC_DUE = `MAX(${SQLITE_NOW}, COALESCE(strftime('%Y-%m-%d %H:%M:%f', last_full_sync_started_at, '+' || ? || ' seconds'), ${SQLITE_NOW}))`;

const SQLITE: LeaseStatements = {
  claimPersonSyncDue: `
    UPDATE ${TABLE}
       SET lease_owner = ?, lease_expires_at = ${SQLITE_LEASE_END}, person_sync_due_at = NULL
     WHERE id IN (
           SELECT id FROM ${TABLE}
            WHERE status <> 'needs_reauth' AND ${sqliteStored('person_sync_due_at')} <= ${SQLITE_NOW}
              AND (lease_expires_at IS NULL OR ${sqliteStored('lease_expires_at')} < ${SQLITE_NOW})
            ORDER BY person_sync_due_at
            LIMIT ?)
    RETURNING workspace_id`,
  fullSyncStarted: `
    UPDATE ${TABLE} SET last_full_sync_started_at = ${SQLITE_NOW}, person_sync_due_at = NULL WHERE workspace_id = ?`,
  personSyncRequested: `
    UPDATE ${TABLE} SET person_sync_due_at = ${SQLITE_PERSON_SYNC_DUE}
     WHERE workspace_id = ? AND person_sync_due_at IS NULL`,
  claimDue: `
    UPDATE ${TABLE}
       SET lease_owner = ?,
           lease_expires_at = ${SQLITE_LEASE_END},
           next_run_at = strftime('%Y-%m-%d %H:00:00.000', 'now', '+1 hour')
     WHERE id IN (
           SELECT id FROM ${TABLE}
            WHERE status <> 'needs_reauth'
              AND ((lease_expires_at IS NULL AND (next_run_at IS NULL OR ${sqliteStored('next_run_at')} <= ${SQLITE_NOW}))
                   OR ${sqliteStored('lease_expires_at')} < ${SQLITE_NOW})
            ORDER BY next_run_at NULLS FIRST
            LIMIT ?)
    RETURNING workspace_id`,
  claimUnsyncedThisHour: `
    UPDATE ${TABLE}
       SET lease_owner = ?,
           lease_expires_at = ${SQLITE_LEASE_END},
           next_run_at = strftime('%Y-%m-%d %H:00:00.000', 'now', '+1 hour')
     WHERE id IN (
           SELECT i.id FROM ${TABLE} i
            WHERE i.status <> 'needs_reauth'
              AND (i.lease_expires_at IS NULL OR ${sqliteStored('i.lease_expires_at')} < ${SQLITE_NOW})
              ${noFinishedFullRunSince(sqliteStored('r.started_at'), `strftime('%Y-%m-%d %H:00:00.000', 'now')`)}
            ORDER BY i.next_run_at NULLS FIRST
            LIMIT ?)
    RETURNING workspace_id`,
  claim: `
    UPDATE ${TABLE}
       SET lease_owner = ?, lease_expires_at = ${SQLITE_LEASE_END}
     WHERE workspace_id = ? AND (lease_expires_at IS NULL OR ${sqliteStored('lease_expires_at')} < ${SQLITE_NOW})`,
  renew: `
    UPDATE ${TABLE}
       SET lease_expires_at = ${SQLITE_LEASE_END}
     WHERE workspace_id = ? AND lease_owner = ?`,
  release: `
    UPDATE ${TABLE}
       SET lease_owner = NULL, lease_expires_at = NULL
     WHERE workspace_id = ? AND lease_owner = ?`,
};

/**
 * Claims on `personio_integrations` rows (lease_owner, lease_expires_at, next_run_at), so that
 * several app instances on one database run each integration's hourly sync exactly once, and a
 * crashed instance's claim is taken over once its lease has expired. `owner` must be unique per
 * app instance.
 */
@Injectable()
export class SyncLeaseRepository {
  private readonly sql: LeaseStatements;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sql = dataSource.options.type === 'postgres' ? POSTGRES : SQLITE;
  }

  /**
   * Claims up to `limit` integrations that are due (next_run_at reached and not leased, or whose
   * lease expired) and not `needs_reauth`; schedules each for the start of the next full hour.
   * Returns the claimed workspace ids.
   */
  async claimDue(owner: string, leaseSeconds: number, limit: number): Promise<string[]> {
    const { records } = await this.run(this.sql.claimDue, [owner, leaseSeconds, limit]);
    return (records as Array<{ workspace_id: string }>).map((row) => row.workspace_id);
  }

  /**
   * The recovery pass's claim: up to `limit` integrations (not `needs_reauth`) held by no live lease
   * that have no full run started since this hour's :00 (database clock) and finished. A run lost
   * with its instance, or a scheduled one skipped because a manual sync held the claim, is caught
   * here; one already synced this hour is not. Schedules each for the next full hour, like claimDue.
   */
  async claimUnsyncedThisHour(owner: string, leaseSeconds: number, limit: number): Promise<string[]> {
    const { records } = await this.run(this.sql.claimUnsyncedThisHour, [owner, leaseSeconds, limit]);
    return (records as Array<{ workspace_id: string }>).map((row) => row.workspace_id);
  }

  /** Claims one integration now, whatever its schedule; false when a lease is held or it does not exist. */
  async claim(workspaceId: string, owner: string, leaseSeconds: number): Promise<boolean> {
    const { affected } = await this.run(this.sql.claim, [owner, leaseSeconds, workspaceId]);
    return affected === 1;
  }

  /** Extends the lease for a long sync; false when `owner` no longer holds it. */
  async renew(workspaceId: string, owner: string, leaseSeconds: number): Promise<boolean> {
    const { affected } = await this.run(this.sql.renew, [leaseSeconds, workspaceId, owner]);
    return affected === 1;
  }

  /** Gives the claim up; does nothing when `owner` does not hold it (any more). */
  async release(workspaceId: string, owner: string): Promise<void> {
    await this.run(this.sql.release, [workspaceId, owner]);
  }

  /**
   * Integrations whose person events asked for a full sync that is now due, claimed like claimDue;
   * the request is taken with the claim, so a sync that then skips (plan inactive) is not claimed again and again.
   */
  async claimPersonSyncDue(owner: string, leaseSeconds: number, limit: number): Promise<string[]> {
    const { records } = await this.run(this.sql.claimPersonSyncDue, [owner, leaseSeconds, limit]);
    return (records as Array<{ workspace_id: string }>).map((row) => row.workspace_id);
  }

  /** A read first, so an idle poll takes no write lock. */
  async anyPersonSyncRequested(): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM ${TABLE} WHERE person_sync_due_at IS NOT NULL LIMIT 1`,
    );
    return rows.length > 0;
  }

  /** A full sync starts: it satisfies every person event received before it. */
  async fullSyncStarted(workspaceId: string): Promise<void> {
    await this.run(this.sql.fullSyncStarted, [workspaceId]);
  }

  /** A person event: a full sync at most `minIntervalSeconds` after the last one started; already requested → coalesced. */
  async personSyncRequested(workspaceId: string, minIntervalSeconds: number): Promise<void> {
    await this.run(this.sql.personSyncRequested, [minIntervalSeconds, workspaceId]);
  }

  // NOTE: the structured result gives { records, affected } on both drivers; the plain one would be
  // [rows, rowCount] for a PostgreSQL UPDATE but the bare rows for a better-sqlite3 RETURNING.
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
