import { DataSource } from 'typeorm';
import { PersonioIntegration } from '../personio-integration.entity';
import { SecretCipher } from './secret-cipher';

export interface RotationResult {
  total: number;
  rotated: number;
}

/** Re-encrypts every stored secret that is not yet under the current key. */
export async function rotateCredentials(dataSource: DataSource, cipher: SecretCipher): Promise<RotationResult> {
  const repository = dataSource.getRepository(PersonioIntegration);
  const integrations = await repository.find({ select: { id: true, workspaceId: true, clientSecretEncrypted: true } });
  let rotated = 0;
  for (const integration of integrations) {
    if (cipher.keyIdOf(integration.clientSecretEncrypted) === cipher.currentKeyId) continue;
    const secret = cipher.decrypt(integration.clientSecretEncrypted, integration.workspaceId);
    // Conditional on the old value, so a secret replaced meanwhile through the API is not overwritten.
    const result = await repository.update(
      { id: integration.id, clientSecretEncrypted: integration.clientSecretEncrypted },
      { clientSecretEncrypted: cipher.encrypt(secret, integration.workspaceId) },
    );
    rotated += result.affected ?? 0;
  }
  return { total: integrations.length, rotated };
}
