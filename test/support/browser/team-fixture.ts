import { PersonioCompany, createCompany, dayAbsence, simPerson } from '../personio-fixture';
import { bearer, createUser, createWorkspace, CreatedWorkspace } from '../test-app';
import { SyncClaimsService } from '../../../src/integrations/personio/sync/sync-claims.service';
import type { BrowserSuite } from './browser-suite';

let teams = 0;

export interface UiTeam {
  workspace: CreatedWorkspace;
  company: PersonioCompany;
  adminToken: string;
  users: { mia: AworkUser; ben: AworkUser; carl: AworkUser };
  /** Personio person ids by the name the page shows. */
  persons: Record<'mia' | 'ben' | 'nora' | 'dora' | 'tom' | 'tim', string>;
}

interface AworkUser {
  id: string;
  token: string;
  name: string;
}

/** Days of the fixture's absences, inside the calendar's first six weeks from UI_NOW (Mon 20 Jul – Sun 30 Aug 2026). */
export const DAYS = {
  miaVacationFirst: '2026-07-27',
  miaVacationLast: '2026-07-29',
  benMorning: '2026-07-23',
};

/**
 * A workspace of its own per test (so no test depends on another's changes): Ada Admin and three
 * members in awork; in Personio Mia and Ben (matched by e-mail, Mia's differing in case), Nora
 * without an e-mail, Dora without an awork account, and Tom and Tim sharing one e-mail.
 * Mia has a three-day vacation ("Paid vacation: Lake trip"), Ben a morning off.
 */
export async function seedTeam(
  suite: BrowserSuite,
  options: { plan?: string; connected?: boolean } = {},
): Promise<UiTeam> {
  const n = ++teams;
  const workspace = await createWorkspace(suite.app, {
    name: `Acme ${n}`,
    plan: options.plan ?? 'business',
    adminEmail: `admin@acme${n}.test`,
  });
  const member = async (email: string, name: string): Promise<AworkUser> => {
    const created = await createUser(suite.app, workspace.adminToken, { email, name, role: 'member' });
    return { id: created.id, token: created.token, name };
  };
  const users = {
    mia: await member(`mia@acme${n}.test`, 'Mia Maier'),
    ben: await member(`ben@acme${n}.test`, 'Ben Berger'),
    carl: await member(`carl@acme${n}.test`, 'Carl Clark'),
  };
  const person = (email: string | null, firstName: string, lastName: string) =>
    simPerson(email, { firstName, lastName });
  const mia = person(`  MIA@Acme${n}.test `, 'Mia', 'Maier');
  const ben = person(`ben@acme${n}.test`, 'Ben', 'Berger');
  const nora = person(null, 'Nora', 'Nomail');
  const dora = person(`dora@elsewhere${n}.test`, 'Dora', 'Doe');
  const tom = person(`twins@acme${n}.test`, 'Tom', 'Twin');
  const tim = person(`twins@acme${n}.test`, 'Tim', 'Twin');
  const company = createCompany(
    suite.simulator,
    [mia, ben, nora, dora, tom, tim],
    [
      dayAbsence(mia.id, DAYS.miaVacationFirst, DAYS.miaVacationLast, { comment: 'Lake trip' }),
      // One day that ends at midday: the morning only (awork: isHalfDayOnStart on a single day).
      dayAbsence(ben.id, DAYS.benMorning, DAYS.benMorning, {
        endsAt: { dateTime: '2026-07-24T00:00:00', type: 'FIRST_HALF' },
      }),
      dayAbsence(dora.id, '2026-07-28', '2026-07-28'),
    ],
  );
  const team: UiTeam = {
    workspace,
    company,
    adminToken: workspace.adminToken,
    users,
    persons: { mia: mia.id, ben: ben.id, nora: nora.id, dora: dora.id, tom: tom.id, tim: tim.id },
  };
  if (options.connected) await connectTeam(suite, team);
  return team;
}

/** Connects through the API (for tests about what comes after) and waits for the setup sync. */
export async function connectTeam(suite: BrowserSuite, team: UiTeam): Promise<void> {
  await suite.app.http
    .put('/api/v1/integrations/personio')
    .set(bearer(team.adminToken))
    .send({ clientId: team.company.clientId, clientSecret: team.company.clientSecret })
    .expect(200);
  await suite.app.app.get(SyncClaimsService).whenIdle(team.workspace.id);
}
