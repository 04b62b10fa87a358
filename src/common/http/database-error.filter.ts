import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ConflictException,
  HttpException,
  HttpServer,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

/** What a unique constraint means to the client, by PostgreSQL index name and by SQLite's column list. */
const UNIQUE_MEANINGS: Array<{ index: string; sqliteColumns: string; message: string }> = [
  {
    index: 'uq_users_workspace_email',
    sqliteColumns: 'users.workspace_id, users.email_normalized',
    message: 'email is already used by another user of this workspace',
  },
  {
    index: 'uq_personio_integrations_workspace',
    sqliteColumns: 'personio_integrations.workspace_id',
    message: 'this workspace is already connected to Personio',
  },
  {
    index: 'uq_personio_person_links_user',
    sqliteColumns: 'personio_person_links.workspace_id, personio_person_links.user_id',
    message: 'userId is already linked to another Personio person (see GET /integrations/personio/links)',
  },
];

// PostgreSQL SQLSTATE classes 23 (integrity) and 22 (data exception), and the SQLite result codes for the same.
const CONFLICT_CODES = new Set([
  '23505',
  '23503',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_FOREIGNKEY',
]);
const BAD_VALUE_CODES = new Set([
  '23502',
  '23514',
  '22001',
  '22003',
  '22007',
  '22008',
  '22021',
  '22P02',
  '22P05',
  '54000',
  'SQLITE_CONSTRAINT_NOTNULL',
  'SQLITE_CONSTRAINT_CHECK',
  'SQLITE_TOOBIG',
  'SQLITE_MISMATCH',
  'SQLITE_RANGE',
]);

// PostgreSQL: connection exceptions (class 08), shutdown or restart (57P01–57P03), out of connections (53300);
// SQLite: another process holds the database; node: the socket to the server failed. Not 08P01 (protocol
// violation): PostgreSQL also answers it to a statement with too many parameters, a bug to log as one.
const UNAVAILABLE_CODES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'SQLITE_BUSY',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);
// What node-postgres throws, without a code, when a connection ends or cannot be had in time.
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /is not queryable/,
  /^Client was closed/,
];
/** Seconds a client is asked to wait before retrying while the database does not answer. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The one place where database errors get their HTTP meaning, for pg and better-sqlite3 alike: a
 * unique value taken by a concurrent request is 409, as when the requests come one after another; a
 * value the column cannot hold is 400; a database that does not answer is 503 with Retry-After (logged
 * as a warning: it is an outage, not a bug). Anything else stays a 500 (a bug, logged by Nest).
 */
@Catch()
export class DatabaseErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('Database');

  constructor(applicationRef: HttpServer) {
    super(applicationRef);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (isDatabaseUnavailable(exception)) {
      const { code, message } = driverErrorOf(exception);
      this.logger.warn(`database not answering, request refused with 503: ${String(code ?? '')} ${String(message)}`);
      const response = host
        .switchToHttp()
        .getResponse<{ headersSent: boolean; setHeader(n: string, v: string): void }>();
      if (!response.headersSent) response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      // A connection lost during COMMIT may have stored a write: the client is not told that nothing happened.
      return super.catch(
        new ServiceUnavailableException(
          'the database is not answering; try again in a few seconds (a write under way may or may not have been stored)',
        ),
        host,
      );
    }
    super.catch((exception instanceof QueryFailedError && toHttpException(exception)) || exception, host);
  }
}

/** Whether the database could not be reached or dropped the connection (not whether a statement was wrong). */
export function isDatabaseUnavailable(error: unknown): error is object {
  // Not `instanceof Error`: errors of node's own sockets may come from another realm (jest's sandbox).
  if (typeof error !== 'object' || error === null || error instanceof HttpException) return false;
  const driverError = driverErrorOf(error);
  // The server refused the session itself (not a statement, which TypeORM wraps): "not accepting connections".
  if (error instanceof DatabaseError) return true;
  const code = String(driverError.code ?? '');
  if (UNAVAILABLE_CODES.has(code)) return true;
  const message = String(driverError.message ?? '');
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/** What the driver said: TypeORM wraps a statement's error, a failed connection comes as the driver threw it. */
function driverErrorOf(error: object): { code?: unknown; message?: unknown; constraint?: unknown } {
  return (error instanceof QueryFailedError ? (error.driverError ?? {}) : error) as {
    code?: unknown;
    message?: unknown;
    constraint?: unknown;
  };
}

export function toHttpException(error: QueryFailedError): HttpException | null {
  const driverError = driverErrorOf(error);
  const code = String(driverError.code ?? '');
  if (CONFLICT_CODES.has(code)) {
    const meaning = UNIQUE_MEANINGS.find(
      ({ index, sqliteColumns }) =>
        driverError.constraint === index || String(driverError.message ?? '').includes(sqliteColumns),
    );
    return new ConflictException(
      meaning?.message ?? 'the request conflicts with data stored meanwhile; reload and retry',
    );
  }
  if (BAD_VALUE_CODES.has(code))
    return new BadRequestException('a value is outside what can be stored (too long, out of range or malformed)');
  return null;
}
