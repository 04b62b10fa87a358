import { randomBytes } from 'node:crypto';
import { generateCompany, GenerateCompanyOptions } from './company-generator';
import { normalizeLocalDateTime } from './list-query';
import { SimulatedCompany } from './simulated-company';
import {
  ALL_SCOPES,
  SimAbsencePeriod,
  SimCompanyData,
  SimCredential,
  SimOpenEndFilterReading,
  SimPerson,
} from './simulator.types';
import { SortedCollection } from './sorted-collection';

export interface CreateCompanyInput extends Partial<SimCompanyData> {
  id?: string;
  name?: string;
  /** How `ends_at.date_time.gte` treats open-ended periods (default lenient). */
  openEndFilter?: SimOpenEndFilterReading;
  /** Defaults to one credential `<id>-client` with a random secret and both read scopes. */
  credentials?: CredentialInput | CredentialInput[];
  /** Seeded data, added before `persons` / `absenceTypes` / `absencePeriods`. */
  generate?: GenerateCompanyOptions;
}

export interface CredentialInput {
  clientId: string;
  clientSecret: string;
  scopes?: readonly string[];
}

/** The simulated tenants, and which one owns each client id (a client id belongs to one company). */
export class CompanyRegistry {
  private readonly companies = new Map<string, SimulatedCompany>();
  private readonly companyByClientId = new Map<string, SimulatedCompany>();
  private companySequence = 0;

  create(input: CreateCompanyInput): SimulatedCompany {
    const id = input.id ?? `company-${++this.companySequence}`;
    if (this.companies.has(id)) throw new Error(`company ${id} already exists`);
    const company = new SimulatedCompany(id, input.name ?? id);
    company.openEndFilter = input.openEndFilter ?? 'lenient';
    this.companies.set(id, company);
    const credentials =
      input.credentials === undefined
        ? [
            {
              clientId: `${id}-client`,
              clientSecret: `${id}-secret-${randomBytes(12).toString('hex')}`,
              scopes: [...ALL_SCOPES],
            },
          ]
        : [input.credentials].flat();
    for (const credential of credentials) this.setCredential(id, credential);
    const generated = input.generate ? generateCompany(input.generate) : undefined;
    company.persons.upsertMany([...(generated?.persons ?? []), ...(input.persons ?? [])].map(clonePerson));
    company.absenceTypes.upsertMany(
      [...(generated?.absenceTypes ?? []), ...(input.absenceTypes ?? [])].map((t) => ({ ...t })),
    );
    company.absencePeriods.upsertMany(generated?.absencePeriods ?? []);
    company.absencePeriods.upsertMany((input.absencePeriods ?? []).map(normalizePeriod));
    return company;
  }

  delete(companyId: string): void {
    const company = this.get(companyId);
    for (const clientId of company.credentials.keys()) this.companyByClientId.delete(clientId);
    this.companies.delete(companyId);
  }

  /** The company, or an error naming the unknown id. */
  get(companyId: string): SimulatedCompany {
    const company = this.companies.get(companyId);
    if (!company) throw new Error(`unknown company ${companyId}`);
    return company;
  }

  find(companyId: string): SimulatedCompany | undefined {
    return this.companies.get(companyId);
  }

  ownerOf(clientId: string): SimulatedCompany | undefined {
    return this.companyByClientId.get(clientId);
  }

  all(): SimulatedCompany[] {
    return [...this.companies.values()];
  }

  /** Adds or replaces a credential (by clientId). */
  setCredential(companyId: string, credential: CredentialInput): SimCredential {
    const company = this.get(companyId);
    const owner = this.companyByClientId.get(credential.clientId);
    if (owner && owner !== company) throw new Error(`clientId ${credential.clientId} belongs to company ${owner.id}`);
    const stored: SimCredential = {
      clientId: credential.clientId,
      clientSecret: credential.clientSecret,
      scopes: [...(credential.scopes ?? ALL_SCOPES)],
    };
    company.credentials.set(stored.clientId, stored);
    this.companyByClientId.set(stored.clientId, company);
    return { ...stored, scopes: [...stored.scopes] };
  }

  removeCredential(clientId: string): void {
    const company = this.companyByClientId.get(clientId);
    company?.credentials.delete(clientId);
    this.companyByClientId.delete(clientId);
  }
}

export function existing<T extends { id: string }>(collection: SortedCollection<T>, id: string): T {
  const item = collection.get(id);
  if (!item) throw new Error(`unknown id ${id}`);
  return item;
}

export function clonePerson(person: SimPerson): SimPerson {
  return { ...person };
}

export function normalizePeriod(period: SimAbsencePeriod): SimAbsencePeriod {
  return {
    ...period,
    startsFrom: { ...period.startsFrom, dateTime: normalizeLocalDateTime(period.startsFrom.dateTime) },
    endsAt:
      period.endsAt === null ? null : { ...period.endsAt, dateTime: normalizeLocalDateTime(period.endsAt.dateTime) },
  };
}
