import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { PersonioAbsencePeriod, PersonioHalf } from '../client/personio-api.types';
import {
  AbsenceMappingOptions,
  AWORK_DESCRIPTION_MAX_LENGTH,
  AworkAbsenceFields,
  mapAbsencePeriod,
  UNKNOWN_ABSENCE_TYPE_NAME,
} from './absence-mapping';

const WINDOW_END = '2027-01-17';

function period(
  startsFrom: string,
  endsAt: string | null,
  overrides: { startType?: PersonioHalf; endType?: PersonioHalf; comment?: string | null } = {},
): PersonioAbsencePeriod {
  return {
    id: 'abc6fa09',
    personId: '3003',
    absenceTypeId: 'vacation',
    startsFrom: { dateTime: startsFrom, type: overrides.startType ?? 'FIRST_HALF' },
    endsAt: endsAt === null ? null : { dateTime: endsAt, type: overrides.endType ?? 'SECOND_HALF' },
    timezoneId: 'Europe/Berlin',
    comment: overrides.comment ?? null,
    approvalStatus: 'APPROVED',
    updatedAt: null,
  };
}

function options(overrides: Partial<AbsenceMappingOptions> = {}): AbsenceMappingOptions {
  return { absenceTypeName: 'Paid vacation', hideDetails: false, windowEnd: WINDOW_END, ...overrides };
}

function fields(
  startOn: string,
  endOn: string,
  description: string | null,
  halfDays: { start?: boolean; end?: boolean } = {},
): AworkAbsenceFields {
  return {
    startOn,
    endOn,
    isHalfDayOnStart: halfDays.start ?? false,
    isHalfDayOnEnd: halfDays.end ?? false,
    description,
  };
}

