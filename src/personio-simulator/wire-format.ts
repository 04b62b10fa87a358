import { randomUUID } from 'node:crypto';
import { SimAbsencePeriod, SimAbsenceType, SimPerson } from './simulator.types';

// Personio v2 JSON shapes, produced from the simulator's records.

export function personToWire(person: SimPerson, baseUrl: string): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: person.id,
    first_name: person.firstName,
    last_name: person.lastName,
    preferred_name: person.preferredName,
    status: person.status,
    created_at: person.createdAt,
    updated_at: person.updatedAt,
    employments: [{ id: `emp-${person.id}` }],
    custom_attributes: [],
    _meta: { links: { self: { href: `${baseUrl}/v2/persons/${person.id}` } } },
  };
  // A person without a readable e-mail has no key at all, or an explicit null.
  if (person.email !== undefined) wire.email = person.email;
  return wire;
}

export function absenceTypeToWire(type: SimAbsenceType): Record<string, unknown> {
  return { id: type.id, name: type.name, category: type.category, unit: type.unit };
}

export function absencePeriodToWire(period: SimAbsencePeriod, baseUrl: string): Record<string, unknown> {
  return {
    id: period.id,
    person: { id: period.personId },
    absence_type: { id: period.absenceTypeId },
    starts_from: { date_time: period.startsFrom.dateTime, type: period.startsFrom.type },
    ends_at: period.endsAt === null ? null : { date_time: period.endsAt.dateTime, type: period.endsAt.type },
    timezone_id: period.timezoneId,
    comment: period.comment,
    approval: { status: period.approvalStatus },
    created_at: period.createdAt,
    updated_at: period.updatedAt,
    _meta: { links: { self: { href: `${baseUrl}/v2/absence-periods/${period.id}` } } },
    ...period.wire,
  };
}

export const PROBLEM_TYPES = {
  invalidParameters: 'https://developer.personio.de/reference/errors#common.invalid_parameters',
  unauthorized: 'https://developer.personio.de/reference/errors#common.unauthorized',
  forbidden: 'https://developer.personio.de/reference/errors#common.forbidden',
  notFound: 'https://developer.personio.de/reference/errors#common.resource_not_found',
  requestedResourceNotFound: 'https://developer.personio.de/reference/errors#common.requested_resource_not_found',
  rateLimited: 'https://developer.personio.de/reference/errors#common.too_many_requests',
  serverError: 'https://developer.personio.de/reference/errors#common.internal_server_error',
} as const;

export function resourceProblem(title: string, detail: string, type: string, path: string): Record<string, unknown> {
  return {
    personio_trace_id: randomUUID(),
    timestamp: new Date().toISOString(),
    errors: [{ title, detail, type, _meta: { path } }],
  };
}

export function oauthProblem(
  error: string,
  description: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    error,
    error_description: description,
    error_uri: 'https://developer.personio.de/reference/post_v2-auth-token',
    timestamp: new Date().toISOString(),
    trace_id: randomUUID(),
    ...extra,
  };
}

export function problemForStatus(status: number, path: string): Record<string, unknown> {
  if (status === 404)
    return resourceProblem(
      'Resource not found',
      'There is no resource for the specified id.',
      PROBLEM_TYPES.notFound,
      path,
    );
  if (status === 429)
    return resourceProblem(
      'Too many requests',
      'Rate limit exceeded, try again later.',
      PROBLEM_TYPES.rateLimited,
      path,
    );
  if (status === 401)
    return resourceProblem('Unauthorized Request', 'The request is not authorized.', PROBLEM_TYPES.unauthorized, path);
  if (status === 400)
    return resourceProblem(
      'Provided request parameters are invalid.',
      'Bad request.',
      PROBLEM_TYPES.invalidParameters,
      path,
    );
  return resourceProblem('Internal server error', `The server answered ${status}.`, PROBLEM_TYPES.serverError, path);
}
