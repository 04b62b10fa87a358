import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Temporal } from 'temporal-polyfill';
import { startAppProcess } from '../test/support/app-process';
import { launchChromium } from '../test/support/browser/chromium';

/**
 * Writes docs/screenshot-*.png from the demo: `npm start`'s own demo mode on a fresh SQLite
 * directory, opened through the link its next-steps text prints. Run after `npm run build`.
 */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'awork-screenshots-'));
  const app = await startAppProcess({ DATA_DIR: dataDir });
  const browser = await launchChromium();
  try {
    const link = await waitFor(() => /(http:\/\/localhost:\d+\/#token=awk_[A-Za-z0-9_-]+)/.exec(app.output())?.[1]);
    await addManualAbsence(app.baseUrl, new URL(link).hash.slice('#token='.length));
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(link.replace('localhost', '127.0.0.1'));
    await page.getByRole('table', { name: /Absences from/ }).waitFor();
    await page.locator('button.absence.personio').first().waitFor();
    await page.screenshot({ path: join('docs', 'screenshot-calendar.png') });

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Status' }).waitFor();
    await page.getByText(/first sync:/).waitFor();
    await page.screenshot({ path: join('docs', 'screenshot-settings.png'), fullPage: true });

    await page.getByRole('button', { name: 'Show matched users' }).click();
    await page.getByRole('table', { name: /Matched users/ }).waitFor();
    await page.screenshot({ path: join('docs', 'screenshot-matched-users.png') });
    process.stdout.write(
      'docs/screenshot-calendar.png, screenshot-settings.png, screenshot-matched-users.png written\n',
    );
  } finally {
    await browser.close();
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One manual absence of the demo admin next week, so the calendar shows both kinds side by side. */
async function addManualAbsence(baseUrl: string, token: string): Promise<void> {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const me = (await (await fetch(`${baseUrl}/api/v1/users/me`, { headers })).json()) as { id: string };
  const workspace = (await (await fetch(`${baseUrl}/api/v1/workspace`, { headers })).json()) as { timeZone: string };
  const today = Temporal.Now.plainDateISO(workspace.timeZone);
  const monday = today.add({ days: 8 - today.dayOfWeek });
  const response = await fetch(`${baseUrl}/api/v1/absences`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      userId: me.id,
      startOn: monday.add({ days: 1 }).toString(),
      endOn: monday.add({ days: 3 }).toString(),
      isHalfDayOnEnd: true,
      description: 'Team offsite',
    }),
  });
  if (response.status !== 201) throw new Error(`creating the manual absence answered ${response.status}`);
}

async function waitFor<T>(read: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('the demo did not print its link in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
