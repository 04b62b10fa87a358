/**
 * How long finding duplicate candidates takes (AworkHostPort.findManualAbsencesOverlappingExternal,
 * which every run's `duplicates` count and GET …/duplicates use) on a fresh database right after a
 * bulk insert, i.e. before PostgreSQL has statistics, as after a big first sync: 500 users, 10,000
 * transferred and 2,000 manual absences. Seven calls, median and max.
 *
 *   npx ts-node --transpile-only bench/measure-duplicates.ts postgres|sqlite
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '../test/support/test-database';
import { startTestApp, createWorkspace } from '../test/support/test-app';
import { AworkHostPort } from '../src/integrations/awork-host.port';

async function main(): Promise<void> {
  const kind = (process.argv[2] ?? 'postgres') as 'postgres' | 'sqlite';
  const database = await createTestDatabase(kind, { namePrefix: 'measure15b' });
  const t = await startTestApp({ database });
  try {
    const ws = await createWorkspace(t);
    const pg = kind === 'postgres';
    const users = Array.from({ length: 500 }, () => randomUUID());
    for (const [i, id] of users.entries())
      await t.dataSource.query(
        `INSERT INTO users (id, workspace_id, email, email_normalized, name, role) VALUES (${pg ? '$1,$2,$3,$3,$4,$5' : '?,?,?,?,?,?'})`,
        pg
          ? [id, ws.id, `u${i}@x.test`, `U${i}`, 'member']
          : [id, ws.id, `u${i}@x.test`, `u${i}@x.test`, `U${i}`, 'member'],
      );
    const day = (n: number) => new Date(Date.UTC(2026, 6, 7) + n * 86400000).toISOString().slice(0, 10);
    const rows: unknown[][] = [];
    for (let i = 0; i < 10000; i++) {
      const u = users[i % 500];
      const s = (i * 7) % 190;
      rows.push([randomUUID(), ws.id, u, day(s), day(s + 2), 'personio', `p${i}`]);
    }
    for (let i = 0; i < 2000; i++) {
      const u = users[i % 500];
      const s = (i * 11) % 190;
      rows.push([randomUUID(), ws.id, u, day(s), day(s + 1), null, null]);
    }
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500);
      let n = 0;
      const ph = batch.map(() => `(${Array.from({ length: 7 }, () => (pg ? `$${++n}` : '?')).join(',')})`).join(',');
      await t.dataSource.query(
        `INSERT INTO absences (id, workspace_id, user_id, start_on, end_on, external_provider, external_id) VALUES ${ph}`,
        batch.flat(),
      );
    }
    const host = t.app.get(AworkHostPort);
    const times: number[] = [];
    let found = 0;
    for (let r = 0; r < 7; r++) {
      const started = performance.now();
      found = (await host.findManualAbsencesOverlappingExternal(ws.id, 'personio')).length;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        kind,
        transferred: 10000,
        manual: 2000,
        manualWithOverlap: found,
        medianMs: +times[3].toFixed(1),
        maxMs: +times[6].toFixed(1),
      }),
    );
  } finally {
    await t.close();
    await database.drop();
  }
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
