import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ConflictException,
  HttpException,
  HttpServer,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
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

/**
 * The one place where database constraint errors get their HTTP meaning, for pg and better-sqlite3
 * alike: a unique value taken by a concurrent request is 409, as when the requests come one after
 * another; a value the column cannot hold is 400. Anything else stays a 500 (a bug, logged by Nest).
 */
@Catch(QueryFailedError)
export class DatabaseErrorFilter extends BaseExceptionFilter {
  constructor(applicationRef: HttpServer) {
    super(applicationRef);
  }

  override catch(exception: QueryFailedError, host: ArgumentsHost): void {
    super.catch(toHttpException(exception) ?? exception, host);
  }
}

export function toHttpException(error: QueryFailedError): HttpException | null {
  const driverError = error.driverError as { code?: string; constraint?: string; message?: string } | undefined;
  const code = String(driverError?.code ?? '');
  if (CONFLICT_CODES.has(code)) {
    const meaning = UNIQUE_MEANINGS.find(
      ({ index, sqliteColumns }) =>
        driverError?.constraint === index || (driverError?.message ?? '').includes(sqliteColumns),
    );
    return new ConflictException(
      meaning?.message ?? 'the request conflicts with data stored meanwhile; reload and retry',
    );
  }
  if (BAD_VALUE_CODES.has(code))
    return new BadRequestException('a value is outside what can be stored (too long, out of range or malformed)');
  return null;
}
