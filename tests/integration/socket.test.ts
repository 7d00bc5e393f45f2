/**
 * Socket.IO on the real server with real socket.io-client connections: handshake auth (token, cookie + Origin)
 * and presence with two sockets for one user, seen by a second user through `presence:subscribe`.
 */
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  connectError,
  connectSocket,
  createToken,
  emitAck,
  login,
  nextEvent,
  registerUser,
  request,
  sleep,
  type ClientSocket,
  type TestUser,
} from '../helpers/api';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;

const open: ClientSocket[] = [];
async function connect(opts: Parameters<typeof connectSocket>[1]): Promise<ClientSocket> {
  const s = await connectSocket(baseUrl, opts);
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

interface PresenceEvent {
  userId: string;
  online: boolean;
  lastSeenAt: string | null;
}

describe('socket handshake', () => {
  let user: TestUser;
  let token: string;
  let cookie: string;
  beforeAll(async () => {
    user = await registerUser(baseUrl, { prefix: 'sock' });
    token = (await createToken(baseUrl, user)).token;
    cookie = await login(baseUrl, user);
  });

  it('a client with a token connects (websocket and polling), with no Origin header', async () => {
    const ws = await connect({ token });
    expect(ws.connected).toBe(true);
    const polling = await connect({ token, transports: ['polling'] });
    expect(polling.connected).toBe(true);
    // The connection works: an event with an acknowledgement answers.
    const ack = await emitAck(ws, 'presence:subscribe', { userIds: [user.id] });
    expect(ack).toMatchObject({ ok: true, data: { presence: [{ userId: user.id }] } });
  });

  it.each([
    ['no credentials', {}],
    ['a garbage token', { token: 'garbage' }],
    ['a well-formed unknown token', { token: 'ctx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
    ['a garbage cookie with the right Origin', { cookie: 'next-auth.session-token=not-a-jwt', origin }],
  ])('%s → connect_error "unauthorized"', async (_what, opts) => {
    const err = await connectError(baseUrl, opts);
    expect(err.message).toBe('unauthorized');
  });

  it('a revoked token is refused', async () => {
    const t = await createToken(baseUrl, user, 'revoke-me');
    (await connect({ token: t.token })).close();
    expect((await request(baseUrl, `/api/v1/me/tokens/${t.id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await connectError(baseUrl, { token: t.token })).message).toBe('unauthorized');
  });

  it('a session cookie with the right Origin connects (websocket and polling)', async () => {
    const s = await connect({ cookie, origin });
    expect(s.connected).toBe(true);
    const p = await connect({ cookie, origin, transports: ['polling'] });
    expect(p.connected).toBe(true);
  });

  it.each([
    ['a foreign Origin', 'https://evil.example'],
    ['an Origin on another port', origin.replace(/:(\d+)$/, (_m, port: string) => `:${Number(port) + 1}`)],
    ['no Origin', undefined],
  ])('a session cookie with %s → connect_error "unauthorized"', async (_what, badOrigin) => {
    const err = await connectError(baseUrl, { cookie, origin: badOrigin });
    expect(err.message).toBe('unauthorized');
  });

  it('an ack for a malformed payload is an error in the contract shape', async () => {
    const s = await connect({ token });
    const ack = await emitAck(s, 'presence:subscribe', { userIds: 'not-a-list' });
    expect(ack.ok).toBe(false);
    expect(ack.error.code).toBe('bad_request');
    expect(typeof ack.error.message).toBe('string');
    const tooMany = await emitAck(s, 'presence:subscribe', { userIds: Array.from({ length: 201 }, (_, i) => `u${i}`) });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});

describe('presence: first connect and last disconnect, two sockets for one user', () => {
  it('the watcher sees online on the first socket, nothing when one of two closes, offline with lastSeenAt after the last', async () => {
    const watched = await registerUser(baseUrl, { prefix: 'seen' });
    const watcher = await registerUser(baseUrl, { prefix: 'watch' });
    const watchedToken = (await createToken(baseUrl, watched)).token;
    const watcherToken = (await createToken(baseUrl, watcher)).token;

    const w = await connect({ token: watcherToken });
    const events: PresenceEvent[] = [];
    w.on('presence', (p) => {
      if (p.userId === watched.id) events.push(p);
    });

    // Before: never seen.
    const before = await emitAck(w, 'presence:subscribe', { userIds: [watched.id] });
    expect(before).toEqual({
      ok: true,
      data: { presence: [{ userId: watched.id, online: false, lastSeenAt: null, away: false, status: null, dnd: false, dndEndsAt: null }] },
    });

    // First socket → online.
    const gotOnline = nextEvent<PresenceEvent>(w, 'presence', (p) => p.userId === watched.id);
    const a1 = await connect({ token: watchedToken });
    const online = await gotOnline;
    expect(online).toMatchObject({ userId: watched.id, online: true });
    expect((await request(baseUrl, `/api/v1/users/${watched.id}`, { token: watcherToken })).body.user.online).toBe(true);

    // Second socket → no new event (not a first connect).
    const a2 = await connect({ token: watchedToken, transports: ['polling'] });
    await sleep(700);
    expect(events.length).toBe(1);

    // Close one of two → still online, no event.
    a1.close();
    await sleep(700);
    expect(events.length).toBe(1);
    const still = await emitAck(w, 'presence:subscribe', { userIds: [watched.id] });
    expect(still.data.presence[0]).toMatchObject({ userId: watched.id, online: true });
    expect((await request(baseUrl, `/api/v1/users/${watched.id}`, { token: watcherToken })).body.user.online).toBe(true);

    // Close the last → offline, with lastSeenAt.
    const gotOffline = nextEvent<PresenceEvent>(w, 'presence', (p) => p.userId === watched.id && !p.online);
    const closedAt = Date.now();
    a2.close();
    const offline = await gotOffline;
    expect(offline.online).toBe(false);
    expect(offline.lastSeenAt).not.toBeNull();
    const lastSeen = new Date(offline.lastSeenAt!).getTime();
    expect(new Date(offline.lastSeenAt!).toISOString()).toBe(offline.lastSeenAt);
    expect(Math.abs(lastSeen - closedAt)).toBeLessThan(10_000);
    expect(events.length).toBe(2);

    // lastSeenAt is stored: GET /users/{id} shows it.
    const stored = await request(baseUrl, `/api/v1/users/${watched.id}`, { token: watcherToken });
    expect(stored.body.user).toMatchObject({ id: watched.id, online: false, lastSeenAt: offline.lastSeenAt });
    const after = await emitAck(w, 'presence:subscribe', { userIds: [watched.id] });
    expect(after.data.presence[0]).toEqual({ userId: watched.id, online: false, lastSeenAt: offline.lastSeenAt, away: false, status: null, dnd: false, dndEndsAt: null });
  });

  it('a cookie socket and a token socket of one user count together', async () => {
    const watched = await registerUser(baseUrl, { prefix: 'seen' });
    const watcher = await registerUser(baseUrl, { prefix: 'watch' });
    const watcherToken = (await createToken(baseUrl, watcher)).token;
    const w = await connect({ token: watcherToken });
    await emitAck(w, 'presence:subscribe', { userIds: [watched.id] });

    const gotOnline = nextEvent<PresenceEvent>(w, 'presence', (p) => p.userId === watched.id && p.online);
    const viaCookie = await connect({ cookie: await login(baseUrl, watched), origin });
    await gotOnline;
    const viaToken = await connect({ token: (await createToken(baseUrl, watched)).token });

    viaCookie.close();
    await sleep(500);
    expect((await emitAck(w, 'presence:subscribe', { userIds: [watched.id] })).data.presence[0].online).toBe(true);

    const gotOffline = nextEvent<PresenceEvent>(w, 'presence', (p) => p.userId === watched.id && !p.online);
    viaToken.close();
    expect((await gotOffline).lastSeenAt).toEqual(expect.any(String));
  });

  it('an unsubscribed user hears nothing about a stranger', async () => {
    const stranger = await registerUser(baseUrl, { prefix: 'strg' });
    const bystander = await registerUser(baseUrl, { prefix: 'byst' });
    const b = await connect({ token: (await createToken(baseUrl, bystander)).token });
    // Subscribed to someone else: replacing the set means the stranger is not in it.
    await emitAck(b, 'presence:subscribe', { userIds: [stranger.id] });
    await emitAck(b, 'presence:subscribe', { userIds: [bystander.id] });
    const heard: PresenceEvent[] = [];
    b.on('presence', (p) => {
      if (p.userId === stranger.id) heard.push(p);
    });
    const s = await connect({ token: (await createToken(baseUrl, stranger)).token });
    await sleep(700);
    s.close();
    await sleep(700);
    expect(heard).toEqual([]);
  });
});
