import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PersonioSimulator } from '../../src/personio-simulator';
import { credentialsKeyId } from '../../src/config/app-config';
import { PersonioIntegration } from '../../src/integrations/personio/personio-integration.entity';
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
      await usersReport(t).expect(200);
    } finally {
      await t.close();
    }
  });
});
