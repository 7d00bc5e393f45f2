/**
 * Personal access tokens (Authorization: Bearer) and the CSRF rule for cookie-authenticated writes, over HTTP
 * against the real server.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createToken, login, registerUser, request, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;

describe('personal access tokens', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await registerUser(baseUrl, { prefix: 'tok' });
  });

  it('POST /auth/tokens answers 201 {token, id, name, createdAt}, and the token works for GET /me', async () => {
    const res = await request(baseUrl, '/api/v1/auth/tokens', {
      method: 'POST',
      body: { username: user.username, password: user.password, name: 'laptop' },
    });
    expect(res.status, res.text).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'name', 'scopes', 'token']);
    expect(res.body.name).toBe('laptop');
    expect(res.body.token).toMatch(/^ctx_[A-Za-z0-9_-]{20,}$/);
    const me = await request(baseUrl, '/api/v1/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: user.id, username: user.username });
  });

  it('the username is matched case-insensitively', async () => {
    const t = await createToken(baseUrl, { username: user.username.toUpperCase(), password: user.password });
    expect((await request(baseUrl, '/api/v1/me', { token: t.token })).body.user.id).toBe(user.id);
  });

  it('GET /me/tokens lists tokens without their secret', async () => {
    const t = await createToken(baseUrl, user, 'listed');
    const res = await request(baseUrl, '/api/v1/me/tokens', { token: t.token });
    expect(res.status).toBe(200);
    const row = res.body.tokens.find((x: { id: string }) => x.id === t.id);
    expect(row).toMatchObject({ id: t.id, name: 'listed' });
    expect(res.text).not.toContain(t.token);
    expect(res.text).not.toContain(t.token.slice(4));
    for (const x of res.body.tokens) expect(Object.keys(x)).not.toContain('token');
  });

  it('a revoked token gets 401 in the contract error shape', async () => {
    const t = await createToken(baseUrl, user, 'to revoke');
    const keeper = await createToken(baseUrl, user, 'keeper');
    expect((await request(baseUrl, '/api/v1/me', { token: t.token })).status).toBe(200);
    const del = await request(baseUrl, `/api/v1/me/tokens/${t.id}`, { method: 'DELETE', token: keeper.token });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expectError(await request(baseUrl, '/api/v1/me', { token: t.token }), 'unauthorized', { issues: false });
    // Revoking again: it is gone.
    expectError(await request(baseUrl, `/api/v1/me/tokens/${t.id}`, { method: 'DELETE', token: keeper.token }), 'not_found');
    // The other token still works.
    expect((await request(baseUrl, '/api/v1/me', { token: keeper.token })).status).toBe(200);
  });

  it('a token can revoke itself', async () => {
    const t = await createToken(baseUrl, user, 'self');
    expect((await request(baseUrl, `/api/v1/me/tokens/${t.id}`, { method: 'DELETE', token: t.token })).status).toBe(204);
    expectError(await request(baseUrl, '/api/v1/me', { token: t.token }), 'unauthorized');
  });

  it("cannot revoke someone else's token (404, and it keeps working)", async () => {
    const other = await registerUser(baseUrl, { prefix: 'tok' });
    const theirs = await createToken(baseUrl, other);
    const mine = await createToken(baseUrl, user);
    expectError(await request(baseUrl, `/api/v1/me/tokens/${theirs.id}`, { method: 'DELETE', token: mine.token }), 'not_found');
    expect((await request(baseUrl, '/api/v1/me', { token: theirs.token })).status).toBe(200);
  });

  it.each([
    ['a garbage token', 'Bearer garbage'],
    ['a well-formed but unknown token', 'Bearer ctx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['an empty bearer', 'Bearer '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a very long token', `Bearer ctx_${'a'.repeat(5000)}`],
  ])('%s gets 401', async (_what, authorization) => {
    expectError(await request(baseUrl, '/api/v1/me', { headers: { authorization } }), 'unauthorized', { issues: false });
  });

  it('no credentials at all gets 401 on every authenticated route', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/me'],
      ['PATCH', '/api/v1/me'],
      ['GET', '/api/v1/me/tokens'],
      ['DELETE', '/api/v1/me/tokens/whatever'],
      ['GET', '/api/v1/users'],
      ['GET', `/api/v1/users/${user.id}`],
    ] as const) {
      expectError(await request(baseUrl, path, { method, body: method === 'PATCH' ? { bio: 'x' } : undefined }), 'unauthorized');
    }
  });

  it('GET /users and GET /users/{id} work with a token, and an unknown id is 404', async () => {
    const t = await createToken(baseUrl, user);
    const list = await request(baseUrl, `/api/v1/users?q=${encodeURIComponent(user.username)}`, { token: t.token });
    expect(list.status).toBe(200);
    expect(list.body.users.map((u: { id: string }) => u.id)).toContain(user.id);
    const one = await request(baseUrl, `/api/v1/users/${user.id}`, { token: t.token });
    expect(one.status).toBe(200);
    expect(one.body.user).toMatchObject({ id: user.id, username: user.username, online: false });
    expect(one.text).not.toMatch(/email|isAdmin|password/);
    expectError(await request(baseUrl, '/api/v1/users/no-such-user', { token: t.token }), 'not_found');
  });
});

describe('CSRF: cookie-authenticated writes must come from our own Origin', () => {
  let user: TestUser;
  let cookie: string;
  beforeAll(async () => {
    user = await registerUser(baseUrl, { prefix: 'csrf' });
    cookie = await login(baseUrl, user);
  });

  it('a cookie GET needs no Origin', async () => {
    const res = await request(baseUrl, '/api/v1/me', { cookie });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.id);
  });

  it.each([
    ['without Origin', undefined],
    ['with a foreign Origin', 'https://evil.example'],
    ['with a look-alike Origin (other port)', origin.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`)],
    ['with Origin "null"', 'null'],
  ])('PATCH /me %s → 403 forbidden, and nothing changes', async (_what, badOrigin) => {
    const res = await request(baseUrl, '/api/v1/me', { method: 'PATCH', cookie, origin: badOrigin, body: { displayName: 'Hijacked' } });
    expectError(res, 'forbidden');
    const me = await request(baseUrl, '/api/v1/me', { cookie });
    expect(me.body.user.displayName).not.toBe('Hijacked');
  });

  it('PATCH /me with the right Origin → 200 and the change is stored', async () => {
    const res = await request(baseUrl, '/api/v1/me', { method: 'PATCH', cookie, origin, body: { displayName: 'Renamed Person', bio: 'hello' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.user).toMatchObject({ displayName: 'Renamed Person', bio: 'hello' });
    expect((await request(baseUrl, '/api/v1/me', { cookie })).body.user.displayName).toBe('Renamed Person');
  });

  it('a cookie DELETE of a token also needs the Origin', async () => {
    const t = await createToken(baseUrl, user, 'csrf-target');
    expectError(await request(baseUrl, `/api/v1/me/tokens/${t.id}`, { method: 'DELETE', cookie, origin: 'https://evil.example' }), 'forbidden');
    expect((await request(baseUrl, '/api/v1/me', { token: t.token })).status).toBe(200);
    expect((await request(baseUrl, `/api/v1/me/tokens/${t.id}`, { method: 'DELETE', cookie, origin })).status).toBe(204);
  });

  it('a bearer PATCH needs no Origin', async () => {
    const t = await createToken(baseUrl, user);
    const res = await request(baseUrl, '/api/v1/me', { method: 'PATCH', token: t.token, body: { bio: 'via token' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.user.bio).toBe('via token');
  });

  it('a tampered session cookie is 401', async () => {
    const tampered = cookie.slice(0, -4) + (cookie.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expectError(await request(baseUrl, '/api/v1/me', { cookie: tampered }), 'unauthorized');
  });

  it('the session cookie is HttpOnly and SameSite=Lax', async () => {
    const csrf = await request(baseUrl, '/api/auth/csrf');
    const jar = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const form = new URLSearchParams({ csrfToken: csrf.body.csrfToken, username: user.username, password: user.password, json: 'true' });
    const res = await request(baseUrl, '/api/auth/callback/credentials', {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar },
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='));
    expect(session, res.headers.getSetCookie().join('\n')).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
  });
});
