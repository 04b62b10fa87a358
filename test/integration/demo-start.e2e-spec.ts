import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppProcess, startAppProcess } from '../support/app-process';

// `npm start` with no environment at all is demo mode on the embedded SQLite file: run it once, under the SQLite project.
const describeOnSqlite = process.env.TEST_DB === 'sqlite' ? describe : describe.skip;

const NEXT_STEPS = 'Demo ready: what to do next';
const REUSED = /demo workspace reused; its admin token is in \S+demo\.json/;

async function waitForOutput(app: AppProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(app.output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`output never matched ${pattern}:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function countRows(dataDir: string): { workspaces: number; users: number; absences: number; integrations: number } {
  const db = new Database(join(dataDir, 'awork.sqlite'), { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      workspaces: count('workspaces'),
      users: count('users'),
      absences: count('absences'),
      integrations: count('personio_integrations'),
    };
  } finally {
    db.close();
  }
}

/** An absence added through the demo simulator's admin API shows through the app's absences API (by webhook), then goes again. */
async function absenceAddedInPersonioShows(app: AppProcess, token: string, personioPersonId: string): Promise<void> {
  const simulatorUrl = (await waitForOutput(app, /Personio simulator on (http:\/\/127\.0\.0\.1:\d+)/))[1];
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const added = await request(simulatorUrl)
    .post('/_admin/companies/demo/absence-periods')
    .send({
      id: 'demo-webhook-check',
      personId: personioPersonId,
      absenceTypeId: null,
      startsFrom: { dateTime: `${inDays(7)}T00:00:00`, type: 'FIRST_HALF' },
      endsAt: { dateTime: `${inDays(9)}T00:00:00`, type: 'SECOND_HALF' },
      timezoneId: 'Europe/Berlin',
      comment: null,
      approvalStatus: 'APPROVED',
    });
  expect(added.status).toBeLessThan(300);
  const shown = async (present: boolean) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const listed = await request(app.baseUrl)
        .get('/api/v1/absences?pageSize=1000')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      const found = listed.body.some(
        (absence: { externalId: string | null }) => absence.externalId === 'demo-webhook-check',
      );
      if (found === present) return;
      if (Date.now() > deadline) throw new Error(`the simulator's change did not show within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await shown(true);
  // Removed again, so a later start finds what the first sync stored.
  await request(simulatorUrl).delete('/_admin/companies/demo/absence-periods/demo-webhook-check').expect(200);
  await shown(false);
}

describeOnSqlite('npm start with no configuration (demo mode)', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'awork-demo-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds, connects and syncs a demo workspace once, prints the next steps once, and reuses everything on a second start', async () => {
    // Exactly what `npm start` gets on a fresh clone: no DATABASE_URL, no PERSONIO_BASE_URL, no NODE_ENV, random port.
    const env = { DATA_DIR: dataDir, PORT: '0' };

    const first = await startAppProcess(env);
    let token: string;
    let firstAbsences: Array<{
      id: string;
      externalProvider: string | null;
      isHalfDayOnStart: boolean;
      isHalfDayOnEnd: boolean;
    }>;
    try {
      await waitForOutput(first, new RegExp(`${NEXT_STEPS}[\\s\\S]*─{20}`));
      token = (await waitForOutput(first, /Admin token[^\n]*:\n\s+(awk_[A-Za-z0-9_-]{20,})/))[1];
      const port = new URL(first.baseUrl).port;
      expect(first.output()).toContain(`http://localhost:${port}/api/v1/integrations/personio\n`);
      // The page's sign-in link carries the token in the fragment only, never in a query string.
      expect(first.output()).toContain(`http://localhost:${port}/#token=${token}\n`);
      expect(first.output()).not.toMatch(/[?&]token=/);
      expect(first.output()).toContain(`http://localhost:${port}/api/v1/integrations/personio/users\n`);
      expect(first.output()).toMatch(
        new RegExp(`"http://localhost:${port}/api/v1/absences\\?from=\\d{4}-\\d{2}-\\d{2}&to=\\d{4}-\\d{2}-\\d{2}"`),
      );

      const health = await request(first.baseUrl).get('/health').expect(200);
      expect(health.body.info.database.status).toBe('up');

      const status = await request(first.baseUrl)
        .get('/api/v1/integrations/personio')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(status.body).toMatchObject({
        connected: true,
        status: 'active',
        lastRun: { trigger: 'setup', status: 'succeeded' },
      });
      expect(status.body.lastRun.created).toBeGreaterThan(20);

      const absences = await request(first.baseUrl)
        .get('/api/v1/absences?pageSize=1000')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      firstAbsences = absences.body;
      const fromPersonio = firstAbsences.filter((absence) => absence.externalProvider === 'personio');
      expect(fromPersonio.length).toBe(status.body.lastRun.created);
      expect(fromPersonio.some((absence) => absence.isHalfDayOnStart || absence.isHalfDayOnEnd)).toBe(true);

      const users = await request(first.baseUrl)
        .get('/api/v1/integrations/personio/users')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(users.body.matched.length).toBeGreaterThan(20);
      expect(users.body.unmatchedPersonio).toEqual(
        expect.arrayContaining([expect.objectContaining({ reason: 'no_email' })]),
      );
      // The one person whose Personio e-mail differs from the awork account only in case is matched, not listed here.
      const unmatchedEmails = users.body.unmatchedPersonio
        .map((person: { email: string | null }) => person.email)
        .filter(Boolean);
      expect(unmatchedEmails.some((email: string) => email !== email.toLowerCase())).toBe(false);

      // The demo subscribed to its own loopback URL: an absence added in the simulator shows a moment later.
      expect(status.body.webhooks).toMatchObject({ state: 'active', reason: null });
      await absenceAddedInPersonioShows(first, token, users.body.matched[0].personioPersonId);
    } finally {
      await first.stop();
    }
    const before = countRows(dataDir);
    expect(before.workspaces).toBe(1);
    expect(before.integrations).toBe(1);

    const second = await startAppProcess(env);
    try {
      // Whichever comes: the one-line hint of a reused demo, or (wrongly) the next steps again.
      await waitForOutput(second, new RegExp(`${REUSED.source}|${NEXT_STEPS}[\\s\\S]*─{20}`));
      expect(second.output()).not.toContain(NEXT_STEPS);
      expect(second.output()).toMatch(REUSED);
      expect(second.output()).not.toContain(token);

      const status = await request(second.baseUrl)
        .get('/api/v1/integrations/personio')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(status.body).toMatchObject({ connected: true, status: 'active' });
      // Restarted on another port with a fresh simulator: subscribed again at once, events arrive.
      expect(status.body.webhooks).toMatchObject({ state: 'active', reason: null });
      const matched = await request(second.baseUrl)
        .get('/api/v1/integrations/personio/users')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      await absenceAddedInPersonioShows(second, token, matched.body.matched[0].personioPersonId);
      const absences = await request(second.baseUrl)
        .get('/api/v1/absences?pageSize=1000')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(absences.body.map((a: { id: string }) => a.id).sort()).toEqual(firstAbsences.map((a) => a.id).sort());

      // The restarted (in-memory) simulator serves the same Personio ids: a sync now changes nothing.
      const run = await request(second.baseUrl)
        .post('/api/v1/integrations/personio/sync')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(run.body).toMatchObject({ status: 'succeeded', created: 0, deleted: 0 });
      expect(run.body.unchanged + run.body.updated).toBe(
        firstAbsences.filter((a) => a.externalProvider === 'personio').length,
      );
    } finally {
      await second.stop();
    }
    expect(countRows(dataDir)).toEqual(before);
  }, 180_000);
});
