import { PersonioSimulator, SimAbsencePeriod, SimPerson } from '../../src/personio-simulator';
import { SyncClaimsService } from '../../src/integrations/personio/sync/sync-claims.service';
import { Json } from './json';
import { bearer, startTestApp, TestApp, TestAppOptions } from './test-app';

export const PERSONIO_SCOPES = ['personio:persons:read', 'personio:absences:read'];
export const VACATION_TYPE = {
  id: 'type-vacation',
  name: 'Paid vacation',
  category: 'PAID_VACATION',
  unit: 'DAY' as const,
};
export const HOME_OFFICE_TYPE = {
  id: 'type-home',
  name: 'Home office',
  category: 'OFFSITE_WORK',
  unit: 'HOUR' as const,
};

let personSequence = 1000;
let periodSequence = 1;

export function simPerson(email: string | null, overrides: Partial<SimPerson> = {}): SimPerson {
  const id = String(++personSequence);
  return {
    id,
    email,
    firstName: 'P',
    lastName: id,
    preferredName: null,
    status: 'ACTIVE',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

/** A day-unit absence: `lastDay` inclusive, sent as Personio does (exclusive midnight end). */
export function dayAbsence(
  personId: string,
  firstDay: string,
  lastDay: string,
  overrides: Partial<SimAbsencePeriod> = {},
): SimAbsencePeriod {
  const end = new Date(`${lastDay}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return {
    id: `period-${periodSequence++}`,
    personId,
    absenceTypeId: VACATION_TYPE.id,
    startsFrom: { dateTime: `${firstDay}T00:00:00`, type: 'FIRST_HALF' },
    endsAt: { dateTime: `${end.toISOString().slice(0, 10)}T00:00:00`, type: 'SECOND_HALF' },
    timezoneId: 'Europe/Berlin',
    comment: null,
    approvalStatus: 'APPROVED',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export interface PersonioCompany {
  companyId: string;
  clientId: string;
  clientSecret: string;
}

export function createCompany(
  simulator: PersonioSimulator,
  persons: SimPerson[] = [],
  absencePeriods: SimAbsencePeriod[] = [],
): PersonioCompany {
  const companyId = `co-${Math.random().toString(36).slice(2, 10)}`;
  const credential = {
    clientId: `${companyId}-client`,
    clientSecret: `secret-${Math.random().toString(36).slice(2)}-${companyId}`,
    scopes: PERSONIO_SCOPES,
  };
  simulator.createCompany({
    id: companyId,
    credentials: credential,
    persons,
    absenceTypes: [VACATION_TYPE, HOME_OFFICE_TYPE],
    absencePeriods,
  });
  return { companyId, clientId: credential.clientId, clientSecret: credential.clientSecret };
}

/** A file's beforeAll: the simulator on loopback, then the test app with PERSONIO_BASE_URL pointing at it. */
export async function startAppWithSimulator(
  simulator: PersonioSimulator,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const { baseUrl } = await simulator.start();
  return startTestApp({ ...options, env: { PERSONIO_BASE_URL: baseUrl, ...options.env } });
}

/**
 * A file's afterAll: webhook deliveries still on their way settle first (none without a subscription, which
 * needs a listening app), then the app closes, then the simulator.
 */
export async function stopAppWithSimulator(t: TestApp | undefined, simulator: PersonioSimulator): Promise<void> {
  await simulator.settleDeliveries();
  await t?.close();
  await simulator.stop();
}

/** PUT the credentials and wait for the background setup sync to finish. */
export async function connectPersonio(
  t: TestApp,
  adminToken: string,
  workspaceId: string,
  company: PersonioCompany,
  extra: Record<string, unknown> = {},
) {
  const response = await t.http
    .put('/api/v1/integrations/personio')
    .set(bearer(adminToken))
    .send({ clientId: company.clientId, clientSecret: company.clientSecret, ...extra });
  await t.app.get(SyncClaimsService).whenIdle(workspaceId);
  return response;
}

export async function listAbsences(t: TestApp, token: string, query = ''): Promise<Array<Record<string, unknown>>> {
  const response = await t.http.get(`/api/v1/absences?pageSize=1000&${query}`).set(bearer(token)).expect(200);
  return response.body;
}

/** An hour-unit absence on one day (`from`/`to` as HH:MM, local wall-clock times). */
export function hourAbsence(
  personId: string,
  day: string,
  from: string,
  to: string,
  overrides: Partial<SimAbsencePeriod> = {},
): SimAbsencePeriod {
  return dayAbsence(personId, day, day, {
    absenceTypeId: HOME_OFFICE_TYPE.id,
    startsFrom: { dateTime: `${day}T${from}:00`, type: 'FIRST_HALF' },
    endsAt: { dateTime: `${day}T${to}:00`, type: 'SECOND_HALF' },
    ...overrides,
  });
}

/** POST /integrations/personio/sync and return the run JSON (asserting the HTTP status). */
export async function syncNow(t: TestApp, adminToken: string, expectedStatus = 200): Promise<Json> {
  const response = await t.http.post('/api/v1/integrations/personio/sync').set(bearer(adminToken));
  if (response.status !== expectedStatus)
    throw new Error(
      `POST /sync answered ${response.status}, expected ${expectedStatus}: ${JSON.stringify(response.body)}`,
    );
  return response.body;
}

/** The workspace's absences transferred from Personio, sorted by externalId. */
export async function personioAbsences(t: TestApp, adminToken: string): Promise<Array<Json>> {
  const all = await listAbsences(t, adminToken);
  return all
    .filter((a) => a.externalProvider === 'personio')
    .sort((a, b) => String(a.externalId).localeCompare(String(b.externalId)));
}
