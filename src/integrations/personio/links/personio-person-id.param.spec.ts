import { isPersonioPersonId } from './personio-person-id.param';

describe('isPersonioPersonId', () => {
  it.each(['3003', '1', 'abc6fa09-d8fe-4de0-be03-f0a1d48df766', 'emp_42.a', 'x'.repeat(128)])('accepts %j', (id) => {
    expect(isPersonioPersonId(id)).toBe(true);
  });

  it.each(['', '-1', '.hidden', 'a/b', 'a b', '3003\u0000', 'x'.repeat(129), 'ü', '..', 42, null])(
    'refuses %j',
    (id) => {
      expect(isPersonioPersonId(id)).toBe(false);
    },
  );
});
