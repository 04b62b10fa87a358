import { bearer } from '../support/test-app';
import { browserSuite } from '../support/browser/browser-suite';
import { DAYS, seedTeam } from '../support/browser/team-fixture';
import { pageExpect as pwExpect } from '../support/browser/page-expect';
import { matchedUsersWindow, nav, personioSettings, tableRows, teamCalendar } from '../support/browser/page-objects';

describe('Settings › Integrations › Personio in Chromium', () => {
  const suite = browserSuite(__filename);

  suite.it("shows Personio's rejection of a wrong secret next to the secret field and saves nothing", async () => {
    const team = await seedTeam(suite);
    const { page } = await suite.open(team.adminToken);
    await nav(page).settings.click();
    const settings = personioSettings(page);
    await settings.clientId.fill(team.company.clientId);
    await settings.clientSecret.fill('not-the-secret');
    await settings.saveAndConnect.click();

    const error = page.getByRole('alert').filter({ hasText: 'Personio rejected the client ID or client secret' });
    await pwExpect(error).toBeVisible();
    await pwExpect(settings.clientSecret).toHaveAttribute('aria-invalid', 'true');
    // Inline: the secret field is described by the error, which sits right below it in the form.
    const describedBy = await settings.clientSecret.getAttribute('aria-describedby');
    expect(await error.getAttribute('id')).toBe(describedBy);
    expect(
      await error.evaluate(
        (node) => (node as { previousElementSibling?: { tagName: string } }).previousElementSibling?.tagName,
      ),
    ).toBe('INPUT');
    await pwExpect(settings.clientId).not.toHaveAttribute('aria-invalid', 'true');
    await suite.app.http.get('/api/v1/integrations/personio').set(bearer(team.adminToken)).expect(404);
  });

  suite.it('says under the button that Personio is unreachable (503), marking no field', async () => {
    const team = await seedTeam(suite);
    suite.simulator.failPage({ endpoint: '/v2/persons', status: 503 }, team.company.companyId);
    const { page } = await suite.open(team.adminToken);
    await nav(page).settings.click();
    const settings = personioSettings(page);
    await settings.clientId.fill(team.company.clientId);
    await settings.clientSecret.fill(team.company.clientSecret);
    await settings.saveAndConnect.click();

    const error = settings.form.getByRole('alert');
    await pwExpect(error).toContainText('Personio is unreachable or unavailable right now');
    expect(
      await error.evaluate(
        (node) => (node as { previousElementSibling?: { className: string } }).previousElementSibling?.className,
      ),
    ).toBe('actions');
    await pwExpect(settings.clientId).not.toHaveAttribute('aria-invalid', 'true');
    await pwExpect(settings.clientSecret).not.toHaveAttribute('aria-invalid', 'true');
    suite.simulator.clearFaults(team.company.companyId);
  });

  suite.it('below Business shows a plain message naming the plan instead of the form', async () => {
    const team = await seedTeam(suite, { plan: 'basic' });
    const { page } = await suite.open(team.adminToken);
    await nav(page).settings.click();
    const settings = personioSettings(page);
    await pwExpect(settings.planMessage).toContainText('Business plan');
    await pwExpect(settings.planMessage).toContainText('Basic');
    await pwExpect(settings.form).toHaveCount(0);
  });

  suite.it(
    'after saving good credentials, the matched-users window lists the matched and the unmatched with the reason in words',
    async () => {
      const team = await seedTeam(suite);
      const { page } = await suite.open(team.adminToken);
      await nav(page).settings.click();
      const settings = personioSettings(page);
      await settings.clientId.fill(team.company.clientId);
      await settings.clientSecret.fill(team.company.clientSecret);
      await settings.saveAndConnect.click();

      const window = matchedUsersWindow(page);
      await pwExpect(window.dialog).toBeVisible();
      await pwExpect(window.matched).toBeVisible();
      const matched = await tableRows(window.matched);
      expect(matched).toHaveLength(2);
      expect(matched.join('\n')).toMatch(/Ben Berger \| ben@acme\d+\.test \| \d+ \| e-mail/);
      expect(matched.join('\n')).toMatch(/Mia Maier \| mia@acme\d+\.test \| \d+ \| e-mail/);

      const reasons = Object.fromEntries(
        (await tableRows(window.unmatchedPersonio)).map((row) => {
          const [name, , reason] = row.split(' | ');
          return [name, reason];
        }),
      );
      expect(reasons).toEqual({
        'Nora Nomail': 'no e-mail in Personio',
        'Dora Doe': 'no awork user with this e-mail',
        'Tom Twin': 'two persons share this e-mail',
        'Tim Twin': 'two persons share this e-mail',
      });
      const unmatchedAwork = await tableRows(window.unmatchedAwork);
      expect(unmatchedAwork.map((row) => row.split(' | ')[0]).sort()).toEqual(['Ada Admin', 'Carl Clark']);

      await window.done.click();
      await pwExpect(window.dialog).toHaveCount(0);
      // The status card follows the first sync until it has finished.
      await pwExpect(settings.statusCard.locator('[data-field="status"]')).toHaveText('Active');
      await pwExpect(settings.statusCard.locator('[data-field="last-run"]')).toContainText(
        'first sync: succeeded · 3 fetched, 2 created',
      );
      await pwExpect(settings.runHistory.getByRole('row')).toHaveCount(2);
    },
  );

  suite.it('"Sync now" shows the finished run, and that one is already running', async () => {
    const team = await seedTeam(suite, { connected: true });
    const { page } = await suite.open(team.adminToken);
    await nav(page).settings.click();
    const settings = personioSettings(page);
    await settings.syncNow.click();
    await pwExpect(page.getByRole('status').filter({ hasText: 'Sync finished' })).toContainText(
      '3 fetched, 0 created, 0 updated, 0 deleted, 2 unchanged',
    );
    await pwExpect(settings.statusCard.locator('[data-field="last-run"]')).toContainText('Sync now: succeeded');

    // A sync held inside Personio's absence listing keeps running while the page asks for another.
    suite.simulator.hold({ endpoint: '/v2/absence-periods', times: 1 }, team.company.companyId);
    const running = suite.app.http.post('/api/v1/integrations/personio/sync').set(bearer(team.adminToken));
    const finished = running.then((response) => response.status);
    await suite.simulator.whenHeld(team.company.companyId);
    await settings.syncNow.click();
    await pwExpect(page.getByRole('alert').filter({ hasText: 'A sync is already running' })).toBeVisible();
    suite.simulator.releaseHeld(team.company.companyId);
    expect(await finished).toBe(200);
  });

  suite.it('the hide-details switch removes the descriptions from the calendar', async () => {
    const team = await seedTeam(suite, { connected: true });
    const { page } = await suite.open(team.adminToken);
    const calendar = teamCalendar(page);
    const miaVacation = calendar.cell('Mia Maier', DAYS.miaVacationFirst).locator('button.absence');
    await pwExpect(miaVacation).toHaveAttribute('title', 'Paid vacation: Lake trip · managed in Personio');

    await nav(page).settings.click();
    const settings = personioSettings(page);
    await settings.hideDetails.check();
    await pwExpect(page.getByRole('status').filter({ hasText: 'Details hidden' })).toBeVisible();
    await pwExpect(settings.hideDetails).toBeChecked();

    await nav(page).calendar.click();
    await pwExpect(miaVacation).toHaveAttribute('title', 'Absence · managed in Personio');
    await pwExpect(page.getByText('Lake trip')).toHaveCount(0);
    expect(await calendar.grid.innerHTML()).not.toContain('Paid vacation');
  });

  suite.it('Disconnect says what is removed, removes it, and offers the connect form again', async () => {
    const team = await seedTeam(suite, { connected: true });
    const { page } = await suite.open(team.adminToken);
    await pwExpect(teamCalendar(page).personioMarks('Mia Maier')).toHaveCount(3);
    await nav(page).settings.click();
    const settings = personioSettings(page);
    await settings.disconnect.click();
    const confirm = page.getByRole('dialog', { name: 'Disconnect Personio?' });
    await pwExpect(confirm).toContainText('the stored client ID and client secret');
    await pwExpect(confirm).toContainText("every absence transferred from Personio, from everyone's calendar");
    await pwExpect(confirm).toContainText('Manual absences are not touched');
    await confirm.getByRole('button', { name: 'Disconnect', exact: true }).click();

    await pwExpect(page.getByRole('status').filter({ hasText: 'Personio is disconnected' })).toBeVisible();
    await pwExpect(settings.saveAndConnect).toBeVisible();
    await suite.app.http.get('/api/v1/integrations/personio').set(bearer(team.adminToken)).expect(404);
    await nav(page).calendar.click();
    await pwExpect(teamCalendar(page).grid.locator('button.absence.personio')).toHaveCount(0);
  });
});
