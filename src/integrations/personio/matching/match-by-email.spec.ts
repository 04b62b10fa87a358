import fc from 'fast-check';
import { PersonioPerson } from '../client/personio-api.types';
import {
  AworkUserIdentity,
  matchPersonsToUsers,
  normalizeEmail,
  personDisplayName,
  PersonLink,
  PersonUserMatching,
} from './match-by-email';

function person(id: string, email: string | null, overrides: Partial<PersonioPerson> = {}): PersonioPerson {
  return { id, email, firstName: null, lastName: null, preferredName: null, status: 'ACTIVE', ...overrides };
}

function user(id: string, email: string, name = `User ${id}`): AworkUserIdentity {
  return { id, email, name };
}

describe('normalizeEmail', () => {
  it.each([
    ['  Jen.Doe@Example.COM ', 'jen.doe@example.com'],
    ['jen@example.com', 'jen@example.com'],
    ['\tJEN@EXAMPLE.COM\n', 'jen@example.com'],
    ['   ', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });
});

describe('personDisplayName', () => {
  it.each<[string, Partial<PersonioPerson>, string | null]>([
    ['the preferred name first', { preferredName: ' Jenny ', firstName: 'Jen', lastName: 'Doe' }, 'Jenny'],
    ['first and last name', { firstName: ' Jen ', lastName: ' Doe ' }, 'Jen Doe'],
    [
      'a blank preferred name falls back to first and last',
      { preferredName: ' ', firstName: 'Jen', lastName: 'Doe' },
      'Jen Doe',
    ],
    ['only a first name', { firstName: 'Jen' }, 'Jen'],
    ['only a last name', { lastName: 'Doe' }, 'Doe'],
    ['no name at all', { firstName: ' ', lastName: null }, null],
  ])('%s', (_, names, expected) => {
    expect(personDisplayName(person('1', null, names))).toBe(expected);
  });
});

describe('matchPersonsToUsers', () => {
  it('matches e-mails regardless of case and surrounding spaces', () => {
    const result = matchPersonsToUsers(
      [person('3003', '  Jen.Doe@Example.com ', { firstName: 'Jen', lastName: 'Doe' })],
      [user('u1', 'jen.doe@example.COM', 'Jen in awork')],
    );
    expect(result.matched).toEqual([
      { userId: 'u1', email: 'jen.doe@example.COM', personioPersonId: '3003', name: 'Jen Doe', matchedBy: 'email' },
    ]);
    expect(result.unmatchedPersonio).toEqual([]);
    expect(result.unmatchedAwork).toEqual([]);
    expect(result.userIdByPersonId).toEqual(new Map([['3003', 'u1']]));
  });

  it('names a matched person after the awork user when Personio has no name', () => {
    const result = matchPersonsToUsers([person('3003', 'jen@example.com')], [user('u1', 'jen@example.com', 'Jen')]);
    expect(result.matched[0].name).toBe('Jen');
  });

  it('leaves persons without an e-mail unmatched (no_email)', () => {
    const result = matchPersonsToUsers(
      [person('1', null, { preferredName: 'No Mail' }), person('2', '   ')],
      [user('u1', 'someone@example.com')],
    );
    expect(result.unmatchedPersonio).toEqual([
      { personioPersonId: '1', email: null, name: 'No Mail', reason: 'no_email' },
      { personioPersonId: '2', email: null, name: null, reason: 'no_email' },
    ]);
    expect(result.unmatchedAwork).toEqual([{ userId: 'u1', email: 'someone@example.com', name: 'User u1' }]);
  });

  it('leaves persons without an awork user unmatched (no_awork_user), reporting the e-mail as typed but trimmed', () => {
    const result = matchPersonsToUsers([person('1', ' Max@Example.com ')], []);
    expect(result.unmatchedPersonio).toEqual([
      { personioPersonId: '1', email: 'Max@Example.com', name: null, reason: 'no_awork_user' },
    ]);
  });

  it('matches none of the persons sharing an e-mail, nor the awork user with it (duplicate_email)', () => {
    const result = matchPersonsToUsers(
      [person('2', 'shared@example.com'), person('1', ' SHARED@example.com'), person('3', 'solo@example.com')],
      [user('u1', 'shared@example.com'), user('u3', 'solo@example.com')],
    );
    expect(result.unmatchedPersonio).toEqual([
      { personioPersonId: '1', email: 'SHARED@example.com', name: null, reason: 'duplicate_email' },
      { personioPersonId: '2', email: 'shared@example.com', name: null, reason: 'duplicate_email' },
    ]);
    expect(result.unmatchedAwork).toEqual([{ userId: 'u1', email: 'shared@example.com', name: 'User u1' }]);
    expect(result.matched.map((entry) => entry.personioPersonId)).toEqual(['3']);
    expect(result.userIdByPersonId).toEqual(new Map([['3', 'u3']]));
  });

  it('treats persons sharing an e-mail as duplicates even when no awork user has it', () => {
    const result = matchPersonsToUsers([person('1', 'a@example.com'), person('2', 'A@example.com')], []);
    expect(result.unmatchedPersonio.map((entry) => entry.reason)).toEqual(['duplicate_email', 'duplicate_email']);
  });

  it('matches nobody to an e-mail two awork users share', () => {
    const result = matchPersonsToUsers(
      [person('1', 'a@example.com')],
      [user('u1', 'a@example.com'), user('u2', 'A@Example.com')],
    );
    expect(result.unmatchedPersonio).toEqual([
      { personioPersonId: '1', email: 'a@example.com', name: null, reason: 'duplicate_email' },
    ]);
    expect(result.unmatchedAwork.map((entry) => entry.userId)).toEqual(['u1', 'u2']);
  });

  it('still matches inactive persons', () => {
    const result = matchPersonsToUsers(
      [person('1', 'gone@example.com', { status: 'INACTIVE' })],
      [user('u1', 'gone@example.com')],
    );
    expect(result.userIdByPersonId.get('1')).toBe('u1');
  });

  it('reports awork users without a person', () => {
    const result = matchPersonsToUsers([], [user('u2', 'b@example.com'), user('u1', 'A@example.com')]);
    expect(result.unmatchedAwork).toEqual([
      { userId: 'u1', email: 'A@example.com', name: 'User u1' },
      { userId: 'u2', email: 'b@example.com', name: 'User u2' },
    ]);
  });

  it('keeps the last of a person listed twice instead of calling it a duplicate', () => {
    const result = matchPersonsToUsers(
      [person('1', 'a@example.com', { preferredName: 'Old' }), person('1', 'a@example.com', { preferredName: 'New' })],
      [user('u1', 'a@example.com')],
    );
    expect(result.matched).toEqual([
      { userId: 'u1', email: 'a@example.com', personioPersonId: '1', name: 'New', matchedBy: 'email' },
    ]);
    expect(result.unmatchedPersonio).toEqual([]);
  });

  it('sorts every list by e-mail then id, people without an e-mail last', () => {
    const result = matchPersonsToUsers(
      [
        person('9', null),
        person('5', 'b@example.com'),
        person('7', 'A@example.com'),
        person('4', 'c@example.com'),
        person('3', null),
      ],
      [
        user('u2', 'c@example.com'),
        user('u1', 'B@example.com'),
        user('u3', 'z@example.com'),
        user('u0', 'y@example.com'),
      ],
    );
    expect(result.matched.map((entry) => entry.personioPersonId)).toEqual(['5', '4']);
    expect(result.unmatchedPersonio.map((entry) => entry.personioPersonId)).toEqual(['7', '3', '9']);
    expect(result.unmatchedAwork.map((entry) => entry.userId)).toEqual(['u0', 'u3']);
  });

  describe('with manual links', () => {
    const link = (personioPersonId: string, userId: string): PersonLink => ({ personioPersonId, userId });

    it('pairs a linked person with its user whatever their e-mails say, and says so', () => {
      const result = matchPersonsToUsers(
        [person('1', 'jen.private@example.org', { firstName: 'Jen' }), person('2', null)],
        [user('u1', 'jen@example.com'), user('u2', 'max@example.com')],
        [link('1', 'u1'), link('2', 'u2')],
      );
      expect(result.matched).toEqual([
        { userId: 'u1', email: 'jen@example.com', personioPersonId: '1', name: 'Jen', matchedBy: 'link' },
        { userId: 'u2', email: 'max@example.com', personioPersonId: '2', name: 'User u2', matchedBy: 'link' },
      ]);
      expect(result.unmatchedPersonio).toEqual([]);
      expect(result.unmatchedAwork).toEqual([]);
      expect(result.staleLinks).toEqual([]);
      expect(result.userIdByPersonId).toEqual(
        new Map([
          ['1', 'u1'],
          ['2', 'u2'],
        ]),
      );
    });

    it('wins over the e-mail of the linked person: it is not matched to the user sharing its e-mail', () => {
      const result = matchPersonsToUsers(
        [person('1', 'jen@example.com')],
        [user('u1', 'jen@example.com'), user('u2', 'other@example.com')],
        [link('1', 'u2')],
      );
      expect(result.userIdByPersonId).toEqual(new Map([['1', 'u2']]));
      expect(result.unmatchedAwork.map((entry) => entry.userId)).toEqual(['u1']);
    });

    it('wins over the e-mail of the linked user: a person naming it stays unmatched (linked_to_other_person)', () => {
      const result = matchPersonsToUsers(
        [person('1', 'jen.private@example.org'), person('2', 'JEN@example.com')],
        [user('u1', 'jen@example.com')],
        [link('1', 'u1')],
      );
      expect(result.userIdByPersonId).toEqual(new Map([['1', 'u1']]));
      expect(result.unmatchedPersonio).toEqual([
        { personioPersonId: '2', email: 'JEN@example.com', name: null, reason: 'linked_to_other_person' },
      ]);
    });

    it('takes a linked person out of the e-mail duplicates it would otherwise cause', () => {
      const result = matchPersonsToUsers(
        [person('1', 'shared@example.com'), person('2', 'shared@example.com')],
        [user('u1', 'shared@example.com'), user('u2', 'two@example.com')],
        [link('2', 'u2')],
      );
      expect(result.userIdByPersonId).toEqual(
        new Map([
          ['1', 'u1'],
          ['2', 'u2'],
        ]),
      );
      expect(result.matched.map((entry) => entry.matchedBy)).toEqual(['email', 'link']);
    });

    it('reports a link to a person Personio no longer has as stale, and matches its user by e-mail again', () => {
      const result = matchPersonsToUsers(
        [person('2', 'jen@example.com')],
        [user('u1', 'jen@example.com')],
        [link('1', 'u1')],
      );
      expect(result.staleLinks).toEqual([{ personioPersonId: '1', userId: 'u1', reason: 'person_not_in_personio' }]);
      expect(result.matched).toEqual([expect.objectContaining({ personioPersonId: '2', matchedBy: 'email' })]);
    });

    it('reports a link to a user the workspace no longer has as stale, and matches its person by e-mail again', () => {
      const result = matchPersonsToUsers(
        [person('1', 'jen@example.com')],
        [user('u1', 'jen@example.com')],
        [link('1', 'u-gone')],
      );
      expect(result.staleLinks).toEqual([{ personioPersonId: '1', userId: 'u-gone', reason: 'user_not_in_workspace' }]);
      expect(result.userIdByPersonId).toEqual(new Map([['1', 'u1']]));
    });
  });

  describe('properties', () => {
    /** Every person is matched or unmatched, every user matched or unmatchedAwork, each exactly once. */
    function expectEachInOneBucket(
      result: PersonUserMatching,
      somePersons: PersonioPerson[],
      someUsers: AworkUserIdentity[],
    ): void {
      const personIds = [
        ...result.matched.map((entry) => entry.personioPersonId),
        ...result.unmatchedPersonio.map((entry) => entry.personioPersonId),
      ];
      expect([...personIds].sort()).toEqual(somePersons.map((p) => p.id).sort());
      const userIds = [
        ...result.matched.map((entry) => entry.userId),
        ...result.unmatchedAwork.map((entry) => entry.userId),
      ];
      expect([...userIds].sort()).toEqual(someUsers.map((u) => u.id).sort());
    }

    const emailPool = ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'e@example.com'];
    const spelling = fc
      .tuple(fc.constantFrom(...emailPool), fc.boolean(), fc.constantFrom('', ' ', '\t'))
      .map(([email, upper, padding]) => `${padding}${upper ? email.toUpperCase() : email}${padding}`);
    const personEmail = fc.oneof(spelling, fc.constantFrom<string | null>(null, '', '  '));
    const persons = fc
      .uniqueArray(fc.tuple(fc.integer({ min: 1, max: 50 }), personEmail), { selector: ([id]) => id, maxLength: 12 })
      .map((rows) => rows.map(([id, email]) => person(String(id), email)));
    const users = fc
      .uniqueArray(fc.tuple(fc.integer({ min: 1, max: 50 }), spelling), { selector: ([id]) => id, maxLength: 8 })
      .map((rows) => rows.map(([id, email]) => user(`u${id}`, email)));

    it('puts every person in exactly one bucket and every user in matched or unmatchedAwork exactly once', () => {
      fc.assert(
        fc.property(persons, users, (somePersons, someUsers) => {
          const result = matchPersonsToUsers(somePersons, someUsers);
          expectEachInOneBucket(result, somePersons, someUsers);
          expect([...result.userIdByPersonId]).toEqual(
            result.matched.map((entry) => [entry.personioPersonId, entry.userId]),
          );
          for (const entry of result.matched) {
            const matchedPerson = somePersons.find((p) => p.id === entry.personioPersonId)!;
            expect(normalizeEmail(matchedPerson.email)).toBe(normalizeEmail(entry.email));
          }
        }),
      );
    });

    const links = fc
      .uniqueArray(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 })), {
        selector: ([personId]) => personId,
        maxLength: 6,
      })
      .map((rows) => [...new Map(rows.map(([personId, userId]) => [userId, personId])).entries()])
      .map((rows) => rows.map(([userId, personId]) => ({ personioPersonId: String(personId), userId: `u${userId}` })));

    it('with links: keeps every bucket rule, pairs each live link, and leaves no user matched twice', () => {
      fc.assert(
        fc.property(persons, users, links, (somePersons, someUsers, someLinks) => {
          const result = matchPersonsToUsers(somePersons, someUsers, someLinks);
          expectEachInOneBucket(result, somePersons, someUsers);
          for (const link of someLinks) {
            const live =
              somePersons.some((p) => p.id === link.personioPersonId) && someUsers.some((u) => u.id === link.userId);
            if (live) expect(result.userIdByPersonId.get(link.personioPersonId)).toBe(link.userId);
            else expect(result.staleLinks).toContainEqual(expect.objectContaining(link));
          }
        }),
      );
    });

    it('does not depend on the input order', () => {
      fc.assert(
        fc.property(
          persons.chain((somePersons) =>
            fc.tuple(fc.constant(somePersons), fc.shuffledSubarray(somePersons, { minLength: somePersons.length })),
          ),
          users.chain((someUsers) =>
            fc.tuple(fc.constant(someUsers), fc.shuffledSubarray(someUsers, { minLength: someUsers.length })),
          ),
          ([somePersons, shuffledPersons], [someUsers, shuffledUsers]) => {
            expect(matchPersonsToUsers(shuffledPersons, shuffledUsers)).toEqual(
              matchPersonsToUsers(somePersons, someUsers),
            );
          },
        ),
      );
    });
  });
});
