/**
 * `npm run bench:cluster`: W1 (fan-out) and W2 (direct pairs) on ONE node and on TWO nodes sharing PostgreSQL and
 * Redis, clients split between the nodes (odd members on node B; in W2 one side of every pair on each node), so
 * every delivery to node B crosses the Redis adapter. Prints one JSON line per workload and mode on stdout.
 *
 * Needs DATABASE_URL (a database to create `bench2_<random>` beside; dropped after) and REDIS_URL. Knobs:
 * BENCH_DURATION_S (10), BENCH_W1_MEMBERS (200), BENCH_W1_RATE (100), BENCH_W2_PAIRS (100), BENCH_W2_RATE (1000),
 * BENCH_ONLY (W1,W2,STORM), BENCH_MODES (1,2), BENCH_STORM_SOCKETS (5000), BENCH_STORM_USERS (250),
 * BENCH_STORM_CONCURRENCY (100).
 *
 * STORM: that many sockets (of that many people, several each) connect at once, then all disconnect, on one node or
 * alternating between two. It reports the handshake times and the Redis commands per connect and per disconnect
 * (INFO's total_commands_processed): presence counts are per node in Redis, so a connect costs the same few commands
 * on two nodes as on one, never a round trip to every node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { percentiles, pool, range } from './lib';

const num = (name: string, d: number) => (process.env[name] ? Number(process.env[name]) : d);
const cfg = {
  duration: num('BENCH_DURATION_S', 10),
  w1Members: num('BENCH_W1_MEMBERS', 200),
  w1Rate: num('BENCH_W1_RATE', 100),
  w2Pairs: num('BENCH_W2_PAIRS', 100),
  w2Rate: num('BENCH_W2_RATE', 1000),
  only: (process.env.BENCH_ONLY ?? 'W1,W2,STORM').split(','),
  modes: (process.env.BENCH_MODES ?? '1,2').split(',').map(Number),
  stormSockets: num('BENCH_STORM_SOCKETS', 5000),
  stormUsers: num('BENCH_STORM_USERS', 250),
  stormConcurrency: num('BENCH_STORM_CONCURRENCY', 100),
};
const log = (...a: unknown[]) => console.error('[bench:cluster]', ...a);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const RUN = randomBytes(3).toString('hex');
const PASSWORD = `bench-${randomBytes(6).toString('hex')}`;
const children = new Set<ChildProcess>();

interface Node {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

function startNode(name: string, databaseUrl: string, redisUrl: string): Promise<Node> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `bench2-${name}-`));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NEXT_TELEMETRY_DISABLED: '1',
    RATE_LIMITS: 'off',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    children.delete(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  child.stderr!.setEncoding('utf8').on('data', (d: string) => process.env.BENCH_TRACE && process.stderr.write(`[${name}] ${d}`));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 120_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /Chattrix listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child, stop });
      }
    });
    void exited.then(() => reject(new Error(`${name} exited before listening:\n${out}`)));
  });
}

async function api<T>(base: string, method: string, p: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(new URL(p, base), {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}


interface User {
  id: string;
  token: string;
}

async function createUsers(base: string, tag: string, n: number): Promise<User[]> {
  return pool(range(n), 6, async (i) => {
    const username = `b2${RUN}${tag}${i}`;
    const { user } = await api<{ user: { id: string } }>(base, 'POST', '/api/v1/auth/register', { username, password: PASSWORD });
    const { token } = await api<{ token: string }>(base, 'POST', '/api/v1/auth/tokens', { username, password: PASSWORD, name: 'bench' });
    return { id: user.id, token };
  });
}

function connect(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 30_000 });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}


/** Sends `body` with a clientId; receivers record latency from the send call; duplicates and order checked by seq. */
class Tracker {
  sentAt = new Map<string, number>();
  acked = new Set<string>();
  latencies: number[] = [];
  delivered = 0;
  duplicated = 0;
  outOfOrder = 0;
  private seen = new Map<Socket, Set<string>>();
  private lastSeq = new Map<string, number>();

  listen(s: Socket, key: string) {
    const seen = new Set<string>();
    this.seen.set(s, seen);
    s.on('message:created', ({ message }: { message: { clientId: string | null; seq: number; conversationId: string } }) => {
      const at = this.sentAt.get(message.clientId ?? '');
      if (at === undefined) return;
      if (seen.has(message.clientId!)) {
        this.duplicated++;
        return;
      }
      seen.add(message.clientId!);
      const k = `${key}:${message.conversationId}`;
      if ((this.lastSeq.get(k) ?? 0) > message.seq) this.outOfOrder++;
      this.lastSeq.set(k, message.seq);
      this.delivered++;
      this.latencies.push(performance.now() - at);
    });
  }

