/**
 * One large workspace (5,000 persons / 60,000 approved absences at full scale, all matched): the download-only floor
 * three times, then a first sync, a no-change re-sync and a sync after 1 % changed and 1 % deleted, each checked
 * against the simulator's window (bench/expectation.ts) and against the DB snapshot before it.
 */
import { performance } from 'node:perf_hooks';
import { syncWindowFor } from '../../src/integrations/personio/sync/sync-window';
import { Bench, check, Scale, SCALES, TIME_ZONE } from '../context';
import { compareWithExpectation, DbRow, expectedRows, ExpectedRow, nextDay } from '../expectation';
import { DownloadPhase, downloadOnly, syncPhase } from '../phases';
import { median, round2 } from '../report';
import { insertWorkspaces, seedCompany } from '../seed';

export type LargeResult = Awaited<ReturnType<typeof largeWorkspace>>;

export async function largeWorkspace(bench: Bench, scale: Scale) {
  const { persons, absences } = SCALES[scale];
  const window = syncWindowFor(new Date(), TIME_ZONE);
  const companyId = 'large';
  const setupStarted = performance.now();
  const seededCompany = await seedCompany(bench.simulator, companyId, 7, persons, absences, window, true);
  const { clientId, clientSecret } = seededCompany;
  const [workspace] = await insertWorkspaces(bench, [{ companyId, ...seededCompany }]);
  const expectation = async () =>
    expectedRows(
      await bench.simulator.listAbsencePeriods(companyId),
      await bench.simulator.listAbsenceTypes(companyId),
      workspace.userIdByPersonId,
      window,
    );
  const expectedAtStart = await expectation();
  check(
    // The generator's half-day vacations include a few single days from midday to midday: malformed, never transferred.
    expectedAtStart.size <= absences && expectedAtStart.size >= absences * 0.99,
    `expected about ${absences} transferable absences in the window, the simulator holds ${expectedAtStart.size}`,
  );
  console.log(
    `  large: seeded ${persons} persons, ${expectedAtStart.size} transferable approved absences in ${window.start}..${window.end} (${absences - expectedAtStart.size} malformed left out) (${Math.round(performance.now() - setupStarted)} ms)`,
  );

  const verify = (label: string, db: Map<string, DbRow>, expected: Map<string, ExpectedRow>) => {
    const problems = compareWithExpectation(db, expected);
    check(problems.length === 0, `${label}: DB differs from the simulator's window:\n    ${problems.join('\n    ')}`);
  };

  const credentials = { clientId, clientSecret };
  const downloads: DownloadPhase[] = [];
  downloads.push(await downloadOnly(bench, credentials, window));
  console.log(`  download-only #1: ${downloads[0].wallMs} ms, ${downloads[0].personioRequests} requests`);

  const first = await syncPhase(bench, workspace.workspaceId);
  console.log(`  first sync: ${first.phase.wallMs} ms`);
  check(
    first.phase.counts.created === expectedAtStart.size && first.phase.counts.skipped === 0,
    `first sync created ${first.phase.counts.created} (skipped ${first.phase.counts.skipped}), expected ${expectedAtStart.size}`,
  );
  verify('after the first sync', first.after, expectedAtStart);
  // The bench's own 60,000-row copies are let go as soon as they are checked (they live in this driver
  // process, not in the app child whose RSS is reported).
  first.after.clear();

  const noChange = await syncPhase(bench, workspace.workspaceId);
  console.log(`  no-change sync: ${noChange.phase.wallMs} ms`);
  const c = noChange.phase.counts;
  const w = noChange.phase.sql.absenceWrites;
  check(c.created + c.updated + c.deleted === 0, `no-change sync wrote rows: ${JSON.stringify(c)}`);
  check(w.insert + w.update + w.delete === 0, `no-change sync sent absence write statements: ${JSON.stringify(w)}`);
  check(
    noChange.phase.db.inserted + noChange.phase.db.updated + noChange.phase.db.deleted === 0,
    `no-change sync changed the DB: ${JSON.stringify(noChange.phase.db)}`,
  );
  verify('after the no-change sync', noChange.after, expectedAtStart);
  noChange.after.clear();
  const transferable = new Set(expectedAtStart.keys());
  expectedAtStart.clear();

  downloads.push(await downloadOnly(bench, credentials, window));
  console.log(`  download-only #2: ${downloads[1].wallMs} ms`);

  // 1 % changed (half comments, half dates moved a day later) and another 1 % deleted.
  const periods = (await bench.simulator.listAbsencePeriods(companyId)).filter((p) => transferable.has(p.id));
  transferable.clear();
  const onePercent = Math.round(absences / 100);
  const stride = Math.floor(periods.length / (2 * onePercent));
  const picked = Array.from({ length: 2 * onePercent }, (_, i) => periods[i * stride]);
  periods.length = 0;
  const changed = picked.filter((_, i) => i % 2 === 0);
  const deleted = picked.filter((_, i) => i % 2 === 1);
  const shift = (dateTime: string) => `${nextDay(dateTime.slice(0, 10))}${dateTime.slice(10)}`;
  const patches = changed.map((period, i) => {
    const moveDates = i % 2 === 1 && period.startsFrom.dateTime.slice(0, 10) < window.end;
    return moveDates
      ? {
          id: period.id,
          startsFrom: { ...period.startsFrom, dateTime: shift(period.startsFrom.dateTime) },
          endsAt: period.endsAt && { ...period.endsAt, dateTime: shift(period.endsAt.dateTime) },
        }
      : { id: period.id, comment: `bench change ${i}` };
  });
  check(
    (await bench.simulator.updateAbsencePeriods(companyId, patches)) === changed.length,
    'not every 1% change reached the simulator',
  );
  check(
    (await bench.simulator.deleteAbsencePeriods(
      companyId,
      deleted.map((period) => period.id),
    )) === deleted.length,
    'not every 1% deletion reached the simulator',
  );
  const expectedAfterChange = await expectation();

  const onePercentSync = await syncPhase(bench, workspace.workspaceId);
  console.log(`  1% change sync: ${onePercentSync.phase.wallMs} ms`);
  const o = onePercentSync.phase.counts;
  check(
    o.created === 0 && o.updated === changed.length && o.deleted === deleted.length,
    `1% sync: expected 0/${changed.length}/${deleted.length} created/updated/deleted, got ${o.created}/${o.updated}/${o.deleted}`,
  );
  const ow = onePercentSync.phase.sql.absenceWrites;
  check(ow.insert === 0, `1% sync sent ${ow.insert} INSERT statements on absences`);
  check(
    onePercentSync.phase.db.updated === changed.length &&
      onePercentSync.phase.db.deleted === deleted.length &&
      onePercentSync.phase.db.inserted === 0,
    `1% sync touched other rows in the DB: ${JSON.stringify(onePercentSync.phase.db)}`,
  );
  verify('after the 1% sync', onePercentSync.after, expectedAfterChange);
  onePercentSync.after.clear();
  expectedAfterChange.clear();

  downloads.push(await downloadOnly(bench, credentials, window));
  console.log(`  download-only #3: ${downloads[2].wallMs} ms`);

  const floorMs = median(downloads.map((d) => d.wallMs));
  await bench.simulator.deleteCompany(companyId);
  await bench.dataSource.query(`DELETE FROM workspaces WHERE id = ${bench.kind === 'postgres' ? '$1' : '?'}`, [
    workspace.workspaceId,
  ]);
  return {
    persons,
    absences,
    window,
    changed: changed.length,
    deleted: deleted.length,
    downloadOnly: { floorMs, runs: downloads },
    firstSync: first.phase,
    noChangeSync: noChange.phase,
    onePercentSync: onePercentSync.phase,
    ratios: {
      firstSyncVsDownload: round2(first.phase.wallMs / floorMs),
      noChangeVsDownload: round2(noChange.phase.wallMs / floorMs),
      onePercentVsDownload: round2(onePercentSync.phase.wallMs / floorMs),
    },
  };
}
