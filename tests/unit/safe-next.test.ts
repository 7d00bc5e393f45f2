/** `/login?next=`: only same-origin paths survive (lib/security/redirect.ts); a browser-faithful check for each. */
import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../lib/security/redirect';

const EVIL = [
  '/\\evil.example/x',
  '/\t/evil.example/x',
  '/\n/evil.example/x',
  '/\r/evil.example/x',
  '/%09/evil.example/x'.replace('%09', '\t'),
  '//evil',
  '//evil.example/x',
  '/..//evil.example',
  '/./\\evil.example',
  '///evil.example',
  '/\\\\evil',
  '\\\\evil',
  '\\/evil.example',
  '/\\/evil.example',
  'https://evil',
  'https://evil.example/x',
  'http:evil.example',
  'HTTPS://evil.example',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox',
  'evil.example',
  '',
  ' /c/x',
  '/ /evil.example',
  '/\u0000/evil.example',
  '/\u00a0/evil.example',
  '/\u3000/evil.example',
  '/\u2028/evil',
  '/\ufeff/evil',
  '/\u200b/evil',
  '//%5Cevil.example',
  '/' + 'a'.repeat(3000),
];

describe('safeNextPath', () => {
  it.each(EVIL)('refuses %j', (next) => {
    expect(safeNextPath(next)).toBe('/');
    // and, like a browser, resolving the answer stays on our origin
    expect(new URL(safeNextPath(next), 'https://chat.example').origin).toBe('https://chat.example');
  });

  it.each([
    ['/', '/'],
    ['/c/01abc', '/c/01abc'],
    ['/settings?tab=devices#push', '/settings?tab=devices#push'],
    ['/search?q=%2F%2Fevil', '/search?q=%2F%2Fevil'],
    ['/c/./x', '/c/x'],
    ['/a/../b', '/b'],
  ])('keeps %j as %j', (next, want) => {
    expect(safeNextPath(next)).toBe(want);
  });

  it('refuses what is not a string', () => {
    for (const v of [undefined, null, 1, ['/c/x'], { toString: () => '/c' }]) expect(safeNextPath(v)).toBe('/');
  });
});
