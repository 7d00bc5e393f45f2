import { describe, expect, it } from 'vitest';
import { registerSchema } from '@/lib/validation/users';

const valid = { username: 'alice', password: 'password1' };

function issuesFor(input: unknown) {
  const r = registerSchema.safeParse(input);
  return r.success ? null : r.error.issues;
}

function pathsOf(input: unknown): string[] {
  return (issuesFor(input) ?? []).map((i) => i.path.join('.'));
}

describe('registration rules (lib/validation/users registerSchema)', () => {
  it('accepts the minimal body and keeps the optional fields optional', () => {
    const r = registerSchema.parse(valid);
    expect(r).toEqual({ username: 'alice', password: 'password1' });
  });

  it('accepts every field', () => {
    const r = registerSchema.parse({ ...valid, displayName: 'Alice Liddell', email: 'alice@example.com' });
    expect(r.displayName).toBe('Alice Liddell');
    expect(r.email).toBe('alice@example.com');
  });

  describe('username: 3–32 of letters, digits, _ and .', () => {
    it.each([
      ['abc', 'three characters'],
      ['a'.repeat(32), 'thirty-two characters'],
      ['Alice_B.2', 'letters, digits, _ and .'],
      ['___', 'only underscores'],
      ['..1', 'dots and digits'],
      ['ALLCAPS', 'upper case'],
    ])('accepts %j (%s)', (username) => {
      expect(issuesFor({ ...valid, username })).toBeNull();
    });

    it.each([
      ['ab', 'two characters'],
      ['a'.repeat(33), 'thirty-three characters'],
      ['', 'empty'],
      ['has space', 'a space'],
      ['dash-ed', 'a hyphen'],
      ['at@sign', 'an @'],
      ['slash/x', 'a slash'],
      ['emoji😀x', 'an emoji'],
      ['semi;colon', 'a semicolon'],
      ['   ', 'only spaces'],
    ])('refuses %j (%s)', (username) => {
      expect(pathsOf({ ...valid, username })).toContain('username');
    });

    it('refuses a username that is not a string', () => {
      expect(pathsOf({ ...valid, username: 12345 })).toContain('username');
      expect(pathsOf({ ...valid, username: null })).toContain('username');
    });

    it('is required', () => {
      expect(pathsOf({ password: 'password1' })).toContain('username');
    });
  });

  describe('displayName: 1–50 characters', () => {
    it.each([['A'], ['x'.repeat(50)], ['Zoë Ünïcode 名前']])('accepts %j', (displayName) => {
      expect(issuesFor({ ...valid, displayName })).toBeNull();
    });

    it.each([[''], ['   '], ['x'.repeat(51)]])('refuses %j', (displayName) => {
      expect(pathsOf({ ...valid, displayName })).toContain('displayName');
    });

    it('trims surrounding spaces', () => {
      expect(registerSchema.parse({ ...valid, displayName: '  Alice  ' }).displayName).toBe('Alice');
    });
  });

  describe('password: 8–128 characters', () => {
    it.each([['12345678'], ['p'.repeat(128)], ['        spaces ok']])('accepts a password of length %#', (password) => {
      expect(issuesFor({ ...valid, password })).toBeNull();
    });

    it.each([['1234567'], ['p'.repeat(129)], ['']])('refuses a password of length %#', (password) => {
      expect(pathsOf({ ...valid, password })).toContain('password');
    });

    it('is required', () => {
      expect(pathsOf({ username: 'alice' })).toContain('password');
    });
  });

  describe('email: optional, valid when given', () => {
    it('may be left out', () => {
      expect(issuesFor(valid)).toBeNull();
    });

    it.each([['not-an-email'], ['@example.com'], ['a@'], [42]])('refuses %j', (email) => {
      expect(pathsOf({ ...valid, email })).toContain('email');
    });
  });

  it('refuses unknown fields', () => {
    const issues = issuesFor({ ...valid, isAdmin: true });
    expect(issues).not.toBeNull();
    expect(issues!.some((i) => i.code === 'unrecognized_keys' && JSON.stringify(i).includes('isAdmin'))).toBe(true);
  });

  it.each([[null], [[]], ['alice'], [42]])('refuses a body that is not an object: %j', (body) => {
    expect(issuesFor(body)).not.toBeNull();
  });
});
