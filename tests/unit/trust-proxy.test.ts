/** TRUST_PROXY (lib/security/trust-proxy.ts): hop counts and proxy lists; the leftmost hop is never believed. */
import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { parseTrustProxy, resolveClientAddress, type TrustProxy } from '../../lib/security/trust-proxy';

const trust = (v: string) => parseTrustProxy(v) as TrustProxy;

describe('TRUST_PROXY', () => {
  it('parses numbers, lists and off', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('1')).toEqual({ hops: 1 });
    expect(parseTrustProxy('true')).toEqual({ hops: 1 });
    expect(parseTrustProxy('3')).toEqual({ hops: 3 });
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.5 ,::1')).toMatchObject({ text: '10.0.0.0/8, 192.168.1.5 ,::1' });
    expect(parseTrustProxy('not-an-address')).toMatchObject({ error: expect.any(String) });
    expect(() => parseEnv({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY/);
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toEqual({ hops: 2 });
  });

  it('unset: the socket address, whatever X-Forwarded-For says', () => {
    expect(resolveClientAddress('203.0.113.9', '1.1.1.1', false)).toBe('203.0.113.9');
    expect(resolveClientAddress('::ffff:203.0.113.9', undefined, false)).toBe('203.0.113.9');
  });

  it('a number of proxies: counted from the right; a forged leftmost hop is ignored', () => {
    expect(resolveClientAddress('10.0.0.2', '6.6.6.6, 198.51.100.7', trust('1'))).toBe('198.51.100.7');
    expect(resolveClientAddress('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.0.0.1', trust('2'))).toBe('198.51.100.7');
    // Fewer hops than proxies: the leftmost there is.
    expect(resolveClientAddress('10.0.0.2', undefined, trust('1'))).toBe('10.0.0.2');
    expect(resolveClientAddress('10.0.0.2', '198.51.100.7', trust('3'))).toBe('198.51.100.7');
  });

  it('a list of proxies: the rightmost address that is not one of them', () => {
    const t = trust('10.0.0.0/8, 192.168.1.5');
    expect(resolveClientAddress('10.1.1.1', '6.6.6.6, 198.51.100.7, 192.168.1.5', t)).toBe('198.51.100.7');
    expect(resolveClientAddress('10.1.1.1', 'garbage, 198.51.100.7', t)).toBe('198.51.100.7');
    // A client that writes a trusted-looking address on the left cannot hide behind it.
    expect(resolveClientAddress('10.1.1.1', '10.9.9.9, 198.51.100.7', t)).toBe('198.51.100.7');
    // Straight from the internet (the socket is not a trusted proxy): X-Forwarded-For is not read at all.
    expect(resolveClientAddress('198.51.100.200', '10.0.0.5, 1.2.3.4', t)).toBe('198.51.100.200');
    // IPv6 and mapped forms.
    expect(resolveClientAddress('::ffff:10.1.1.1', '2001:db8::7', t)).toBe('2001:db8::7');
  });
});
