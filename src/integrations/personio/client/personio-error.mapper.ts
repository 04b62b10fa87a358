import { PersonioError, PersonioErrorKind } from './personio-error';

/** What went wrong on the wire, stripped of everything but what the mapping needs. */
export type PersonioFailure =
  { type: 'http'; status: number; body: unknown } | { type: 'transport'; code: string | undefined };

export interface TokenFailureContext {
  attempts: number;
}

export interface ResourceFailureContext {
  endpoint: string;
  page: number;
  attempts: number;
  /** The scope the endpoint needs, named in permission errors. */
  requiredScope: string;
  /** A listing (true) stops at a page; a single probe call (verifyCredentials) does not. */
  listing: boolean;
}

const REJECTED_CLIENT_ERRORS = new Set(['invalid_client', 'unauthorized_client']);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);
const RETRYABLE_TRANSPORT_CODES = new Set([
  ...TIMEOUT_CODES,
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export function isRetryableTokenFailure(failure: PersonioFailure): boolean {
  if (failure.type === 'transport') return RETRYABLE_TRANSPORT_CODES.has(failure.code ?? '');
  return failure.status === 408 || failure.status === 429 || failure.status >= 500;
}

/** Personio serves sporadic 404s on list endpoints, so a 404 there is retried like a 5xx. */
export function isRetryableResourceFailure(failure: PersonioFailure): boolean {
  if (failure.type === 'http' && failure.status === 404) return true;
  return isRetryableTokenFailure(failure);
}

/**
 * Creating a subscription is not idempotent: after a timeout, a reset or a 5xx Personio may have
 * created it, and a retry would leave a second one sending every event twice. Only failures that
 * prove nothing was created are retried (429, or no connection at all); the caller tries again later.
 */
export function isRetryableCreateFailure(failure: PersonioFailure): boolean {
  if (failure.type === 'http') return failure.status === 429;
  const code = failure.code ?? '';
  return UNREACHABLE_CODES.has(code) && RETRYABLE_TRANSPORT_CODES.has(code);
}

export function mapTokenFailure(failure: PersonioFailure, context: TokenFailureContext): PersonioError {
  if (failure.type === 'transport') return mapTransportFailure(failure.code, 'the token request', context.attempts);
  const { status } = failure;
  const oauthError = oauthErrorCode(failure.body);
  if (
    (status === 400 || status === 401) &&
    (oauthError === null ? status === 401 : REJECTED_CLIENT_ERRORS.has(oauthError))
  ) {
    return new PersonioError(
      PersonioErrorKind.CredentialsRejected,
      `Personio rejected the client ID or secret (${oauthError ?? `HTTP ${status}`})`,
      status,
    );
  }
  if (status === 429 || status >= 500 || status === 408) {
    return new PersonioError(
      PersonioErrorKind.Temporary,
      `Personio token endpoint failed: HTTP ${status} after ${attemptsText(context.attempts)}`,
      status,
    );
  }
  if (status === 400) {
    const missing = missingParameters(failure.body);
    const detail = [oauthError ?? 'bad request', missing.length ? `missing ${missing.join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    return new PersonioError(PersonioErrorKind.Unknown, `Personio refused the token request (${detail})`, status);
  }
  return new PersonioError(
    PersonioErrorKind.Unknown,
    `Personio token endpoint answered unexpected HTTP ${status}`,
    status,
  );
}

export function mapResourceFailure(failure: PersonioFailure, context: ResourceFailureContext): PersonioError {
  const where = context.listing
    ? `listing ${context.endpoint} stopped at page ${context.page}`
    : `Personio call ${context.endpoint} failed`;
  if (failure.type === 'transport') return mapTransportFailure(failure.code, where, context.attempts);
  const { status } = failure;
  if (status === 401 || status === 403) {
    return new PersonioError(
      PersonioErrorKind.InsufficientPermissions,
      `Personio refused ${context.endpoint} (HTTP ${status}): the credential needs the permission ${context.requiredScope}`,
      status,
    );
  }
  if (status === 404 || status >= 500) {
    const kind = context.listing ? PersonioErrorKind.IncompleteListing : PersonioErrorKind.Temporary;
    return new PersonioError(kind, `${where}: HTTP ${status} after ${attemptsText(context.attempts)}`, status);
  }
  if (status === 429 || status === 408) {
    return new PersonioError(
      PersonioErrorKind.Temporary,
      `${where}: HTTP ${status} (rate limited) after ${attemptsText(context.attempts)}`,
      status,
    );
  }
  const problem = problemSummary(failure.body);
  return new PersonioError(
    PersonioErrorKind.Unknown,
    `${where}: HTTP ${status}${problem ? ` ${problem}` : ''}`,
    status,
  );
}

function mapTransportFailure(code: string | undefined, where: string, attempts: number): PersonioError {
  const name = code ?? 'network error';
  if (UNREACHABLE_CODES.has(code ?? '')) {
    return new PersonioError(
      PersonioErrorKind.Temporary,
      `Personio is unreachable (${name}) during ${where} after ${attemptsText(attempts)}`,
    );
  }
  const what = TIMEOUT_CODES.has(code ?? '') ? `timed out (${name})` : `connection failed (${name})`;
  return new PersonioError(PersonioErrorKind.Temporary, `${where}: ${what} after ${attemptsText(attempts)}`);
}

function attemptsText(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function oauthErrorCode(body: unknown): string | null {
  const error = asRecord(body)?.error;
  return typeof error === 'string' && /^[a-z_]{1,64}$/.test(error) ? error : null;
}

function missingParameters(body: unknown): string[] {
  const missing = asRecord(asRecord(body)?.meta)?.missing_parameters;
  return Array.isArray(missing)
    ? missing.filter((m): m is string => typeof m === 'string' && /^[a-z_]{1,64}$/.test(m))
    : [];
}

/** Title and detail of the first problem+json error, shortened; Personio's own wording, no echo of our request. */
function problemSummary(body: unknown): string {
  const errors = asRecord(body)?.errors;
  const first = Array.isArray(errors) ? asRecord(errors[0]) : null;
  if (!first) return '';
  const text = [first.title, first.detail]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .join(' — ');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
