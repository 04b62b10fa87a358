import { PersonioPerson } from '../client/personio-api.types';

export type UnmatchedPersonReason = 'no_email' | 'no_awork_user' | 'duplicate_email' | 'linked_to_other_person';

/** How a person was paired with a user: by account e-mail, or by an admin's manual link. */
export type MatchedBy = 'email' | 'link';

/** An admin's manual link: this Personio person is this awork user, whatever their e-mails say. */
export interface PersonLink {
  personioPersonId: string;
  userId: string;
}

/** Why a stored link pairs nobody: its person is gone from Personio, or its user from the workspace. */
export type StaleLinkReason = 'person_not_in_personio' | 'user_not_in_workspace';

export interface StaleLink extends PersonLink {
  reason: StaleLinkReason;
}

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
  matchedBy: MatchedBy;
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
  /** Links that pair nobody; their person and user are matched as if the link did not exist. */
  staleLinks: StaleLink[];
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
 * Pairs Personio persons with awork users: first by the admin's manual links, then the rest by
 * account e-mail. A link wins for both sides: its person is not matched by e-mail, and a person
 * whose e-mail names a linked user stays unmatched (`linked_to_other_person`). An e-mail shared by
 * two persons (or by two awork users, which the host should not allow) matches nobody: guessing
 * would put one person's absences into another's calendar. A link whose person or user no longer
 * exists is stale and pairs nobody. Persons are expected unique by id; a repeated id keeps the last.
 */
export function matchPersonsToUsers(
  persons: readonly PersonioPerson[],
  users: readonly AworkUserIdentity[],
  links: readonly PersonLink[] = [],
): PersonUserMatching {
  const uniquePersons = [...new Map(persons.map((person) => [person.id, person])).values()];
  const personById = new Map(uniquePersons.map((person) => [person.id, person]));
  const userById = new Map(users.map((user) => [user.id, user]));

  const matched: MatchedPerson[] = [];
  const staleLinks: StaleLink[] = [];
  const linkedUserIds = new Set<string>();
  const linkedPersonIds = new Set<string>();
  // The store keeps one link per person and per user; a repeat here would be a caller's bug: the first wins.
  for (const link of links) {
    if (linkedPersonIds.has(link.personioPersonId) || linkedUserIds.has(link.userId)) continue;
    const person = personById.get(link.personioPersonId);
    const user = userById.get(link.userId);
    if (!person || !user) {
      staleLinks.push({
        personioPersonId: link.personioPersonId,
        userId: link.userId,
        reason: person ? 'user_not_in_workspace' : 'person_not_in_personio',
      });
      continue;
    }
    linkedPersonIds.add(person.id);
    linkedUserIds.add(user.id);
    matched.push(matchedEntry(person, user, 'link'));
  }

  // Linked persons leave the e-mail pool (the admin settled who they are); linked users stay in it,
  // so that a person naming one is told why it is not matched.
  const emailPersons = uniquePersons.filter((person) => !linkedPersonIds.has(person.id));
  const personsByEmail = groupBy(emailPersons, (person) => normalizeEmail(person.email));
  const usersByEmail = groupBy(users, (user) => normalizeEmail(user.email));
  const unmatchedPersonio: UnmatchedPersonioPerson[] = [];
  const matchedUserIds = new Set(linkedUserIds);

  for (const person of emailPersons) {
    const email = normalizeEmail(person.email);
    const candidates = email === null ? [] : (usersByEmail.get(email) ?? []);
    const reason =
      unmatchedReason(email, personsByEmail.get(email)?.length ?? 0, candidates.length) ??
      (linkedUserIds.has(candidates[0].id) ? 'linked_to_other_person' : null);
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
    matched.push(matchedEntry(person, user, 'email'));
  }

  const unmatchedAwork = users
    .filter((user) => !matchedUserIds.has(user.id))
    .map((user) => ({ userId: user.id, email: user.email, name: user.name }));

  return {
    matched: matched.sort(by((entry) => [normalizeEmail(entry.email), entry.personioPersonId])),
    unmatchedPersonio: unmatchedPersonio.sort(by((entry) => [normalizeEmail(entry.email), entry.personioPersonId])),
    unmatchedAwork: unmatchedAwork.sort(by((entry) => [normalizeEmail(entry.email), entry.userId])),
    staleLinks: staleLinks.sort(by((entry) => [entry.personioPersonId, entry.userId])),
    userIdByPersonId: new Map(matched.map((entry) => [entry.personioPersonId, entry.userId])),
  };
}

function matchedEntry(person: PersonioPerson, user: AworkUserIdentity, matchedBy: MatchedBy): MatchedPerson {
  return {
    userId: user.id,
    email: user.email,
    personioPersonId: person.id,
    name: personDisplayName(person) ?? user.name,
    matchedBy,
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