  send(s: Socket, conversationId: string, n: number) {
    const clientId = `b2-${RUN}-${n}-${randomBytes(3).toString('hex')}`;
    this.sentAt.set(clientId, performance.now());
    s.timeout(30_000).emit('message:send', { conversationId, body: `bench ${n}`, clientId }, (err: unknown, ack: { ok: boolean }) => {
      if (!err && ack?.ok) this.acked.add(clientId);
    });
  }
}

async function paced(tracker: Tracker, senders: { s: Socket; conv: string }[], rate: number, seconds: number) {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (i < due) {
      const x = senders[i % senders.length]!;
      tracker.send(x.s, x.conv, i);
      i++;
    }
    await sleep(1);
  }
  return total;
}

async function settle(tracker: Tracker, expected: number) {
  const deadline = Date.now() + 30_000;
  while (tracker.delivered < expected && Date.now() < deadline) await sleep(100);
}

async function storedOnce(base: string, token: string, conv: string, ids: Set<string>): Promise<{ stored: number; duplicated: number }> {
  const counts = new Map<string, number>();
  let before: string | undefined;
  for (;;) {
    const q = new URLSearchParams({ limit: '100' });
    if (before) q.set('before', before);
    const { messages, hasMore } = await api<{ messages: { id: string; clientId: string | null }[]; hasMore: boolean }>(base, 'GET', `/api/v1/conversations/${conv}/messages?${q}`, undefined, token);
    for (const m of messages) if (m.clientId && ids.has(m.clientId)) counts.set(m.clientId, (counts.get(m.clientId) ?? 0) + 1);
    if (!hasMore || messages.length === 0) break;
    before = messages[0]!.id;
  }
  return { stored: counts.size, duplicated: [...counts.values()].filter((c) => c > 1).length };
}

