import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PersonioSimulator } from '../../src/personio-simulator';
import { credentialsKeyId } from '../../src/config/app-config';
import { SecretCipher } from '../../src/integrations/personio/credentials/secret-cipher';
import { PersonioIntegration } from '../../src/integrations/personio/personio-integration.entity';
import { PersonioSyncService } from '../../src/integrations/personio/sync/personio-sync.service';
import { connectPersonio, createCompany, simPerson } from '../support/personio-fixture';
import { bearer, createWorkspace, startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe(`rotating CREDENTIALS_KEY (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  let database: TestDatabase;
  let baseUrl: string;
  let workspace: { id: string; adminToken: string };

  const start = (env: Record<string, string>) =>
    startTestApp({ database, env: { PERSONIO_BASE_URL: baseUrl, ...env } });
  const storedKeyId = async (t: TestApp) =>
    (
      await t.dataSource.getRepository(PersonioIntegration).findOneByOrFail({ workspaceId: workspace.id })
    ).clientSecretEncrypted.split(':')[1];
  const storedTokenKeyId = async (t: TestApp) =>
    (
      await t.dataSource.getRepository(PersonioIntegration).findOneByOrFail({ workspaceId: workspace.id })
    ).webhookTokenEncrypted?.split(':')[1];
  const usersReport = (t: TestApp) =>
    t.http.get('/api/v1/integrations/personio/users').set(bearer(workspace.adminToken));

  beforeAll(async () => {
    baseUrl = (await simulator.start()).baseUrl;
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
    await simulator.stop();
  });

  it('reads secrets under a previous key, and re-encrypts them under the current one with credentials:rotate', async () => {
    const company = createCompany(simulator, [simPerson('a@rot.test')]);
    let t = await start({ CREDENTIALS_KEY: oldKey });
    try {
      workspace = await createWorkspace(t);
      expect((await connectPersonio(t, workspace.adminToken, workspace.id, company)).status).toBe(200);
      expect(await storedKeyId(t)).toBe(credentialsKeyId(Buffer.from(oldKey, 'base64')));
      // A webhook token is sealed like the secret; rotation re-encrypts it too.
      await t.dataSource
        .getRepository(PersonioIntegration)
        .update(
          { workspaceId: workspace.id },
          { webhookTokenEncrypted: t.app.get(SecretCipher).encrypt('webhook-token', workspace.id) },
        );
      expect(await storedTokenKeyId(t)).toBe(credentialsKeyId(Buffer.from(oldKey, 'base64')));
    } finally {
      await t.close();
    }

    t = await start({ CREDENTIALS_KEY: newKey, CREDENTIALS_PREVIOUS_KEYS: oldKey });
    try {
      await usersReport(t).expect(200);
    } finally {
      await t.close();
    }

    const { stdout } = await run(
      process.execPath,
      [
        require.resolve('ts-node/dist/bin.js'),
        '--transpile-only',
        'src/integrations/personio/credentials/rotate-credentials.cli.ts',
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          DEMO: 'false',
          CREDENTIALS_KEY: newKey,
          CREDENTIALS_PREVIOUS_KEYS: oldKey,
          ...database.env,
        },
      },
    );
    expect(stdout).toMatch(/Re-encrypted 1 of 1/);

    t = await start({ CREDENTIALS_KEY: newKey });
    try {
      expect(await storedKeyId(t)).toBe(credentialsKeyId(Buffer.from(newKey, 'base64')));
      expect(await storedTokenKeyId(t)).toBe(credentialsKeyId(Buffer.from(newKey, 'base64')));
      expect(
        t.app
          .get(SecretCipher)
          .decrypt(
            (await t.dataSource.getRepository(PersonioIntegration).findOneByOrFail({ workspaceId: workspace.id }))
              .webhookTokenEncrypted!,
            workspace.id,
          ),
      ).toBe('webhook-token');
      await usersReport(t).expect(200);
    } finally {
      await t.close();
    }
  });

  it('a secret under a key that is no longer configured: 503 naming the key and the fix on /users and /sync, and the run leaves the integration failing', async () => {
    const orphanKey = randomBytes(32).toString('base64');
    const orphanKeyId = credentialsKeyId(Buffer.from(orphanKey, 'base64'));
    const company = createCompany(simulator, [simPerson('b@rot.test')]);
    let t = await start({ CREDENTIALS_KEY: orphanKey });
    let orphaned: { id: string; adminToken: string };
    try {
      orphaned = await createWorkspace(t, { adminEmail: 'admin@orphan.test' });
      expect((await connectPersonio(t, orphaned.adminToken, orphaned.id, company)).status).toBe(200);
    } finally {
      await t.close();
    }

    // The key is gone from CREDENTIALS_KEY and CREDENTIALS_PREVIOUS_KEYS alike.
    t = await start({ CREDENTIALS_KEY: newKey, CREDENTIALS_PREVIOUS_KEYS: oldKey });
    try {
      const admin = bearer(orphaned.adminToken);
      const fix = (message: string) => {
        expect(message).toContain(orphanKeyId);
        expect(message).toContain('CREDENTIALS_PREVIOUS_KEYS');
        expect(message).toMatch(/save the Personio credentials again/);
      };

      const users = await t.http.get('/api/v1/integrations/personio/users').set(admin).expect(503);
      fix(users.body.message);
      const manual = await t.http.post('/api/v1/integrations/personio/sync').set(admin).expect(503);
      fix(manual.body.message);
      await t.app.get(PersonioSyncService).runNow(orphaned.id, 'schedule');

      const status = await t.http.get('/api/v1/integrations/personio').set(admin).expect(200);
      expect(status.body.status).toBe('failing');
      fix(status.body.lastError);
      const runs = await t.http.get('/api/v1/integrations/personio/runs').set(admin).expect(200);
      expect(runs.body.map((r: { trigger: string; status: string }) => [r.trigger, r.status])).toEqual([
        ['schedule', 'failed'],
        ['manual', 'failed'],
        ['setup', 'succeeded'],
      ]);
      fix(runs.body[0].error);

      // Saving the credentials again (under the current key) is the other way out.
      expect((await connectPersonio(t, orphaned.adminToken, orphaned.id, company)).status).toBe(200);
      await t.http.get('/api/v1/integrations/personio/users').set(admin).expect(200);
      expect((await t.http.get('/api/v1/integrations/personio').set(admin).expect(200)).body.status).toBe('active');
    } finally {
      await t.close();
    }
  });
});
