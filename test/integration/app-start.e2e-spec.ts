import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startAppProcess } from '../support/app-process';
import { TEST_BOOTSTRAP_TOKEN } from '../support/test-app';

// Runs once (under the SQLite project): the embedded default is what `npm start` uses.
const describeOnSqlite = process.env.TEST_DB === 'sqlite' ? describe : describe.skip;

describeOnSqlite('npm start on the embedded SQLite default', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'awork-start-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves requests, and keeps its data across a restart on the same directory', async () => {
    const env = { DATA_DIR: dataDir, BOOTSTRAP_TOKEN: TEST_BOOTSTRAP_TOKEN, DEMO: 'false' };
    const first = await startAppProcess(env);
    let token: string;
    try {
      const created = await request(first.baseUrl)
        .post('/api/v1/workspaces')
        .set('X-Bootstrap-Token', TEST_BOOTSTRAP_TOKEN)
        .send({
          name: 'Persisted',
          plan: 'business',
          timeZone: 'Europe/Berlin',
          admin: { email: 'a@p.test', name: 'A' },
        })
        .expect(201);
      token = created.body.admin.token;
      expect(existsSync(join(dataDir, 'awork.sqlite'))).toBe(true);
    } finally {
      await first.stop();
    }

    const second = await startAppProcess(env);
    try {
      const workspace = await request(second.baseUrl)
        .get('/api/v1/workspace')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(workspace.body.name).toBe('Persisted');
    } finally {
      await second.stop();
    }
  });
});
