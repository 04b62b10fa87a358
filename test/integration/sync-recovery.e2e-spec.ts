import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PersonioSimulator } from '../../src/personio-simulator';
import {
  PersonioSyncScheduler,
  RECOVERY_INTERVAL_NAME,
} from '../../src/integrations/personio/sync/personio-sync.scheduler';
import { StaleRunSweeper } from '../../src/integrations/personio/sync/stale-run.sweeper';
import { SyncRun } from '../../src/integrations/personio/sync/sync-run.entity';
import {
  connectPersonio,
  createCompany,
  dayAbsence,
  simPerson,
  startAppWithSimulator,
  stopAppWithSimulator,
} from '../support/personio-fixture';
import { createUser, createWorkspace, startTestApp, TestApp } from '../support/test-app';

const onPostgres = process.env.TEST_DB === 'postgres';
// Times on the database clock, as the pass reads "this hour".
const sql = onPostgres
  ? {
      lastHour: `date_trunc('hour', now() at time zone 'utc') - interval '1 hour'`,
      past: `(now() at time zone 'utc') - interval '1 minute'`,
      future: `(now() at time zone 'utc') + interval '10 minutes'`,
      nextHour: `date_trunc('hour', now() at time zone 'utc') + interval '1 hour'`,
    }
  : {
      lastHour: `strftime('%Y-%m-%d %H:00:00.000', 'now', '-1 hour')`,
      past: `strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 minute')`,
      future: `strftime('%Y-%m-%d %H:%M:%f', 'now', '+10 minutes')`,
      nextHour: `strftime('%Y-%m-%d %H:00:00.000', 'now', '+1 hour')`,
    };

/**
 * Issue 11 item 7: recovery does not wait an hour. Besides the hourly tick, a pass every
 * SYNC_RECOVERY_SECONDS syncs the integrations that have no finished full run since this hour's :00
 * and are held by no live lease. Each test builds its own workspaces and looks only at them.
 */
