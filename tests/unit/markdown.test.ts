import { describe, expect, it } from 'vitest';
import { parseMarkdown, type Node } from '../../lib/client/markdown';

const text = (nodes: Node[]): string =>
  nodes
    .map((n) => {
      switch (n.t) {
        case 'text':
          return n.v;
        case 'br':
          return '\n';
        case 'b':
        case 'i':
          return text(n.c);
        case 'code':
        case 'pre':
          return n.v;
        case 'a':
          return n.v;
        case 'mention':
          return `@${n.username}`;
        case 'ul':
        case 'ol':
          return `[${n.t}:${n.items.map(text).join('|')}]`;
        case 'quote':
          return `[quote:${text(n.c)}]`;
      }
    })
    .join('');

describe('markdown lists and quotes', () => {
  it('bullet and numbered lists', () => {
    expect(text(parseMarkdown('Shopping:\n- milk\n- **eggs**\n* bread'))).toBe('Shopping:[ul:milk|eggs|bread]');
    const ol = parseMarkdown('1. one\n2. two');
    expect(ol).toEqual([{ t: 'ol', items: [[{ t: 'text', v: 'one' }], [{ t: 'text', v: 'two' }]] }]);
    expect(parseMarkdown('3. three\n4. four')[0]).toMatchObject({ t: 'ol', start: 3 });
  });
  it('block quotes, with inline markdown and text after', () => {
    expect(text(parseMarkdown('> she said _hi_\n> twice\nand then left'))).toBe('[quote:she said hi\ntwice]and then left');
  });
  it('not lists: a hyphen inside a line, a number without a dot', () => {
    expect(text(parseMarkdown('well - maybe\n2020 was long'))).toBe('well - maybe\n2020 was long');
    expect(parseMarkdown('-notalist')).toEqual([{ t: 'text', v: '-notalist' }]);
  });
  it('stays XSS-safe: markup is text, links only http(s)', () => {
    const nodes = parseMarkdown('- <img src=x onerror=alert(1)>\n> [x](javascript:alert(1)) javascript:alert(1)');
    expect(JSON.stringify(nodes)).not.toContain('"t":"a"');
    expect(text(nodes)).toContain('<img src=x onerror=alert(1)>');
  });
  it('code blocks are untouched', () => {
    expect(parseMarkdown('```\n- not a list\n> nor a quote\n```')).toEqual([{ t: 'pre', v: '- not a list\n> nor a quote' }]);
  });
});
