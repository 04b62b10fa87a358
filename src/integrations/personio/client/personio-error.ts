/** The module's own error set for everything that can go wrong talking to Personio. */
export enum PersonioErrorKind {
  /** 400 invalid_client / unauthorized_client on the token endpoint: the client ID or secret is wrong. */
  CredentialsRejected = 'credentials_rejected',
  /** A valid token was refused on a resource (Personio answers 401/403 for a missing scope). */
  InsufficientPermissions = 'insufficient_permissions',
  /** 429, 5xx, timeouts, connection resets, after the retries ran out. */
  Temporary = 'temporary',
  /** A listing stopped before its last page (e.g. persistent 5xx or 404 on page N). */
  IncompleteListing = 'incomplete_listing',
  Unknown = 'unknown',
}

export class PersonioError extends Error {
  constructor(
    readonly kind: PersonioErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PersonioError';
  }
}
