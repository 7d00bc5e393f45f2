/**
 * Security headers, cookies, logs and the sign-in redirect, on a server of this file's own with an https public URL
 * (NEXTAUTH_URL) and LOG_LEVEL=debug, so its JSON log lines can be read and checked for secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookiesFrom, createToken, credentialsCallback, registerUser, request, type TestUser } from '../helpers/api';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let ana: TestUser;

beforeAll(async () => {
  server = await startServer({ env: { NEXTAUTH_URL: 'https://chat.example.test', LOG_LEVEL: 'debug' } });
  ana = await registerUser(server.url, { prefix: 'hdr' });
});
afterAll(async () => {
  await server?.stop();
});

function nonceOf(csp: string): string {
  const m = /script-src 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(csp);
  expect(m, csp).not.toBeNull();
  return m![1]!;
}

describe('Content-Security-Policy', () => {
  it('every page carries a fresh nonce, and every script in it carries that nonce', async () => {
    const nonces = new Set<string>();
    for (const path of ['/login', '/register', '/login?next=/c/x']) {
      const res = await request(server.url, path);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'", "worker-src 'self'", "default-src 'self'"]) {
        expect(csp).toContain(d);
      }
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-eval'/);
      expect(csp).toContain('upgrade-insecure-requests'); // the public URL is https
      const nonce = nonceOf(csp);
      nonces.add(nonce);
      const scripts = res.text.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(2);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
  });

  it('pages and the API alike send HSTS (https public URL), COOP, Permissions-Policy, Referrer-Policy, nosniff, a request id', async () => {
    for (const path of ['/login', '/api/v1/openapi.json', '/api/v1/me', '/healthz', '/sw.js']) {
      const res = await request(server.url, path);
      expect(res.headers.get('strict-transport-security'), path).toMatch(/^max-age=\d{7,}/);
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(res.headers.get('permissions-policy'), path).toContain('camera=()');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-request-id'), path).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('cookies on an https public URL', () => {
  it('the session cookie is __Host- (Secure, Path=/, HttpOnly, no Domain) and it signs requests in', async () => {
    const { res, cookies } = await credentialsCallback(server.url, ana.username, ana.password);
    expect(res.status, res.text).toBe(200);
    const setCookies = res.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith('__Host-next-auth.session-token='));
    expect(session, setCookies.join('\n')).toBeTruthy();
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*Path=\/(;|$)/i);
    expect(session).not.toMatch(/Domain=/i);
    expect(setCookies.some((c) => c.startsWith('next-auth.session-token='))).toBe(false);
    const me = await request(server.url, '/api/v1/me', { cookie: `__Host-next-auth.session-token=${cookies['__Host-next-auth.session-token']}` });
    expect(me.status, me.text).toBe(200);
    expect(cookiesFrom(res.headers)['__Host-next-auth.session-token']).toBeTruthy();
  });
});

describe('/login?next= keeps you on this site', () => {
  const evil = [
    '/\\evil.example/x',
    '/%09/evil.example/x',
    '//evil.example',
    'https://evil.example',
    '/\\\\evil.example',
    'javascript:alert(1)',
    '/%0A/evil.example',
    '%2F%2Fevil.example',
  ];
  it.each(evil)('next=%s becomes "/"', async (next) => {
    const res = await request(server.url, `/login?next=${next.startsWith('%') || next.includes('%0') ? next : encodeURIComponent(next)}`);
    expect(res.status).toBe(200);
    // The login form's prop, in the page's serialised React tree.
    expect(res.text).toContain('\\"next\\":\\"/\\",\\"registrationOpen');
  });
  it('a same-site path is kept', async () => {
    const res = await request(server.url, `/login?next=${encodeURIComponent('/c/abc?x=1')}`);
    expect(res.text).toContain('\\"next\\":\\"/c/abc?x=1\\"');
  });
});

describe('logs', () => {
  it('are JSON lines at LOG_LEVEL with a request id; cookies, authorization, passwords, tokens and message text never appear', async () => {
    const token = (await createToken(server.url, ana)).token;
    const { cookies } = await credentialsCallback(server.url, ana.username, ana.password);
    const sessionValue = cookies['__Host-next-auth.session-token']!;
    const secretText = `secret-words-${Date.now()}`;
    const me = await request(server.url, '/api/v1/me', { token });
    const reqId = me.headers.get('x-request-id')!;
    await request(server.url, `/api/v1/search?q=${secretText}`, { token });
    await request(server.url, '/api/v1/me', { method: 'DELETE', token, body: { password: 'wrong password, written down' } });
    await request(server.url, '/api/v1/me', { cookie: `__Host-next-auth.session-token=${sessionValue}` });
    // Wait for the last request's log line (written on finish).
    await expect.poll(() => server.logs().split('\n').filter((l) => l.includes('"path":"/api/v1/me"')).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    const lines = server.logs().split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) {
      const o = JSON.parse(l) as Record<string, unknown>;
      expect(typeof o.level).toBe('string');
      expect(typeof o.time).toBe('string');
    }
    const mine = lines.map((l) => JSON.parse(l) as { reqId?: string; req?: { headers?: Record<string, string> }; status?: number }).filter((o) => o.reqId === reqId);
    expect(mine.some((o) => o.status === 200)).toBe(true);
    expect(mine.some((o) => o.req?.headers?.authorization === '[redacted]')).toBe(true);
    const all = server.logs();
    expect(all).toContain('"cookie":"[redacted]"');
    for (const secret of [token, sessionValue, ana.password, 'wrong password, written down', secretText]) expect(all).not.toContain(secret);
  });
});
