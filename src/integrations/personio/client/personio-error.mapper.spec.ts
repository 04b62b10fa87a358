import { PersonioErrorKind } from './personio-error';
import {
  isRetryableCreateFailure,
  isRetryableResourceFailure,
  isRetryableTokenFailure,
  mapResourceFailure,
  mapTokenFailure,
  PersonioFailure,
} from './personio-error.mapper';

const http = (status: number, body: unknown = {}): PersonioFailure => ({ type: 'http', status, body });
const transport = (code: string | undefined): PersonioFailure => ({ type: 'transport', code });
const page3 = {
  endpoint: '/v2/absence-periods',
  page: 3,
  attempts: 5,
  requiredScope: 'personio:absences:read',
  listing: true,
};

describe('mapTokenFailure', () => {
  it.each([
    [
      http(400, { error: 'invalid_client', error_description: 'Client authentication failed' }),
      PersonioErrorKind.CredentialsRejected,
    ],
    [http(400, { error: 'unauthorized_client' }), PersonioErrorKind.CredentialsRejected],
    [http(401, 'not json'), PersonioErrorKind.CredentialsRejected],
    [
      http(400, { error: 'invalid_request', meta: { missing_parameters: ['client_secret'] } }),
      PersonioErrorKind.Unknown,
    ],
    [http(429), PersonioErrorKind.Temporary],
    [http(503), PersonioErrorKind.Temporary],
    [http(404), PersonioErrorKind.Unknown],
    [transport('ECONNREFUSED'), PersonioErrorKind.Temporary],
    [transport('ETIMEDOUT'), PersonioErrorKind.Temporary],
    [transport(undefined), PersonioErrorKind.Temporary],
  ])('maps %j to %s', (failure, kind) => {
    expect(mapTokenFailure(failure, { attempts: 5 }).kind).toBe(kind);
  });

  it('names the OAuth error code and the missing parameters, never the description Personio sent', () => {
    const error = mapTokenFailure(
      http(400, {
        error: 'invalid_request',
        error_description: 'client_secret=hunter2 is wrong',
        meta: { missing_parameters: ['grant_type'] },
      }),
      { attempts: 1 },
    );

    expect(error.message).toBe('Personio refused the token request (invalid_request; missing grant_type)');
  });

  it('says Personio is unreachable when the connection is refused', () => {
    expect(mapTokenFailure(transport('ECONNREFUSED'), { attempts: 3 }).message).toBe(
      'Personio is unreachable (ECONNREFUSED) during the token request after 3 attempts',
    );
  });
});

describe('mapResourceFailure', () => {
  it.each([
    [http(401), PersonioErrorKind.InsufficientPermissions],
    [http(403), PersonioErrorKind.InsufficientPermissions],
    [http(404), PersonioErrorKind.IncompleteListing],
    [http(500), PersonioErrorKind.IncompleteListing],
    [http(502), PersonioErrorKind.IncompleteListing],
    [http(429), PersonioErrorKind.Temporary],
    [http(400, { errors: [{ title: 'Provided request parameters are invalid.' }] }), PersonioErrorKind.Unknown],
    [transport('ECONNRESET'), PersonioErrorKind.Temporary],
    [transport('ECONNABORTED'), PersonioErrorKind.Temporary],
  ])('maps %j on a listing to %s', (failure, kind) => {
    expect(mapResourceFailure(failure, page3).kind).toBe(kind);
  });

  it('says where a listing stopped', () => {
    expect(mapResourceFailure(http(500), page3).message).toBe(
      'listing /v2/absence-periods stopped at page 3: HTTP 500 after 5 attempts',
    );
    expect(mapResourceFailure(transport('ETIMEDOUT'), page3).message).toBe(
      'listing /v2/absence-periods stopped at page 3: timed out (ETIMEDOUT) after 5 attempts',
    );
  });

  it('names the permission a refused credential lacks', () => {
    expect(
      mapResourceFailure(http(401), { ...page3, endpoint: '/v2/persons', requiredScope: 'personio:persons:read' })
        .message,
    ).toBe('Personio refused /v2/persons (HTTP 401): the credential needs the permission personio:persons:read');
  });

  it('reports a failed single probe as temporary rather than as an incomplete listing', () => {
    expect(mapResourceFailure(http(502), { ...page3, page: 1, listing: false })).toMatchObject({
      kind: PersonioErrorKind.Temporary,
      message: 'Personio call /v2/absence-periods failed: HTTP 502 after 5 attempts',
    });
  });

  it('quotes the problem title and detail of an unexpected status', () => {
    const body = {
      errors: [{ title: 'Provided request parameters are invalid.', detail: 'limit must be between 1 and 100' }],
    };

    expect(mapResourceFailure(http(400, body), page3).message).toBe(
      'listing /v2/absence-periods stopped at page 3: HTTP 400 Provided request parameters are invalid. — limit must be between 1 and 100',
    );
  });
});

describe('retryable failures', () => {
  it.each([
    [http(429), true, true, true],
    [http(500), true, true, false],
    [http(503), true, true, false],
    [http(404), false, true, false],
    [http(400), false, false, false],
    [http(401), false, false, false],
    [transport('ECONNRESET'), true, true, false],
    [transport('ETIMEDOUT'), true, true, false],
    [transport('ECONNREFUSED'), true, true, true],
    [transport('ENOTFOUND'), false, false, false],
    [transport('ERR_BAD_REQUEST'), false, false, false],
  ])('%j: token %s, resource %s, creating a webhook %s', (failure, token, resource, create) => {
    expect(isRetryableTokenFailure(failure)).toBe(token);
    expect(isRetryableResourceFailure(failure)).toBe(resource);
    expect(isRetryableCreateFailure(failure)).toBe(create);
  });
});
