import { ConflictException, NotFoundException } from '@nestjs/common';
import { Client, DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, toHttpException } from './database-error.filter';

const failed = (driverError: Error & { code?: string }) => new QueryFailedError('SELECT 1', [], driverError);
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('a connection refused by a server that is not there (a real pg client on a closed port)', async () => {
    const client = new Client({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2_000 });
    const error = await client.connect().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['terminated by an administrator (57P01)', failed(withCode('terminating connection', '57P01'))],
    ['the server is starting up (57P03)', failed(withCode('the database system is starting up', '57P03'))],
    ['a connection exception (class 08)', failed(withCode('connection failure', '08006'))],
    ['too many connections (53300)', failed(withCode('sorry, too many clients already', '53300'))],
    ['SQLite held by another process', failed(withCode('database is locked', 'SQLITE_BUSY'))],
    ['the pool could not get a connection in time', new Error('timeout exceeded when trying to connect')],
    ['the connection ended under a query', new Error('Connection terminated unexpectedly')],
  ])('%s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('a session the server refuses (pg raises it at connect, unwrapped), but not the same code from a statement', () => {
    const refused = Object.assign(
      new DatabaseError('database "x" is not currently accepting connections', 0, 'error'),
      { code: '55000' },
    );
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable(failed(refused))).toBe(false);
  });

  it.each([
    ['a unique violation', failed(withCode('duplicate key', '23505'))],
    ['a syntax error (a bug)', failed(withCode('syntax error at or near', '42601'))],
    [
      'a statement with too many parameters (08P01)',
      failed(withCode('bind message supplies 70000 parameters', '08P01')),
    ],
    ['an HTTP exception', new NotFoundException()],
    ['any other error', new TypeError('x is undefined')],
    ['not an error', 'ECONNREFUSED'],
  ])('not %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('toHttpException', () => {
  it('names what a unique index means, and leaves an unknown code alone', () => {
    expect(
      toHttpException(
        failed(Object.assign(withCode('duplicate', '23505'), { constraint: 'uq_users_workspace_email' })),
      ),
    ).toEqual(new ConflictException('email is already used by another user of this workspace'));
    expect(toHttpException(failed(withCode('syntax error', '42601')))).toBeNull();
  });
});