describe(`recovery pass (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  let t: TestApp;
  let sequence = 0;

  beforeAll(async () => {
    t = await startAppWithSimulator(simulator);
  });
  // "This hour" must not turn between a test's setup and its pass: near :00, start after it.
  beforeEach(async () => {
    const msToNextHour = 3_600_000 - (Date.now() % 3_600_000);
    if (msToNextHour < 20_000) await sleep(msToNextHour + 1_000);
  }, 30_000);
  afterAll(() => stopAppWithSimulator(t, simulator));

  /** A connected workspace; its setup run is moved to the previous hour, so nothing ran this hour yet. */
  async function workspaceLastSyncedLastHour(app: TestApp = t): Promise<string> {
    const name = `recovery${++sequence}`;
    const workspace = await createWorkspace(app, { name, adminEmail: `admin@${name}.test` });
    const person = simPerson(`staff@${name}.test`);
    const company = createCompany(simulator, [person], [dayAbsence(person.id, '2026-08-03', '2026-08-07')]);
    await createUser(app, workspace.adminToken, { email: `staff@${name}.test` });
    expect((await connectPersonio(app, workspace.adminToken, workspace.id, company)).status).toBe(200);
    await app.dataSource.query(
      `UPDATE personio_sync_runs SET started_at = ${sql.lastHour}, finished_at = ${sql.lastHour} WHERE workspace_id = '${workspace.id}'`,
    );
    // The tick of this hour claimed it already (next run: the next full hour).
    await setIntegration(workspace.id, `next_run_at = ${sql.nextHour}`, app);
    return workspace.id;
  }

  function setIntegration(workspaceId: string, assignments: string, app: TestApp = t): Promise<unknown> {
    return app.dataSource.query(
      `UPDATE personio_integrations SET ${assignments} WHERE workspace_id = '${workspaceId}'`,
    );
  }

  async function addRun(workspaceId: string, fields: Partial<SyncRun>): Promise<void> {
    await t.dataSource.getRepository(SyncRun).insert({
      id: randomUUID(),
      workspaceId,
      trigger: 'schedule',
      status: 'succeeded',
      startedAt: new Date(),
      finishedAt: new Date(),
      windowStart: '2026-07-07',
      windowEnd: '2027-01-17',
      ...fields,
    });
  }

  const runsOf = (workspaceId: string, app: TestApp = t) =>
    app.dataSource.getRepository(SyncRun).find({ where: { workspaceId }, order: { startedAt: 'ASC' } });
  const thisHourRuns = async (workspaceId: string) =>
    (await runsOf(workspaceId)).filter((run) => run.startedAt.getTime() >= Date.now() - 30 * 60_000);

  it("syncs a workspace whose scheduled run was lost with its instance, once that instance's lease has expired", async () => {
    const workspaceId = await workspaceLastSyncedLastHour();
    // The dead instance claimed it at :00 and left its run `running`.
    await addRun(workspaceId, { status: 'running', startedAt: new Date(Date.now() - 5 * 60_000), finishedAt: null });
    await setIntegration(workspaceId, `lease_owner = 'dead-instance', lease_expires_at = ${sql.future}`);
    const scheduler = t.app.get(PersonioSyncScheduler);

    await scheduler.recover();
    expect((await runsOf(workspaceId)).filter((run) => run.status !== 'running')).toHaveLength(1);

    await setIntegration(workspaceId, `lease_expires_at = ${sql.past}`);
    // The sweep has its own schedule now (no longer inside every sync): driven here like the pass.
    await t.app.get(StaleRunSweeper).sweep();
    await scheduler.recover();
    const runs = await runsOf(workspaceId);
    expect(runs.map((run) => [run.trigger, run.status])).toEqual([
      ['setup', 'succeeded'],
      ['schedule', 'failed'],
      ['schedule', 'succeeded'],
    ]);
    expect(runs[1].error).toMatch(/abandoned/);

    // Synced this hour now: the next passes leave it alone.
    await scheduler.recover();
    expect(await runsOf(workspaceId)).toHaveLength(3);
  });

  it('syncs a workspace whose scheduled run was skipped because a manual sync started last hour held its claim', async () => {
    const workspaceId = await workspaceLastSyncedLastHour();
    // The manual run held the claim at :00 and finished after it; nothing started this hour.
    await t.dataSource.query(
      `UPDATE personio_sync_runs SET trigger = 'manual', finished_at = ${onPostgres ? "now() at time zone 'utc'" : "strftime('%Y-%m-%d %H:%M:%f', 'now')"} WHERE workspace_id = '${workspaceId}'`,
    );
    await t.app.get(PersonioSyncScheduler).recover();
    expect((await thisHourRuns(workspaceId)).map((run) => [run.trigger, run.status])).toEqual([
      ['schedule', 'succeeded'],
    ]);
  });

  it('gives no extra run to a workspace already synced this hour, by any full run that finished, and claims none held by a live lease', async () => {
    const setupThisHour = await workspaceLastSyncedLastHour();
    await t.dataSource.query(
      `UPDATE personio_sync_runs SET started_at = CURRENT_TIMESTAMP WHERE workspace_id = '${setupThisHour}'`,
    );
    const failedManualThisHour = await workspaceLastSyncedLastHour();
    await addRun(failedManualThisHour, { trigger: 'manual', status: 'failed' });
    const scheduledThisHour = await workspaceLastSyncedLastHour();
    await addRun(scheduledThisHour, { trigger: 'schedule' });
    const heldByLiveLease = await workspaceLastSyncedLastHour();
    await setIntegration(heldByLiveLease, `lease_owner = 'other-instance', lease_expires_at = ${sql.future}`);
    // An event-driven run (a later issue) is no full run: this one is still due.
    const onlyWebhookThisHour = await workspaceLastSyncedLastHour();
    await addRun(onlyWebhookThisHour, { trigger: 'webhook' as SyncRun['trigger'] });
    const before = new Map<string, number>();
    for (const id of [setupThisHour, failedManualThisHour, scheduledThisHour, heldByLiveLease, onlyWebhookThisHour])
      before.set(id, (await runsOf(id)).length);

    await t.app.get(PersonioSyncScheduler).recover();

    const added = Object.fromEntries(
      await Promise.all([...before].map(async ([id, count]) => [id, (await runsOf(id)).length - count])),
    );
    expect(added).toEqual({
      [setupThisHour]: 0,
      [failedManualThisHour]: 0,
      [scheduledThisHour]: 0,
      [heldByLiveLease]: 0,
      [onlyWebhookThisHour]: 1,
    });
  });

  it('runs by itself every SYNC_RECOVERY_SECONDS where SYNC_CRON_ENABLED is on, and stops when the app closes', async () => {
    const cronOn = await startTestApp({
      database: t.database,
      env: { PERSONIO_BASE_URL: simulator.baseUrl, SYNC_CRON_ENABLED: 'true', SYNC_RECOVERY_SECONDS: '1' },
    });
    const cronOff = await startTestApp({
      database: t.database,
      env: { PERSONIO_BASE_URL: simulator.baseUrl, SYNC_RECOVERY_SECONDS: '1' },
    });
    const cronOnRegistry = cronOn.app.get(SchedulerRegistry);
    try {
      expect(cronOff.app.get(SchedulerRegistry).doesExist('interval', RECOVERY_INTERVAL_NAME)).toBe(false);
      expect(cronOnRegistry.doesExist('interval', RECOVERY_INTERVAL_NAME)).toBe(true);
      const workspaceId = await workspaceLastSyncedLastHour();

      // Waits on the run row the pass writes, with a deadline; no fixed sleep.
      const deadline = Date.now() + 15_000;
      let recovered: SyncRun | undefined;
      while (!recovered && Date.now() < deadline) {
        recovered = (await runsOf(workspaceId)).find((run) => run.trigger === 'schedule' && run.status !== 'running');
        if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(recovered).toMatchObject({ status: 'succeeded' });
    } finally {
      await cronOff.close();
      await cronOn.close();
    }
    expect(cronOnRegistry.doesExist('interval', RECOVERY_INTERVAL_NAME)).toBe(false);
  });
});
