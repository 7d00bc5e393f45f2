/**
 * The web app manifest in the reader's language: Accept-Language (what a browser sends for a manifest, which it
 * fetches without cookies), or the `locale` cookie of Settings → Language when it is sent; English otherwise.
 */
import { describe, expect, inject, it } from 'vitest';
import { request } from '../helpers/api';
import { LOCALE_COOKIE } from '../../lib/i18n/config';

const baseUrl = inject('baseUrl');

interface Manifest {
  lang: string;
  name: string;
  description: string;
  shortcuts: { name: string; short_name: string; url: string }[];
}

const manifest = async (headers: Record<string, string>, cookie?: string) => {
  const res = await request<Manifest>(baseUrl, '/manifest.webmanifest', { headers, cookie });
  expect(res.status).toBe(200);
  return res.body;
};

describe('web app manifest', () => {
  it('speaks German to a German browser, English to the rest, and follows the language cookie', async () => {
    const de = await manifest({ 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
    expect(de.lang).toBe('de');
    expect(de.description).toBe('Selbst gehostete Nachrichten in Echtzeit');
    expect(de.shortcuts.map((s) => [s.name, s.short_name, s.url])).toEqual([
      ['Neueste Unterhaltung', 'Neueste', '/?open=newest'],
      ['Nachrichten durchsuchen', 'Suche', '/search'],
    ]);

    for (const lang of ['en-GB,en;q=0.9', 'fr-FR', '']) {
      const en = await manifest(lang ? { 'accept-language': lang } : {});
      expect(en.lang).toBe('en');
      expect(en.description).toBe('Self-hosted, real-time messaging');
      expect(en.shortcuts.map((s) => s.name)).toEqual(['Newest conversation', 'Search messages']);
    }

    const chosen = await manifest({ 'accept-language': 'en-US' }, `${LOCALE_COOKIE}=de`);
    expect(chosen.lang).toBe('de');
    expect(chosen.shortcuts[1]!.short_name).toBe('Suche');
  });
});
