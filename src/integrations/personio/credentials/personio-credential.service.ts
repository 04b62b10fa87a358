import { Injectable } from '@nestjs/common';
import { PersonioCredentials } from '../client/personio-api.types';
import { PersonioIntegration } from '../personio-integration.entity';
import { SecretCipher } from './secret-cipher';

/** The only place a Personio client secret exists in clear, and only for as long as a call needs it. */
@Injectable()
export class PersonioCredentialService {
  constructor(private readonly cipher: SecretCipher) {}

  seal(workspaceId: string, clientSecret: string): string {
    return this.cipher.encrypt(clientSecret, workspaceId);
  }

  credentialsOf(
    integration: Pick<PersonioIntegration, 'workspaceId' | 'clientId' | 'clientSecretEncrypted'>,
  ): PersonioCredentials {
    return {
      clientId: integration.clientId,
      clientSecret: this.cipher.decrypt(integration.clientSecretEncrypted, integration.workspaceId),
    };
  }
}
