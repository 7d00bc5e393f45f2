/** The link preview parser and URL finder (no network): what a page says about itself, and which link is first. */
import { describe, expect, it } from 'vitest';
import { firstUrl, parsePage } from '../../lib/services/previews';

describe('firstUrl', () => {
  it('finds the first http(s) link, without trailing punctuation or an unbalanced parenthesis', () => {
    expect(firstUrl('see https://example.com/a?b=1. and http://x.org')).toBe('https://example.com/a?b=1');
    expect(firstUrl('(at https://en.wikipedia.org/wiki/Foo_(bar))')).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
    expect(firstUrl('(at https://example.com/x)')).toBe('https://example.com/x');
    expect(firstUrl('https://example.com/#frag')).toBe('https://example.com/');
    expect(firstUrl('ftp://example.com and javascript:alert(1)')).toBeNull();
    expect(firstUrl('no links here')).toBeNull();
  });

  it('leaves out links quoted as code (inline or a block): they are not being shared', () => {
    expect(firstUrl('the hook `http://127.0.0.1:9/broken` failed')).toBeNull();
    expect(firstUrl('```\ncurl https://example.com/x\n``` then https://example.org/y')).toBe('https://example.org/y');
    expect(firstUrl('`code` and https://example.net/z')).toBe('https://example.net/z');
  });
});

describe('parsePage', () => {
  it('prefers Open Graph, then Twitter card, then <title> and description; resolves the image against the page', () => {
    const html = `<html><head><title>T &amp; co</title>
      <meta name="description" content="plain description">
      <meta name="twitter:title" content="Twitter title">
      <meta content="OG &quot;title&quot;" property="og:title">
      <meta property='og:image' content='/img/a.png'>
      <!-- <meta property="og:description" content="commented out"> -->
      </head></html>`;
    expect(parsePage(html, 'https://site.example/post/1')).toEqual({
      title: 'OG "title"',
      description: 'plain description',
      siteName: null,
      image: 'https://site.example/img/a.png',
    });
    expect(parsePage('<title>\n  Only   a title </title>', 'https://a.example/').title).toBe('Only a title');
    expect(parsePage('<meta property="og:image" content="javascript:alert(1)"><title>x</title>', 'https://a.example/').image).toBeNull();
  });
});