describe('mapAbsencePeriod', () => {
  describe('dates and half days', () => {
    it.each<[string, PersonioAbsencePeriod, AworkAbsenceFields]>([
      [
        'a single day off ends at the next (exclusive) midnight',
        period('2026-06-05T00:00:00', '2026-06-06T00:00:00'),
        fields('2026-06-05', '2026-06-05', 'Paid vacation'),
      ],
      [
        'a multi-day absence ends the day before its exclusive midnight',
        period('2026-06-10T00:00:00', '2026-06-13T00:00:00'),
        fields('2026-06-10', '2026-06-12', 'Paid vacation'),
      ],
      [
        'an exclusive end on the first of a month ends on the last day of the month before',
        period('2028-02-27T00:00:00', '2028-03-01T00:00:00'),
        fields('2028-02-27', '2028-02-29', 'Paid vacation'),
      ],
      [
        'an exclusive end on New Year ends on New Year’s Eve',
        period('2026-12-28T00:00:00', '2027-01-01T00:00:00'),
        fields('2026-12-28', '2026-12-31', 'Paid vacation'),
      ],
      [
        'a non-midnight end keeps its own date',
        period('2026-06-10T00:00:00', '2026-06-12T15:00:00'),
        fields('2026-06-10', '2026-06-12', 'Paid vacation (00:00\u201315:00)'),
      ],
      [
        'SECOND_HALF on the start of a multi-day absence is a half day on start',
        period('2026-06-10T00:00:00', '2026-06-13T00:00:00', { startType: 'SECOND_HALF' }),
        fields('2026-06-10', '2026-06-12', 'Paid vacation', { start: true }),
      ],
      [
        'FIRST_HALF on the end of a multi-day absence is a half day on end',
        period('2026-06-10T00:00:00', '2026-06-13T00:00:00', { endType: 'FIRST_HALF' }),
        fields('2026-06-10', '2026-06-12', 'Paid vacation', { end: true }),
      ],
      [
        'half days on both ends of a multi-day absence',
        period('2026-06-10T00:00:00', '2026-06-13T00:00:00', { startType: 'SECOND_HALF', endType: 'FIRST_HALF' }),
        fields('2026-06-10', '2026-06-12', 'Paid vacation', { start: true, end: true }),
      ],
      [
        'an afternoon off on one day (SECOND_HALF start) is the second half: isHalfDayOnEnd',
        period('2026-06-05T00:00:00', '2026-06-06T00:00:00', { startType: 'SECOND_HALF' }),
        fields('2026-06-05', '2026-06-05', 'Paid vacation', { end: true }),
      ],
      [
        'a morning off on one day (FIRST_HALF end) is the first half: isHalfDayOnStart',
        period('2026-06-05T00:00:00', '2026-06-06T00:00:00', { endType: 'FIRST_HALF' }),
        fields('2026-06-05', '2026-06-05', 'Paid vacation', { start: true }),
      ],
      [
        'a whole single day whose end is midnight of the start day itself is that day',
        period('2026-06-05T00:00:00', '2026-06-05T00:00:00'),
        fields('2026-06-05', '2026-06-05', 'Paid vacation'),
      ],
      [
        'a morning off written with the end on the start day itself (FIRST_HALF/FIRST_HALF)',
        period('2026-06-05T00:00:00', '2026-06-05T00:00:00', { startType: 'FIRST_HALF', endType: 'FIRST_HALF' }),
        fields('2026-06-05', '2026-06-05', 'Paid vacation', { start: true }),
      ],
      [
        'an afternoon off written with the end on the start day itself (SECOND_HALF/SECOND_HALF)',
        period('2026-06-05T00:00:00', '2026-06-05T00:00:00', { startType: 'SECOND_HALF', endType: 'SECOND_HALF' }),
        fields('2026-06-05', '2026-06-05', 'Paid vacation', { end: true }),
      ],
      [
        'an open end lasts until the window end',
        period('2026-06-10T00:00:00', null),
        fields('2026-06-10', WINDOW_END, 'Paid vacation'),
      ],
      [
        'an open end that starts in the afternoon keeps its half day on start',
        period('2026-06-10T00:00:00', null, { startType: 'SECOND_HALF' }),
        fields('2026-06-10', WINDOW_END, 'Paid vacation', { start: true }),
      ],
      [
        'an open end starting on the last window day is one day',
        period(`${WINDOW_END}T00:00:00`, null),
        fields(WINDOW_END, WINDOW_END, 'Paid vacation'),
      ],
      [
        'an open end starting in the afternoon of the last window day is an afternoon: isHalfDayOnEnd',
        period(`${WINDOW_END}T00:00:00`, null, { startType: 'SECOND_HALF' }),
        fields(WINDOW_END, WINDOW_END, 'Paid vacation', { end: true }),
      ],
      [
        'an open end starting at a time reads its half day from that time',
        period('2026-06-10T13:00:00', null),
        fields('2026-06-10', WINDOW_END, 'Paid vacation', { start: true }),
      ],
      [
        'an hour absence ending before midday is a morning: isHalfDayOnStart',
        period('2026-06-05T09:00:00', '2026-06-05T11:30:00'),
        fields('2026-06-05', '2026-06-05', 'Paid vacation (09:00\u201311:30)', { start: true }),
      ],
      [
        'an hour absence ending at midday is a morning: isHalfDayOnStart',
        period('2026-06-05T08:00:00', '2026-06-05T12:00:00'),
        fields('2026-06-05', '2026-06-05', 'Paid vacation (08:00\u201312:00)', { start: true }),
      ],
      [
        'an hour absence starting at midday is an afternoon: isHalfDayOnEnd',
        period('2026-06-05T12:00:00', '2026-06-05T15:00:00'),
        fields('2026-06-05', '2026-06-05', 'Paid vacation (12:00\u201315:00)', { end: true }),
      ],
      [
        'an hour absence starting after midday is an afternoon: isHalfDayOnEnd',
        period('2026-06-05T13:15:00', '2026-06-05T17:45:00'),
        fields('2026-06-05', '2026-06-05', 'Paid vacation (13:15\u201317:45)', { end: true }),
      ],
      [
        'an hour absence across midday is a whole day',
        period('2026-06-05T09:00:00', '2026-06-05T17:00:00'),
        fields('2026-06-05', '2026-06-05', 'Paid vacation (09:00\u201317:00)'),
      ],
      [
        'an hour absence from midnight to the morning is a morning: isHalfDayOnStart',
        period('2026-06-05T00:00:00', '2026-06-05T11:00:00'),
        fields('2026-06-05', '2026-06-05', 'Paid vacation (00:00\u201311:00)', { start: true }),
      ],
      [
        'an hour absence from the afternoon up to the next midnight is an afternoon on its day',
        period('2026-06-05T14:00:00', '2026-06-06T00:00:00'),
        fields('2026-06-05', '2026-06-05', 'Paid vacation (14:00\u201300:00)', { end: true }),
      ],
      [
        'an hour absence crossing midnight spans both days, absent from the evening until the morning',
        period('2026-06-05T22:00:00', '2026-06-06T06:00:00'),
        fields('2026-06-05', '2026-06-06', 'Paid vacation (22:00\u201306:00)', { start: true, end: true }),
      ],
      [
        'the times of an hour absence win over its FIRST_HALF/SECOND_HALF types',
        period('2026-06-05T09:00:00', '2026-06-05T17:00:00', { startType: 'SECOND_HALF', endType: 'FIRST_HALF' }),
        fields('2026-06-05', '2026-06-05', 'Paid vacation (09:00\u201317:00)'),
      ],
      [
        'seconds and fractions are accepted and left out of the description',
        period('2026-06-05T09:00:59.123', '2026-06-05T11:30:00'),
        fields('2026-06-05', '2026-06-05', 'Paid vacation (09:00\u201311:30)', { start: true }),
      ],
      [
        'minutes without seconds are accepted',
        period('2026-06-05T00:00', '2026-06-06T00:00'),
        fields('2026-06-05', '2026-06-05', 'Paid vacation'),
      ],
    ])('%s', (_, input, expected) => {
      expect(mapAbsencePeriod(input, options())).toEqual({ kind: 'mapped', fields: expected });
    });

    it('takes the dates as given and ignores timezone_id (no conversion to the workspace zone)', () => {
      const farEast = { ...period('2026-06-05T00:00:00', '2026-06-06T00:00:00'), timezoneId: 'Pacific/Kiritimati' };
      const farWest = { ...farEast, timezoneId: 'Pacific/Pago_Pago' };
      expect(mapAbsencePeriod(farEast, options())).toEqual(mapAbsencePeriod(farWest, options()));
      expect(mapAbsencePeriod(farEast, options())).toMatchObject({
        fields: { startOn: '2026-06-05', endOn: '2026-06-05' },
      });
    });

    it('reports an open end that starts after the window as not yet in scope', () => {
      expect(mapAbsencePeriod(period('2027-01-18T00:00:00', null), options())).toEqual({ kind: 'starts_after_window' });
    });
  });

  describe('description', () => {
    const day = ['2026-06-05T00:00:00', '2026-06-06T00:00:00'] as const;
    const hours = ['2026-06-05T09:00:00', '2026-06-05T11:30:00'] as const;

    it.each<[string, readonly [string, string], string | null, Partial<AbsenceMappingOptions>, string | null]>([
      ['the type name alone without a comment', day, null, {}, 'Paid vacation'],
      ['the type name and the trimmed comment', day, '  Family trip \n', {}, 'Paid vacation: Family trip'],
      ['no colon for an empty comment', day, '', {}, 'Paid vacation'],
      ['no colon for a blank comment', day, ' \t\n\u00a0 ', {}, 'Paid vacation'],
      ['inner line breaks of a comment are kept', day, 'Trip\nto Rome', {}, 'Paid vacation: Trip\nto Rome'],
      ['an hour absence adds its times', hours, null, {}, 'Paid vacation (09:00\u201311:30)'],
      [
        'an hour absence adds its times before the comment',
        hours,
        ' Dentist ',
        {},
        'Paid vacation (09:00\u201311:30): Dentist',
      ],
      ['a trimmed type name', day, null, { absenceTypeName: '  Sick leave ' }, 'Sick leave'],
      [
        'a neutral name for an unknown type',
        day,
        'Family trip',
        { absenceTypeName: null },
        `${UNKNOWN_ABSENCE_TYPE_NAME}: Family trip`,
      ],
      [
        'a neutral name for a blank type name',
        hours,
        null,
        { absenceTypeName: ' ' },
        `${UNKNOWN_ABSENCE_TYPE_NAME} (09:00\u201311:30)`,
      ],
      ['null when details are hidden', day, 'Family trip', { hideDetails: true }, null],
      ['null for an hour absence when details are hidden', hours, 'Dentist', { hideDetails: true }, null],
    ])('%s', (_, [startsFrom, endsAt], comment, optionOverrides, expected) => {
      const result = mapAbsencePeriod(period(startsFrom, endsAt, { comment }), options(optionOverrides));
      expect(result).toMatchObject({ kind: 'mapped', fields: { description: expected } });
    });

    it('hides details for an open end too', () => {
      const result = mapAbsencePeriod(
        period('2026-06-10T00:00:00', null, { comment: 'Parental leave' }),
        options({ hideDetails: true }),
      );
      expect(result).toMatchObject({ fields: { description: null } });
    });

    it(`caps a long description at ${AWORK_DESCRIPTION_MAX_LENGTH} characters with an ellipsis`, () => {
      const result = mapAbsencePeriod(period(...day, { comment: 'x'.repeat(5000) }), options());
      const description = (result as { fields: AworkAbsenceFields }).fields.description!;
      expect(AWORK_DESCRIPTION_MAX_LENGTH).toBe(1000);
      expect(description).toHaveLength(AWORK_DESCRIPTION_MAX_LENGTH);
      expect(description.startsWith('Paid vacation: xxx')).toBe(true);
      expect(description.endsWith('x\u2026')).toBe(true);
    });

    it('removes NUL characters from the comment and the type name (PostgreSQL cannot store them)', () => {
      const withNul = period('2026-06-05T00:00:00', '2026-06-06T00:00:00', { comment: 'Fam\u0000ily\u0000' });
      expect(mapAbsencePeriod(withNul, options({ absenceTypeName: 'Paid\u0000 vacation' }))).toMatchObject({
        fields: { description: 'Paid vacation: Family' },
      });
    });

    it('keeps a description of exactly the limit untouched', () => {
      const comment = 'x'.repeat(AWORK_DESCRIPTION_MAX_LENGTH - 'Paid vacation: '.length);
      const result = mapAbsencePeriod(period(...day, { comment }), options());
      expect(result).toMatchObject({ fields: { description: `Paid vacation: ${comment}` } });
    });

    it('never cuts a surrogate pair in half', () => {
      const comment = '\u{1F3D6}'.repeat(AWORK_DESCRIPTION_MAX_LENGTH);
      const description = (mapAbsencePeriod(period(...day, { comment }), options()) as { fields: AworkAbsenceFields })
        .fields.description!;
      expect(description.length).toBeLessThanOrEqual(AWORK_DESCRIPTION_MAX_LENGTH);
      expect(description).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      expect(description.endsWith('\u{1F3D6}\u2026')).toBe(true);
    });
  });

  describe('bad vendor data', () => {
    it.each([
      ['an end before the start', '2026-06-10T00:00:00', '2026-06-08T00:00:00'],
      ['an hour absence ending when it starts', '2026-06-10T09:00:00', '2026-06-10T09:00:00'],
      ['an hour absence ending before it starts', '2026-06-10T11:00:00', '2026-06-10T09:00:00'],
    ])('%s is invalid (end_not_after_start)', (_, startsFrom, endsAt) => {
      expect(mapAbsencePeriod(period(startsFrom, endsAt), options())).toMatchObject({
        kind: 'invalid',
        reason: 'end_not_after_start',
      });
    });

    it.each([
      ['a date without a time', '2026-06-10'],
      ['a trailing garbage zone', '2026-06-10T00:00:00UTC'],
      ['an offset without a sign', '2026-06-10T00:00:0002:00'],
      ['a day that does not exist', '2026-02-30T00:00:00'],
      ['the 29th of February outside a leap year', '2027-02-29T00:00:00'],
      ['an hour that does not exist', '2026-06-10T25:00:00'],
      ['a minute that does not exist', '2026-06-10T10:60:00'],
      ['a month that does not exist', '2026-13-01T00:00:00'],
      ['a German date', '10.06.2026 00:00'],
      ['a space instead of T', '2026-06-10 00:00:00'],
      ['an empty string', ''],
    ])('%s is a malformed date-time, at the start or the end', (_, malformedDateTime) => {
      expect(mapAbsencePeriod(period(malformedDateTime, '2026-06-12T00:00:00'), options())).toMatchObject({
        kind: 'invalid',
        reason: 'malformed_date_time',
      });
      expect(mapAbsencePeriod(period('2026-01-01T00:00:00', malformedDateTime), options())).toMatchObject({
        kind: 'invalid',
        reason: 'malformed_date_time',
      });
    });

    it('orders times by their fractions of a second and reads a leap second as :59', () => {
      expect(mapAbsencePeriod(period('2026-06-10T09:00:00', '2026-06-10T09:00:00.5'), options())).toMatchObject({
        kind: 'mapped',
      });
      expect(mapAbsencePeriod(period('2026-06-10T23:59:59', '2026-06-10T23:59:60'), options())).toMatchObject({
        kind: 'invalid',
        reason: 'end_not_after_start',
      });
    });

    it.each([
      ['with the exclusive midnight end', '2026-06-11T00:00:00'],
      ['with the end on its start day', '2026-06-10T00:00:00'],
    ])('one day that starts at midday and ends at midday is empty: invalid (%s)', (_, endsAt) => {
      const empty = period('2026-06-10T00:00:00', endsAt, { startType: 'SECOND_HALF', endType: 'FIRST_HALF' });
      expect(mapAbsencePeriod(empty, options())).toMatchObject({ kind: 'invalid', reason: 'empty_single_day' });
    });

    it('checks the start of an open end too', () => {
      expect(mapAbsencePeriod(period('2026-06-10 00:00:00', null), options())).toMatchObject({
        kind: 'invalid',
        reason: 'malformed_date_time',
      });
    });
  });

  describe('date-times as clients of the live API see them', () => {
    const plain = period('2026-04-03T00:00:00', '2026-04-04T00:00:00', { endType: 'FIRST_HALF' });
    it.each([
      ['a trailing Z', 'Z'],
      ['a lower-case z', 'z'],
      ['Z with milliseconds', '.000Z'],
      ['an offset east of UTC', '+02:00'],
      ['an offset west of UTC', '-05:00'],
      ['an offset without a colon', '+0200'],
      ['fractional seconds', '.000000'],
      ['fractional seconds and an offset', '.0+14:00'],
    ])('%s is read by its wall-clock part, never converted', (_, suffix) => {
      const variant = period(`2026-04-03T00:00:00${suffix}`, `2026-04-04T00:00:00${suffix}`, { endType: 'FIRST_HALF' });
      expect(mapAbsencePeriod(variant, options())).toEqual(mapAbsencePeriod(plain, options()));
      expect(mapAbsencePeriod(variant, options())).toMatchObject({
        kind: 'mapped',
        fields: { startOn: '2026-04-03', endOn: '2026-04-03', isHalfDayOnStart: true, isHalfDayOnEnd: false },
      });
    });

    it('reads an hour absence with offsets by its wall-clock times', () => {
      expect(mapAbsencePeriod(period('2026-06-05T09:00:00+02:00', '2026-06-05T11:30:00.000Z'), options())).toEqual(
        mapAbsencePeriod(period('2026-06-05T09:00:00', '2026-06-05T11:30:00'), options()),
      );
    });

    it('a Z-suffixed multi-day span keeps its dates (no shift through UTC)', () => {
      const result = mapAbsencePeriod(period('2026-06-10T00:00:00Z', '2026-06-13T00:00:00+02:00'), options());
      expect(result).toEqual({ kind: 'mapped', fields: fields('2026-06-10', '2026-06-12', 'Paid vacation') });
    });
  });

  describe('properties', () => {
    const someDay = fc
      .integer({ min: 0, max: 3 * 366 })
      .map((n) => Temporal.PlainDate.from('2026-01-01').add({ days: n }));

    it('a whole-day absence of n days starting on d maps to d .. d + n − 1', () => {
      fc.assert(
        fc.property(someDay, fc.integer({ min: 1, max: 400 }), (firstDay, days) => {
          const exclusiveEnd = firstDay.add({ days });
          const result = mapAbsencePeriod(period(`${firstDay}T00:00:00`, `${exclusiveEnd}T00:00:00`), options());
          expect(result).toMatchObject({
            kind: 'mapped',
            fields: { startOn: firstDay.toString(), endOn: firstDay.add({ days: days - 1 }).toString() },
          });
        }),
      );
    });

    it('any valid span maps to its start date and a last day no earlier than it', () => {
      const someDateTime = fc
        .tuple(someDay, fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
        .map(([date, hour, minute]) => date.toPlainDateTime({ hour, minute }));
      fc.assert(
        fc.property(someDateTime, someDateTime, (a, b) => {
          fc.pre(Temporal.PlainDateTime.compare(a, b) !== 0);
          const [start, end] = Temporal.PlainDateTime.compare(a, b) < 0 ? [a, b] : [b, a];
          const result = mapAbsencePeriod(period(start.toString(), end.toString()), options());
          if (result.kind !== 'mapped') throw new Error(`expected a mapped absence, got ${result.kind}`);
          expect(result.fields.startOn).toBe(start.toPlainDate().toString());
          expect(result.fields.endOn >= result.fields.startOn).toBe(true);
          expect([end.toPlainDate().toString(), end.toPlainDate().subtract({ days: 1 }).toString()]).toContain(
            result.fields.endOn,
          );
        }),
      );
    });
  });
});
