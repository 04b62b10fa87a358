import { parseWebhookEnvelope } from './webhook-envelope';

const envelope = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    company_id: 'c-1',
    event_name: 'absence-period.created',
    occurred_at: '2026-07-21T10:00:00Z',
    payload: { 'absence-period': { id: 'p-1' } },
    meta: {},
    ...overrides,
  });

describe('parseWebhookEnvelope', () => {
  it.each([
    ['the documented spelling', { 'absence-period': { id: 'p-1' } }],
    ['the spelling the live API sends', { absence_period: { id: 'p-1' } }],
  ])('reads the absence id from %s', (_name, payload) => {
    expect(parseWebhookEnvelope(envelope({ payload }))).toEqual({
      kind: 'event',
      event: { eventName: 'absence-period.created', resourceId: 'p-1', occurredAt: '2026-07-21T10:00:00Z' },
    });
  });

  it('keeps occurred_at exactly as received, so a repeated delivery deduplicates', () => {
    const parsed = parseWebhookEnvelope(envelope({ occurred_at: '2026-07-21T10:00:00.123+02:00' }));
    expect(parsed).toMatchObject({ event: { occurredAt: '2026-07-21T10:00:00.123+02:00' } });
  });

  it('takes a person id when there is one, and none otherwise', () => {
    expect(
      parseWebhookEnvelope(envelope({ event_name: 'person.updated', payload: { person: { id: 42 } } })),
    ).toMatchObject({
      event: { eventName: 'person.updated', resourceId: '42' },
    });
    expect(parseWebhookEnvelope(envelope({ event_name: 'person.deleted', payload: {} }))).toMatchObject({
      event: { resourceId: '' },
    });
  });

  it('acknowledges and ignores events it did not subscribe to', () => {
    expect(parseWebhookEnvelope(envelope({ event_name: 'employment.updated', payload: {} }))).toEqual({
      kind: 'ignored',
    });
  });

  it.each([
    ['not JSON', 'not json {'],
    ['an array', '[]'],
    ['no payload', envelope({ payload: undefined })],
    ['no company_id', envelope({ company_id: undefined })],
    ['an empty event name', envelope({ event_name: '' })],
    ['no occurred_at', envelope({ occurred_at: null })],
    ['an absence event without an id', envelope({ payload: { 'absence-period': {} } })],
    ['an id over 200 characters', envelope({ payload: { 'absence-period': { id: 'x'.repeat(201) } } })],
    ['deep nesting', `{"a":${'['.repeat(40)}${']'.repeat(40)}}`],
  ])('refuses %s', (_name, text) => {
    expect(parseWebhookEnvelope(text)).toMatchObject({ kind: 'invalid' });
  });
});
