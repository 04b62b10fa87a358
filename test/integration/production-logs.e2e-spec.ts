import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { PersonioSimulator } from '../../src/personio-simulator';
import { AppProcess, startAppProcess } from '../support/app-process';
import { dayAbsence, simPerson } from '../support/personio-fixture';

// A child process in production mode on the embedded SQLite file: run once, under the SQLite project.
const describeOnSqlite = process.env.TEST_DB === 'sqlite' ? describe : describe.skip;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

interface LogRecord {
  level: string;
  message: unknown;
  context?: string;
  pid: number;
}

function daysFromToday(offset: number): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + offset);
  return day.toISOString().slice(0, 10);
}

describeOnSqlite('logs in production mode', () => {
  const simulator = new PersonioSimulator();
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'awork-prodlogs-'));
    await simulator.start();
  });
  afterAll(async () => {
    await simulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes only JSON lines, sync lines carry workspace and run ids, and no token, secret or authorization header gets out', async () => {
    const bootstrapToken = `bootstrap-${randomBytes(12).toString('hex')}`;
    const credentialsKey = randomBytes(32).toString('base64');
    const clientSecret = `personio-secret-${randomBytes(12).toString('hex')}`;
    const ada = simPerson('ada@prod.test');
    const bob = simPerson('Bob@Prod.test');
    simulator.createCompany({
      id: 'prod-co',
      credentials: {
        clientId: 'prod-co-client',
        clientSecret,
        scopes: ['personio:persons:read', 'personio:absences:read', 'personio:webhooks:write'],
      },
      persons: [ada, bob, simPerson(null)],
      absenceTypes: [{ id: 'type-vacation', name: 'Paid vacation', category: 'PAID_VACATION', unit: 'DAY' }],
      absencePeriods: [
        dayAbsence(ada.id, daysFromToday(2), daysFromToday(4)),
        dayAbsence(bob.id, daysFromToday(10), daysFromToday(10)),
      ],
    });

    const app: AppProcess = await startAppProcess({
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      CREDENTIALS_KEY: credentialsKey,
      BOOTSTRAP_TOKEN: bootstrapToken,
      PERSONIO_BASE_URL: simulator.baseUrl,
      PERSONIO_RETRY_BASE_DELAY_MS: '5',
      // Not https: accepted, with a warning at boot.
      PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    });
    const secrets: string[] = [bootstrapToken, credentialsKey, clientSecret];
    let workspaceId: string;
    let manualRunId: string;
    try {
      const http = request(app.baseUrl);
      const workspace = await http
        .post('/api/v1/workspaces')
        .set('X-Bootstrap-Token', bootstrapToken)
        .send({
          name: 'Prod',
          plan: 'business',
          timeZone: 'Europe/Berlin',
          admin: { email: 'admin@prod.test', name: 'Admin' },
        })
        .expect(201);
      workspaceId = workspace.body.id;
      const adminToken: string = workspace.body.admin.token;
      secrets.push(adminToken);
      const auth = { Authorization: `Bearer ${adminToken}` };
      for (const email of ['ada@prod.test', 'bob@prod.test']) {
        const user = await http.post('/api/v1/users').set(auth).send({ email, name: email }).expect(201);
        secrets.push(user.body.token);
      }

      await http
        .put('/api/v1/integrations/personio')
        .set(auth)
        .send({ clientId: 'prod-co-client', clientSecret })
        .expect(200);
      let setupRun: { id: string; status: string } | null = null;
      for (let i = 0; i < 100 && (!setupRun || setupRun.status === 'running'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        setupRun = (await http.get('/api/v1/integrations/personio').set(auth).expect(200)).body.lastRun;
      }
      expect(setupRun).toMatchObject({ status: 'succeeded' });

      const manual = await http.post('/api/v1/integrations/personio/sync').set(auth).expect(200);
      expect(manual.body).toMatchObject({ status: 'succeeded', trigger: 'manual' });
      manualRunId = manual.body.id;
      // A wrong token as well: its header must not surface anywhere either.
      await http.get('/api/v1/workspace').set('Authorization', 'Bearer awk_not-a-real-token-0123456789').expect(401);
    } finally {
      await app.stop();
    }
    const output = app.output();

    const webhooks = simulator.listWebhooks('prod-co');
    expect(webhooks).toHaveLength(1);
    secrets.push(webhooks[0].token!);
    const issued = simulator.issuedTokens('prod-co');
    expect(issued.length).toBeGreaterThan(0);
    for (const secret of [...secrets, ...issued]) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/authorization/i);

    const lines = output.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(10);
    const records = lines.map((line) => {
      let record: LogRecord;
      try {
        record = JSON.parse(line);
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
      expect(record).toEqual(expect.objectContaining({ level: expect.any(String), pid: expect.any(Number) }));
      return record;
    });
    expect(records.some((record) => /^Listening on http:\/\//.test(String(record.message)))).toBe(true);
    expect(records).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/^PUBLIC_BASE_URL .* is not https:\/\//),
      }),
    );

    const syncLines = records
      .filter((record) => record.context === 'PersonioSyncService')
      .map((record) => String(record.message));
    expect(syncLines.length).toBeGreaterThanOrEqual(4);
    for (const line of syncLines) expect(line).toMatch(new RegExp(`workspace=${workspaceId} run=${UUID} `));
    expect(syncLines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`workspace=${workspaceId} run=${manualRunId} sync started trigger=manual`)),
        expect.stringMatching(new RegExp(`workspace=${workspaceId} run=${manualRunId} sync succeeded fetched=2 `)),
        expect.stringMatching(
          new RegExp(
            `workspace=${workspaceId} run=${manualRunId} fetched pages=1 absencesProcessed=2; applying creates=0 updates=0 deletes=0`,
          ),
        ),
      ]),
    );
    // LOG_LEVEL defaults to `log` in production: the client's per-page debug lines stay out.
    expect(records.filter((record) => record.level === 'debug')).toEqual([]);
  }, 90_000);
});
