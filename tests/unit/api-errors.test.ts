import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import de from '../../lib/i18n/api-errors.de.json';
import { localeOfHeaders, localizeAck, localizeBody, localizeMessage } from '../../lib/i18n/api-errors';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every literal message of `new AppError('code', '…')` in the server's code. */
function literalMessages(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name)) for (const m of readFileSync(p, 'utf8').matchAll(/new AppError\('[a-z_]+', '((?:[^'\\]|\\.)*)'/g)) found.add(m[1]!.replace(/\\(.)/g, '$1'));
    }
  };
  for (const d of ['lib', 'app', 'db']) walk(`${root}${d}`);
  return found;
}

describe('API error messages in German (lib/i18n/api-errors.de.json)', () => {
  it('has a translation for every literal AppError message, and none for a message that no longer exists', () => {
    const literal = literalMessages();
    expect(literal.size).toBeGreaterThan(100);
    const catalog = de as Record<string, string>;
    expect([...literal].filter((m) => !catalog[m]?.trim())).toEqual([]);
    expect(Object.keys(catalog).filter((m) => !literal.has(m))).toEqual([]);
  });

  it('words a body, an acknowledgement and a plain message; leaves English and unknown messages alone', () => {
    expect(localizeMessage('Wrong password', 'de')).toBe('Falsches Passwort');
    expect(localizeMessage('Wrong password', 'en')).toBe('Wrong password');
    expect(localizeMessage('Body larger than 65536 bytes', 'de')).toBe('Body larger than 65536 bytes');
    expect(localizeBody({ code: 'not_found', message: 'No such user' }, 'de')).toEqual({ code: 'not_found', message: 'Diese Person gibt es nicht' });
    expect(localizeAck({ ok: false, error: { code: 'forbidden', message: 'Sign in first' } }, 'de')).toEqual({ ok: false, error: { code: 'forbidden', message: 'Melde dich zuerst an' } });
    const ok = { ok: true, data: { message: 'Sign in first' } };
    expect(localizeAck(ok, 'de')).toBe(ok);
  });

  it('takes the language as the pages do: the cookie, else Accept-Language, else English', () => {
    expect(localeOfHeaders(new Headers({ 'accept-language': 'de-AT,de;q=0.9' }))).toBe('de');
    expect(localeOfHeaders(new Headers({ 'accept-language': 'de', cookie: 'a=b; locale=en' }))).toBe('en');
    expect(localeOfHeaders({ cookie: 'locale=de', 'accept-language': 'en' })).toBe('de');
    expect(localeOfHeaders({ cookie: 'xlocale=de' })).toBe('en');
    expect(localeOfHeaders({})).toBe('en');
  });
});
