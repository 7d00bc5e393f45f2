/**
 * Observability and shutdown, against real servers of their own: GET /metrics (admin token or METRICS_ALLOW),
 * GET /readyz, and SIGTERM while clients are sending: readiness goes 503, clients are told to reconnect, the
 * process exits 0 (it forces exit 1 at 9.5 s), and every acknowledged message is stored once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, emitAck, PASSWORD, registerUser, request, uniqueUsername, type ClientSocket } from '../helpers/api';
import { freshDatabase, readHistory, startSending, type FreshDatabase } from '../helpers/ops';
import { startServer, type RunningServer } from '../helpers/server';

/** A made-up client address (TRUST_PROXY=1): rate-limit counters of other tests never touch ours. */
const fakeAddress = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 250)}`;

async function tokenFor(url: string, user: { username: string; password: string }, xff: string): Promise<string> {
  const res = await request(url, '/api/v1/auth/tokens', {
    method: 'POST',
    body: { username: user.username, password: user.password, name: 'ops' },
    headers: { 'x-forwarded-for': xff },
  });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${res.text}`);
  return res.body.token as string;
}

function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_:]+)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

describe('GET /metrics and GET /readyz', () => {
  let server: RunningServer;
  let db: FreshDatabase;
  let adminToken: string;
  let userToken: string;
  let conversationId: string;
  const xff = fakeAddress();

  beforeAll(async () => {
    db = await freshDatabase('metrics');
    // Rate limits on (so a refusal can be counted); TRUST_PROXY so each test's client address is its own.
    server = await startServer({ rateLimits: true, env: { DATABASE_URL: db.url, TRUST_PROXY: '1', METRICS_ALLOW: '192.0.2.0/24' } });
    const headers = { 'x-forwarded-for': xff };
    const admin = await registerUser(server.url, { prefix: 'admin', headers }); // the first account: a site admin
    const user = await registerUser(server.url, { prefix: 'plain', headers });
    adminToken = await tokenFor(server.url, admin, xff);
    userToken = await tokenFor(server.url, user, xff);
    const dm = await request(server.url, '/api/v1/conversations', { method: 'POST', token: userToken, body: { kind: 'direct', userId: admin.id } });
    expect(dm.status, dm.text).toBe(201);
    conversationId = dm.body.conversation.id;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('refuses anyone who is not a site admin (401 without a token, 403 for a plain user), in the error shape', async () => {
    const none = await request(server.url, '/metrics');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const bad = await request(server.url, '/metrics', { token: 'ctx_not_a_real_token' });
    expect(bad.status).toBe(401);
    const plain = await request(server.url, '/metrics', { token: userToken });
    expect(plain.status).toBe(403);
    expect(plain.body.error.code).toBe('forbidden');
    expect(plain.text).not.toContain('chattrix_');
    // An address in METRICS_ALLOW needs no token (here the proxy's X-Forwarded-For, as TRUST_PROXY=1 says).
    const allowed = await request(server.url, '/metrics', { headers: { 'x-forwarded-for': '192.0.2.17' } });
    expect(allowed.status).toBe(200);
    const outside = await request(server.url, '/metrics', { headers: { 'x-forwarded-for': '192.0.3.17' } });
    expect(outside.status).toBe(401);
  });

  it('counts sockets, stored messages, store→emit latency, HTTP by route pattern, queries, event-loop lag, pushes and refusals', async () => {
    const socket = await connectSocket(server.url, { token: userToken });
    try {
      for (let i = 0; i < 3; i++) {
        const ack = await emitAck(socket, 'message:send', { conversationId, body: `counted ${i}`, clientId: `m-${i}-${randomBytes(4).toString('hex')}` });
        expect(ack.ok, JSON.stringify(ack)).toBe(true);
      }
      // The same clientId again is a duplicate: not stored twice, not counted twice.
      const again = await emitAck(socket, 'message:send', { conversationId, body: 'dup', clientId: 'dup-00001' });
      await emitAck(socket, 'message:send', { conversationId, body: 'dup', clientId: 'dup-00001' });
      expect(again.ok).toBe(true);
      expect((await request(server.url, `/api/v1/conversations/${conversationId}/messages`, { token: userToken })).status).toBe(200);

      // 300 sends per 10 s per user: the next ones are refused and counted.
      const burst = await Promise.all(
        Array.from({ length: 320 }, (_, i) => emitAck(socket, 'message:send', { conversationId, body: `b${i}`, clientId: `burst-${String(i).padStart(4, '0')}` }, 30_000)),
      );
      const refused = burst.filter((a) => !a.ok && a.error.code === 'rate_limited').length;
      expect(refused).toBeGreaterThan(0);

      const res = await request(server.url, '/metrics', { token: adminToken });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = res.text;
      expect(metricValue(text, 'chattrix_sockets_connected')).toBe(1);
      expect(metricValue(text, 'chattrix_messages_stored_total', { kind: 'user' })).toBe(4 + (320 - refused));
      expect(metricValue(text, 'chattrix_message_store_emit_seconds_count')).toBe(4 + (320 - refused));
      expect(metricValue(text, 'chattrix_rate_limit_refusals_total', { rule: 'send' })).toBe(refused);
      const httpLines = text.split('\n').filter((l) => l.startsWith('chattrix_http_request_duration_seconds_count')).join('\n');
      expect(
        metricValue(text, 'chattrix_http_request_duration_seconds_count', { route: '/api/v1/conversations/{id}/messages', method: 'GET', status: '2xx' }),
        httpLines,
      ).toBe(1);
      expect(metricValue(text, 'chattrix_http_request_duration_seconds_count', { route: '/api/v1/auth/tokens', method: 'POST', status: '2xx' })).toBe(2);
      // Route patterns, never raw paths: no id appears in any label.
      expect(text).not.toContain(conversationId);
      expect(metricValue(text, 'chattrix_db_query_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(10);
      expect(metricValue(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(metricValue(text, 'chattrix_push_deliveries_total', { outcome: 'ok' })).toBe(0);
      expect(metricValue(text, 'chattrix_push_deliveries_total', { outcome: 'failed' })).toBe(0);
      expect(text).toContain('# TYPE chattrix_message_store_emit_seconds histogram');
    } finally {
      socket.close();
    }
  });

  it('/readyz says ready with the database (and Redis when configured) reachable; /healthz stays', async () => {
    const res = await request(server.url, '/readyz');
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.checks.database).toBe('ok');
    if (process.env.REDIS_URL) expect(res.body.checks.redis).toBe('ok');
    expect((await request(server.url, '/healthz')).status).toBe(200);
    const post = await request(server.url, '/readyz', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.body.error.code).toBe('method_not_allowed');
  });
});

describe('graceful shutdown on SIGTERM', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'chattrix-drain-'));
  let db: FreshDatabase;
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.kill();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('goes unready, finishes and acknowledges in-flight sends, tells clients to reconnect, exits 0; nothing acknowledged is lost', async () => {
    db = await freshDatabase('drain');
    const env = { DATABASE_URL: db.url, SHUTDOWN_GRACE_MS: '3000', METRICS_ALLOW: '127.0.0.1/32,::1/128' };
    server = await startServer({ dataDir, env });
    const a = await registerUser(server.url, { prefix: 'drain' });
    const b = await registerUser(server.url, { prefix: 'drain' });
    const tokenA = (await request(server.url, '/api/v1/auth/tokens', { method: 'POST', body: { username: a.username, password: PASSWORD, name: 't' } })).body.token;
    const tokenB = (await request(server.url, '/api/v1/auth/tokens', { method: 'POST', body: { username: b.username, password: PASSWORD, name: 't' } })).body.token;
    const dm = await request(server.url, '/api/v1/conversations', { method: 'POST', token: tokenA, body: { kind: 'direct', userId: b.id } });
    const conversationId = dm.body.conversation.id as string;
    // METRICS_ALLOW: loopback reads the metrics without a token.
    expect((await request(server.url, '/metrics')).status).toBe(200);

    const sockets: ClientSocket[] = [];
    for (const token of [tokenA, tokenA, tokenB, tokenB]) sockets.push(await connectSocket(server.url, { token }));
    const reasons = sockets.map((s) => new Promise<string>((resolve) => s.once('disconnect', (r) => resolve(r))));
    const senders = sockets.map((s, i) => startSending(s, conversationId, { window: 4, tag: `s${i}` }));
    // Let them get going, then SIGTERM while they send.
    while (senders.reduce((n, s) => n + s.acked.size, 0) < 200) await new Promise((r) => setTimeout(r, 20));
    const exited = new Promise<number | null>((resolve) => server!.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');

    // Readiness goes 503 (draining) while the listener is still open for the grace period.
    let readyz: { status: number; body: any } | undefined;
    for (let i = 0; i < 100; i++) {
      readyz = await request(server.url, '/readyz').catch(() => undefined);
      if (readyz?.status === 503) break;
    }
    expect(readyz?.status).toBe(503);
    expect(readyz?.body.status).toBe('draining');

    // Every client is told to go in a way that makes a Socket.IO client reconnect by itself.
    for (const r of reasons) expect(await r).toBe('transport close');
    expect(await exited, server.logs()).toBe(0);
    for (const s of senders) await s.stop();
    for (const s of sockets) s.close();
    expect(senders.flatMap((s) => s.errors)).toEqual([]);
    const logs = server.logs();

    // Back up on the same data: every acknowledged message is there, once, in acknowledged order per sender.
    server = await startServer({ dataDir, env });
    const history = await readHistory(server.url, tokenA, conversationId);
    const byClientId = new Map<string, any[]>();
    for (const m of history) byClientId.set(m.clientId, [...(byClientId.get(m.clientId) ?? []), m]);
    let acked = 0;
    for (const s of senders) {
      for (const [clientId, ack] of s.acked) {
        acked++;
        const found = byClientId.get(clientId);
        expect(found?.length, `${clientId} stored once`).toBe(1);
        expect(found![0].id).toBe(ack.id);
        expect(found![0].seq).toBe(ack.seq);
      }
    }
    expect(acked).toBeGreaterThanOrEqual(200);
    expect(new Set(history.map((m) => m.seq)).size).toBe(history.length);

    // What was sent but never acknowledged is sent again with the same clientId (as the app's outbox does): stored once.
    const socket = await connectSocket(server.url, { token: tokenA });
    const unacked = senders.flatMap((s) => s.unacked());
    for (const clientId of unacked) {
      const ack = await emitAck(socket, 'message:send', { conversationId, body: `msg ${clientId}`, clientId });
      expect(ack.ok).toBe(true);
    }
    socket.close();
    const after = await readHistory(server.url, tokenA, conversationId);
    expect(after.length).toBe(acked + unacked.length);
    expect(new Set(after.map((m) => m.clientId)).size).toBe(after.length);
    expect(logs).toMatch(/SIGTERM: draining[\s\S]*closed in \d+ ms/);
    expect(await server.stop()).toBe(0);
    server = undefined;
  }, 120_000);
});
