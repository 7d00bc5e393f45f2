import { describe, expect, it } from 'vitest';
import { ARGON2_PARAMS, hashPassword, verifyPassword } from '@/lib/auth/password';

/** Decodes a PHC string: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`. */
export function decodePhc(phc: string) {
  const m = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!m) throw new Error(`not an argon2 PHC string: ${phc}`);
  const b64len = (s: string) => Buffer.from(s, 'base64').length;
  return {
    algorithm: m[1],
    version: Number(m[2]),
    memoryKiB: Number(m[3]),
    iterations: Number(m[4]),
    parallelism: Number(m[5]),
    saltBytes: b64len(m[6]!),
    hashBytes: b64len(m[7]!),
  };
}

describe('password hashing (lib/auth/password)', () => {
  it('uses argon2id with at least OWASP parameters: m=19456 KiB, t=2, p=1', async () => {
    const phc = await hashPassword('correct horse battery staple');
    const d = decodePhc(phc);
    expect(d.algorithm).toBe('argon2id');
    expect(d.version).toBe(19);
    expect(d.memoryKiB).toBeGreaterThanOrEqual(19_456);
    expect(d.iterations).toBeGreaterThanOrEqual(2);
    expect(d.parallelism).toBeGreaterThanOrEqual(1);
    // Exactly what the module declares (and what the issue asks for).
    expect([d.memoryKiB, d.iterations, d.parallelism]).toEqual([19_456, 2, 1]);
    expect(ARGON2_PARAMS).toMatchObject({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(d.saltBytes).toBeGreaterThanOrEqual(16);
    expect(d.hashBytes).toBeGreaterThanOrEqual(32);
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
  });

  it('verifies the right password and refuses a wrong one or a malformed hash', async () => {
    const phc = await hashPassword('s3cret-password');
    expect(await verifyPassword(phc, 's3cret-password')).toBe(true);
    expect(await verifyPassword(phc, 's3cret-passwore')).toBe(false);
    expect(await verifyPassword(phc, '')).toBe(false);
    expect(await verifyPassword('not a hash', 's3cret-password')).toBe(false);
  });
});
