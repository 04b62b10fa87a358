import { absencePeriodChangeEvents, personChangeEvents, webhookEnvelope } from './webhook-events';
import { SimAbsencePeriod, SimPerson } from './simulator.types';

const period: SimAbsencePeriod = {
  id: 'p-1',
  personId: '1',
  absenceTypeId: 'type-vacation',
  startsFrom: { dateTime: '2026-06-01T00:00:00', type: 'FIRST_HALF' },
  endsAt: { dateTime: '2026-06-03T00:00:00', type: 'SECOND_HALF' },
  timezoneId: 'Europe/Berlin',
  comment: null,
  approvalStatus: 'PENDING',
  createdAt: '2026-01-01T08:00:00Z',
  updatedAt: '2026-01-01T08:00:00Z',
};

const person: SimPerson = {
  id: '1',
  email: 'one@example.com',
  firstName: 'One',
  lastName: 'Person',
  preferredName: null,
  status: 'ACTIVE',
  createdAt: '2026-01-01T08:00:00Z',
  updatedAt: '2026-01-01T08:00:00Z',
};

describe('absencePeriodChangeEvents', () => {
  it.each<[string, SimAbsencePeriod | undefined, SimAbsencePeriod | undefined, string[]]>([
    ['a new period', undefined, period, ['absence-period.created']],
    ['a removed period', period, undefined, ['absence-period.deleted']],
    [
      'a moved start',
      period,
      { ...period, startsFrom: { ...period.startsFrom, dateTime: '2026-06-02T00:00:00' } },
      ['absence-period.updated.timerange'],
    ],
    [
      'a half day at the end',
      period,
      { ...period, endsAt: { ...period.endsAt!, type: 'FIRST_HALF' } },
      ['absence-period.updated.timerange'],
    ],
    ['an end opened', period, { ...period, endsAt: null }, ['absence-period.updated.timerange']],
    ['an approval', period, { ...period, approvalStatus: 'APPROVED' }, ['absence-period.updated.status']],
    [
      'both at once',
      period,
      { ...period, endsAt: null, approvalStatus: 'REJECTED' },
      ['absence-period.updated.timerange', 'absence-period.updated.status'],
    ],
    [
      'a comment and type edit (Personio fires nothing)',
      period,
      { ...period, comment: 'x', absenceTypeId: 'type-sick', updatedAt: '2026-02-01T00:00:00Z' },
      [],
    ],
  ])('%s', (_case, before, after, events) => {
    expect(absencePeriodChangeEvents(before, after)).toEqual(events);
  });
});

describe('personChangeEvents', () => {
  it.each<[string, SimPerson | undefined, SimPerson | undefined, string[]]>([
    ['a new person', undefined, person, ['person.created']],
    ['a removed person', person, undefined, ['person.deleted']],
    ['a new e-mail', person, { ...person, email: 'other@example.com' }, ['person.updated']],
    ['only updatedAt', person, { ...person, updatedAt: '2026-03-01T00:00:00Z' }, []],
  ])('%s', (_case, before, after, events) => {
    expect(personChangeEvents(before, after)).toEqual(events);
  });
});

describe('webhookEnvelope', () => {
  it('carries ids only, under the documented payload keys', () => {
    expect(webhookEnvelope('c-1', 'absence-period.deleted', 'p-1', '2026-06-01T08:00:00.000Z')).toEqual({
      company_id: 'c-1',
      event_name: 'absence-period.deleted',
      occurred_at: '2026-06-01T08:00:00.000Z',
      payload: { 'absence-period': { id: 'p-1' } },
      meta: {},
    });
    expect(webhookEnvelope('c-1', 'person.updated', '7', 'x').payload).toEqual({ person: { id: '7' } });
  });
});
