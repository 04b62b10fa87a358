import {
  MalformedPersonioItemError,
  toListedAbsencePeriod,
  toPersonioAbsencePeriod,
  toPersonioAbsenceType,
  toPersonioPerson,
  toPersonioWebhook,
} from './personio-response.mapper';

describe('toPersonioPerson', () => {
  it('maps the documented shape', () => {
    expect(
      toPersonioPerson({
        id: '3003',
        email: ' Jen.Doe@Example.com ',
        first_name: 'Jen',
        last_name: 'Doe',
        preferred_name: 'Jen Doe',
        status: 'ACTIVE',
        employments: [],
      }),
    ).toEqual({
      id: '3003',
      email: ' Jen.Doe@Example.com ',
      firstName: 'Jen',
      lastName: 'Doe',
      preferredName: 'Jen Doe',
      status: 'ACTIVE',
    });
  });

  it.each([[{}], [{ email: null }], [{ email: '   ' }], [{ email: 42 }]])(
    'reads a missing or unusable e-mail %j as null',
    (extra) => {
      expect(toPersonioPerson({ id: 1, ...extra }).email).toBeNull();
    },
  );

  it('coerces a numeric id to a string', () => {
    expect(toPersonioPerson({ id: 3003 }).id).toBe('3003');
  });

  it('refuses an item without id', () => {
    expect(() => toPersonioPerson({ email: 'a@b.c' })).toThrow(MalformedPersonioItemError);
  });
});

describe('toPersonioAbsencePeriod', () => {
  const documented = {
    id: 'abc6fa09-d8fe-4de0-be03-f0a1d48df766',
    person: { id: '3003' },
    absence_type: { id: 'f8228cda-5615-4e81-8cba-21fa5e996291' },
    starts_from: { date_time: '2026-06-10T00:00:00', type: 'FIRST_HALF' },
    ends_at: { date_time: '2026-06-13T00:00:00', type: 'SECOND_HALF' },
    timezone_id: 'Europe/Berlin',
    comment: 'Family trip',
    approval: { status: 'APPROVED' },
    created_at: '2026-05-01T09:12:44Z',
    updated_at: '2026-05-02T10:00:00Z',
  };

  it('maps the documented shape without touching the local date-times', () => {
    expect(toPersonioAbsencePeriod(documented)).toEqual({
      id: 'abc6fa09-d8fe-4de0-be03-f0a1d48df766',
      personId: '3003',
      absenceTypeId: 'f8228cda-5615-4e81-8cba-21fa5e996291',
      startsFrom: { dateTime: '2026-06-10T00:00:00', type: 'FIRST_HALF' },
      endsAt: { dateTime: '2026-06-13T00:00:00', type: 'SECOND_HALF' },
      timezoneId: 'Europe/Berlin',
      comment: 'Family trip',
      approvalStatus: 'APPROVED',
      updatedAt: '2026-05-02T10:00:00Z',
    });
  });

  it('keeps an open end as null', () => {
    expect(toPersonioAbsencePeriod({ ...documented, ends_at: null }).endsAt).toBeNull();
  });

  it('keeps an unknown approval status as given', () => {
    expect(
      toPersonioAbsencePeriod({ ...documented, approval: { status: 'SUBSTITUTE_REQUESTED' } }).approvalStatus,
    ).toBe('SUBSTITUTE_REQUESTED');
  });

  it('coerces numeric person ids and defaults unknown half types to whole days', () => {
    const period = toPersonioAbsencePeriod({
      ...documented,
      person: { id: 3003 },
      starts_from: { date_time: '2026-06-10T00:00:00', type: 'MORNING' },
      ends_at: { date_time: '2026-06-11T00:00:00' },
    });

    expect(period.personId).toBe('3003');
    expect(period.startsFrom.type).toBe('FIRST_HALF');
    expect(period.endsAt?.type).toBe('SECOND_HALF');
  });

  it('tolerates a missing absence type, comment and time zone', () => {
    const { absence_type: _type, comment: _comment, timezone_id: _zone, ...rest } = documented;

    expect(toPersonioAbsencePeriod(rest)).toMatchObject({ absenceTypeId: null, comment: null, timezoneId: null });
  });

  it.each([[{ person: undefined }], [{ starts_from: null }], [{ id: '' }]])(
    'refuses an item missing what a sync needs: %j',
    (patch) => {
      expect(() => toPersonioAbsencePeriod({ ...documented, ...patch })).toThrow(MalformedPersonioItemError);
    },
  );
});

