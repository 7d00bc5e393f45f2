/**
 * Server-side sessions against the real server: sign-out ends the session at once, sessions are listed and ended
 * one by one or all but this one, their sockets disconnect, a password change ends every other session, and a
 * session unused for longer than SESSION_IDLE_DAYS stops working.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectError, connectSocket, emitAck, registerUser, request, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { startServer, type RunningServer } from '../helpers/server';
import { CHROME_UA, FIREFOX_UA, serverDisconnect, signIn, signOut } from '../helpers/trust';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;

async function cookieFor(user: TestUser, userAgent = CHROME_UA, url = baseUrl): Promise<string> {
  const r = await signIn(url, user, { userAgent });
  if (!r.cookie) throw new Error(`sign-in failed: ${r.status} ${r.error}`);
  return r.cookie;
}

const me = (cookie: string, url = baseUrl) => request(url, '/api/v1/me', { cookie });

describe('sign-out', () => {
  it('ends the session on the server: the old cookie gets 401 at once, on REST, pages and sockets', async () => {
    const user = await registerUser(baseUrl, { prefix: 'so' });
    const cookie = await cookieFor(user);
    expect((await me(cookie)).status).toBe(200);
    const live = await request(baseUrl, '/api/auth/session', { cookie });
    expect(live.body.userId).toBe(user.id);
    const socket = await connectSocket(baseUrl, { cookie, origin });
    const gone = serverDisconnect(socket);
    expect(await signOut(baseUrl, cookie)).toBe(200);
    expectError(await me(cookie), 'unauthorized');
    expect(await gone).toBe('io server disconnect');
    // A page sends the browser to sign in again.
    const page = await request(baseUrl, '/', { cookie });
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toContain('/login');
    // A new socket with the old cookie is refused.
    expect((await connectError(baseUrl, { cookie, origin })).message).toBe('unauthorized');
    // next-auth's own session endpoint answers no session and clears the cookie.
    const s = await request(baseUrl, '/api/auth/session', { cookie });
    expect(s.status).toBe(200);
    expect(s.body).toEqual({});
    expect(s.headers.getSetCookie().some((c) => /^next-auth\.session-token=;/.test(c))).toBe(true);
  });

});

describe('GET/DELETE /me/sessions', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await registerUser(baseUrl, { prefix: 'ses' });
  });

  it('lists the live sessions with the current one marked, newest use first', async () => {
    const a = await cookieFor(user, CHROME_UA);
    const b = await cookieFor(user, FIREFOX_UA);
    const res = await request(baseUrl, '/api/v1/me/sessions', { cookie: a });
    expect(res.status, res.text).toBe(200);
    const sessions = res.body.sessions as { id: string; current: boolean; userAgent: string; createdAt: string; lastSeenAt: string }[];
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    for (const s of sessions) expect(Object.keys(s).sort()).toEqual(['createdAt', 'current', 'id', 'lastSeenAt', 'userAgent']);
    const current = sessions.filter((s) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]!.userAgent).toBe(CHROME_UA);
    expect(sessions.some((s) => !s.current && s.userAgent === FIREFOX_UA)).toBe(true);
    // The other browser sees its own as current.
    const fromB = await request(baseUrl, '/api/v1/me/sessions', { cookie: b });
    expect(fromB.body.sessions.find((s: { current: boolean }) => s.current).userAgent).toBe(FIREFOX_UA);
    expect(fromB.body.sessions.find((s: { current: boolean }) => s.current).id).not.toBe(current[0]!.id);
  });

  it('DELETE /me/sessions/{id} ends that session (401 at once, its socket disconnects); the caller keeps working', async () => {
    const keeper = await cookieFor(user, CHROME_UA);
    const victim = await cookieFor(user, FIREFOX_UA);
    const socket = await connectSocket(baseUrl, { cookie: victim, origin });
    const list = await request(baseUrl, '/api/v1/me/sessions', { cookie: victim });
    const victimId = list.body.sessions.find((s: { current: boolean }) => s.current).id as string;
    const gone = serverDisconnect(socket);
    const started = performance.now();
    const del = await request(baseUrl, `/api/v1/me/sessions/${victimId}`, { method: 'DELETE', cookie: keeper, origin });
    expect(del.status, del.text).toBe(204);
    expect(await gone).toBe('io server disconnect');
    console.log(`[sessions] revoked session's socket disconnected ${Math.round(performance.now() - started)} ms after the DELETE was sent`);
    expectError(await me(victim), 'unauthorized');
    expect((await me(keeper)).status).toBe(200);
    const after = await request(baseUrl, '/api/v1/me/sessions', { cookie: keeper });
    expect(after.body.sessions.map((s: { id: string }) => s.id)).not.toContain(victimId);
    // Ending it again, or a made-up id: 404.
    expectError(await request(baseUrl, `/api/v1/me/sessions/${victimId}`, { method: 'DELETE', cookie: keeper, origin }), 'not_found');
    expectError(await request(baseUrl, `/api/v1/me/sessions/nope`, { method: 'DELETE', cookie: keeper, origin }), 'not_found');
  });

  it("cannot end someone else's session (404, and it keeps working)", async () => {
    const other = await registerUser(baseUrl, { prefix: 'ses' });
    const theirs = await cookieFor(other);
    const theirId = (await request(baseUrl, '/api/v1/me/sessions', { cookie: theirs })).body.sessions[0].id as string;
    const mine = await cookieFor(user);
    expectError(await request(baseUrl, `/api/v1/me/sessions/${theirId}`, { method: 'DELETE', cookie: mine, origin }), 'not_found');
    expect((await me(theirs)).status).toBe(200);
  });

  it('DELETE /me/sessions ends every session but this one', async () => {
    const u = await registerUser(baseUrl, { prefix: 'ses' });
    const here = await cookieFor(u, CHROME_UA);
    const others = [await cookieFor(u, FIREFOX_UA), await cookieFor(u, FIREFOX_UA)];
    const sockets = await Promise.all(others.map((cookie) => connectSocket(baseUrl, { cookie, origin })));
    const mySocket = await connectSocket(baseUrl, { cookie: here, origin });
    const gone = Promise.all(sockets.map((s) => serverDisconnect(s)));
    const del = await request(baseUrl, '/api/v1/me/sessions', { method: 'DELETE', cookie: here, origin });
    expect(del.status, del.text).toBe(204);
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
    for (const c of others) expectError(await me(c), 'unauthorized');
    expect((await me(here)).status).toBe(200);
    const list = await request(baseUrl, '/api/v1/me/sessions', { cookie: here });
    expect(list.body.sessions).toHaveLength(1);
    expect(list.body.sessions[0].current).toBe(true);
    // This session's socket was not touched: it still answers.
    const ack = await emitAck(mySocket, 'presence:subscribe', { userIds: [u.id] });
    expect(ack.ok).toBe(true);
    mySocket.close();
  });

  it('a token can list and end sessions (none is "current")', async () => {
    const u = await registerUser(baseUrl, { prefix: 'ses' });
    const cookie = await cookieFor(u);
    const { createToken } = await import('../helpers/api');
    const t = await createToken(baseUrl, u);
    const list = await request(baseUrl, '/api/v1/me/sessions', { token: t.token });
    expect(list.body.sessions).toHaveLength(1);
    expect(list.body.sessions[0].current).toBe(false);
    expect((await request(baseUrl, '/api/v1/me/sessions', { method: 'DELETE', token: t.token })).status).toBe(204);
    expectError(await me(cookie), 'unauthorized');
  });

  it('signed out: 401', async () => {
    expectError(await request(baseUrl, '/api/v1/me/sessions'), 'unauthorized');
    expectError(await request(baseUrl, '/api/v1/me/sessions/x', { method: 'DELETE', origin }), 'unauthorized');
  });
});

describe('PUT /me/password', () => {
  it('changes the password, ends every other session (and its socket), keeps this one', async () => {
    const u = await registerUser(baseUrl, { prefix: 'pw' });
    const here = await cookieFor(u, CHROME_UA);
    const other = await cookieFor(u, FIREFOX_UA);
    const socket = await connectSocket(baseUrl, { cookie: other, origin });
    const gone = serverDisconnect(socket);
    const res = await request(baseUrl, '/api/v1/me/password', {
      method: 'PUT',
      cookie: here,
      origin,
      body: { currentPassword: u.password, newPassword: 'a brand new passphrase' },
    });
    expect(res.status, res.text).toBe(204);
    expect(await gone).toBe('io server disconnect');
    expectError(await me(other), 'unauthorized');
    expect((await me(here)).status).toBe(200);
    expect((await signIn(baseUrl, u)).error).toBe('CredentialsSignin');
    expect((await signIn(baseUrl, { username: u.username, password: 'a brand new passphrase' })).cookie).toBeTruthy();
  });

  it('a wrong current password is 403 and changes nothing; a short new one is 400', async () => {
    const u = await registerUser(baseUrl, { prefix: 'pw' });
    const here = await cookieFor(u);
    const other = await cookieFor(u);
    expectError(
      await request(baseUrl, '/api/v1/me/password', { method: 'PUT', cookie: here, origin, body: { currentPassword: 'wrong one!', newPassword: 'another passphrase' } }),
      'forbidden',
    );
    expectError(
      await request(baseUrl, '/api/v1/me/password', { method: 'PUT', cookie: here, origin, body: { currentPassword: u.password, newPassword: 'short' } }),
      'bad_request',
      { issues: true },
    );
    expect((await me(other)).status).toBe(200);
    expect((await signIn(baseUrl, u)).cookie).toBeTruthy();
  });

  it('needs the same origin with a cookie (CSRF)', async () => {
    const u = await registerUser(baseUrl, { prefix: 'pw' });
    const here = await cookieFor(u);
    expectError(
      await request(baseUrl, '/api/v1/me/password', {
        method: 'PUT',
        cookie: here,
        origin: 'https://evil.example',
        body: { currentPassword: u.password, newPassword: 'another passphrase' },
      }),
      'forbidden',
    );
  });
});

describe('session expiry (a server with SESSION_IDLE_DAYS of a few seconds)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // 0.00005 days = 4.3 s unused.
    server = await startServer({ env: { SESSION_IDLE_DAYS: '0.00005' }, timeoutMs: 150_000 });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('a session unused for longer than the idle limit answers 401, and its open socket is closed then, with nothing sent', async () => {
    const u = await registerUser(server.url, { prefix: 'idle' });
    const cookie = await cookieFor(u, CHROME_UA, server.url);
    expect((await me(cookie, server.url)).status).toBe(200);
    const socket = await connectSocket(server.url, { cookie, origin: new URL(server.url).origin });
    // The socket sends nothing from here on: the server closes it when the session goes idle.
    const gone = serverDisconnect(socket);
    // Poll (not a timing assertion): it must stop working within a generous bound.
    const deadline = Date.now() + 60_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      status = (await me(cookie, server.url)).status;
    }
    expect(status).toBe(401);
    expect(await gone).toBe('io server disconnect');
    expect((await request(server.url, '/api/v1/me/sessions', { cookie })).status).toBe(401);
  });

  it('a cookie signed with the right secret but without a session id (from before sessions existed) is refused', async () => {
    const { encode } = await import('next-auth/jwt');
    const { readFileSync } = await import('node:fs');
    const u = await registerUser(server.url, { prefix: 'old' });
    const secret = (JSON.parse(readFileSync(`${server.dataDir}/secrets.json`, 'utf8')) as { authSecret: string }).authSecret;
    const old = await encode({ token: { sub: u.id, name: u.displayName }, secret });
    expectError(await me(`next-auth.session-token=${old}`, server.url), 'unauthorized');
    // The same secret with a live session id works: the refusal above is about the missing session.
    const cookie = await cookieFor(u, CHROME_UA, server.url);
    expect((await me(cookie, server.url)).status).toBe(200);
  });
});
