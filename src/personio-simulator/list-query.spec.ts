import {
  decodeCursor,
  encodeCursor,
  InvalidQueryError,
  normalizeLocalDateTime,
  overlapMatcher,
  parseAbsencePeriodsQuery,
  parsePersonsQuery,
} from './list-query';
import { SimAbsencePeriod } from './simulator.types';

function period(start: string, end: string | null): SimAbsencePeriod {
  return {
    id: 'x',
    personId: '1',
    absenceTypeId: 't',
    startsFrom: { dateTime: start, type: 'FIRST_HALF' },
    endsAt: end === null ? null : { dateTime: end, type: 'SECOND_HALF' },
    timezoneId: 'Europe/Berlin',
    comment: null,
    approvalStatus: 'APPROVED',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

describe('overlapMatcher for the window 2026-06-10T00:00:00 .. 2026-06-20T23:59:59', () => {
  const matches = overlapMatcher(['2026-06-10T00:00:00'], ['2026-06-20T23:59:59']);

  it.each([
    ['starts before, ends inside', '2026-06-05T00:00:00', '2026-06-12T00:00:00', true],
    ['starts inside, ends after', '2026-06-18T00:00:00', '2026-06-25T00:00:00', true],
    ['encloses the window', '2026-06-01T00:00:00', '2026-06-30T00:00:00', true],
    ['inside', '2026-06-12T09:00:00', '2026-06-12T11:30:00', true],
    ['open-ended, started before', '2026-01-01T00:00:00', null, true],
    ['open-ended, starts after', '2026-06-21T00:00:00', null, false],
    ['ends before', '2026-06-01T00:00:00', '2026-06-09T23:59:59', false],
    ['starts after', '2026-06-21T00:00:00', '2026-06-22T00:00:00', false],
    ['ends exactly at the window start (inclusive bound)', '2026-06-09T00:00:00', '2026-06-10T00:00:00', true],
  ])('%s → %s', (_case, start, end, expected) => {
    expect(matches(period(start, end))).toBe(expected);
  });

  it('combines several bounds on one side to the tightest', () => {
    const tight = overlapMatcher(['2026-06-01T00:00:00', '2026-06-10T00:00:00'], [null]);

    expect(tight(period('2026-06-01T00:00:00', '2026-06-05T00:00:00'))).toBe(false);
  });
});

describe('query parsing', () => {
  it('reads comma lists and rejects unknown parameters, offsets and bad limits', () => {
    const query = parseAbsencePeriodsQuery(new URLSearchParams('person.id=1,2&limit=5'));

    expect(query.limit).toBe(5);
    expect(query.matches(period('2026-01-01T00:00:00', null))).toBe(true);
    expect(() =>
      parseAbsencePeriodsQuery(new URLSearchParams('ends_at.date_time.gte=2026-06-01T00:00:00+02:00')),
    ).toThrow(InvalidQueryError);
    expect(() => parseAbsencePeriodsQuery(new URLSearchParams('person_id=1'))).toThrow(InvalidQueryError);
    expect(() => parsePersonsQuery(new URLSearchParams('limit=51'))).toThrow(InvalidQueryError);
    expect(() => parsePersonsQuery(new URLSearchParams('id=1,,2'))).toThrow(InvalidQueryError);
  });

  it('normalizes local date-times to seconds precision', () => {
    expect(normalizeLocalDateTime('2026-06-01')).toBe('2026-06-01T00:00:00');
    expect(normalizeLocalDateTime('2026-06-01T09:30')).toBe('2026-06-01T09:30:00');
    expect(normalizeLocalDateTime('2026-06-01T09:30:15.123')).toBe('2026-06-01T09:30:15');
  });

  it('round-trips an opaque cursor', () => {
    expect(decodeCursor(encodeCursor({ afterId: '1007', page: 3 }))).toEqual({ afterId: '1007', page: 3 });
    expect(() => decodeCursor('nonsense')).toThrow(InvalidQueryError);
  });
});