describe('toListedAbsencePeriod', () => {
  const valid = {
    id: 'p-1',
    person: { id: '3003' },
    starts_from: { date_time: '2026-06-10T00:00:00Z' },
    ends_at: { date_time: '2026-06-11T00:00:00Z' },
    approval: { status: 'APPROVED' },
  };

  it('reads a valid item like toPersonioAbsencePeriod, a boundary without type as a whole-day one', () => {
    expect(toListedAbsencePeriod(valid)).toMatchObject({
      id: 'p-1',
      startsFrom: { dateTime: '2026-06-10T00:00:00Z', type: 'FIRST_HALF' },
      endsAt: { dateTime: '2026-06-11T00:00:00Z', type: 'SECOND_HALF' },
    });
  });

  it.each<[string, unknown, string | null]>([
    ['no id', { ...valid, id: undefined }, null],
    ['an empty id', { ...valid, id: '' }, null],
    ['a person without id', { ...valid, person: {} }, 'p-1'],
    ['no person', { ...valid, person: null }, 'p-1'],
    ['no starts_from', { ...valid, starts_from: null }, 'p-1'],
    ['not an object', 'p-1', null],
  ])('hands up an item with %s marked malformed instead of throwing', (_, raw, id) => {
    expect(toListedAbsencePeriod(raw)).toEqual({ malformed: true, id, reason: expect.any(String) });
  });

  it.each<[string, unknown]>([
    ['a bare string', '2026-06-11T00:00:00'],
    ['an empty object', {}],
    ['an empty date_time', { date_time: '' }],
    ['a numeric date_time', { date_time: 20260611 }],
  ])('hands up an ends_at that is there but unreadable (%s) as malformed, never as open-ended', (_, endsAt) => {
    expect(toListedAbsencePeriod({ ...valid, ends_at: endsAt })).toEqual({
      malformed: true,
      id: 'p-1',
      reason: expect.stringContaining('ends_at'),
    });
  });

  it.each([[null], [undefined], [{ date_time: null, type: 'SECOND_HALF' }]])(
    'reads ends_at %j as open-ended',
    (endsAt) => {
      expect(toListedAbsencePeriod({ ...valid, ends_at: endsAt })).toMatchObject({ id: 'p-1', endsAt: null });
    },
  );

  it('reads a missing approval status as null (never as a status)', () => {
    expect(toListedAbsencePeriod({ ...valid, approval: undefined })).toMatchObject({ approvalStatus: null });
  });
});

describe('toPersonioAbsenceType', () => {
  it('maps id, name, category (may be null) and unit', () => {
    expect(toPersonioAbsenceType({ id: 'u-1', name: 'Sick leave', category: null, unit: 'DAY' })).toEqual({
      id: 'u-1',
      name: 'Sick leave',
      category: null,
      unit: 'DAY',
    });
  });
});

describe('toPersonioWebhook', () => {
  it('reads the subscription, keeping only string events', () => {
    expect(
      toPersonioWebhook({
        id: 'h-1',
        url: 'https://example.test/h',
        description: 'sync',
        enabled_events: ['person.updated', 7, null],
        status: 'ENABLED',
        auth_type: 'TOKEN',
      }),
    ).toEqual({
      id: 'h-1',
      url: 'https://example.test/h',
      description: 'sync',
      enabledEvents: ['person.updated'],
      status: 'ENABLED',
      authType: 'TOKEN',
    });
  });

  it('refuses a subscription without an id', () => {
    expect(() => toPersonioWebhook({ url: 'https://example.test/h' })).toThrow(MalformedPersonioItemError);
  });
});
