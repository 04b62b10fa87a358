import {
  SIM_WEBHOOK_EVENTS,
  SimWebhook,
  SimWebhookAuthType,
  SimWebhookEventName,
  SimWebhookStatus,
} from './simulator.types';

/** A subscription body Personio would answer with 400. */
export class InvalidWebhookError extends Error {}

/** What creates a subscription, in-process (camelCase) or from `POST /v2/webhooks` (read by `webhookInputFromWire`). */
export interface SimWebhookInput {
  url: string;
  description?: string | null;
  enabledEvents: readonly string[];
  /** Omitted = DISABLED, as in Personio. */
  status?: SimWebhookStatus;
  /** Omitted = TOKEN when a token is given, else NONE. */
  authType?: SimWebhookAuthType;
  token?: string | null;
}

const WIRE_FIELDS: Record<string, keyof SimWebhookInput> = {
  url: 'url',
  description: 'description',
  enabled_events: 'enabledEvents',
  status: 'status',
  auth_type: 'authType',
  token: 'token',
};

/** Reads a Personio JSON body; unknown fields are refused so a misspelt one cannot pass unnoticed. */
export function webhookInputFromWire(body: unknown): Partial<SimWebhookInput> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidWebhookError('the body must be a JSON object');
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    const field = WIRE_FIELDS[name];
    if (!field) throw new InvalidWebhookError(`unknown field "${name}"`);
    input[field] = value;
  }
  return input as Partial<SimWebhookInput>;
}

export function newWebhook(id: string, input: Partial<SimWebhookInput>, nowIso: string): SimWebhook {
  if (input.url === undefined) throw new InvalidWebhookError('url is required');
  if (input.enabledEvents === undefined) throw new InvalidWebhookError('enabled_events is required');
  return validated({
    id,
    url: input.url,
    description: input.description ?? null,
    enabledEvents: input.enabledEvents as SimWebhookEventName[],
    status: input.status ?? 'DISABLED',
    authType: input.authType ?? (input.token ? 'TOKEN' : 'NONE'),
    token: input.token ?? null,
    createdAt: nowIso,
    updatedAt: nowIso,
  });
}

export function patchedWebhook(webhook: SimWebhook, patch: Partial<SimWebhookInput>, nowIso: string): SimWebhook {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  return validated({ ...webhook, ...defined, id: webhook.id, updatedAt: nowIso } as SimWebhook);
}

export function webhookToWire(webhook: SimWebhook, baseUrl: string): Record<string, unknown> {
  return {
    id: webhook.id,
    url: webhook.url,
    description: webhook.description,
    enabled_events: [...webhook.enabledEvents],
    status: webhook.status,
    auth_type: webhook.authType,
    created_at: webhook.createdAt,
    updated_at: webhook.updatedAt,
    _meta: { links: { self: { href: `${baseUrl}/v2/webhooks/${webhook.id}` } } },
  };
}

export function cloneWebhook(webhook: SimWebhook): SimWebhook {
  return { ...webhook, enabledEvents: [...webhook.enabledEvents] };
}

function validated(webhook: SimWebhook): SimWebhook {
  if (typeof webhook.url !== 'string' || !/^https?:\/\//i.test(webhook.url) || !URL.canParse(webhook.url))
    throw new InvalidWebhookError('url must be an absolute http(s) URL');
  if (webhook.description !== null && typeof webhook.description !== 'string')
    throw new InvalidWebhookError('description must be a string');
  const events = webhook.enabledEvents as unknown;
  if (!Array.isArray(events) || events.length === 0)
    throw new InvalidWebhookError('enabled_events must be a non-empty list');
  const unknownEvents = events.filter((event) => !(SIM_WEBHOOK_EVENTS as readonly unknown[]).includes(event));
  if (unknownEvents.length > 0)
    throw new InvalidWebhookError(`unknown event(s) in enabled_events: ${unknownEvents.map(String).join(', ')}`);
  if (webhook.status !== 'ENABLED' && webhook.status !== 'DISABLED')
    throw new InvalidWebhookError('status must be ENABLED or DISABLED');
  if (webhook.authType !== 'TOKEN' && webhook.authType !== 'NONE')
    throw new InvalidWebhookError('auth_type must be TOKEN or NONE');
  if (webhook.token !== null && (typeof webhook.token !== 'string' || webhook.token === ''))
    throw new InvalidWebhookError('token must be a non-empty string');
  if (webhook.authType === 'TOKEN' && webhook.token === null)
    throw new InvalidWebhookError('auth_type TOKEN needs a token');
  return { ...webhook, enabledEvents: [...new Set(events as SimWebhookEventName[])] };
}
