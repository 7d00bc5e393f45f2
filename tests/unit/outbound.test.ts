/**
 * The outbound guard (lib/outbound) against real sockets on loopback: every refused range in IPv4 and IPv6
 * (mapped and compatible forms included), a DNS name that resolves to one, the allow list, plain http, the pinned
 * address, redirects, the timeout and the size cap.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeAddress, parseAllowList } from '../../lib/outbound/address';
import { checkOutboundUrl, OutboundError, outboundFetch } from '../../lib/outbound';

const REFUSED = [
  '127.0.0.1', '127.8.9.10', '0.0.0.0', '0.1.2.3', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1',
  '169.254.169.254', '100.64.0.1', '100.127.255.254', '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255',
  '192.0.2.1', '198.51.100.7', '203.0.113.9', '198.18.0.1',
  '::', '::1', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', 'ff05::2', '2001:db8::1',
  '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::ffff:7f00:1', '::127.0.0.1', '::a9fe:a9fe',
  '::ffff:100.64.0.1', '64:ff9b::7f00:1', '2002:7f00:1::1', '2001::1', 'fec0::1', '100::1',
];
const ALLOWED = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001::200e'];

describe('address ranges', () => {
  it.each(REFUSED)('refuses %s', (a) => {
    expect(judgeAddress(a).ok).toBe(false);
  });
  it.each(ALLOWED)('allows public %s', (a) => {
    expect(judgeAddress(a)).toEqual({ ok: true });
  });
});

const none = parseAllowList('');
const literal = (host: string) => (host.includes(':') ? `[${host}]` : host);

describe('checkOutboundUrl', () => {
  it.each(REFUSED)('refuses https://%s/ and the same address behind a DNS name', async (a) => {
    await expect(checkOutboundUrl(`https://${literal(a)}/x`, { allow: none })).rejects.toMatchObject({ code: 'refused' });
    const resolve = async () => [{ address: a, family: a.includes(':') ? 6 : 4 }];
    await expect(checkOutboundUrl('https://push.example.net/x', { allow: none, resolve })).rejects.toMatchObject({ code: 'refused' });
  });

  it('refuses a name that resolves to one public and one private address, and the real name localhost', async () => {
    const resolve = async () => [{ address: '8.8.8.8', family: 4 }, { address: '10.0.0.5', family: 4 }];
    await expect(checkOutboundUrl('https://mixed.example.net/', { allow: none, resolve })).rejects.toMatchObject({ code: 'refused' });
    await expect(checkOutboundUrl('https://localhost:4443/', { allow: none })).rejects.toMatchObject({ code: 'refused' });
  });

  it('takes https to a public address; refuses http, other schemes, credentials and garbage', async () => {
    const resolve = async () => [{ address: '93.184.216.34', family: 4 }];
    await expect(checkOutboundUrl('https://push.example.net/x', { allow: none, resolve })).resolves.toMatchObject({ address: '93.184.216.34', family: 4 });
    await expect(checkOutboundUrl('http://push.example.net/x', { allow: none, resolve })).rejects.toMatchObject({ code: 'scheme' });
    await expect(checkOutboundUrl('http://93.184.216.34/x', { allow: none })).rejects.toMatchObject({ code: 'scheme' });
    for (const u of ['ftp://93.184.216.34/', 'file:///etc/passwd', 'gopher://93.184.216.34/', 'data:text/plain,x', 'javascript:alert(1)']) {
      await expect(checkOutboundUrl(u, { allow: none })).rejects.toMatchObject({ code: 'scheme' });
    }
    await expect(checkOutboundUrl('https://user:pw@93.184.216.34/', { allow: none })).rejects.toMatchObject({ code: 'invalid_url' });
    await expect(checkOutboundUrl('not a url', { allow: none })).rejects.toMatchObject({ code: 'invalid_url' });
    // Decimal and hex spellings of 127.0.0.1 are normalised by the URL parser, and refused.
    await expect(checkOutboundUrl('https://2130706433/', { allow: none })).rejects.toMatchObject({ code: 'refused' });
    await expect(checkOutboundUrl('https://0x7f.1/', { allow: none })).rejects.toMatchObject({ code: 'refused' });
  });

  it('OUTBOUND_ALLOW: hosts by name and CIDR ranges pass, plain http included; nothing else does', async () => {
    const allow = parseAllowList('127.0.0.1/32, hooks.internal, fd00:1::/64');
    await expect(checkOutboundUrl('http://127.0.0.1:9/x', { allow })).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(checkOutboundUrl('http://127.0.0.2:9/x', { allow })).rejects.toMatchObject({ code: 'refused' });
    const internal = async () => [{ address: '10.1.2.3', family: 4 }];
    await expect(checkOutboundUrl('http://hooks.internal/x', { allow, resolve: internal })).resolves.toMatchObject({ address: '10.1.2.3' });
    await expect(checkOutboundUrl('https://other.internal/x', { allow, resolve: internal })).rejects.toMatchObject({ code: 'refused' });
    await expect(checkOutboundUrl('https://[fd00:1::5]/x', { allow })).resolves.toMatchObject({ family: 6 });
    await expect(checkOutboundUrl('https://[fd00:2::5]/x', { allow })).rejects.toMatchObject({ code: 'refused' });
    // The IPv4-mapped form of an allowed IPv4 address is the same address.
    await expect(checkOutboundUrl('https://[::ffff:127.0.0.1]/x', { allow })).resolves.toBeTruthy();
  });
});

describe('outboundFetch on loopback', () => {
  let server: Server;
  let port = 0;
  let hits: string[] = [];
  const allow = parseAllowList('127.0.0.1');
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url} ${req.headers.host}`);
      if (req.url === '/redirect') return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
      if (req.url === '/big') {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 97);
        let n = 0;
        const pump = () => {
          while (n++ < 200) if (!res.write(chunk)) return void res.once('drain', pump);
          res.end();
        };
        return pump();
      }
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 5_000).unref();
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.writeHead(201, { 'content-type': 'text/plain' }).end(`echo:${body}`));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends to an allowed receiver and returns status, headers and body', async () => {
    const res = await outboundFetch(`http://127.0.0.1:${port}/x`, { method: 'POST', body: 'hello', allow });
    expect(res.status).toBe(201);
    expect(res.body.toString()).toBe('echo:hello');
  });

  it('never reaches a refused receiver: no request arrives', async () => {
    hits = [];
    await expect(outboundFetch(`http://127.0.0.1:${port}/x`, { allow: none })).rejects.toBeInstanceOf(OutboundError);
    await expect(outboundFetch(`https://127.0.0.1:${port}/x`, { allow: none })).rejects.toMatchObject({ code: 'refused' });
    await expect(outboundFetch(`https://localhost:${port}/x`, { allow: none })).rejects.toMatchObject({ code: 'refused' });
    // Sentinel: an allowed request after them is the first and only one the receiver saw.
    await outboundFetch(`http://127.0.0.1:${port}/sentinel`, { allow });
    expect(hits).toEqual([`GET /sentinel 127.0.0.1:${port}`]);
  });

  it('connects to the address it checked, not to what the name resolves to later (Host header keeps the name)', async () => {
    hits = [];
    let calls = 0;
    // First answer (the checked one) is the allowed receiver; any later lookup would say a metadata address.
    const resolve = async () => (calls++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '169.254.169.254', family: 4 }]);
    const res = await outboundFetch(`http://receiver.test:${port}/pinned`, { allow: parseAllowList('receiver.test'), resolve });
    expect(res.status).toBe(201);
    expect(calls).toBe(1);
    expect(hits).toEqual([`GET /pinned receiver.test:${port}`]);
  });

  it('does not follow redirects', async () => {
    const res = await outboundFetch(`http://127.0.0.1:${port}/redirect`, { allow });
    expect(res.status).toBe(302);
    expect(res.headers.location).toContain('169.254.169.254');
  });

  it('caps the response size and the time', async () => {
    await expect(outboundFetch(`http://127.0.0.1:${port}/big`, { allow, maxBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'too_large' });
    await expect(outboundFetch(`http://127.0.0.1:${port}/slow`, { allow, timeoutMs: 300 })).rejects.toMatchObject({ code: 'timeout' });
  });
});
