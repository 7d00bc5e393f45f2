import { describe, expect, it } from 'vitest';
import { loginUrlFor, safeNextPath } from '../../lib/auth/next-path';

describe('safeNextPath', () => {
  it.each([
    ['/c/abc', '/c/abc'],
    ['/c/abc?m=12', '/c/abc?m=12'],
    ['/settings', '/settings'],
    ['/', '/'],
  ])('keeps the same-site path %s', (input, out) => expect(safeNextPath(input)).toBe(out));

  it.each([
    [undefined],
    [''],
    ['c/abc'],
    ['//evil.example/x'],
    ['/\\evil.example'],
    ['/%5Cevil'.replace('%5C', '\\')],
    ['https://evil.example/'],
    ['javascript:alert(1)'],
    ['/c/\nabc'],
    ['/login?next=/c/1'],
    ['/register'],
  ])('refuses %j', (input) => expect(safeNextPath(input)).toBe('/'));

  it('builds the sign-in URL', () => {
    expect(loginUrlFor('/c/abc?m=1')).toBe('/login?next=%2Fc%2Fabc%3Fm%3D1');
    expect(loginUrlFor('/')).toBe('/login');
    expect(loginUrlFor('//evil')).toBe('/login');
  });
});
