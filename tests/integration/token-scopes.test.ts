/**
 * Personal access tokens with scopes and expiry, revoked tokens' sockets, and the security events a person sees,
 * against the real server.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { connectError, connectSocket, createToken, emitAck, registerUser, request, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { CHROME_UA, serverDisconnect, signIn, signOut } from '../helpers/trust';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;

async function tokenWith(user: TestUser, extra: Record<string, unknown>) {
  const res = await request(baseUrl, '/api/v1/auth/tokens', { method: 'POST', body: { username: user.username, password: user.password, name: 'scoped', ...extra } });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${res.text}`);
  return res.body as { token: string; id: string; scopes: string[]; expiresAt: string | null };
}

describe('token scopes', () => {
  let user: TestUser;
  let friend: TestUser;
  let conversationId: string;
  beforeAll(async () => {
    user = await registerUser(baseUrl, { prefix: 'scope' });
    friend = await registerUser(baseUrl, { prefix: 'scope' });
    const full = await createToken(baseUrl, user);
    const conv = await request(baseUrl, '/api/v1/conversations', { method: 'POST', token: full.token, body: { kind: 'direct', userId: friend.id } });
    conversationId = conv.body.conversation.id;
  });

  it('a token has read and write by default; the list shows scopes, expiry and last use', async () => {
    const t = await createToken(baseUrl, user, 'default');
    expect((await request(baseUrl, '/api/v1/me', { token: t.token })).status).toBe(200);
    const list = await request(baseUrl, '/api/v1/me/tokens', { token: t.token });
    const row = list.body.tokens.find((x: { id: string }) => x.id === t.id);
    expect(row).toMatchObject({ id: t.id, name: 'default', scopes: ['read', 'write'], expiresAt: null });
    expect(row.lastUsedAt).not.toBeNull();
    expect(Object.keys(row).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'scopes']);
  });

  it('a read token reads, and gets 403 forbidden on every REST call that changes state', async () => {
    const t = await tokenWith(user, { scopes: ['read'] });
    expect(t.scopes).toEqual(['read']);
    expect((await request(baseUrl, '/api/v1/me', { token: t.token })).status).toBe(200);
    expect((await request(baseUrl, `/api/v1/conversations/${conversationId}/messages`, { token: t.token })).status).toBe(200);
    expectError(
      await request(baseUrl, `/api/v1/conversations/${conversationId}/messages`, { method: 'POST', token: t.token, body: { body: 'nope' } }),
      'forbidden',
    );
    expectError(await request(baseUrl, '/api/v1/me', { method: 'PATCH', token: t.token, body: { bio: 'hacked' } }), 'forbidden');
    expectError(await request(baseUrl, '/api/v1/conversations', { method: 'POST', token: t.token, body: { kind: 'direct', userId: friend.id } }), 'forbidden');
    expectError(await request(baseUrl, '/api/v1/me', { method: 'DELETE', token: t.token, body: { password: user.password } }), 'forbidden');
    expectError(await request(baseUrl, `/api/v1/me/tokens/${t.id}`, { method: 'DELETE', token: t.token }), 'forbidden');
    expectError(await request(baseUrl, '/api/v1/me/sessions', { method: 'DELETE', token: t.token }), 'forbidden');
    expect((await request(baseUrl, '/api/v1/me', { token: t.token })).body.user.bio).toBe('');
  });

  it('a read token on a socket: reading events work, changing ones are acknowledged forbidden and do nothing', async () => {
    const t = await tokenWith(user, { scopes: ['read'] });
    const socket = await connectSocket(baseUrl, { token: t.token });
    try {
      const sub = await emitAck(socket, 'presence:subscribe', { userIds: [friend.id] });
      expect(sub.ok).toBe(true);
      const send = await emitAck(socket, 'message:send', { conversationId, body: 'should not be stored', clientId: 'ro-1' });
      expect(send).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
      for (const [event, payload] of [
        ['typing:start', { conversationId }],
        ['conversation:read', { conversationId, messageId: 'x' }],
        ['reaction:add', { messageId: 'x', emoji: '👍' }],
        ['message:edit', { messageId: 'x', body: 'y' }],
        ['message:delete', { messageId: 'x' }],
      ] as const) {
        const ack = await emitAck(socket, event, payload);
        expect(ack.ok, event).toBe(false);
        expect(ack.error.code, event).toBe('forbidden');
      }
      const msgs = await request(baseUrl, `/api/v1/conversations/${conversationId}/messages`, { token: t.token });
      expect(msgs.body.messages.map((m: { body: string }) => m.body)).not.toContain('should not be stored');
      // A write token on a socket sends.
      const w = await tokenWith(user, { scopes: ['read', 'write'] });
      const ws = await connectSocket(baseUrl, { token: w.token });
      const ok = await emitAck(ws, 'message:send', { conversationId, body: 'stored', clientId: `rw-${Date.now()}` });
      expect(ok.ok).toBe(true);
      ws.close();
    } finally {
      socket.close();
    }
  });

  it('scopes and expiresAt are validated', async () => {
    for (const extra of [{ scopes: [] }, { scopes: ['admin'] }, { scopes: 'read' }, { expiresAt: 'tomorrow' }, { expiresAt: new Date(Date.now() - 60_000).toISOString() }]) {
      expectError(
        await request(baseUrl, '/api/v1/auth/tokens', { method: 'POST', body: { username: user.username, password: user.password, name: 'bad', ...extra } }),
        'bad_request',
        { issues: true },
      );
    }
  });

  it('an expired token gets 401 on REST and at the socket handshake', async () => {
    const expiresAt = new Date(Date.now() + 3_000).toISOString();
    const t = await tokenWith(user, { expiresAt });
    expect(t.expiresAt).toBe(expiresAt);
    expect((await request(baseUrl, '/api/v1/me', { token: t.token })).status).toBe(200);
    const list = await request(baseUrl, '/api/v1/me/tokens', { token: t.token });
    expect(list.body.tokens.find((x: { id: string }) => x.id === t.id).expiresAt).toBe(expiresAt);
    const socket = await connectSocket(baseUrl, { token: t.token });
    const gone = serverDisconnect(socket, 30_000);
    // Wait until it has expired (the server's clock decides; poll, no timing assertion).
    const deadline = Date.now() + 30_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await request(baseUrl, '/api/v1/me', { token: t.token })).status;
    }
    expectError(await request(baseUrl, '/api/v1/me', { token: t.token }), 'unauthorized');
    expect((await connectError(baseUrl, { token: t.token })).message).toBe('unauthorized');
    // The socket opened before was closed by the server when the token expired, without sending anything.
    expect(await gone).toBe('io server disconnect');
  });

  it("a revoked token's sockets disconnect at once; the caller's own socket stays", async () => {
    const t = await createToken(baseUrl, user, 'doomed');
    const keeper = await createToken(baseUrl, user, 'keeper');
    const doomed = await Promise.all([connectSocket(baseUrl, { token: t.token }), connectSocket(baseUrl, { token: t.token, transports: ['polling'] })]);
    const kept = await connectSocket(baseUrl, { token: keeper.token });
    const gone = Promise.all(doomed.map((s) => serverDisconnect(s)));
    const started = performance.now();
    expect((await request(baseUrl, `/api/v1/me/tokens/${t.id}`, { method: 'DELETE', token: keeper.token })).status).toBe(204);
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
    console.log(`[tokens] revoked token's sockets disconnected ${Math.round(performance.now() - started)} ms after the DELETE was sent`);
    expect(kept.connected).toBe(true);
    expect((await emitAck(kept, 'presence:subscribe', { userIds: [] })).ok).toBe(true);
    kept.close();
  });
});

describe('security events', () => {
  it('GET /me/security-events lists what happened to the account, newest first, without secrets', async () => {
    const user = await registerUser(baseUrl, { prefix: 'sev' });
    expect((await signIn(baseUrl, { username: user.username, password: 'wrong password' }, { userAgent: CHROME_UA })).error).toBe('CredentialsSignin');
    const a = await signIn(baseUrl, user, { userAgent: CHROME_UA });
    const b = await signIn(baseUrl, user);
    const t = await createToken(baseUrl, user, 'evented');
    expect((await request(baseUrl, `/api/v1/me/tokens/${t.id}`, { method: 'DELETE', cookie: a.cookie, origin })).status).toBe(204);
    const sessions = await request(baseUrl, '/api/v1/me/sessions', { cookie: a.cookie });
    const bId = sessions.body.sessions.find((s: { current: boolean }) => !s.current).id;
    expect((await request(baseUrl, `/api/v1/me/sessions/${bId}`, { method: 'DELETE', cookie: a.cookie, origin })).status).toBe(204);
    expect(
      (await request(baseUrl, '/api/v1/me/password', { method: 'PUT', cookie: a.cookie, origin, body: { currentPassword: user.password, newPassword: 'new secret phrase' } }))
        .status,
    ).toBe(204);
    const c = await signIn(baseUrl, { username: user.username, password: 'new secret phrase' });
    expect(await signOut(baseUrl, c.cookie!)).toBe(200);
    void b;

    const res = await request(baseUrl, '/api/v1/me/security-events', { cookie: a.cookie });
    expect(res.status, res.text).toBe(200);
    const events = res.body.events as { id: string; type: string; ip: string | null; userAgent: string | null; detail: Record<string, unknown>; createdAt: string }[];
    const types = events.map((e) => e.type);
    expect(types).toEqual([
      'sign_out',
      'sign_in',
      'password_changed',
      'session_revoked',
      'token_revoked',
      'token_created',
      'sign_in',
      'sign_in',
      'sign_in_failed',
    ]);
    for (const e of events) expect(Object.keys(e).sort()).toEqual(['createdAt', 'detail', 'id', 'ip', 'type', 'userAgent']);
    expect(events.at(-1)).toMatchObject({ type: 'sign_in_failed', userAgent: CHROME_UA, detail: { reason: 'password' } });
    expect(events.at(-1)!.ip).toMatch(/127\.0\.0\.1/);
    expect(events.find((e) => e.type === 'token_created')!.detail).toMatchObject({ tokenId: t.id, name: 'evented', scopes: ['read', 'write'] });
    expect(res.text).not.toContain(user.password);
    expect(res.text).not.toContain('new secret phrase');
    expect(res.text).not.toContain(t.token);
    // Nobody else sees them.
    const other = await registerUser(baseUrl, { prefix: 'sev' });
    const ot = await createToken(baseUrl, other);
    const theirs = await request(baseUrl, '/api/v1/me/security-events', { token: ot.token });
    expect(theirs.body.events.map((e: { type: string }) => e.type)).toEqual(['token_created']);
    expectError(await request(baseUrl, '/api/v1/me/security-events'), 'unauthorized');
  });

  it('at most the last 50', async () => {
    const user = await registerUser(baseUrl, { prefix: 'sev' });
    const t = await createToken(baseUrl, user);
    await Promise.all(Array.from({ length: 55 }, () => signIn(baseUrl, { username: user.username, password: 'wrong password' })));
    const res = await request(baseUrl, '/api/v1/me/security-events', { token: t.token });
    expect(res.body.events).toHaveLength(50);
  });
});
