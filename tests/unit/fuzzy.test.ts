import { describe, expect, it } from 'vitest';
import { fuzzyRank, fuzzyScore } from '../../lib/client/fuzzy';

describe('fuzzy matching', () => {
  it('matches characters in order, anywhere', () => {
    expect(fuzzyScore('gnrl', 'general')).toBeGreaterThan(0);
    expect(fuzzyScore('lrng', 'general')).toBe(0);
    expect(fuzzyScore('', 'anything')).toBeGreaterThan(0);
  });
  it('ranks starts and word starts first, ties stay in recency order', () => {
    const items = ['Team standup', 'Ana Smith', 'Sam Andrews', 'design review', 'Anatole'];
    const ranked = fuzzyRank('an', items, (x) => [x]).map((r) => r.item);
    expect(ranked[0]).toBe('Anatole'); // prefix of a short title
    expect(ranked.slice(0, 2)).toContain('Ana Smith');
    expect(ranked).not.toContain('design review');
    // No query: everything, in the given (recent first) order.
    expect(fuzzyRank('', items, (x) => [x]).map((r) => r.item)).toEqual(items);
  });
  it('matches any of several fields (title or @username)', () => {
    const people = [{ name: 'Benjamin', user: 'bkr' }, { name: 'Cleo', user: 'cleo_b' }];
    expect(fuzzyRank('bkr', people, (p) => [p.name, p.user]).map((r) => r.item.name)).toEqual(['Benjamin']);
  });
  it('handles 500 conversations per keystroke', () => {
    const titles = Array.from({ length: 500 }, (_, i) => `Conversation number ${i} with someone ${i % 37}`);
    const ranked = fuzzyRank('cn 42', titles, (x) => [x]);
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked[0]!.item).toContain('42');
  });
});
