import { describe, expect, it } from 'vitest';
import { withEllipses } from '../../lib/services/search';

const seg = (...parts: [string, boolean][]) => parts.map(([text, hit]) => ({ text, hit }));
const text = (s: { text: string }[]) => s.map((x) => x.text).join('');

describe('search snippet ellipses', () => {
  it('a snippet that is the whole message gets none', () => {
    expect(text(withEllipses(seg(['hello ', false], ['world', true]), 'hello world'))).toBe('hello world');
  });
  it('a snippet cut at the start begins with …', () => {
    const body = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen target sixteen';
    expect(text(withEllipses(seg(['fourteen fifteen ', false], ['target', true], [' sixteen', false]), body))).toBe('… fourteen fifteen target sixteen');
  });
  it('a snippet cut at the end ends with …', () => {
    expect(text(withEllipses(seg(['target', true], [' two', false]), 'target two three four'))).toBe('target two …');
  });
  it('whitespace differences do not count as a cut', () => {
    expect(text(withEllipses(seg(['a\nb ', false], ['c', true]), 'a  b c'))).toBe('a\nb c');
  });
});
