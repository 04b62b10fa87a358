import { Temporal } from 'temporal-polyfill';
import { generateCompany } from '../personio-simulator/company-generator';
import { SeededRandom } from '../personio-simulator/seeded-random';
import {
  SimAbsencePeriod,
  SimAbsenceType,
  SimCompanyData,
  SimHalf,
  SimPerson,
} from '../personio-simulator/simulator.types';

export const DEMO_SEED = 20260601;
export const DEMO_COMPANY_ID = 'demo';
export const DEMO_COMPANY_NAME = 'Demo GmbH';
export const DEMO_TIME_ZONE = 'Europe/Berlin';
export const DEMO_EMAIL_DOMAIN = 'demo-gmbh.example';
// Fixed on purpose: the simulator forgets everything on restart, the stored (encrypted) credentials must still work.
export const DEMO_CREDENTIALS = {
  clientId: 'demo-personio-client',
  clientSecret: 'demo-personio-secret-not-for-production',
} as const;
export const DEMO_ADMIN = { email: `ada.admin@${DEMO_EMAIL_DOMAIN}`, name: 'Ada Admin' } as const;

const DEMO_PERSONS = 36;
/** Persons in Personio who have no awork account yet (the users report lists them as unmatched). */
const PERSONS_WITHOUT_AWORK_USER = 2;

export interface DemoUser {
  email: string;
  name: string;
}

export interface DemoCompany extends SimCompanyData {
  /** The awork users that mirror the persons (one e-mail differs only in case) plus one without a Personio person. */
  aworkUsers: DemoUser[];
}

/**
 * The demo company, a pure function of the seed and today's date: the same seed always yields the
 * same Personio ids, so a restarted (in-memory) simulator serves the very records the first sync stored.
 */
export function buildDemoCompany(today: Temporal.PlainDate): DemoCompany {
  const day = (offset: number) => today.add({ days: offset }).toString();
  const generated = generateCompany({
    seed: DEMO_SEED,
    persons: DEMO_PERSONS,
    absencesPerPerson: 3,
    window: { start: day(-10), end: day(90) },
    firstPersonId: 40_001,
    emailDomain: DEMO_EMAIL_DOMAIN,
    missingEmailShare: 0,
    openEndedShare: 0,
  });
  const persons = withDistinctPlainEmails(generated.persons);
  const [vacationer, caseDiffers, withoutEmail, sick, homeOffice, pending, parental] = persons;
  caseDiffers.email = capitalise(caseDiffers.email!);
  withoutEmail.email = null;

  const showcase = new Set(
    [vacationer, caseDiffers, withoutEmail, sick, homeOffice, pending, parental].map((person) => person.id),
  );
  const type = typeLookup(generated.absenceTypes);
  const ids = new SeededRandom(DEMO_SEED + 1);
  const period = (
    person: SimPerson,
    typeName: string,
    start: string,
    end: string | null,
    extra: Partial<SimAbsencePeriod> = {},
  ): SimAbsencePeriod => ({
    id: ids.uuid(),
    personId: person.id,
    absenceTypeId: type(typeName),
    startsFrom: { dateTime: start, type: 'FIRST_HALF' },
    endsAt: end === null ? null : { dateTime: end, type: 'SECOND_HALF' },
    timezoneId: DEMO_TIME_ZONE,
    comment: null,
    approvalStatus: 'APPROVED',
    createdAt: `${day(-30)}T09:00:00Z`,
    updatedAt: `${day(-30)}T09:00:00Z`,
    ...extra,
  });
  const allDay = (from: number, days: number, startHalf: SimHalf = 'FIRST_HALF', endHalf: SimHalf = 'SECOND_HALF') => ({
    start: `${day(from)}T00:00:00`,
    end: `${day(from + days)}T00:00:00`,
    startHalf,
    endHalf,
  });
  const days = (
    person: SimPerson,
    typeName: string,
    span: ReturnType<typeof allDay>,
    extra: Partial<SimAbsencePeriod> = {},
  ) => {
    const result = period(person, typeName, span.start, span.end, extra);
    result.startsFrom.type = span.startHalf;
    result.endsAt!.type = span.endHalf;
    return result;
  };

  const showcasePeriods: SimAbsencePeriod[] = [
    days(vacationer, 'Paid vacation', allDay(daysUntilNextMonday(today), 5), { comment: 'Family trip' }),
    days(caseDiffers, 'Paid vacation', allDay(3, 1, 'SECOND_HALF', 'SECOND_HALF'), { comment: 'Afternoon off' }),
    days(caseDiffers, 'Paid vacation', allDay(10, 3, 'FIRST_HALF', 'FIRST_HALF'), { comment: 'Long weekend' }),
    days(withoutEmail, 'Paid vacation', allDay(14, 3)),
    days(sick, 'Sick leave', allDay(-2, 4), { comment: 'Flu' }),
    period(homeOffice, 'Home office', `${day(0)}T13:00:00`, `${day(0)}T17:00:00`),
    period(homeOffice, 'Offsite work', `${day(1)}T09:00:00`, `${day(1)}T11:30:00`, { comment: 'Customer workshop' }),
    days(pending, 'Paid vacation', allDay(21, 5), { approvalStatus: 'PENDING', comment: 'Waiting for approval' }),
    period(parental, 'Parental leave', `${day(-5)}T00:00:00`, null),
    // Statuses Personio also sends: a withdrawn request, and an approved one whose deletion awaits approval.
    days(pending, 'Paid vacation', allDay(35, 2), { approvalStatus: 'CANCELLED', comment: 'Plans changed' }),
    days(vacationer, 'Paid vacation', allDay(40, 1), {
      approvalStatus: 'DELETION_PENDING',
      comment: 'Trip called off',
    }),
  ];

  const aworkUsers: DemoUser[] = persons
    .slice(0, persons.length - PERSONS_WITHOUT_AWORK_USER)
    .filter((person) => person.email)
    .map((person) => ({ email: person.email!.toLowerCase(), name: `${person.firstName} ${person.lastName}` }));
  aworkUsers.push({ email: `freelancer@studio-${DEMO_SEED}.example`, name: 'Frida Freelancer' });

  return {
    persons,
    absenceTypes: generated.absenceTypes,
    absencePeriods: [...generated.absencePeriods.filter((p) => !showcase.has(p.personId)), ...showcasePeriods],
    aworkUsers,
  };
}

function withDistinctPlainEmails(persons: SimPerson[]): SimPerson[] {
  const seen = new Set<string>();
  return persons.map((person) => {
    let email = person.email?.trim().toLowerCase() ?? null;
    if (email && seen.has(email)) email = email.replace('@', `.${person.id}@`);
    if (email) seen.add(email);
    return { ...person, status: 'ACTIVE', email };
  });
}

function capitalise(email: string): string {
  return email.replace(/(^|[.@-])([a-z])/g, (_, separator: string, letter: string) => separator + letter.toUpperCase());
}

function typeLookup(types: SimAbsenceType[]): (name: string) => string {
  return (name) => {
    const found = types.find((type) => type.name === name);
    if (!found) throw new Error(`demo absence type ${name} missing`);
    return found.id;
  };
}

function daysUntilNextMonday(today: Temporal.PlainDate): number {
  return 8 - today.dayOfWeek;
}
