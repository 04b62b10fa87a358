import { DataSource } from 'typeorm';
import { PersonioIntegration } from '../personio-integration.entity';
import { SecretCipher } from './secret-cipher';

export interface RotationResult {
  total: number;
  rotated: number;
}

type SealedColumn = 'clientSecretEncrypted' | 'webhookTokenEncrypted';

/** Re-encrypts every stored secret (client secrets and webhook tokens) that is not yet under the current key. */
export async function rotateCredentials(dataSource: DataSource, cipher: SecretCipher): Promise<RotationResult> {
  const repository = dataSource.getRepository(PersonioIntegration);
  const integrations = await repository.find({
    select: { id: true, workspaceId: true, clientSecretEncrypted: true, webhookTokenEncrypted: true },
  });
  let rotated = 0;
  for (const integration of integrations) {
    for (const column of ['clientSecretEncrypted', 'webhookTokenEncrypted'] as SealedColumn[]) {
      const sealed = integration[column];
      if (!sealed || cipher.keyIdOf(sealed) === cipher.currentKeyId) continue;
      const secret = cipher.decrypt(sealed, integration.workspaceId);
      // Conditional on the old value, so a secret replaced meanwhile through the API is not overwritten.
      const result = await repository.update(
        { id: integration.id, [column]: sealed },
        { [column]: cipher.encrypt(secret, integration.workspaceId) },
      );
      if (column === 'clientSecretEncrypted') rotated += result.affected ?? 0;
    }
  }
  return { total: integrations.length, rotated };
}
