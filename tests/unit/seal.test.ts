import { describe, expect, it } from 'vitest';

// The key comes from the auth secret: fixed here so the test needs no DATA_DIR.
process.env.AUTH_SECRET = 'seal-test-secret-0123456789abcdef0123456789';
const { seal, unseal } = await import('../../lib/security/seal');

describe('sealed secrets (TOTP seeds at rest)', () => {
  const seed = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('round-trips, and the stored form does not contain the seed', () => {
    const stored = seal(seed, 'totp-secret');
    expect(stored.startsWith('v1.')).toBe(true);
    expect(stored).not.toContain(seed);
    expect(unseal(stored, 'totp-secret')).toBe(seed);
    // A fresh IV each time: two seals of one seed differ.
    expect(seal(seed, 'totp-secret')).not.toBe(stored);
  });

  it('refuses an altered value or another purpose; reads an older plaintext value as is', () => {
    const stored = seal(seed, 'totp-secret');
    const raw = Buffer.from(stored.slice(3), 'base64url');
    raw[raw.length - 1]! ^= 1;
    expect(() => unseal('v1.' + raw.toString('base64url'), 'totp-secret')).toThrow();
    expect(() => unseal(stored, 'something-else')).toThrow();
    expect(unseal(seed, 'totp-secret')).toBe(seed);
  });
});
