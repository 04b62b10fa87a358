import { Injectable } from '@nestjs/common';
import { PersonioCredentials } from '../client/personio-api.types';
import { PersonioIntegration } from '../personio-integration.entity';
import { SecretCipher, SecretDecryptionError, SecretKeyNotConfiguredError } from './secret-cipher';

/** The stored client secret cannot be decrypted by this instance; says which key is missing and how to fix it. */
export class StoredCredentialsUnreadableError extends Error {
  constructor(readonly keyId: string | undefined) {
    super(
      keyId
        ? `The stored Personio client secret is encrypted under credentials key ${keyId}, which is not configured on this instance: add that key to CREDENTIALS_PREVIOUS_KEYS, or save the Personio credentials again (PUT /api/v1/integrations/personio)`
        : 'The stored Personio client secret cannot be decrypted with the configured credentials keys: configure the key it was saved under (CREDENTIALS_KEY or CREDENTIALS_PREVIOUS_KEYS), or save the Personio credentials again (PUT /api/v1/integrations/personio)',
    );
    this.name = 'StoredCredentialsUnreadableError';
  }
}

/** The only place a Personio client secret exists in clear, and only for as long as a call needs it. */
@Injectable()
export class PersonioCredentialService {
  constructor(private readonly cipher: SecretCipher) {}

  seal(workspaceId: string, clientSecret: string): string {
    return this.cipher.encrypt(clientSecret, workspaceId);
  }

  /** Throws StoredCredentialsUnreadableError when no configured key opens the stored secret. */
  credentialsOf(
    integration: Pick<PersonioIntegration, 'workspaceId' | 'clientId' | 'clientSecretEncrypted'>,
  ): PersonioCredentials {
    try {
      return {
        clientId: integration.clientId,
        clientSecret: this.cipher.decrypt(integration.clientSecretEncrypted, integration.workspaceId),
      };
    } catch (error) {
      if (error instanceof SecretKeyNotConfiguredError) throw new StoredCredentialsUnreadableError(error.keyId);
      if (error instanceof SecretDecryptionError) throw new StoredCredentialsUnreadableError(undefined);
      throw error;
    }
  }
}
