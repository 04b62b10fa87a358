import { Locator, Page } from 'playwright-core';

// What the tests drive, by role and accessible name, as a person using a screen reader would find it.

export function nav(page: Page) {
  return {
    calendar: page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Team calendar' }),
    settings: page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }),
  };
}

export function teamCalendar(page: Page) {
  const grid = page.getByRole('table', { name: /^Absences from/ });
  const row = (userName: string) =>
    grid.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: userName }) });
  return {
    grid,
    row,
    /** The cell of a user's day (`YYYY-MM-DD`). */
    cell: (userName: string, day: string): Locator => row(userName).locator(`td[data-day="${day}"]`),
    /** The free day's button that picks it. */
    pickButton: (userName: string, day: string): Locator => row(userName).locator(`td[data-day="${day}"] button.pick`),
    personioMarks: (userName: string): Locator => row(userName).locator('button.absence.personio'),
    manualMarks: (userName: string): Locator => row(userName).locator('button.absence.manual'),
    rowNames: () => grid.locator('tbody th[scope="row"]').allTextContents(),
  };
}

export function personioSettings(page: Page) {
  const form = page.getByRole('form', { name: 'Personio credentials' });
  return {
    heading: page.getByRole('heading', { level: 1, name: 'Personio' }),
    form,
    clientId: form.getByLabel('Client ID'),
    clientSecret: form.getByLabel('Client secret'),
    hideDetailsInForm: form.getByRole('switch', { name: 'Hide absence details' }),
    saveAndConnect: form.getByRole('button', { name: 'Save and connect' }),
    planMessage: page.locator('.plan-message'),
    statusCard: page.getByRole('region', { name: 'Status' }),
    syncNow: page.getByRole('button', { name: 'Sync now' }),
    showMatchedUsers: page.getByRole('button', { name: 'Show matched users' }),
    hideDetails: page.getByRole('region', { name: 'Status' }).getByRole('switch', { name: 'Hide absence details' }),
    runHistory: page.getByRole('region', { name: 'Run history' }),
    disconnect: page.getByRole('button', { name: 'Disconnect Personio…' }),
    // Issue 15's sections (each shows "… is not available on this server yet." while its route answers 404).
    absenceTypes: page.getByRole('region', { name: 'Absence types' }),
    duplicates: page.getByRole('region', { name: 'Manual duplicates' }),
    notifications: page.getByRole('region', { name: 'Notifications for admins' }),
  };
}

export function matchedUsersWindow(page: Page) {
  const dialog = page.getByRole('dialog', { name: 'Matched users' });
  const table = (caption: RegExp) => dialog.getByRole('table', { name: caption });
  return {
    dialog,
    matched: table(/^Matched users/),
    unmatchedPersonio: table(/^Personio persons without an awork user/),
    unmatchedAwork: table(/^awork users without a Personio person/),
    staleLinks: table(/^Links to persons no longer in Personio/),
    /** The row of an unmatched Personio person by name, with its "Why not matched" cell and link control. */
    unmatchedPerson: (name: string) =>
      table(/^Personio persons without an awork user/)
        .getByRole('row')
        .filter({ hasText: name }),
    done: dialog.getByRole('button', { name: 'Done' }),
  };
}

/** Text of every body row of a table, one string per row (cells joined by " | "). */
export async function tableRows(table: Locator): Promise<string[]> {
  const rows = await table.locator('tbody tr').all();
  return Promise.all(
    rows.map(async (row) => (await row.locator('td').allTextContents()).map((text) => text.trim()).join(' | ')),
  );
}
