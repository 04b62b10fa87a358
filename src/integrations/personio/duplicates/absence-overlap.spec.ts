import fc from 'fast-check';
import { fromDayNumber, toDayNumber } from '../../../common/calendar-days';
import type { ManualAbsence, StoredExternalAbsence } from '../../awork-host.types';
import { AbsenceTime, absencesOverlap, findDuplicates, halfDaySlots } from './absence-overlap';

const whole = (startOn: string, endOn = startOn): AbsenceTime => ({
  startOn,
  endOn,
  isHalfDayOnStart: false,
  isHalfDayOnEnd: false,
});
const morning = (day: string): AbsenceTime => ({ ...whole(day), isHalfDayOnStart: true });
const afternoon = (day: string): AbsenceTime => ({ ...whole(day), isHalfDayOnEnd: true });

function manual(id: string, userId: string, time: AbsenceTime): ManualAbsence {
  return { id, userId, description: null, ...time };
}

function transferred(id: string, userId: string, time: AbsenceTime): StoredExternalAbsence {
  return { id, userId, externalId: `p-${id}`, description: 'Paid vacation', openEnded: false, ...time };
}

describe('halfDaySlots', () => {
  const day = toDayNumber('2026-08-03') * 2;
  it.each<[string, AbsenceTime, { from: number; to: number }]>([
    ['a whole single day', whole('2026-08-03'), { from: day, to: day + 2 }],
    ['a morning (isHalfDayOnStart on one day)', morning('2026-08-03'), { from: day, to: day + 1 }],
    ['an afternoon (isHalfDayOnEnd on one day)', afternoon('2026-08-03'), { from: day + 1, to: day + 2 }],
    ['several whole days', whole('2026-08-03', '2026-08-05'), { from: day, to: day + 6 }],
    [
      'several days starting at midday and ending at midday',
      { ...whole('2026-08-03', '2026-08-05'), isHalfDayOnStart: true, isHalfDayOnEnd: true },
      { from: day + 1, to: day + 5 },
    ],
  ])('%s', (_name, absence, slots) => {
    expect(halfDaySlots(absence)).toEqual(slots);
  });
});

describe('absencesOverlap', () => {
  it.each<[string, AbsenceTime, AbsenceTime, boolean]>([
    ['the same day', whole('2026-08-03'), whole('2026-08-03'), true],
    ['one day inside a week', whole('2026-08-05'), whole('2026-08-03', '2026-08-07'), true],
    ['sharing only the last and first day', whole('2026-08-01', '2026-08-03'), whole('2026-08-03', '2026-08-04'), true],
    ['adjacent days', whole('2026-08-01', '2026-08-02'), whole('2026-08-03'), false],
    ['a morning and an afternoon of one day', morning('2026-08-03'), afternoon('2026-08-03'), false],
    ['a morning and the whole day', morning('2026-08-03'), whole('2026-08-03'), true],
    [
      'a trip ending at midday and an afternoon on that day',
      { ...whole('2026-08-01', '2026-08-03'), isHalfDayOnEnd: true },
      afternoon('2026-08-03'),
      false,
    ],
    [
      'a trip starting at midday and a morning on that day',
      { ...whole('2026-08-03', '2026-08-05'), isHalfDayOnStart: true },
      morning('2026-08-03'),
      false,
    ],
    [
      'a trip starting at midday and an afternoon on that day',
      { ...whole('2026-08-03', '2026-08-05'), isHalfDayOnStart: true },
      afternoon('2026-08-03'),
      true,
    ],
  ])('%s', (_name, a, b, expected) => {
    expect(absencesOverlap(a, b)).toBe(expected);
    expect(absencesOverlap(b, a)).toBe(expected);
  });

  const absenceTime = fc
    .record({
      start: fc.integer({ min: toDayNumber('2026-01-01'), max: toDayNumber('2026-12-31') }),
      length: fc.integer({ min: 0, max: 10 }),
      isHalfDayOnStart: fc.boolean(),
      isHalfDayOnEnd: fc.boolean(),
    })
    .filter((a) => !(a.length === 0 && a.isHalfDayOnStart && a.isHalfDayOnEnd))
    .map((a): AbsenceTime => ({
      startOn: fromDayNumber(a.start),
      endOn: fromDayNumber(a.start + a.length),
      isHalfDayOnStart: a.isHalfDayOnStart,
      isHalfDayOnEnd: a.isHalfDayOnEnd,
    }));

  it('is symmetric, every absence overlaps itself, and an overlap implies a shared calendar day', () => {
    fc.assert(
      fc.property(absenceTime, absenceTime, (a, b) => {
        expect(absencesOverlap(a, b)).toBe(absencesOverlap(b, a));
        expect(absencesOverlap(a, a)).toBe(true);
        const shareADay = a.startOn <= b.endOn && b.startOn <= a.endOn;
        if (absencesOverlap(a, b)) expect(shareADay).toBe(true);
      }),
    );
  });
});

describe('findDuplicates', () => {
  const matched = new Set(['u1']);

  it('pairs a manual absence of a matched user with the earliest transferred one it overlaps', () => {
    const entry = manual('m1', 'u1', whole('2026-08-03', '2026-08-07'));
    const first = transferred('t1', 'u1', whole('2026-08-03'));
    const second = transferred('t2', 'u1', whole('2026-08-06'));
    expect(findDuplicates([{ manual: entry, external: [first, second] }], matched)).toEqual([
      { manual: entry, transferred: first },
    ]);
  });

  it('skips the first candidate when only its calendar day is shared, not the half day', () => {
    const entry = manual('m1', 'u1', afternoon('2026-08-03'));
    const morningOff = transferred('t1', 'u1', morning('2026-08-03'));
    const wholeDay = transferred('t2', 'u1', whole('2026-08-03'));
    expect(findDuplicates([{ manual: entry, external: [morningOff, wholeDay] }], matched)).toEqual([
      { manual: entry, transferred: wholeDay },
    ]);
  });

  it('leaves out unmatched users, half-day neighbours and another user’s absences', () => {
    expect(
      findDuplicates(
        [
          { manual: manual('m1', 'u2', whole('2026-08-03')), external: [transferred('t1', 'u2', whole('2026-08-03'))] },
          {
            manual: manual('m2', 'u1', morning('2026-08-04')),
            external: [transferred('t2', 'u1', afternoon('2026-08-04'))],
          },
          { manual: manual('m3', 'u1', whole('2026-08-05')), external: [transferred('t3', 'u9', whole('2026-08-05'))] },
        ],
        matched,
      ),
    ).toEqual([]);
  });
});