async function main() {
  const base = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!base || !redisUrl) {
    console.error('bench:cluster needs DATABASE_URL (PostgreSQL) and REDIS_URL: two nodes share both');
    process.exit(2);
  }
  if (!existsSync('.next/BUILD_ID')) {
    console.error('no production build: run `npm run build` first');
    process.exit(2);
  }
  const { default: postgres } = await import('postgres');
  const dbName = `bench2_${randomBytes(4).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  let nodes: Node[] = [];
  try {
    log('starting two nodes');
    nodes = await Promise.all([startNode('A', databaseUrl, redisUrl), startNode('B', databaseUrl, redisUrl)]);
    const [A, B] = nodes as [Node, Node];
    log('creating accounts');
    const w1 = cfg.only.includes('W1') ? await createUsers(A.url, 'g', cfg.w1Members) : [];
    const w2 = cfg.only.includes('W2') ? await createUsers(A.url, 'p', cfg.w2Pairs * 2) : [];
    const group = w1.length
      ? (await api<{ conversation: { id: string } }>(A.url, 'POST', '/api/v1/conversations', { kind: 'group', title: 'bench', memberIds: w1.slice(1).map((u) => u.id) }, w1[0]!.token)).conversation.id
      : '';
    const pairs = await pool(range(w2.length / 2), 8, async (i) => {
      const [x, y] = [w2[2 * i]!, w2[2 * i + 1]!];
      const { conversation } = await api<{ conversation: { id: string } }>(A.url, 'POST', '/api/v1/conversations', { kind: 'direct', userId: y.id }, x.token);
      return { x, y, conv: conversation.id };
    });
    const storm = cfg.only.includes('STORM') ? await createUsers(A.url, 's', cfg.stormUsers) : [];
    const machine = () => ({ load1: Math.round(loadavg()[0]! * 100) / 100, cores: 2 });
    const { createClient } = await import('redis');
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    /** Commands Redis has processed so far (every node's, and this INFO itself). */
    const redisCommands = async () => Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1] ?? NaN);

    for (const mode of cfg.modes) {
      const nodeFor = (i: number) => (mode === 2 && i % 2 === 1 ? B : A);
      if (w1.length) {
        const tracker = new Tracker();
        const sockets = await pool(w1, 20, (u, i) => connect(nodeFor(i).url, u.token));
        sockets.forEach((s, i) => tracker.listen(s, `m${i}`));
        await sleep(500);
        const start = performance.now();
        const sent = await paced(tracker, [{ s: sockets[0]!, conv: group }], cfg.w1Rate, cfg.duration);
        await settle(tracker, sent * w1.length);
        const v = await storedOnce(A.url, w1[0]!.token, group, tracker.acked);
        const line = {
          workload: 'W1',
          nodes: mode,
          split: mode === 2 ? 'members alternate A/B, sender on A' : 'all on A',
          rate_msgs_s: cfg.w1Rate,
          members: w1.length,
          sent,
          acked: tracker.acked.size,
          delivered: tracker.delivered,
          expected: sent * w1.length,
          lost: sent * w1.length - tracker.delivered,
          duplicated: tracker.duplicated,
          out_of_order: tracker.outOfOrder,
          stored_once: v.stored,
          stored_twice: v.duplicated,
          latency_ms: percentiles(tracker.latencies),
          seconds: Math.round((performance.now() - start) / 100) / 10,
          machine: machine(),
        };
        console.log(JSON.stringify(line));
        sockets.forEach((s) => s.close());
        await sleep(1000);
      }
      if (pairs.length) {
        const tracker = new Tracker();
        const xs = await pool(pairs, 20, (p) => connect(A.url, p.x.token));
        const ys = await pool(pairs, 20, (p) => connect(mode === 2 ? B.url : A.url, p.y.token));
        xs.forEach((s, i) => tracker.listen(s, `x${i}`));
        ys.forEach((s, i) => tracker.listen(s, `y${i}`));
        await sleep(500);
        const senders = pairs.flatMap((p, i) => [
          { s: xs[i]!, conv: p.conv },
          { s: ys[i]!, conv: p.conv },
        ]);
        const start = performance.now();
        const sent = await paced(tracker, senders, cfg.w2Rate, cfg.duration);
        await settle(tracker, sent * 2);
        let stored = 0;
        let twice = 0;
        for (const p of pairs) {
          const v = await storedOnce(A.url, p.x.token, p.conv, tracker.acked);
          stored += v.stored;
          twice += v.duplicated;
        }
        console.log(
          JSON.stringify({
            workload: 'W2',
            nodes: mode,
            split: mode === 2 ? 'one side of each pair on A, the other on B' : 'all on A',
            rate_msgs_s: cfg.w2Rate,
            pairs: pairs.length,
            sent,
            acked: tracker.acked.size,
            delivered: tracker.delivered,
            expected: sent * 2,
            lost: sent * 2 - tracker.delivered,
            duplicated: tracker.duplicated,
            out_of_order: tracker.outOfOrder,
            stored_once: stored,
            stored_twice: twice,
            latency_ms: percentiles(tracker.latencies),
            seconds: Math.round((performance.now() - start) / 100) / 10,
            machine: machine(),
          }),
        );
        [...xs, ...ys].forEach((s) => s.close());
        await sleep(1000);
      }
      if (storm.length) {
        // Quiet first: heartbeats (every 5 s per node) are a few commands; measured over the same seconds below.
        await sleep(2000);
        const idleFrom = await redisCommands();
        const idleStart = performance.now();
        await sleep(5000);
        const idlePerSecond = ((await redisCommands()) - idleFrom) / ((performance.now() - idleStart) / 1000);
        const handshakes: number[] = [];
        const before = await redisCommands();
        const t0 = performance.now();
        const sockets = await pool(range(cfg.stormSockets), cfg.stormConcurrency, async (i) => {
          const started = performance.now();
          const s = await connect(nodeFor(i).url, storm[i % storm.length]!.token);
          handshakes.push(performance.now() - started);
          return s;
        });
        const connectSeconds = (performance.now() - t0) / 1000;
        await sleep(1000); // the last connects' presence work
        const afterConnect = await redisCommands();
        const t1 = performance.now();
        for (const s of sockets) s.close();
        // Until the nodes have counted every disconnect (their presence work), then a second more.
        await sleep(3000);
        const afterDisconnect = await redisCommands();
        const background = (seconds: number) => idlePerSecond * seconds;
        const connectWindow = connectSeconds + 1;
        const disconnectWindow = (performance.now() - t1) / 1000;
        console.log(
          JSON.stringify({
            workload: 'STORM',
            nodes: mode,
            split: mode === 2 ? 'sockets alternate A/B' : 'all on A',
            sockets: cfg.stormSockets,
            people: storm.length,
            concurrency: cfg.stormConcurrency,
            connect_seconds: Math.round(connectSeconds * 10) / 10,
            connects_per_s: Math.round(cfg.stormSockets / connectSeconds),
            handshake_ms: percentiles(handshakes),
            redis_commands_per_connect: Math.round(((afterConnect - before - background(connectWindow)) / cfg.stormSockets) * 100) / 100,
            redis_commands_per_disconnect: Math.round(((afterDisconnect - afterConnect - background(disconnectWindow)) / cfg.stormSockets) * 100) / 100,
            redis_idle_commands_per_s: Math.round(idlePerSecond * 10) / 10,
            machine: machine(),
          }),
        );
        await sleep(1000);
      }
    }
    await redis.quit();
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
    await admin.end();
  }
}

const hard = setTimeout(() => {
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
}, 1_200_000);
hard.unref();
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    for (const c of children) c.kill('SIGKILL');
    process.exit(1);
  },
);
