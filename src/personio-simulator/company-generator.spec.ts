import { generateCompany } from './company-generator';

describe('generateCompany', () => {
  const options = {
    seed: 123,
    persons: 200,
    absencesPerPerson: 10,
    window: { start: '2026-01-01', end: '2026-12-31' },
  };
  const company = generateCompany(options);

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateCompany(options)).toEqual(company);
    expect(generateCompany({ ...options, seed: 124 }).absencePeriods[0].id).not.toBe(company.absencePeriods[0].id);
  });

  it('makes numeric person ids, UUID-like absence ids, all unique', () => {
    expect(company.persons.every((p) => /^\d+$/.test(p.id))).toBe(true);
    expect(
      company.absencePeriods.every((a) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(a.id),
      ),
    ).toBe(true);
    expect(new Set(company.absencePeriods.map((a) => a.id)).size).toBe(2000);
  });

  it('produces the shapes a sync has to handle', () => {
    const types = new Map(company.absenceTypes.map((t) => [t.id, t]));
    const periods = company.absencePeriods;
    const hourly = periods.filter((a) => types.get(a.absenceTypeId)?.unit === 'HOUR');
    const daily = periods.filter((a) => types.get(a.absenceTypeId)?.unit === 'DAY' && a.endsAt !== null);

    expect(hourly.length).toBeGreaterThan(0);
    expect(
      hourly.every(
        (a) =>
          a.endsAt !== null &&
          a.endsAt.dateTime.slice(0, 10) === a.startsFrom.dateTime.slice(0, 10) &&
          a.endsAt.dateTime > a.startsFrom.dateTime,
      ),
    ).toBe(true);
    expect(
      daily.every(
        (a) =>
          a.startsFrom.dateTime.endsWith('T00:00:00') &&
          a.endsAt!.dateTime.endsWith('T00:00:00') &&
          a.endsAt!.dateTime > a.startsFrom.dateTime,
      ),
    ).toBe(true);
    expect(periods.some((a) => a.startsFrom.type === 'SECOND_HALF')).toBe(true);
    expect(periods.some((a) => a.endsAt?.type === 'FIRST_HALF')).toBe(true);
    expect(periods.some((a) => a.endsAt === null)).toBe(true);
    expect(new Set(periods.map((a) => a.approvalStatus))).toEqual(
      new Set(['APPROVED', 'PENDING', 'REJECTED', 'CANCELLED', 'DELETION_PENDING']),
    );
    expect(periods.some((a) => a.comment === '')).toBe(true);
    expect(periods.every((a) => a.startsFrom.dateTime >= '2026-01-01' && a.startsFrom.dateTime < '2027-01-01')).toBe(
      true,
    );
  });

  it('makes messy e-mails: missing, null, odd casing, padded', () => {
    const emails = company.persons.map((p) => p.email);

    expect(company.persons.some((p) => !('email' in p))).toBe(true);
    expect(emails).toContain(null);
    expect(emails.some((e) => typeof e === 'string' && e !== e.toLowerCase())).toBe(true);
    expect(emails.some((e) => typeof e === 'string' && e !== e.trim())).toBe(true);
  });

  it('keeps one person’s absences from overlapping', () => {
    const byPerson = new Map<string, Array<[string, string]>>();
    for (const a of company.absencePeriods) {
      const list = byPerson.get(a.personId) ?? [];
      list.push([a.startsFrom.dateTime, a.endsAt?.dateTime ?? '9999']);
      byPerson.set(a.personId, list);
    }
    for (const list of byPerson.values()) {
      list.sort(([a], [b]) => (a < b ? -1 : 1));
      list.slice(1).forEach(([start], i) => expect(start >= list[i][1]).toBe(true));
    }
  });

  it('spreads totalAbsences over persons', () => {
    expect(
      generateCompany({ seed: 1, persons: 7, totalAbsences: 30, window: options.window }).absencePeriods,
    ).toHaveLength(30);
  });
});
