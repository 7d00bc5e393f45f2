/** Link text shows bidi controls visibly (lib/client/markdown.ts): what the reader sees is what the link is. */
import { describe, expect, it } from 'vitest';
import { parseMarkdown, showBidiControls } from '../../lib/client/markdown';

describe('bidi controls in link text', () => {
  it('turns every bidi control into a visible escape', () => {
    const controls = ['\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const c of controls) {
      const shown = showBidiControls(`a${c}b`);
      expect(shown).toBe(`a[U+${c.codePointAt(0)!.toString(16).toUpperCase()}]b`);
      expect(shown).not.toMatch(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    }
  });

  it('a link with RLO reads as what it is', () => {
    const nodes = JSON.stringify(parseMarkdown('see https://example.com/\u202egnp.exe now'));
    expect(nodes).toContain('https://example.com/[U+202E]gnp.exe');
    expect(nodes).not.toContain('\u202e');
  });
});
