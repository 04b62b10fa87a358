import {
  BadGatewayException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { PersonioError, PersonioErrorKind } from '../client/personio-error';
import { StoredCredentialsUnreadableError } from '../credentials/personio-credential.service';

export function notConnected(): NotFoundException {
  return new NotFoundException('Personio is not connected for this workspace');
}

/** Runs a live call to Personio for an admin's request, answering its failures as HTTP errors. */
export async function callPersonio<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PersonioError) throw toHttpException(error);
    if (error instanceof StoredCredentialsUnreadableError) throw new ServiceUnavailableException(error.message);
    throw error;
  }
}

/** How a Personio failure during an admin's request is answered (the sync records errors instead). */
export function toHttpException(error: PersonioError): HttpException {
  switch (error.kind) {
    case PersonioErrorKind.CredentialsRejected:
      return new UnprocessableEntityException(
        'Personio rejected the client ID or client secret: check both in Personio (Settings → Integrations → API credentials)',
      );
    case PersonioErrorKind.InsufficientPermissions:
      return new UnprocessableEntityException(`Personio accepted the credentials but refused access: ${error.message}`);
    case PersonioErrorKind.Temporary:
      return new ServiceUnavailableException(
        `Personio is unreachable or unavailable right now (${error.message}); nothing was saved, please try again`,
      );
    default:
      return new BadGatewayException(`Personio answered unexpectedly (${error.message}); nothing was saved`);
  }
}
