import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CredentialsKey } from '../../../config/app-config';

const FORMAT = 'v1';

export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

/** The value names a key id this instance does not have (removed from CREDENTIALS_PREVIOUS_KEYS too early). */
export class SecretKeyNotConfiguredError extends SecretDecryptionError {
  constructor(readonly keyId: string) {
    super(`stored secret is encrypted under key ${keyId}, which is not configured`);
    this.name = 'SecretKeyNotConfiguredError';
  }
}

/**
 * AES-256-GCM with a key ring: encrypts under the current key, decrypts under any known one.
 * Stored form: `v1:<key id>:<iv>:<tag>:<ciphertext>` (base64). The context (the workspace id) is
 * bound as additional authenticated data, so a value copied to another workspace fails to open.
 */
export class SecretCipher {
  private readonly keys: Map<string, Buffer>;

  constructor(
    private readonly current: CredentialsKey,
    previous: CredentialsKey[] = [],
  ) {
    this.keys = new Map([...previous, current].map((key) => [key.id, key.key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      FORMAT,
      this.current.id,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      ciphertext.toString('base64'),
    ].join(':');
  }

  decrypt(stored: string, context: string): string {
    const [format, keyId, iv, tag, ciphertext] = stored.split(':');
    if (format !== FORMAT || !keyId || !iv || !tag || ciphertext === undefined)
      throw new SecretDecryptionError('stored secret has an unknown format');
    const key = this.keys.get(keyId);
    if (!key) throw new SecretKeyNotConfiguredError(keyId);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError('stored secret failed authentication (wrong key or wrong workspace)');
    }
  }

  keyIdOf(stored: string): string | undefined {
    return stored.split(':')[1];
  }
}
