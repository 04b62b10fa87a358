import { PersonioError, PersonioErrorKind } from '../client/personio-error';
import { StoredCredentialsUnreadableError } from '../credentials/personio-credential.service';

/** What a failed full run makes of the integration: retried on the next tick, or stopped until new credentials. */
export type SyncFailureOutcome = 'failing' | 'needs_reauth';

export function syncFailureOutcome(error: unknown): SyncFailureOutcome {
  return error instanceof PersonioError &&
    (error.kind === PersonioErrorKind.CredentialsRejected || error.kind === PersonioErrorKind.InsufficientPermissions)
    ? 'needs_reauth'
    : 'failing';
}

/** The run's readable error. */
export function describeSyncError(error: unknown): string {
  if (error instanceof PersonioError) return `Personio: ${error.message}`;
  if (error instanceof StoredCredentialsUnreadableError) return error.message;
  return `internal error: ${(error as Error)?.message ?? String(error)}`;
}
