import { randomBytes } from 'node:crypto';
import { credentialsKeyId } from '../../../config/app-config';
import { SecretCipher, SecretDecryptionError } from './secret-cipher';

const key = () => {
  const bytes = randomBytes(32);
  return { id: credentialsKeyId(bytes), key: bytes };
};

describe('SecretCipher', () => {
  const current = key();
  const cipher = new SecretCipher(current);

  it('round-trips a secret and never stores it in clear', () => {
    const stored = cipher.encrypt('s3cr3t-value', 'workspace-a');
    expect(stored).not.toContain('s3cr3t-value');
    expect(stored.startsWith(`v1:${current.id}:`)).toBe(true);
    expect(cipher.decrypt(stored, 'workspace-a')).toBe('s3cr3t-value');
  });

  it('uses a fresh IV for every value', () => {
    expect(cipher.encrypt('same', 'w')).not.toBe(cipher.encrypt('same', 'w'));
  });

  it('refuses a value bound to another workspace', () => {
    const stored = cipher.encrypt('s3cr3t', 'workspace-a');
    expect(() => cipher.decrypt(stored, 'workspace-b')).toThrow(SecretDecryptionError);
  });

  it('refuses a tampered value', () => {
    const parts = cipher.encrypt('s3cr3t', 'w').split(':');
    parts[4] = Buffer.from('tampered!').toString('base64');
    expect(() => cipher.decrypt(parts.join(':'), 'w')).toThrow(SecretDecryptionError);
  });

  it('reads values under a previous key, and says which key is missing otherwise', () => {
    const old = key();
    const stored = new SecretCipher(old).encrypt('old-secret', 'w');
    expect(new SecretCipher(current, [old]).decrypt(stored, 'w')).toBe('old-secret');
    expect(() => cipher.decrypt(stored, 'w')).toThrow(old.id);
  });
});
