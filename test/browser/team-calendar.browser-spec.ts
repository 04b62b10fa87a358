import request from 'supertest';
import { bearer } from '../support/test-app';
import { browserSuite } from '../support/browser/browser-suite';
import { pageExpect as pwExpect } from '../support/browser/page-expect';
import { nav, teamCalendar } from '../support/browser/page-objects';
import { DAYS, seedTeam } from '../support/browser/team-fixture';
import { listAbsences } from '../support/personio-fixture';

describe('The team calendar in Chromium', () => {
  const suite = browserSuite(__filename);

  suite.it(
    'shows Personio absences with the icon and no edit control, and a morning off as the left half of its cell',
    async () => {
      const team = await seedTeam(suite, { connected: true });
      const { page } = await suite.open(team.adminToken);
      const calendar = teamCalendar(page);
      await pwExpect(calendar.grid.locator('tbody tr')).toHaveCount(4);
      expect(await calendar.rowNames()).toEqual(['Ada Admin', 'Ben Berger', 'Carl Clark', 'Mia Maier']);

      const vacation = calendar.personioMarks('Mia Maier');
      await pwExpect(vacation).toHaveCount(3);
      const firstDay = calendar.cell('Mia Maier', DAYS.miaVacationFirst).getByRole('button');
      await pwExpect(firstDay).toHaveAttribute('data-part', 'full');
      expect(await firstDay.getAttribute('aria-label')).toBe(
        'Paid vacation: Lake trip, Mia Maier, Mon 27 Jul 2026 – Wed 29 Jul 2026, managed in Personio',
      );
      await pwExpect(firstDay.getByRole('img', { name: 'From Personio' })).toHaveCount(1);
      await pwExpect(calendar.row('Mia Maier').getByRole('button', { name: /edit|delete/i })).toHaveCount(0);

      await firstDay.click();
      const details = page.getByRole('dialog', { name: 'Absence from Personio' });
      await pwExpect(details).toContainText('Managed in Personio');
      await pwExpect(details).toContainText('Paid vacation: Lake trip');
      expect(await details.getByRole('button').allTextContents()).toEqual(['×']);
      await page.keyboard.press('Escape');
      await pwExpect(details).toHaveCount(0);

      // Ben's single day off in the morning (isHalfDayOnStart) fills the left half of the cell only.
      const benCell = calendar.cell('Ben Berger', DAYS.benMorning);
      const morning = benCell.locator('button.absence');
      await pwExpect(morning).toHaveAttribute('data-part', 'morning');
      expect(await morning.getAttribute('aria-label')).toContain('Thu 23 Jul 2026 (morning), managed in Personio');
      const cellBox = (await benCell.boundingBox())!;
      const markBox = (await morning.boundingBox())!;
      expect(Math.abs(markBox.width - cellBox.width / 2)).toBeLessThanOrEqual(2);
      expect(Math.abs(markBox.x - cellBox.x)).toBeLessThanOrEqual(2);
      const fullBox = (await firstDay.boundingBox())!;
      expect(fullBox.width).toBeGreaterThan(cellBox.width - 4);
    },
  );

  suite.it('creates a manual absence by picking days, edits it and deletes it', async () => {
    const team = await seedTeam(suite, { connected: true });
    const { page } = await suite.open(team.adminToken);
    const calendar = teamCalendar(page);

    await calendar.pickButton('Carl Clark', '2026-08-03').click();
    await pwExpect(page.getByRole('status').filter({ hasText: 'now pick the last day' })).toBeVisible();
    await calendar.pickButton('Carl Clark', '2026-08-05').click();
    const create = page.getByRole('dialog', { name: 'New absence' });
    expect(await create.getByLabel('First day', { exact: true }).inputValue()).toBe('2026-08-03');
    expect(await create.getByLabel('Last day', { exact: true }).inputValue()).toBe('2026-08-05');
    await create.getByLabel('Description (optional)').fill('Conference');
    await create.getByRole('button', { name: 'Add absence' }).click();
    await pwExpect(create).toHaveCount(0);
    await pwExpect(calendar.manualMarks('Carl Clark')).toHaveCount(3);
    const [created] = await listAbsences(suite.app, team.adminToken, `userId=${team.users.carl.id}`);
    expect(created).toMatchObject({
      startOn: '2026-08-03',
      endOn: '2026-08-05',
      description: 'Conference',
      externalProvider: null,
    });

    await calendar
      .cell('Carl Clark', '2026-08-04')
      .getByRole('button', { name: /^Edit absence: Conference/ })
      .click();
    const edit = page.getByRole('dialog', { name: 'Edit absence' });
    await edit.getByLabel('Last day', { exact: true }).fill('2026-08-04');
    await edit.getByLabel('Ends at midday of the last day').check();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await pwExpect(edit).toHaveCount(0);
    await pwExpect(calendar.pickButton('Carl Clark', '2026-08-05')).toHaveCount(1);
    await pwExpect(calendar.cell('Carl Clark', '2026-08-04').locator('button.absence')).toHaveAttribute(
      'data-part',
      'morning',
    );
    expect(await listAbsences(suite.app, team.adminToken, `userId=${team.users.carl.id}`)).toEqual([
      expect.objectContaining({ id: created.id, endOn: '2026-08-04', isHalfDayOnStart: false, isHalfDayOnEnd: true }),
    ]);

    await calendar
      .cell('Carl Clark', '2026-08-03')
      .getByRole('button', { name: /^Edit absence/ })
      .click();
    await edit.getByRole('button', { name: 'Delete absence' }).click();
    await pwExpect(edit).toHaveCount(0);
    await pwExpect(calendar.manualMarks('Carl Clark')).toHaveCount(0);
    expect(await listAbsences(suite.app, team.adminToken, `userId=${team.users.carl.id}`)).toEqual([]);
  });

  suite.it('a member sees only their own absences, manages them, and has no settings', async () => {
    const team = await seedTeam(suite, { connected: true });
    await suite.app.http
      .post('/api/v1/absences')
      .set(bearer(team.adminToken))
      .send({ userId: team.users.ben.id, startOn: '2026-07-30', endOn: '2026-07-30', description: 'Dentist' })
      .expect(201);
    const { page } = await suite.open(team.users.mia.token);
    const calendar = teamCalendar(page);
    await pwExpect(calendar.grid).toBeVisible();
    await pwExpect(nav(page).calendar).toBeVisible();
    await pwExpect(nav(page).settings).toHaveCount(0);
    expect(await calendar.rowNames()).toEqual(['Mia Maier']);
    await pwExpect(calendar.personioMarks('Mia Maier')).toHaveCount(3);
    expect(await calendar.grid.locator('button.absence').count()).toBe(3);
    await pwExpect(page.getByText('Dentist')).toHaveCount(0);

    await calendar.pickButton('Mia Maier', '2026-08-10').click();
    await calendar.pickButton('Mia Maier', '2026-08-10').click();
    const create = page.getByRole('dialog', { name: 'New absence' });
    await create.getByLabel('Part of the day').selectOption('afternoon');
    await create.getByRole('button', { name: 'Add absence' }).click();
    await pwExpect(calendar.cell('Mia Maier', '2026-08-10').locator('button.absence')).toHaveAttribute(
      'data-part',
      'afternoon',
    );
    expect(await listAbsences(suite.app, team.users.mia.token)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ startOn: '2026-08-10', isHalfDayOnStart: false, isHalfDayOnEnd: true }),
      ]),
    );
  });

  suite.it('works from the keyboard: arrow keys move between days, Enter picks them, Enter saves', async () => {
    const team = await seedTeam(suite, { connected: true });
    const { page } = await suite.open(team.users.carl.token);
    const calendar = teamCalendar(page);
    await pwExpect(calendar.grid).toBeVisible();
    const focusedLabel = () => page.locator('*:focus').getAttribute('aria-label');

    // The grid is one tab stop (a roving tabindex): Tab from "New absence" lands on its active day.
    await page.getByRole('button', { name: 'New absence' }).focus();
    await page.keyboard.press('Tab');
    expect(await focusedLabel()).toBe('Add absence for Carl Clark on Mon 20 Jul 2026');
    for (let day = 0; day < 14; day++) await page.keyboard.press('ArrowRight');
    expect(await focusedLabel()).toBe('Add absence for Carl Clark on Mon 3 Aug 2026');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');

    const create = page.getByRole('dialog', { name: 'New absence' });
    expect(await create.getByLabel('Last day', { exact: true }).inputValue()).toBe('2026-08-04');
    await page.keyboard.type('Workshop');
    await page.keyboard.press('Enter');
    await pwExpect(calendar.manualMarks('Carl Clark')).toHaveCount(2);
    expect(await listAbsences(suite.app, team.users.carl.token)).toEqual([
      expect.objectContaining({ startOn: '2026-08-03', endOn: '2026-08-04', description: 'Workshop' }),
    ]);
  });

  suite.it(
    'opens signed in from the #token= link, removes the fragment, and sends nothing outside its origin',
    async () => {
      const team = await seedTeam(suite, { connected: true });
      const opened = await suite.open(team.adminToken);
      const { page } = opened;
      await pwExpect(teamCalendar(page).grid).toBeVisible();
      expect(page.url()).toBe(`${suite.baseUrl}/`);

      // Every screen, then the record of requests: all of them went to the app itself.
      await nav(page).settings.click();
      await page.getByRole('button', { name: 'Show matched users' }).click();
      await pwExpect(page.getByRole('dialog', { name: 'Matched users' }).getByRole('table').first()).toBeVisible();
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await pwExpect(page.getByLabel('API token')).toBeVisible();
      expect(opened.foreignRequests).toEqual([]);

      // The page's own headers forbid it anyway.
      const index = await request(suite.baseUrl).get('/').expect(200);
      expect(index.headers['content-security-policy']).toContain("default-src 'self'");
      expect(index.headers['content-security-policy']).toContain("connect-src 'self'");

      // A token that is not accepted leads back to the sign-in form with the reason announced.
      await page.getByLabel('API token').fill('awk_not-a-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await pwExpect(page.getByRole('alert')).toContainText('The token was not accepted');
    },
  );
});
