/**
 * Two nodes of one cluster (PostgreSQL + Redis, as CI's second run has them): a session ended through node A stops
 * working on node B at once, although B had it cached, and B disconnects its socket. Without DATABASE_URL and
 * REDIS_URL there is no cluster to test (PGlite is one process), so this file is skipped then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, registerUser, request } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { startServer, type RunningServer } from '../helpers/server';
import { CHROME_UA, FIREFOX_UA, serverDisconnect, signIn } from '../helpers/trust';

const clustered = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

describe.skipIf(!clustered)('sessions across two nodes (PostgreSQL + Redis)', () => {
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    // One AUTH_SECRET for both, as a real deployment has: a cookie from one node is read by the other.
    const env = { AUTH_SECRET: 'cluster-test-secret-0123456789-abcdefghijklmnop' };
    [a, b] = await Promise.all([startServer({ env, timeoutMs: 150_000 }), startServer({ env, timeoutMs: 150_000 })]);
    expect(a.banner).toContain('redis adapter');
    expect(b.banner).toContain('redis adapter');
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('ending a session on node A: node B answers 401 at once (its cache dropped) and disconnects its socket', async () => {
    const user = await registerUser(a.url, { prefix: 'clu' });
    const keeper = (await signIn(a.url, user, { userAgent: CHROME_UA })).cookie!;
    const victim = (await signIn(a.url, user, { userAgent: FIREFOX_UA })).cookie!;
    // Node B knows (and caches) the victim session.
    expect((await request(b.url, '/api/v1/me', { cookie: victim })).status).toBe(200);
    const socket = await connectSocket(b.url, { cookie: victim, origin: new URL(b.url).origin });
    const list = await request(a.url, '/api/v1/me/sessions', { cookie: victim });
    const victimId = list.body.sessions.find((s: { current: boolean }) => s.current).id as string;
    const gone = serverDisconnect(socket);
    const del = await request(a.url, `/api/v1/me/sessions/${victimId}`, { method: 'DELETE', cookie: keeper, origin: new URL(a.url).origin });
    expect(del.status, del.text).toBe(204);
    // The disconnect travels on the same Redis channel after the cache drop, so once it has arrived B has forgotten.
    expect(await gone).toBe('io server disconnect');
    expectError(await request(b.url, '/api/v1/me', { cookie: victim }), 'unauthorized');
    expect((await request(b.url, '/api/v1/me', { cookie: keeper })).status).toBe(200);
  });

  it("revoking a token on node A disconnects the token's socket on node B", async () => {
    const user = await registerUser(a.url, { prefix: 'clu' });
    const { createToken } = await import('../helpers/api');
    const t = await createToken(a.url, user, 'doomed');
    const keeper = await createToken(a.url, user, 'keeper');
    const socket = await connectSocket(b.url, { token: t.token });
    const gone = serverDisconnect(socket);
    expect((await request(a.url, `/api/v1/me/tokens/${t.id}`, { method: 'DELETE', token: keeper.token })).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    expectError(await request(b.url, '/api/v1/me', { token: t.token }), 'unauthorized');
  });
});
