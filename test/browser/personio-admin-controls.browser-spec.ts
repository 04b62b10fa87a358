import { bearer } from '../support/test-app';
import { listAbsences } from '../support/personio-fixture';
import { eventually } from '../support/eventually';
import { browserSuite } from '../support/browser/browser-suite';
import { DAYS, seedTeam } from '../support/browser/team-fixture';
import { pageExpect as pwExpect } from '../support/browser/page-expect';
import { matchedUsersWindow, nav, personioSettings, tableRows, teamCalendar } from '../support/browser/page-objects';

// Issue 15's admin controls on the settings page, driven against its real routes.
describe('Settings › Personio admin controls in Chromium', () => {
  const suite = browserSuite(__filename);

  suite.it('unticking an absence type removes its transferred absences from awork and the calendar', async () => {
    const team = await seedTeam(suite, { connected: true });
    const personioAbsences = async () =>
      (await listAbsences(suite.app, team.adminToken)).filter((absence) => absence.externalId !== null);
    expect(await personioAbsences()).toHaveLength(2); // Mia's vacation and Ben's morning (Dora has no awork user)

    const { page } = await suite.open(team.adminToken);
    await pwExpect(teamCalendar(page).personioMarks('Mia Maier')).toHaveCount(3);
    await nav(page).settings.click();
    const types = personioSettings(page).absenceTypes;
    const vacation = types
      .getByRole('group', { name: 'Transfer these absence types to awork' })
      .getByLabel('Paid vacation');
    await pwExpect(vacation).toBeChecked();
    await pwExpect(types.getByLabel('Home office')).toBeChecked();
    await vacation.uncheck();
    await types.getByRole('button', { name: 'Save absence types' }).click();
    await pwExpect(types.getByRole('status')).toContainText('Saved. A sync has started and applies the choice.');

    await eventually(
      async () => {
        expect(await personioAbsences()).toEqual([]);
      },
      15_000,
      100,
    );
    // The page reads the choice back as stored.
    await pwExpect(vacation).not.toBeChecked();
    await nav(page).calendar.click();
    await pwExpect(teamCalendar(page).grid).toBeVisible();
    await pwExpect(teamCalendar(page).personioMarks('Mia Maier')).toHaveCount(0);
    await pwExpect(teamCalendar(page).personioMarks('Ben Berger')).toHaveCount(0);
  });

  suite.it('removes a manual absence that duplicates a Personio one and keeps the transferred one', async () => {
    const team = await seedTeam(suite, { connected: true });
    const created = await suite.app.http
      .post('/api/v1/absences')
      .set(bearer(team.adminToken))
      .send({ userId: team.users.mia.id, startOn: '2026-07-28', endOn: '2026-07-28', description: 'Lake' })
      .expect(201);
    const manualId = (created.body as { id: string }).id;

    const { page } = await suite.open(team.adminToken);
    await nav(page).settings.click();
    const duplicates = personioSettings(page).duplicates;
    const checkbox = duplicates.getByLabel('Remove the manual absence of Mia Maier, Tue 28 Jul 2026');
    await checkbox.check();
    await duplicates.getByRole('button', { name: 'Remove selected duplicates' }).click();
    await pwExpect(duplicates.getByRole('status')).toContainText('Removed 1 manual absence.');
    await pwExpect(checkbox).toHaveCount(0);
    await pwExpect(duplicates).toContainText('No manual absence duplicates one from Personio.');

    const mias = await listAbsences(suite.app, team.adminToken, `userId=${team.users.mia.id}`);
    expect(mias.map((absence) => absence.id)).not.toContain(manualId);
    expect(mias).toEqual([
      expect.objectContaining({
        startOn: DAYS.miaVacationFirst,
        endOn: DAYS.miaVacationLast,
        externalId: expect.any(String),
      }),
    ]);
  });

  suite.it('links an unmatched Personio person to an awork user by hand from the matched-users window', async () => {
    const team = await seedTeam(suite, { connected: true });
    const { page } = await suite.open(team.adminToken);
    await nav(page).settings.click();
    await personioSettings(page).showMatchedUsers.click();
    const window = matchedUsersWindow(page);
    const dora = window.unmatchedPerson('Dora Doe');
    await dora.getByLabel('Link Dora Doe to an awork user').selectOption(team.users.carl.id);
    await dora.getByRole('button', { name: 'Link Dora Doe' }).click();

    await pwExpect(window.matched.getByRole('button', { name: /^Remove the link of / })).toHaveCount(1);
    const rows = await tableRows(window.matched);
    expect(rows.find((row) => row.includes(team.persons.dora))).toContain('linked by hand');
    await pwExpect(window.unmatchedPerson('Dora Doe')).toHaveCount(0);

    const report = await suite.app.http
      .get('/api/v1/integrations/personio/users')
      .set(bearer(team.adminToken))
      .expect(200);
    const matched = (
      report.body as { matched: Array<{ personioPersonId: string; matchedBy: string; userId?: string }> }
    ).matched;
    expect(matched.find((entry) => entry.personioPersonId === team.persons.dora)).toEqual(
      expect.objectContaining({ matchedBy: 'link' }),
    );
  });
  suite.it('disconnecting with "keep the transferred absences" leaves them as ordinary manual absences', async () => {
    const team = await seedTeam(suite, { connected: true });
    const { page } = await suite.open(team.adminToken);
    await pwExpect(teamCalendar(page).personioMarks('Mia Maier')).toHaveCount(3);
    await nav(page).settings.click();
    await personioSettings(page).disconnect.click();
    const confirm = page.getByRole('dialog', { name: 'Disconnect Personio?' });
    await confirm.getByLabel('Keep the transferred absences as ordinary manual absences').check();
    await confirm.getByRole('button', { name: 'Disconnect', exact: true }).click();

    await pwExpect(
      page.getByRole('status').filter({ hasText: 'The absences it transferred stay as ordinary manual absences.' }),
    ).toBeVisible();
    await suite.app.http.get('/api/v1/integrations/personio').set(bearer(team.adminToken)).expect(404);
    const mias = await listAbsences(suite.app, team.adminToken, `userId=${team.users.mia.id}`);
    expect(mias).toEqual([
      expect.objectContaining({ startOn: DAYS.miaVacationFirst, endOn: DAYS.miaVacationLast, externalId: null }),
    ]);
    await nav(page).calendar.click();
    await pwExpect(teamCalendar(page).personioMarks('Mia Maier')).toHaveCount(0);
    await pwExpect(teamCalendar(page).manualMarks('Mia Maier')).toHaveCount(3);
  });
});
