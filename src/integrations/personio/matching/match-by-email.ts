import { PersonioPerson } from '../client/personio-api.types';

export type UnmatchedPersonReason = 'no_email' | 'no_awork_user' | 'duplicate_email';

export interface AworkUserIdentity {
  id: string;
  email: string;
  name: string;
}

export interface MatchedPerson {
  userId: string;
  /** The awork account e-mail, as stored in awork. */
  email: string;
  personioPersonId: string;
  /** The Personio person's name, else the awork user's name. */
  name: string;
}

export interface UnmatchedPersonioPerson {
  personioPersonId: string;
  /** Trimmed, in the case HR typed it; null when missing or blank. */
  email: string | null;
  name: string | null;
  reason: UnmatchedPersonReason;
}

export interface UnmatchedAworkUser {
  userId: string;
  email: string;
  name: string;
}

export interface PersonUserMatching {
  matched: MatchedPerson[];
  unmatchedPersonio: UnmatchedPersonioPerson[];
  unmatchedAwork: UnmatchedAworkUser[];
  userIdByPersonId: Map<string, string>;
}

/** Trimmed and lower-cased; null when missing or blank. */
export function normalizeEmail(email: string | null | undefined): string | null {
  const normalized = email?.trim().toLowerCase() ?? '';
  return normalized === '' ? null : normalized;
}

export function personDisplayName(person: PersonioPerson): string | null {
  const preferred = person.preferredName?.trim();
  if (preferred) return preferred;
  const fullName = [person.firstName?.trim(), person.lastName?.trim()].filter(Boolean).join(' ');
  return fullName === '' ? null : fullName;
}

/**
 * Pairs Personio persons with awork users by account e-mail. An e-mail shared by two persons (or by
 * two awork users, which the host should not allow) matches nobody: guessing would put one person's
 * absences into another's calendar. Persons are expected unique by id; a repeated id keeps the last.
 */
export function matchPersonsToUsers(
  persons: readonly PersonioPerson[],
  users: readonly AworkUserIdentity[],
): PersonUserMatching {
  const uniquePersons = [...new Map(persons.map((person) => [person.id, person])).values()];
  const personsByEmail = groupBy(uniquePersons, (person) => normalizeEmail(person.email));
  const usersByEmail = groupBy(users, (user) => normalizeEmail(user.email));

  const matched: MatchedPerson[] = [];
  const unmatchedPersonio: UnmatchedPersonioPerson[] = [];
  const matchedUserIds = new Set<string>();

  for (const person of uniquePersons) {
    const email = normalizeEmail(person.email);
    const candidates = email === null ? [] : (usersByEmail.get(email) ?? []);
    const reason = unmatchedReason(email, personsByEmail.get(email)?.length ?? 0, candidates.length);
    if (reason !== null) {
      unmatchedPersonio.push({
        personioPersonId: person.id,
        email: person.email?.trim() || null,
        name: personDisplayName(person),
        reason,
      });
      continue;
    }
    const [user] = candidates;
    matchedUserIds.add(user.id);
    matched.push({
      userId: user.id,
      email: user.email,
      personioPersonId: person.id,
      name: personDisplayName(person) ?? user.name,
    });
  }

  const unmatchedAwork = users
    .filter((user) => !matchedUserIds.has(user.id))
    .map((user) => ({ userId: user.id, email: user.email, name: user.name }));

  return {
    matched: matched.sort(by((entry) => [normalizeEmail(entry.email), entry.personioPersonId])),
    unmatchedPersonio: unmatchedPersonio.sort(by((entry) => [normalizeEmail(entry.email), entry.personioPersonId])),
    unmatchedAwork: unmatchedAwork.sort(by((entry) => [normalizeEmail(entry.email), entry.userId])),
    userIdByPersonId: new Map(matched.map((entry) => [entry.personioPersonId, entry.userId])),
  };
}

function unmatchedReason(
  email: string | null,
  personsWithEmail: number,
  usersWithEmail: number,
): UnmatchedPersonReason | null {
  if (email === null) return 'no_email';
  if (personsWithEmail > 1 || usersWithEmail > 1) return 'duplicate_email';
  if (usersWithEmail === 0) return 'no_awork_user';
  return null;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | null): Map<string | null, T[]> {
  const groups = new Map<string | null, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

// Code-unit order, not localeCompare, so the order is the same on every machine; nulls last.
function by<T>(keysOf: (item: T) => (string | null)[]): (a: T, b: T) => number {
  return (a, b) => {
    const keysA = keysOf(a);
    const keysB = keysOf(b);
    for (let i = 0; i < keysA.length; i++) {
      const order = compareNullableStrings(keysA[i], keysB[i]);
      if (order !== 0) return order;
    }
    return 0;
  };
}

function compareNullableStrings(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
