import {
  BadGatewayException,
  HttpException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { PersonioError, PersonioErrorKind } from '../client/personio-error';

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
