/**
 * Seed data, not measured: simulator companies over its admin routes, and the matching awork workspaces, users and
 * integrations straight through the bench's own DataSource.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { User } from '../src/host/users/user.entity';
import { Workspace } from '../src/host/workspaces/workspace.entity';
import { PersonioIntegration } from '../src/integrations/personio/personio-integration.entity';
import type { SimPerson } from '../src/personio-simulator';
import { Bench, check, TIME_ZONE } from './context';
import { Window } from './expectation';
import { SimulatorAdminClient } from './simulator-admin-client';

const INSERT_BATCH = 1000;

export interface SeededWorkspace {
  workspaceId: string;
  companyId: string;
  clientId: string;
  clientSecret: string;
  userIdByPersonId: Map<string, string>;
}

/**
 * One simulator company with its own credentials, every person with a distinct e-mail; returns the
 * persons as the simulator now holds them. Many-item changes go through the bulk admin routes.
 */
export async function seedCompany(
  simulator: SimulatorAdminClient,
  companyId: string,
  seed: number,
  persons: number,
  absences: number,
  window: Window,
  approveAll: boolean,
) {
  const clientId = `${companyId}-client`;
  const clientSecret = `${companyId}-secret-${randomBytes(8).toString('hex')}`;
  await simulator.createCompany({
    id: companyId,
    credentials: { clientId, clientSecret },
    generate: {
      seed,
      persons,
      totalAbsences: absences,
      window,
      missingEmailShare: 0,
      emailDomain: `${companyId}.example`,
    },
  });
  // The generator gives a few persons a shared address on purpose; the bench wants all matched.
  const seen = new Set<string>();
  const emailFixes: Array<{ id: string; email: string; updatedAt: string }> = [];
  for (const person of await simulator.listPersons(companyId)) {
    let email = normalize(person.email);
    if (!email || seen.has(email)) {
      email = `person-${person.id}@${companyId}.example`;
      emailFixes.push({ id: person.id, email, updatedAt: person.updatedAt });
    }
    seen.add(email);
  }
  check(
    (await simulator.updatePersons(companyId, emailFixes)) === emailFixes.length,
    `${companyId}: not every e-mail fix was applied`,
  );
  if (approveAll) {
    const approvals = (await simulator.listAbsencePeriods(companyId))
      .filter((period) => period.approvalStatus !== 'APPROVED')
      .map((period) => ({ id: period.id, approvalStatus: 'APPROVED', updatedAt: period.updatedAt }));
    check(
      (await simulator.updateAbsencePeriods(companyId, approvals)) === approvals.length,
      `${companyId}: not every approval was applied`,
    );
  }
  return { clientId, clientSecret, persons: await simulator.listPersons(companyId) };
}

export function normalize(email: string | null | undefined): string | null {
  const value = email?.trim().toLowerCase() ?? '';
  return value === '' ? null : value;
}

/** Workspaces, users and integrations straight through the DataSource (setup is not measured). */
export async function insertWorkspaces(
  bench: Bench,
  items: Array<{ companyId: string; clientId: string; clientSecret: string; persons: SimPerson[] }>,
): Promise<SeededWorkspace[]> {
  const seeded: SeededWorkspace[] = [];
  const workspaces: Partial<Workspace>[] = [];
  const users: Partial<User>[] = [];
  const integrations: Partial<PersonioIntegration>[] = [];
  for (const item of items) {
    const workspaceId = randomUUID();
    workspaces.push({ id: workspaceId, name: item.companyId, plan: 'business', timeZone: TIME_ZONE });
    const userIdByPersonId = new Map<string, string>();
    for (const person of item.persons) {
      const email = normalize(person.email)!;
      const userId = randomUUID();
      userIdByPersonId.set(person.id, userId);
      users.push({
        id: userId,
        workspaceId,
        email,
        emailNormalized: email,
        name: `${person.firstName} ${person.lastName}`,
        role: 'member',
      });
    }
    integrations.push({
      id: randomUUID(),
      workspaceId,
      clientId: item.clientId,
      clientSecretEncrypted: bench.credentials.seal(workspaceId, item.clientSecret),
      hideAbsenceDetails: false,
      status: 'active',
      lastError: null,
      lastRunId: null,
      nextRunAt: null,
    });
    seeded.push({
      workspaceId,
      companyId: item.companyId,
      clientId: item.clientId,
      clientSecret: item.clientSecret,
      userIdByPersonId,
    });
  }
  for (const [entity, rows] of [
    [Workspace, workspaces],
    [User, users],
    [PersonioIntegration, integrations],
  ] as const) {
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await bench.dataSource
        .createQueryBuilder()
        .insert()
        .into(entity)
        .values(rows.slice(i, i + INSERT_BATCH))
        .updateEntity(false)
        .execute();
    }
  }
  return seeded;
}
