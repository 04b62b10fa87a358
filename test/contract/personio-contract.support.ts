import { PersonioCredentials } from '../../src/integrations/personio/client/personio-api.types';
import { PersonioClientConfig } from '../../src/integrations/personio/client/personio-client.config';
import { SimAbsencePeriod, SimCompanySummary, SimPerson } from '../../src/personio-simulator';

/** Small delays and timeouts so retry paths run in milliseconds. */
export function fastClientConfig(baseUrl: string, overrides: Partial<PersonioClientConfig> = {}): PersonioClientConfig {
  return {
    baseUrl,
    requestTimeoutMs: 300,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 5_000, ...overrides.retry },
    ...overrides,
  };
}

export function credentialsOf(company: SimCompanySummary): PersonioCredentials {
  const [credential] = company.credentials;
  return { clientId: credential.clientId, clientSecret: credential.clientSecret };
}

export async function collectPages<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const collected: T[][] = [];
  for await (const page of pages) collected.push(page);
  return collected;
}

export function person(id: number, overrides: Partial<SimPerson> = {}): SimPerson {
  return {
    id: String(id),
    email: `person${id}@example.com`,
    firstName: `First${id}`,
    lastName: `Last${id}`,
    preferredName: null,
    status: 'ACTIVE',
    createdAt: '2026-01-01T08:00:00Z',
    updatedAt: '2026-01-01T08:00:00Z',
    ...overrides,
  };
}

export function dayAbsence(
  id: string,
  personId: string,
  firstDay: string,
  endExclusive: string | null,
  overrides: Partial<SimAbsencePeriod> = {},
): SimAbsencePeriod {
  return {
    id,
    personId,
    absenceTypeId: 'type-vacation',
    startsFrom: { dateTime: `${firstDay}T00:00:00`, type: 'FIRST_HALF' },
    endsAt: endExclusive === null ? null : { dateTime: `${endExclusive}T00:00:00`, type: 'SECOND_HALF' },
    timezoneId: 'Europe/Berlin',
    comment: null,
    approvalStatus: 'APPROVED',
    createdAt: '2026-01-01T08:00:00Z',
    updatedAt: '2026-01-01T08:00:00Z',
    ...overrides,
  };
}
