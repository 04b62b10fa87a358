import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { Workspace } from '../../src/host/workspaces/workspace.entity';
import {
  PersonioIntegration,
  StoredIntegrationStatus,
} from '../../src/integrations/personio/personio-integration.entity';
import { SyncLeaseRepository } from '../../src/integrations/personio/sync/sync-lease.repository';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const LONG_AGO = new Date('2000-01-01T00:00:00.000Z');
const FAR_AHEAD = new Date('2100-01-01T00:00:00.000Z');
const LEASE = 900;
const HOUR_MS = 3_600_000;

describe(`SyncLeaseRepository on ${process.env.TEST_DB}`, () => {
  let database: TestDatabase;
  let first: DataSource;
  let second: DataSource;
  let leases: SyncLeaseRepository;
  let otherInstanceLeases: SyncLeaseRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { DATABASE_URL: databaseUrl, DATA_DIR: dataDir } = database.env;
    const config = { databaseUrl, dataDir, sqlitePath: join(dataDir, 'awork.sqlite') };
    // One after the other: the first runs the migrations, the second finds them applied.
    first = await new DataSource(dataSourceOptions(config)).initialize();
    second = await new DataSource(dataSourceOptions(config)).initialize();
    leases = new SyncLeaseRepository(first);
    otherInstanceLeases = new SyncLeaseRepository(second);
  });

  afterAll(async () => {
    await second?.destroy();
    await first?.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await first.createQueryBuilder().delete().from(PersonioIntegration).execute();
    await first.createQueryBuilder().delete().from(Workspace).execute();
  });

  async function addIntegration(
    fields: Partial<Pick<PersonioIntegration, 'status' | 'nextRunAt' | 'leaseOwner' | 'leaseExpiresAt'>> = {},
  ): Promise<string> {
    const workspaceId = randomUUID();
    await first
      .getRepository(Workspace)
      .insert({ id: workspaceId, name: `ws ${workspaceId}`, plan: 'business', timeZone: 'Europe/Berlin' });
    await first.getRepository(PersonioIntegration).insert({
      id: randomUUID(),
      workspaceId,
      clientId: 'client',
      clientSecretEncrypted: 'encrypted',
      hideAbsenceDetails: false,
      status: 'active' as StoredIntegrationStatus,
      lastError: null,
      lastRunId: null,
      nextRunAt: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      ...fields,
    });
    return workspaceId;
  }

  async function addIntegrations(count: number, fields: Parameters<typeof addIntegration>[0] = {}): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await addIntegration(fields));
    return ids;
  }

  function integration(workspaceId: string): Promise<PersonioIntegration> {
    return first.getRepository(PersonioIntegration).findOneByOrFail({ workspaceId });
  }

  /** "The next hour came": every integration's schedule is in the past. */
  async function makeAllDue(): Promise<void> {
    await first.createQueryBuilder().update(PersonioIntegration).set({ nextRunAt: LONG_AGO }).execute();
  }

  /** Whether an unexpired lease holds the integration, on the database clock (the repository no longer asks this). */
  async function leaseHeld(workspaceId: string): Promise<boolean> {
    const unexpired =
      first.options.type === 'postgres'
        ? `lease_expires_at >= (now() at time zone 'utc')`
        : `strftime('%Y-%m-%d %H:%M:%f', lease_expires_at) >= strftime('%Y-%m-%d %H:%M:%f', 'now')`;
    const placeholder = first.options.type === 'postgres' ? '$1' : '?';
    const rows: unknown[] = await first.query(
      `SELECT 1 AS held FROM personio_integrations WHERE workspace_id = ${placeholder} AND ${unexpired}`,
      [workspaceId],
    );
    return rows.length > 0;
  }

  async function databaseNow(): Promise<Date> {
    if (first.options.type === 'postgres') {
      const [row] = await first.query(`SELECT now() at time zone 'utc' AS now`);
      return row.now as Date;
    }
    const [row] = await first.query(`SELECT strftime('%Y-%m-%d %H:%M:%f', 'now') AS now`);
    return new Date(`${(row.now as string).replace(' ', 'T')}Z`);
  }

  const startOfNextHour = (at: Date) => new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
  const sorted = (ids: string[]) => [...ids].sort();

  it('claims each due integration once between two instances, oldest schedule first, and never a needs_reauth one', async () => {
    const unscheduled = await addIntegrations(3);
    const overdue = await addIntegrations(2, { nextRunAt: LONG_AGO });
    await addIntegration({ nextRunAt: FAR_AHEAD });
    await addIntegration({ status: 'needs_reauth' });
    await addIntegration({
      status: 'needs_reauth',
      nextRunAt: LONG_AGO,
      leaseOwner: 'crashed',
      leaseExpiresAt: LONG_AGO,
    });

    const byFirst = await leases.claimDue('instance-a', LEASE, 3);
    const bySecond = await otherInstanceLeases.claimDue('instance-b', LEASE, 10);

    expect(sorted(byFirst)).toEqual(sorted(unscheduled));
    expect(sorted(bySecond)).toEqual(sorted(overdue));
    expect(await leases.claimDue('instance-a', LEASE, 10)).toEqual([]);
    expect(await otherInstanceLeases.claimDue('instance-b', LEASE, 10)).toEqual([]);
    expect((await integration(byFirst[0])).leaseOwner).toBe('instance-a');
    expect((await integration(bySecond[0])).leaseOwner).toBe('instance-b');
  });

  it('schedules a claimed integration for the next full hour and leases it for leaseSeconds, on the database clock', async () => {
    const workspaceId = await addIntegration();
    const before = await databaseNow();
    expect(await leases.claimDue('instance-a', LEASE, 10)).toEqual([workspaceId]);
    const after = await databaseNow();

    const claimed = await integration(workspaceId);
    expect([startOfNextHour(before).getTime(), startOfNextHour(after).getTime()]).toContain(
      claimed.nextRunAt!.getTime(),
    );
    expect(claimed.leaseExpiresAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() + LEASE * 1000);
    expect(claimed.leaseExpiresAt!.getTime()).toBeLessThanOrEqual(after.getTime() + LEASE * 1000);
    expect(await leaseHeld(workspaceId)).toBe(true);
  });

  it('gives every integration to exactly one of many concurrent claimers on two data sources, round after round', async () => {
    const all = sorted(await addIntegrations(12));
    await makeAllDue();

    for (let round = 0; round < 20; round++) {
      const claimers = [leases, otherInstanceLeases].flatMap((repository, instance) =>
        [0, 1, 2, 3].map((worker) => ({ owner: `instance-${instance}-${worker}`, repository })),
      );
      const results = await Promise.all(claimers.map(({ owner, repository }) => repository.claimDue(owner, LEASE, 4)));

      expect(sorted(results.flat())).toEqual(all);
      // The syncs finish; the next hour comes.
      await Promise.all(
        claimers.flatMap(({ owner, repository }, i) =>
          results[i].map((workspaceId) => repository.release(workspaceId, owner)),
        ),
      );
      expect(await leases.claimDue('late-instance', LEASE, 100)).toEqual([]);
      await makeAllDue();
    }
  });

  it('lets a held lease block claim and claimDue, renew only for its owner, and release only by its owner', async () => {
    const workspaceId = await addIntegration({ nextRunAt: FAR_AHEAD });

    expect(await leases.claim(workspaceId, 'instance-a', LEASE)).toBe(true);
    expect((await integration(workspaceId)).nextRunAt).toEqual(FAR_AHEAD);
    expect(await otherInstanceLeases.claim(workspaceId, 'instance-b', LEASE)).toBe(false);
    await makeAllDue();
    expect(await otherInstanceLeases.claimDue('instance-b', LEASE, 10)).toEqual([]);

    expect(await otherInstanceLeases.renew(workspaceId, 'instance-b', LEASE)).toBe(false);
    expect(await leases.renew(workspaceId, 'instance-a', 2 * LEASE)).toBe(true);

    await otherInstanceLeases.release(workspaceId, 'instance-b');
    expect(await leaseHeld(workspaceId)).toBe(true);
    expect((await integration(workspaceId)).leaseOwner).toBe('instance-a');

    await leases.release(workspaceId, 'instance-a');
    expect(await leaseHeld(workspaceId)).toBe(false);
    expect(await leases.renew(workspaceId, 'instance-a', LEASE)).toBe(false);
    expect(await otherInstanceLeases.claim(workspaceId, 'instance-b', LEASE)).toBe(true);
  });

  it('does not claim an integration that does not exist', async () => {
    expect(await leases.claim(randomUUID(), 'instance-a', LEASE)).toBe(false);
  });

  it("recovers a crashed instance's claim once its lease has run out", async () => {
    const workspaceId = await addIntegration();
    expect(await leases.claimDue('crashed-instance', LEASE, 10)).toEqual([workspaceId]);
    expect(await otherInstanceLeases.claimDue('instance-b', LEASE, 10)).toEqual([]);

    // The lease runs out: moved into the past on the database clock instead of sleeping through it.
    const oneSecondAgo =
      first.options.type === 'postgres'
        ? `(now() at time zone 'utc') - interval '1 second'`
        : `strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 second')`;
    await first.query(
      `UPDATE personio_integrations SET lease_expires_at = ${oneSecondAgo} WHERE workspace_id = '${workspaceId}'`,
    );

    expect(await leaseHeld(workspaceId)).toBe(false);
    expect(await otherInstanceLeases.claimDue('instance-b', LEASE, 10)).toEqual([workspaceId]);
    expect(await leases.renew(workspaceId, 'crashed-instance', LEASE)).toBe(false);
    await leases.release(workspaceId, 'crashed-instance');
    expect((await integration(workspaceId)).leaseOwner).toBe('instance-b');
  });

  it('lets another owner claim an integration whose lease expired', async () => {
    const workspaceId = await addIntegration({
      nextRunAt: FAR_AHEAD,
      leaseOwner: 'crashed-instance',
      leaseExpiresAt: LONG_AGO,
    });
    expect(await leaseHeld(workspaceId)).toBe(false);
    expect(await leases.claim(workspaceId, 'instance-a', LEASE)).toBe(true);
    expect(await leaseHeld(workspaceId)).toBe(true);
    expect((await integration(workspaceId)).leaseOwner).toBe('instance-a');
  });
});
