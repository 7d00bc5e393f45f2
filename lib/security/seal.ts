/**
 * Secrets kept in the database that the server must read back (TOTP seeds): sealed with AES-256-GCM under a key
 * derived (HKDF-SHA256) from the auth secret, so a copy of the database alone does not give them away. Stored as
 * `v1.<base64url of iv | tag | ciphertext>`; a value without the prefix is an older plaintext one and reads as is.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { getAuthSecret } from '../secrets';

const PREFIX = 'v1.';
const keys = new Map<string, Buffer>();

function key(purpose: string): Buffer {
  const secret = getAuthSecret();
  const id = `${purpose}\u0000${secret}`;
  let k = keys.get(id);
  if (!k) keys.set(id, (k = Buffer.from(hkdfSync('sha256', secret, 'chattrix-seal', purpose, 32))));
  return k;
}

export function seal(plain: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(purpose), iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url');
}

/** The plaintext; throws when the value was sealed under another auth secret (or altered). */
export function unseal(stored: string, purpose: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key(purpose), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
