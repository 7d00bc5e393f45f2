import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { localeFromAcceptLanguage, locales, pickLocale } from '../../lib/i18n/config';
import { english } from '../../lib/i18n/english';
import { securityEventTypes } from '../../lib/validation/security-events';
import de from '../../messages/de.json';
import en from '../../messages/en.json';

type Tree = { [key: string]: string | Tree };

/** Every leaf as `a.b.c` → message. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** The arguments and tags a message uses (`{name}`, `{count, plural, …}`, `<strong>`), from its ICU syntax tree. */
function argumentsOf(message: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: unknown[]) => {
    for (const node of nodes as { type: number; value?: string; options?: Record<string, { value: unknown[] }>; children?: unknown[] }[]) {
      // 0 literal, 7 pound (#): no name; every other element names an argument or a tag.
      if (node.type !== 0 && node.type !== 7 && node.value) names.add(node.value);
      for (const option of Object.values(node.options ?? {})) walk(option.value);
      if (node.children) walk(node.children);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst());
  return [...names].sort();
}

const catalogs: Record<string, Tree> = { en: en as Tree, de: de as Tree };
const english_ = flatten(catalogs.en!);

describe('messages', () => {
  it('has a catalogue for every locale, and nothing else', () => {
    const dir = fileURLToPath(new URL('../../messages/', import.meta.url));
    expect(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...locales].sort());
  });

  for (const locale of locales.filter((l) => l !== 'en')) {
    const other = flatten(catalogs[locale]!);
    it(`${locale}: exactly the English keys, nested the same way`, () => {
      expect([...other.keys()].sort()).toEqual([...english_.keys()].sort());
    });
    it(`${locale}: no empty message`, () => {
      expect([...other].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
    });
    it(`${locale}: every message parses, with the same arguments and tags as the English one`, () => {
      const wrong: string[] = [];
      for (const [key, message] of other) {
        try {
          const mine = argumentsOf(message, locale);
          const theirs = argumentsOf(english_.get(key) ?? '', 'en');
          if (mine.join() !== theirs.join()) wrong.push(`${key}: ${mine.join(',')} ≠ en ${theirs.join(',')}`);
        } catch (e) {
          wrong.push(`${key}: ${(e as Error).message}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it('en: every message parses', () => {
    const bad = [...english_].filter(([, m]) => {
      try {
        new IntlMessageFormat(m, 'en').getAst();
        return false;
      } catch {
        return true;
      }
    });
    expect(bad.map(([k]) => k)).toEqual([]);
  });

  it('no message holds an arrow, symbol or emoji glyph (the catalogue is inlined in every page; icons are SVG, e2e/defects.spec.ts)', () => {
    const glyph = /[\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u2600-\u27bf\u{1f000}-\u{1faff}]/u;
    const withGlyphs = locales.flatMap((l) => [...flatten(catalogs[l]!)].filter(([, m]) => glyph.test(m)).map(([k]) => `${l}: ${k}`));
    expect(withGlyphs).toEqual([]);
  });

  it('every kind of security event has a label in the activity list', () => {
    const missing = securityEventTypes.filter((type) => !english_.has(`security.activity.events.${type}`));
    expect(missing).toEqual([]);
  });

  it('the helpers outside components speak the same English as before', () => {
    const t = english('typing');
    expect(t('one', { name: 'Ana' })).toBe('Ana is typing…');
    expect(english('broadcast')('all', { count: 1 })).toBe('This will notify 1 person.');
    expect(english('broadcast')('all', { count: 3 })).toBe('This will notify 3 people.');
  });

  it('no browser code imports a catalogue or english() as a value (it would put a whole catalogue in the page\'s JavaScript)', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = `${dir}/${e.name}`;
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name)) {
          const src = readFileSync(p, 'utf8');
          const client = /^['"]use client['"]/m.test(src) || p.includes('/lib/client/') || p.includes('/components/');
          if (client && /^import (?!type )[^;]*from '(@\/messages\/|[./]+messages\/|@\/lib\/i18n\/english|[./]+lib\/i18n\/english)/m.test(src)) offenders.push(p.slice(root.length));
        }
      }
    };
    for (const d of ['components', 'lib/client', 'app']) walk(`${root}${d}`);
    expect(offenders).toEqual([]);
  });
});

describe('locale choice', () => {
  it('takes the cookie first, then the best supported Accept-Language, then English', () => {
    expect(pickLocale('de', 'en-US,en;q=0.9')).toBe('de');
    expect(pickLocale('en', 'de-DE')).toBe('en');
    expect(pickLocale(undefined, 'de-DE,de;q=0.9,en;q=0.8')).toBe('de');
    expect(pickLocale('fr', 'de-AT')).toBe('de');
    expect(pickLocale(undefined, 'fr-FR,fr;q=0.9')).toBe('en');
    expect(pickLocale(undefined, null)).toBe('en');
    expect(localeFromAcceptLanguage('fr;q=0.9, de;q=0.5, en;q=0.7')).toBe('en');
    expect(localeFromAcceptLanguage('de;q=0, en')).toBe('en');
    expect(localeFromAcceptLanguage('*')).toBeNull();
  });
});
