import { createCipheriv, createDecipheriv } from 'node:crypto';
import { KeyError } from './errors.ts';
import { secureRandomBytes } from './random.ts';

/**
 * AES-256-GCM with `aad` as associated data. The layout is stored in every database (wrapped keys
 * and ciphertexts), so it never changes: 12-byte IV, 16-byte tag, then the encrypted body.
 */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = secureRandomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Opens what {@link seal} sealed; throws when the key or the associated data differ. */
export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < 28) throw new KeyError('ciphertext is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}
