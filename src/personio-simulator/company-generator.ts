import { fromDayNumber, toDayNumber } from '../common/calendar-days';
import { SeededRandom } from './seeded-random';
import { SimAbsencePeriod, SimAbsenceType, SimCompanyData, SimHalf, SimPerson } from './simulator.types';

export interface GenerateCompanyOptions {
  seed: number;
  persons: number;
  /** Default 6. Ignored when `totalAbsences` is given. */
  absencesPerPerson?: number;
  /** Spread over persons as evenly as possible. */
  totalAbsences?: number;
  /** Inclusive calendar dates `YYYY-MM-DD`; every absence starts inside. */
  window: { start: string; end: string };
  /** First numeric person id; derived from the seed by default. */
  firstPersonId?: number;
  emailDomain?: string;
  /** Share of persons whose last absence is open-ended (ends_at null). Default 0.03. */
  openEndedShare?: number;
  /** Share of persons without e-mail (missing key or null). Default 0.05. */
  missingEmailShare?: number;
}

const FIRST_NAMES = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Elif',
  'Felix',
  'Greta',
  'Hannes',
  'Ida',
  'Jonas',
  'Kira',
  'Lukas',
  'Mia',
  'Noah',
  'Olga',
  'Paul',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Umut',
  'Vera',
  'Wim',
  'Xenia',
  'Yusuf',
  'Zoe',
  'Jen',
  'Björn',
  'Chloé',
  'José',
];
const LAST_NAMES = [
  'Schmidt',
  'Müller',
  'Weber',
  'Fischer',
  'Wagner',
  'Becker',
  'Hoffmann',
  'Koch',
  'Richter',
  'Klein',
  'Wolf',
  'Neumann',
  'Schwarz',
  'Braun',
  'Zimmermann',
  'Krüger',
  'Hartmann',
  'Lange',
  'Werner',
  'Doe',
  'Yilmaz',
  'Kowalski',
  'Rossi',
  'García',
  'Nguyen',
  'Smith',
  'Dubois',
  'Jansen',
  'Novak',
  'Berg',
];
const COMMENTS = [
  'Family trip',
  'Doctor appointment',
  'Moving house',
  'Wedding',
  'Conference',
  'Working from the garden',
  'Kita closed',
  'Flu',
  'Back pain',
  'Long weekend',
];
const HOUR_SLOTS: ReadonlyArray<readonly [string, string]> = [
  ['09:00:00', '11:30:00'],
  ['13:00:00', '17:00:00'],
  ['08:30:00', '12:00:00'],
  ['14:00:00', '18:00:00'],
  ['09:00:00', '17:30:00'],
];

type AbsenceKind = 'vacation' | 'halfDayVacation' | 'sick' | 'hourly' | 'otherDaily';

export function generateCompany(options: GenerateCompanyOptions): SimCompanyData {
  const random = new SeededRandom(options.seed);
  const absenceTypes = generateAbsenceTypes(random);
  const persons = generatePersons(random, options);
  const windowStart = toDayNumber(options.window.start);
  const windowDays = toDayNumber(options.window.end) - windowStart + 1;
  if (windowDays < 1) throw new Error('window.end must not be before window.start');

  const counts = absenceCountsPerPerson(options);
  const absencePeriods: SimAbsencePeriod[] = [];
  const openEndedShare = options.openEndedShare ?? 0.03;
  persons.forEach((person, index) => {
    const count = counts(index);
    if (count === 0) return;
    // One slot per absence keeps a person's absences from overlapping, like Personio enforces.
    const slotDays = Math.max(1, Math.floor(windowDays / count));
    const lastIsOpenEnded = random.chance(openEndedShare);
    for (let k = 0; k < count; k++) {
      const slotStart = windowStart + ((k * slotDays) % windowDays);
      const openEnded = lastIsOpenEnded && k === count - 1;
      absencePeriods.push(generateAbsence(random, person.id, absenceTypes, slotStart, slotDays, openEnded));
    }
  });
  return { persons, absenceTypes, absencePeriods };
}

function absenceCountsPerPerson(options: GenerateCompanyOptions): (personIndex: number) => number {
  if (options.totalAbsences === undefined) {
    const perPerson = options.absencesPerPerson ?? 6;
    return () => perPerson;
  }
  const base = Math.floor(options.totalAbsences / Math.max(1, options.persons));
  const remainder = options.totalAbsences % Math.max(1, options.persons);
  return (index) => base + (index < remainder ? 1 : 0);
}

function generateAbsenceTypes(random: SeededRandom): SimAbsenceType[] {
  const definitions: Array<Omit<SimAbsenceType, 'id'>> = [
    { name: 'Paid vacation', category: 'PAID_VACATION', unit: 'DAY' },
    { name: 'Unpaid vacation', category: 'UNPAID_VACATION', unit: 'DAY' },
    { name: 'Sick leave', category: 'SICK_LEAVE', unit: 'DAY' },
    { name: 'Home office', category: 'OFFSITE_WORK', unit: 'HOUR' },
    { name: 'Offsite work', category: 'OFFSITE_WORK', unit: 'HOUR' },
    { name: 'Parental leave', category: 'PARENTAL_LEAVE', unit: 'DAY' },
    { name: 'Child sick day', category: 'CHILD_CARE', unit: 'DAY' },
    { name: 'Jury duty', category: 'PUBLIC_DUTY', unit: 'DAY' },
    { name: 'Sabbatical', category: null, unit: 'DAY' },
  ];
  return definitions.map((definition) => ({ id: random.uuid(), ...definition }));
}

