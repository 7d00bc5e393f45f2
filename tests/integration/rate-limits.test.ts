/**
 * Rate limits on a server of its own, started as in production: NODE_ENV=production, RATE_LIMITS on.
 * TRUST_PROXY=1 lets each test come from its own random client address (X-Forwarded-For), so counts left in a
 * shared Redis by an earlier run (CI runs with REDIS_URL) cannot leak into this one.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectError, connectSocket, credentialsCallback, emitAck, registerUser, request, uniqueUsername, type ClientSocket, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { startServer, type RunningServer } from '../helpers/server';

const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ rateLimits: true, env: { TRUST_PROXY: '1' } });
});
afterAll(async () => {
  await server?.stop();
});

describe('rate limits (RATE_LIMITS on)', () => {
  it('the server refuses to start with RATE_LIMITS=off in production', async () => {
    await expect(startServer({ rateLimits: true, env: { RATE_LIMITS: 'off' }, timeoutMs: 30_000 })).rejects.toThrow(
      /RATE_LIMITS=off is refused when NODE_ENV=production/,
    );
  });

  it('POST /auth/tokens: 10 bad sign-ins per minute from one address, the 11th is 429 with Retry-After', async () => {
    const ip = randomIp();
    const attempt = () =>
      request(baseUrl(), '/api/v1/auth/tokens', {
        method: 'POST',
        headers: { 'x-forwarded-for': ip },
        body: { username: uniqueUsername('rl'), password: 'wrong-password', name: 'x' },
      });
    for (let i = 1; i <= 10; i++) expectError(await attempt(), 'unauthorized');
    const limited = await attempt();
    expectError(limited, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Another address is not affected.
    expectError(
      await request(baseUrl(), '/api/v1/auth/tokens', {
        method: 'POST',
        headers: { 'x-forwarded-for': randomIp() },
        body: { username: uniqueUsername('rl'), password: 'wrong-password', name: 'x' },
      }),
      'unauthorized',
    );
  });

  it('even the right password is refused while limited (no oracle)', async () => {
    const ip = randomIp();
    const user = await registerUser(baseUrl(), { prefix: 'rl', headers: { 'x-forwarded-for': randomIp() } });
    const attempt = (password: string) =>
      request(baseUrl(), '/api/v1/auth/tokens', {
        method: 'POST',
        headers: { 'x-forwarded-for': ip },
        body: { username: user.username, password, name: 'x' },
      });
    for (let i = 0; i < 10; i++) await attempt('wrong-password');
    expectError(await attempt(user.password), 'rate_limited');
  });

  it('next-auth sign-in: the 11th bad attempt for one address answers rate_limited and sets no session', async () => {
    const ip = randomIp();
    const headers = { 'x-forwarded-for': ip };
    for (let i = 1; i <= 10; i++) {
      const { res } = await credentialsCallback(baseUrl(), uniqueUsername('rl'), 'wrong-password', headers);
      expect(JSON.stringify(res.body)).toMatch(/CredentialsSignin/);
    }
    const { res, cookies } = await credentialsCallback(baseUrl(), uniqueUsername('rl'), 'wrong-password', headers);
    expect(JSON.stringify(res.body)).toMatch(/rate_limited/);
    expect(cookies['next-auth.session-token']).toBeUndefined();
  });

  it('registration: 20 per hour per address, then 429', async () => {
    const ip = randomIp();
    const attempt = () =>
      request(baseUrl(), '/api/v1/auth/register', {
        method: 'POST',
        headers: { 'x-forwarded-for': ip },
        // Invalid bodies still count: the limit comes before parsing.
        body: { username: 'x', password: 'y' },
      });
    for (let i = 1; i <= 20; i++) expectError(await attempt(), 'bad_request');
    const limited = await attempt();
    expectError(limited, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(60);
  });
});

function baseUrl(): string {
  return server.url;
}

async function newUser(prefix: string): Promise<TestUser> {
  return registerUser(baseUrl(), { prefix, headers: { 'x-forwarded-for': randomIp() } });
}

async function tokenFor(user: TestUser, ip = randomIp()): Promise<string> {
  const res = await request<{ token: string }>(baseUrl(), '/api/v1/auth/tokens', {
    method: 'POST',
    headers: { 'x-forwarded-for': ip },
    body: { username: user.username, password: user.password, name: 't' },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.token;
}

function tokenAttempt(username: string, password: string, ip: string, cookie?: string) {
  return request<{ token: string }>(baseUrl(), '/api/v1/auth/tokens', {
    method: 'POST',
    headers: { 'x-forwarded-for': ip, ...(cookie ? { cookie } : {}) },
    body: { username, password, name: 't' },
  });
}

describe('the password throttle (lib/auth/throttle.ts)', () => {
  it('an attacker spread over many addresses gets at most 100 guesses per account an hour; "name " and "NAME" are the same account; the owner on a known device still gets in', async () => {
    const owner = await newUser('thr');
    // The owner signed in on this browser before the attack: it holds a device cookie.
    const { cookies } = await credentialsCallback(baseUrl(), owner.username, owner.password, { 'x-forwarded-for': randomIp() });
    const device = cookies['chattrix-device'];
    expect(device, 'a successful sign-in sets the device cookie').toBeTruthy();

    const variants = [owner.username, `${owner.username} `, ` ${owner.username}`, owner.username.toUpperCase(), `${owner.username.toUpperCase()}  `];
    const statuses: number[] = [];
    // 120 guesses, each from a fresh address, ten at a time in parallel (the reservations are atomic).
    for (let batch = 0; batch < 12; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => tokenAttempt(variants[(batch * 10 + i) % variants.length]!, `guess-${batch}-${i}`, randomIp())),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);

    // Without the device cookie even the right password is refused now, from a new address too (no oracle) …
    expect((await tokenAttempt(owner.username, owner.password, randomIp())).status).toBe(429);
    const web = await credentialsCallback(baseUrl(), owner.username, owner.password, { 'x-forwarded-for': randomIp() });
    expect(JSON.stringify(web.res.body)).toMatch(/rate_limited/);
    // … but the owner's own browser is not refused because of someone else's failures: web sign-in and a token.
    const known = await credentialsCallback(baseUrl(), owner.username, owner.password, { 'x-forwarded-for': randomIp(), cookie: `chattrix-device=${device}` });
    expect(known.cookies['next-auth.session-token'], JSON.stringify(known.res.body)).toBeTruthy();
    const viaToken = await tokenAttempt(owner.username, owner.password, randomIp(), `chattrix-device=${device}`);
    expect(viaToken.status, viaToken.text).toBe(201);
    // A device cookie of another account, or a forged one, is no key.
    const other = await newUser('thro');
    const otherLogin = await credentialsCallback(baseUrl(), other.username, other.password, { 'x-forwarded-for': randomIp() });
    expect((await tokenAttempt(owner.username, owner.password, randomIp(), `chattrix-device=${otherLogin.cookies['chattrix-device']}`)).status).toBe(429);
    expect((await tokenAttempt(owner.username, owner.password, randomIp(), `chattrix-device=${device!.split('.')[0]}.forged`)).status).toBe(429);
  });

  it('a known device is limited by its own failures (10 in a row)', async () => {
    const owner = await newUser('thd');
    const { cookies } = await credentialsCallback(baseUrl(), owner.username, owner.password, { 'x-forwarded-for': randomIp() });
    const cookie = `chattrix-device=${cookies['chattrix-device']}`;
    for (let i = 0; i < 10; i++) expect((await tokenAttempt(owner.username, 'wrong', randomIp(), cookie)).status).toBe(401);
    expect((await tokenAttempt(owner.username, owner.password, randomIp(), cookie)).status).toBe(429);
  });

  it('web sign-in, POST /auth/tokens and DELETE /me share one count per account and address', async () => {
    const user = await newUser('ths');
    const token = await tokenFor(user);
    const ip = randomIp();
    // 4 wrong deletions + 3 wrong web sign-ins + 3 wrong token requests = 10 from this address for this account.
    for (let i = 0; i < 4; i++) {
      const del = await request(baseUrl(), '/api/v1/me', { method: 'DELETE', token, headers: { 'x-forwarded-for': ip }, body: { password: 'wrong' } });
      expect(del.status, del.text).toBe(403);
    }
    for (let i = 0; i < 3; i++) {
      const { res } = await credentialsCallback(baseUrl(), ` ${user.username.toUpperCase()} `, 'wrong', { 'x-forwarded-for': ip });
      expect(JSON.stringify(res.body)).toMatch(/CredentialsSignin/);
    }
    for (let i = 0; i < 3; i++) expect((await tokenAttempt(`${user.username} `, 'wrong', ip)).status).toBe(401);
    // The 11th, by any of the three ways and even with the right password, is refused.
    const del = await request(baseUrl(), '/api/v1/me', { method: 'DELETE', token, headers: { 'x-forwarded-for': ip }, body: { password: user.password } });
    expectError(del, 'rate_limited');
    expect((await tokenAttempt(user.username, user.password, ip)).status).toBe(429);
    // The account itself still exists, and from another address its owner may go on.
    expect((await request(baseUrl(), '/api/v1/me', { token })).status).toBe(200);
    expect((await tokenAttempt(user.username, user.password, randomIp())).status).toBe(201);
  });
});

describe('TRUST_PROXY=1: the client address is the rightmost X-Forwarded-For hop', () => {
  it('a forged leftmost hop changes nothing: ten failures from one real address, whatever the client wrote, limit it', async () => {
    const real = randomIp();
    for (let i = 0; i < 10; i++) {
      const res = await request(baseUrl(), '/api/v1/auth/tokens', {
        method: 'POST',
        headers: { 'x-forwarded-for': `${randomIp()}, ${randomIp()}, ${real}` },
        body: { username: uniqueUsername('fx'), password: 'wrong', name: 'x' },
      });
      expectError(res, 'unauthorized');
    }
    const res = await request(baseUrl(), '/api/v1/auth/tokens', {
      method: 'POST',
      headers: { 'x-forwarded-for': `1.2.3.4, ${real}` },
      body: { username: uniqueUsername('fx'), password: 'wrong', name: 'x' },
    });
    expectError(res, 'rate_limited');
  });
});

describe('one user cannot slow everyone down', () => {
  const open: ClientSocket[] = [];
  afterAll(() => {
    for (const s of open.splice(0)) s.close();
  });

  it('every socket event is rate limited per user: over the limit the ack is rate_limited', async () => {
    const user = await newUser('sev');
    const token = await tokenFor(user);
    const cases: { events: string[]; limit: number }[] = [
      { events: ['message:edit'], limit: 60 },
      { events: ['message:delete'], limit: 60 },
      { events: ['reaction:add', 'reaction:remove'], limit: 120 },
      { events: ['typing:start', 'typing:stop'], limit: 60 },
      { events: ['conversation:read'], limit: 120 },
      { events: ['presence:subscribe'], limit: 30 },
      { events: ['client:visibility'], limit: 60 },
    ];
    const socket = await connectSocket(baseUrl(), { token });
    open.push(socket);
    for (const c of cases) {
      const acks: { ok: boolean; error?: { code: string } }[] = [];
      for (let i = 0; i < c.limit; i++) acks.push(await emitAck(socket, c.events[i % c.events.length] as never, { conversationId: 'x', messageId: 'x', emoji: '👍', userIds: [], visible: true, body: 'x' }));
      expect(acks.filter((a) => a.error?.code === 'rate_limited'), c.events[0]).toEqual([]);
      for (const e of c.events) {
        const over = await emitAck<{ ok: boolean; error?: { code: string } }>(socket, e as never, { conversationId: 'x', messageId: 'x', emoji: '👍', userIds: [], visible: true, body: 'x' });
        expect(over, e).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      }
    }
    // Another user is not affected.
    const other = await newUser('sevo');
    const otherSocket = await connectSocket(baseUrl(), { token: await tokenFor(other) });
    open.push(otherSocket);
    expect(await emitAck(otherSocket, 'client:visibility', { visible: true })).toMatchObject({ ok: true });
  });

  it('at most 20 sockets per user: the 21st handshake is refused with a clear error; closing one lets another in', async () => {
    const user = await newUser('soc');
    const token = await tokenFor(user);
    const mine: ClientSocket[] = [];
    for (let i = 0; i < 20; i++) mine.push(await connectSocket(baseUrl(), { token }));
    open.push(...mine);
    const err = await connectError(baseUrl(), { token });
    expect(err.message).toBe('too_many_connections');
    expect((err as Error & { data?: { code: string; message: string } }).data).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('20') });
    mine[0]!.close();
    await expect
      .poll(async () => {
        try {
          const s = await connectSocket(baseUrl(), { token });
          open.push(s);
          return true;
        } catch {
          return false;
        }
      }, { timeout: 10_000 })
      .toBe(true);
  });

  it('conversation and member changes are rate limited per user (60 a minute)', async () => {
    const user = await newUser('cch');
    const friend = await newUser('cchf');
    const token = await tokenFor(user);
    const created = await request<{ conversation: { id: string } }>(baseUrl(), '/api/v1/conversations', {
      method: 'POST',
      token,
      body: { kind: 'group', title: 'Busy', memberIds: [friend.id] },
    });
    expect(created.status, created.text).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await request(baseUrl(), `/api/v1/conversations/${created.body.conversation.id}`, { method: 'PATCH', token, body: { muted: i % 2 === 0 } });
      statuses.push(r.status);
    }
    // One was the creation; 59 more are allowed; the 61st change is refused.
    expect(statuses.filter((s) => s === 200)).toHaveLength(59);
    expect(statuses.at(-1)).toBe(429);
  });
});
