import { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { freePort } from './free-port';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { configureApp } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { Clock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { FixedClock } from './fixed-clock';
import { createTestDatabase, TestDatabase } from './test-database';

export const TEST_BOOTSTRAP_TOKEN = 'test-bootstrap-token-0123456789';
export const TEST_CREDENTIALS_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  dataSource: DataSource;
  clock: FixedClock;
  database: TestDatabase;
  close(): Promise<void>;
  /** `http://127.0.0.1:<port>` when started with `listen`. */
  baseUrl?: string;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  now?: string;
  /** Reuse a database (e.g. a second instance); the caller drops it. */
  database?: TestDatabase;
  /** Receives every log line of the app (default: silent). */
  logger?: LoggerService;
  /**
   * Listen on a loopback port (so the Personio simulator can deliver webhooks to it); PUBLIC_BASE_URL
   * is that address unless `env` sets one.
   */
  listen?: boolean;
}

/** The real application (same module tree and pipeline as production) on a fresh database. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownsDatabase = !options.database;
  const database = options.database ?? (await createTestDatabase());
  const port = options.listen ? await freePort() : undefined;
  const baseUrl = port === undefined ? undefined : `http://127.0.0.1:${port}`;
  const config = loadConfig({
    ...(baseUrl ? { PUBLIC_BASE_URL: baseUrl } : {}),
    NODE_ENV: 'test',
    DEMO: 'false',
    BOOTSTRAP_TOKEN: TEST_BOOTSTRAP_TOKEN,
    CREDENTIALS_KEY: TEST_CREDENTIALS_KEY,
    SYNC_CRON_ENABLED: 'false',
    PERSONIO_BASE_URL: 'http://127.0.0.1:9',
    PERSONIO_REQUEST_TIMEOUT_MS: '2000',
    PERSONIO_RETRY_MAX_ATTEMPTS: '3',
    PERSONIO_RETRY_BASE_DELAY_MS: '5',
    PERSONIO_RETRY_MAX_DELAY_MS: '20',
    ...database.env,
    ...options.env,
  });
  const clock = new FixedClock(new Date(options.now ?? '2026-07-21T10:00:00Z'));
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication({ logger: options.logger ?? false, bodyParser: false });
  configureApp(app);
  await app.init();
  if (port !== undefined) await app.listen(port, '127.0.0.1');
  return {
    baseUrl,
    app,
    http: request(app.getHttpServer()),
    dataSource: app.get(DataSource),
    clock,
    database,
    close: async () => {
      await app.close();
      if (ownsDatabase) await database.drop();
    },
  };
}

export interface CreatedWorkspace {
  id: string;
  adminId: string;
  adminToken: string;
}

export async function createWorkspace(
  testApp: Pick<TestApp, 'http'>,
  input: { name?: string; plan?: string; timeZone?: string; adminEmail?: string } = {},
): Promise<CreatedWorkspace> {
  const response = await testApp.http
    .post('/api/v1/workspaces')
    .set('X-Bootstrap-Token', TEST_BOOTSTRAP_TOKEN)
    .send({
      name: input.name ?? 'Acme',
      plan: input.plan ?? 'business',
      timeZone: input.timeZone ?? 'Europe/Berlin',
      admin: { email: input.adminEmail ?? 'admin@acme.test', name: 'Ada Admin' },
    })
    .expect(201);
  return { id: response.body.id, adminId: response.body.admin.id, adminToken: response.body.admin.token };
}

export async function createUser(
  testApp: Pick<TestApp, 'http'>,
  adminToken: string,
  input: { email: string; name?: string; role?: 'admin' | 'member' },
): Promise<{ id: string; token: string; email: string }> {
  const response = await testApp.http
    .post('/api/v1/users')
    .set('Authorization', `Bearer ${adminToken}`)
    .send({ name: input.email.split('@')[0], ...input })
    .expect(201);
  return { id: response.body.id, token: response.body.token, email: response.body.email };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