function generatePersons(random: SeededRandom, options: GenerateCompanyOptions): SimPerson[] {
  const firstId = options.firstPersonId ?? random.int(10, 899) * 1000;
  const domain = options.emailDomain ?? `company-${options.seed}.example`;
  const missingEmailShare = options.missingEmailShare ?? 0.05;
  const usedLocalParts = new Map<string, number>();
  const persons: SimPerson[] = [];
  for (let i = 0; i < options.persons; i++) {
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const baseLocal = `${asciiFold(firstName)}.${asciiFold(lastName)}`.toLowerCase();
    const seen = usedLocalParts.get(baseLocal) ?? 0;
    usedLocalParts.set(baseLocal, seen + 1);
    // A few persons share an address on purpose (rehire, shared mailbox).
    const localPart = seen === 0 || random.chance(0.02) ? baseLocal : `${baseLocal}${seen + 1}`;
    const created = `20${random.int(18, 24)}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}T${pad(random.int(7, 18))}:${pad(random.int(0, 59))}:${pad(random.int(0, 59))}Z`;
    const person: SimPerson = {
      id: String(firstId + i),
      firstName,
      lastName,
      preferredName: random.chance(0.8) ? `${firstName} ${lastName}` : null,
      status: random.chance(0.95) ? 'ACTIVE' : 'INACTIVE',
      createdAt: created,
      updatedAt: created,
    };
    if (random.chance(missingEmailShare)) {
      if (random.chance(0.5)) person.email = null;
    } else {
      person.email = decorateEmail(random, `${localPart}@${domain}`);
    }
    persons.push(person);
  }
  return persons;
}

function decorateEmail(random: SeededRandom, email: string): string {
  const style = random.weighted<'plain' | 'capitalised' | 'upper' | 'padded'>([
    ['plain', 85],
    ['capitalised', 7],
    ['upper', 3],
    ['padded', 5],
  ]);
  switch (style) {
    case 'capitalised':
      return email.replace(/(^|[.@])([a-z])/g, (_, sep: string, ch: string) => sep + ch.toUpperCase());
    case 'upper':
      return email.toUpperCase();
    case 'padded':
      return ` ${email}  `;
    default:
      return email;
  }
}

function generateAbsence(
  random: SeededRandom,
  personId: string,
  types: SimAbsenceType[],
  slotStart: number,
  slotDays: number,
  openEnded: boolean,
): SimAbsencePeriod {
  const typeByName = (name: string) => types.find((type) => type.name === name)!;
  const kind = random.weighted<AbsenceKind>([
    ['vacation', 45],
    ['halfDayVacation', 8],
    ['sick', 20],
    ['hourly', 20],
    ['otherDaily', 7],
  ]);
  let typeId: string;
  let startsFrom: SimAbsencePeriod['startsFrom'];
  let endsAt: SimAbsencePeriod['endsAt'];

  if (openEnded) {
    const day = slotStart + random.int(0, slotDays - 1);
    typeId = typeByName(random.chance(0.5) ? 'Parental leave' : 'Sick leave').id;
    startsFrom = { dateTime: `${fromDayNumber(day)}T00:00:00`, type: 'FIRST_HALF' };
    endsAt = null;
  } else if (kind === 'hourly') {
    const day = fromDayNumber(slotStart + random.int(0, slotDays - 1));
    const [from, to] = random.pick(HOUR_SLOTS);
    typeId = typeByName(random.chance(0.7) ? 'Home office' : 'Offsite work').id;
    startsFrom = { dateTime: `${day}T${from}`, type: 'FIRST_HALF' };
    endsAt = { dateTime: `${day}T${to}`, type: 'SECOND_HALF' };
  } else {
    const maxLength = kind === 'sick' ? 5 : 10;
    const length = random.int(1, Math.min(maxLength, slotDays));
    const first = slotStart + random.int(0, slotDays - length);
    let startHalf: SimHalf = 'FIRST_HALF';
    let endHalf: SimHalf = 'SECOND_HALF';
    if (kind === 'halfDayVacation') {
      const variant = random.int(0, 2);
      if (variant !== 1) startHalf = 'SECOND_HALF';
      if (variant !== 0) endHalf = 'FIRST_HALF';
    }
    typeId =
      kind === 'sick'
        ? typeByName(random.chance(0.85) ? 'Sick leave' : 'Child sick day').id
        : kind === 'otherDaily'
          ? random.pick(types.filter((type) => type.unit === 'DAY')).id
          : typeByName(random.chance(0.92) ? 'Paid vacation' : 'Unpaid vacation').id;
    startsFrom = { dateTime: `${fromDayNumber(first)}T00:00:00`, type: startHalf };
    // Day absences end at the exclusive local midnight after the last day.
    endsAt = { dateTime: `${fromDayNumber(first + length)}T00:00:00`, type: endHalf };
  }

  const createdDay = fromDayNumber(slotStart - random.int(1, 60));
  const createdAt = `${createdDay}T${pad(random.int(7, 19))}:${pad(random.int(0, 59))}:${pad(random.int(0, 59))}Z`;
  const updatedAt = random.chance(0.3) ? `${fromDayNumber(slotStart)}T08:15:00Z` : createdAt;
  return {
    id: random.uuid(),
    personId,
    absenceTypeId: typeId,
    startsFrom,
    endsAt,
    timezoneId: random.weighted([
      ['Europe/Berlin', 90],
      ['Europe/Vienna', 5],
      ['Europe/London', 5],
    ]),
    comment: random.weighted<string | null>([
      [null, 30],
      ['', 15],
      ['   ', 5],
      [random.pick(COMMENTS), 50],
    ]),
    approvalStatus: random.weighted([
      ['APPROVED', 82],
      ['PENDING', 8],
      ['REJECTED', 4],
      ['CANCELLED', 3],
      ['DELETION_PENDING', 3],
    ]),
    createdAt,
    updatedAt,
  };
}

function asciiFold(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
