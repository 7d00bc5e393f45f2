/**
 * `npm run bench`: load benchmark of Chattrix against a bare Socket.IO relay measured in the same run.
 *
 * For each workload the script starts a fresh relay (bench/relay.ts) and then a fresh built Chattrix server
 * (server.ts, PORT=0, 127.0.0.1 only, RATE_LIMITS=off), each in its own child process, drives both with the same
 * real socket.io-client connections from this process, and prints ONE JSON line per workload on stdout. Human
 * logs go to stderr.
 *
 * Database: embedded PGlite in a temporary DATA_DIR by default. With DATABASE_URL, a fresh database
 * `bench_<random>` is created on that PostgreSQL server and dropped at the end. REDIS_URL is passed through
 * (Socket.IO Redis adapter).
 *
 * Knobs (environment):
 *   BENCH_ONLY=W1,W2,W3        which workloads (default all)
 *   BENCH_DURATION_S=10        length of the fixed-rate phases of W1 and W2
 *   BENCH_W1_MEMBERS=200       BENCH_W1_RATE=100 (messages/s from one sender; PGlite default 50)
 *   BENCH_W2_PAIRS=100         BENCH_W2_RATE=1000 (messages/s in total; PGlite default 500)
 *   (The targets are set for PostgreSQL; PGlite's are half the rates, so with PGlite the fixed-rate phases run at
 *   half rate unless the rates are given.)
 *   BENCH_W2_MAX_S=10          length of the sustained-maximum phase (0 skips it)
 *   BENCH_W2_WINDOW=8          messages in flight per sender in the sustained-maximum phase
 *   BENCH_W3_SOCKETS=5000      BENCH_W3_CONCURRENCY=100 (handshakes in flight)
 *   BENCH_RELAY=off            skip the relay runs (no ratios)
 *   BENCH_SERVER_NODE_ARGS     extra node flags for the Chattrix server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   BENCH_TIMEOUT_S=1200       hard limit for the whole run
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { cpuSeconds, percentiles, pool, round } from './lib';

// ---------------------------------------------------------------------------------------------------------------
// Configuration

const num = (name: string, dflt: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number`);
  return n;
};

const cfg = {
  only: new Set((process.env.BENCH_ONLY || 'CLOSED,W1,W2,W3,IDLE').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean)),
  durationS: num('BENCH_DURATION_S', 10),
  w1Members: Math.max(2, Math.floor(num('BENCH_W1_MEMBERS', 200))),
  w1Rate: -1, // set in main(): BENCH_W1_RATE, else 100/s (PostgreSQL target) or 50/s (PGlite: half)
  w2Pairs: Math.max(1, Math.floor(num('BENCH_W2_PAIRS', 100))),
  w2Rate: -1, // BENCH_W2_RATE, else 1,000/s (PostgreSQL target) or 500/s (PGlite: half)
  w2MaxS: num('BENCH_W2_MAX_S', 10),
  w2Window: Math.max(1, Math.floor(num('BENCH_W2_WINDOW', 8))),
  w3Sockets: Math.floor(num('BENCH_W3_SOCKETS', 5000)),
  closedPairs: Math.max(1, Math.floor(num('BENCH_CLOSED_PAIRS', 50))),
  closedS: num('BENCH_CLOSED_S', 15),
  idleTabs: Math.max(1, Math.floor(num('BENCH_IDLE_TABS', 20))),
  idleS: num('BENCH_IDLE_S', 60),
  chromium: process.env.BENCH_CHROMIUM || '/usr/bin/chromium',
  w3Concurrency: Math.max(1, Math.floor(num('BENCH_W3_CONCURRENCY', 100))),
  relay: !/^(off|0|false|no)$/i.test(process.env.BENCH_RELAY ?? ''),
  serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  timeoutS: num('BENCH_TIMEOUT_S', 1200),
  databaseUrl: process.env.DATABASE_URL || undefined,
  redisUrl: process.env.REDIS_URL || undefined,
};
const ROOT = process.cwd();
const RUN = randomBytes(3).toString('hex'); // names users and clientIds of this run
const PASSWORD = `bench-${randomBytes(6).toString('hex')}`;

const log = (...a: unknown[]) => console.error('[bench]', ...a);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// File descriptors: 5,000 client sockets here and as many in the server. Node raises its own soft open-files
// limit to the hard one at start-up (children inherit it), so only the hard limit can be too low: then W3 is capped.

function fdLimit(): number {
  const r = spawnSync('/bin/sh', ['-c', 'ulimit -Sn'], { encoding: 'utf8' });
  const v = (r.stdout ?? '').trim();
  return v === 'unlimited' ? Infinity : Number(v) || 1024;
}

function ensureFdLimit(): void {
  if (!cfg.only.has('W3')) return;
  const needed = cfg.w3Sockets + 1024;
  const limit = fdLimit();
  if (limit >= needed) return;
  const capped = Math.max(100, limit - 1024);
  log(`open-files limit is ${limit}: W3 capped at ${capped} sockets; raise the hard limit (ulimit -Hn ${needed}) for more`);
  cfg.w3Sockets = capped;
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes (server, relay): every one is killed on the way out, whatever happens.

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];

interface Proc {
  name: string;
  pid: number;
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

function startProc(name: string, args: string[], env: Env, ready: RegExp, timeoutMs = 120_000): Promise<Proc> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let printed = 0;
  const forward = (line: string) => {
    if (printed < (process.env.BENCH_TRACE ? 100000 : 200)) console.error(`[${name}] ${line}`);
    else if (printed === 200) console.error(`[${name}] (further output suppressed)`);
    printed++;
  };
  let exited = false;
  const exitP = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      children.delete(child);
      if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL') log(`${name} exited with ${code ?? signal}`);
      resolve();
    }),
  );
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 8_000);
    await exitP;
    clearTimeout(t);
  };
  return new Promise<Proc>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${name} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    let buf = '';
    let resolved = false;
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        forward(line);
        const m = !resolved && ready.exec(line);
        if (m) {
          resolved = true;
          clearTimeout(timer);
          resolve({ name, pid: child.pid!, url: m[1]!, child, stop });
        }
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => d.split('\n').filter(Boolean).forEach(forward));
    void exitP.then(() => {
      if (!resolved) {
        clearTimeout(timer);
        reject(new Error(`${name} exited before it was ready`));
      }
    });
  });
}

function killAllNow(): void {
  for (const c of children) c.kill('SIGKILL');
}
process.on('exit', killAllNow);

/** VmRSS of a process, in MB. */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS and CPU while a phase runs. */
function monitor(pid: number, extraPids: () => number[] = () => []) {
  let peak = rssMb(pid);
  const cpu0 = cpuSeconds(pid);
  const extra0 = new Map(extraPids().map((p) => [p, cpuSeconds(p)]));
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  const timer = setInterval(() => {
    const r = rssMb(pid);
    if (r > peak) peak = r;
  }, 200);
  return {
    stop() {
      clearInterval(timer);
      const secs = (performance.now() - t0) / 1000;
      const self = process.cpuUsage(self0);
      const rss = rssMb(pid);
      const cpuS = cpuSeconds(pid) - cpu0;
      // Database backends (PostgreSQL): CPU of the backends serving the bench database, started before or during.
      let dbCpuS = 0;
      for (const p of new Set([...extra0.keys(), ...extraPids()])) {
        const now = cpuSeconds(p);
        if (Number.isFinite(now)) dbCpuS += now - (extra0.get(p) ?? 0);
      }
      return {
        server_cpu_s: round(cpuS, 2),
        ...(extra0.size || dbCpuS ? { db_cpu_s: round(dbCpuS, 2), db_cpu_pct: round((dbCpuS / secs) * 100, 0) } : {}),
        server_rss_mb: round(rss, 1),
        server_rss_peak_mb: round(Math.max(peak, rss), 1),
        server_cpu_pct: round((cpuS / secs) * 100, 0),
        loadgen_cpu_pct: round(((self.user + self.system) / 1e6 / secs) * 100, 0),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Database for the server under test

type Env = Record<string, string | undefined>;

interface DbPlan {
  kind: 'pglite' | 'postgres';
  env: Env;
  label: string;
}

async function prepareDatabase(): Promise<DbPlan> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chattrix-bench-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  if (!cfg.databaseUrl) return { kind: 'pglite', env: { DATA_DIR: dataDir }, label: 'pglite' };
  const { default: postgres } = await import('postgres');
  const name = `bench_${RUN}`;
  const admin = postgres(cfg.databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end({ timeout: 5 });
  log(`created database ${name}`);
  cleanups.push(async () => {
    const a = postgres(cfg.databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      await a.unsafe(`drop database if exists ${name} with (force)`);
      log(`dropped database ${name}`);
    } finally {
      await a.end({ timeout: 5 });
    }
  });
  const url = new URL(cfg.databaseUrl);
  url.pathname = `/${name}`;
  return { kind: 'postgres', env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() }, label: 'postgres' };
}

let dbPlan: DbPlan;

/** PIDs of the PostgreSQL backends serving the bench database (their CPU is reported beside the server's). */
let dbPids: number[] = [];
async function refreshDbPids(): Promise<void> {
  if (dbPlan.kind !== 'postgres' || !dbPlan.env.DATABASE_URL) return;
  const { default: postgres } = await import('postgres');
  const name = new URL(dbPlan.env.DATABASE_URL).pathname.slice(1);
  const a = postgres(cfg.databaseUrl!, { max: 1, onnotice: () => {} });
  try {
    const rows = await a<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${name}`;
    dbPids = rows.map((r) => Number(r.pid));
  } finally {
    await a.end({ timeout: 5 });
  }
}

async function startChattrix(): Promise<Proc> {
  const env: Env = { ...process.env, ...dbPlan.env, PORT: '0', HOST: '127.0.0.1', RATE_LIMITS: 'off', NEXT_TELEMETRY_DISABLED: '1' };
  delete env.NODE_ENV; // RATE_LIMITS=off is refused in production; the server runs the production build anyway
  if (!cfg.databaseUrl) delete env.DATABASE_URL;
  if (cfg.redisUrl) env.REDIS_URL = cfg.redisUrl;
  const p = await startProc('chattrix', ['--import', 'tsx', ...cfg.serverNodeArgs, 'server.ts'], env, /listening on (http:\/\/[^\s]+?:\d+)/);
  log(`chattrix up at ${p.url} (pid ${p.pid}, ${dbPlan.label}${cfg.redisUrl ? ' + redis' : ''})`);
  return p;
}

async function startRelay(): Promise<Proc> {
  const p = await startProc('relay', ['--import', 'tsx', 'bench/relay.ts'], { ...process.env, PORT: '0' }, /listening on (http:\/\/[^\s]+?:\d+)/, 30_000);
  log(`relay up at ${p.url} (pid ${p.pid})`);
  return p;
}

// ---------------------------------------------------------------------------------------------------------------
// REST helpers and the accounts / conversations the workloads use (created once per run, kept across restarts)

async function api<T>(base: string, method: string, p: string, body?: unknown, token?: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${base}/api/v1${p}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(120_000), // generous: creating a 200-member group on a loaded machine
    });
    if (res.status === 503 && attempt < 20) {
      await sleep(250);
      continue;
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
}


interface BenchUser {
  id: string;
  username: string;
  token: string;
}

async function createUsers(base: string, tag: string, n: number): Promise<BenchUser[]> {
  const t0 = performance.now();
  const users = await pool(
    Array.from({ length: n }, (_, i) => i),
    4,
    async (i) => {
      const username = `b${RUN}_${tag}_${i}`;
      const { user } = await api<{ user: { id: string } }>(base, 'POST', '/auth/register', { username, password: PASSWORD });
      const { token } = await api<{ token: string }>(base, 'POST', '/auth/tokens', { username, password: PASSWORD, name: 'bench' });
      return { id: user.id, username, token };
    },
  );
  log(`registered ${n} users (${tag}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return users;
}

interface Fixtures {
  w1?: { users: BenchUser[]; groupId: string };
  w2?: { users: BenchUser[]; pairs: { id: string; a: number; b: number }[] };
}
const fixtures: Fixtures = {};

async function w1Fixture(base: string) {
  if (!fixtures.w1) {
    const users = await createUsers(base, 'g', cfg.w1Members);
    const { conversation } = await api<{ conversation: { id: string } }>(
      base,
      'POST',
      '/conversations',
      { kind: 'group', title: `bench ${RUN}`, memberIds: users.slice(1).map((u) => u.id) },
      users[0]!.token,
    );
    fixtures.w1 = { users, groupId: conversation.id };
  }
  return fixtures.w1;
}

async function w2Fixture(base: string) {
  if (!fixtures.w2) {
    const nPairs = Math.max(cfg.only.has('W2') || cfg.only.has('W3') ? cfg.w2Pairs : 0, cfg.only.has('CLOSED') ? cfg.closedPairs : 0);
    const users = await createUsers(base, 'd', nPairs * 2);
    const pairs = await pool(
      Array.from({ length: nPairs }, (_, i) => i),
      8,
      async (k) => {
        const a = 2 * k;
        const b = a + 1;
        const { conversation } = await api<{ conversation: { id: string } }>(base, 'POST', '/conversations', { kind: 'direct', userId: users[b]!.id }, users[a]!.token);
        return { id: conversation.id, a, b };
      },
    );
    fixtures.w2 = { users, pairs };
  }
  return fixtures.w2;
}

// ---------------------------------------------------------------------------------------------------------------
// Sockets

interface Connected {
  socket: Socket;
  ms: number;
}

function connectOne(url: string, auth: Record<string, unknown>, timeoutMs = 30_000): Promise<Connected> {
  const t0 = performance.now();
  const socket = connectSocket(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, ms: performance.now() - t0 }));
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
  });
}

async function connectMany(url: string, auths: Record<string, unknown>[], concurrency: number) {
  let failed = 0;
  const results = await pool(auths, concurrency, async (auth) => {
    try {
      return await connectOne(url, auth);
    } catch (e) {
      if (failed++ < 3) log(`connect failed: ${(e as Error).message}`);
      return undefined;
    }
  });
  return { sockets: results.filter((r): r is Connected => !!r), failed };
}

function closeAll(sockets: Socket[]): void {
  for (const s of sockets) {
    s.removeAllListeners();
    s.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics


const ratio = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? round(a / b, 2) : null);

// ---------------------------------------------------------------------------------------------------------------
// The messaging engine shared by W1 and W2: clients in conversations, senders, receipts.

interface Member {
  socket: Socket;
  conv: string;
  received: Set<string>;
  lastSeq: number;
}

interface SentRecord {
  t0: number;
  conv: string;
  acked: boolean;
  seq: number;
  receipts: number;
}

interface WireMessage {
  clientId?: string | null;
  seq?: number;
  conversationId?: string;
}

class Tracker {
  sent = new Map<string, SentRecord>();
  latencies: number[] = [];
  ackLatencies: number[] = [];
  delivered = 0;
  duplicated = 0;
  outOfOrder = 0;
  failed = 0;
  errors = new Map<string, number>();
  ackedCount = 0;
  lastAckAt = 0;
  lastReceiptAt = 0;
  warm = 0; // warm-up receipts
  disconnects = 0;
  /** Called on every first receipt of a tracked message (the closed loop waits for the partner's). */
  onDelivered?: (m: Member, clientId: string) => void;

  constructor(public members: Member[], public prefix: string) {
    for (const m of members) {
      m.socket.on('message:created', ({ message }: { message: WireMessage }) => this.onReceipt(m, message));
      m.socket.on('disconnect', (reason) => {
        this.disconnects++;
        if (this.disconnects <= 3) log(`a client disconnected: ${reason}`);
      });
    }
  }

  detach(): void {
    for (const m of this.members) {
      m.socket.off('message:created');
      m.socket.off('disconnect');
    }
  }

  private onReceipt(m: Member, message: WireMessage): void {
    const now = performance.now();
    if (message.conversationId !== m.conv) return;
    if (typeof message.seq === 'number') {
      if (message.seq <= m.lastSeq) this.outOfOrder++;
      else m.lastSeq = message.seq;
    }
    const cid = message.clientId ?? '';
    if (!cid.startsWith(this.prefix)) {
      if (cid.includes('warm')) this.warm++;
      return;
    }
    const rec = this.sent.get(cid);
    if (!rec) return;
    if (m.received.has(cid)) {
      this.duplicated++;
      return;
    }
    m.received.add(cid);
    rec.receipts++;
    this.delivered++;
    this.latencies.push(now - rec.t0);
    this.lastReceiptAt = now;
    this.onDelivered?.(m, cid);
  }

  send(socket: Socket, conv: string, i: number, onAck?: () => void): void {
    const clientId = `${this.prefix}${i.toString(36)}`;
    const rec: SentRecord = { t0: performance.now(), conv, acked: false, seq: 0, receipts: 0 };
    this.sent.set(clientId, rec);
    socket.emit(
      'message:send',
      { conversationId: conv, body: `bench message ${i} ${'x'.repeat(40)}`, clientId },
      (res: { ok: boolean; data?: { message: { seq: number } }; error?: { code: string } }) => {
        const now = performance.now();
        if (res?.ok) {
          rec.acked = true;
          rec.seq = res.data!.message.seq;
          this.ackedCount++;
          this.ackLatencies.push(now - rec.t0);
          this.lastAckAt = now;
        } else {
          this.failed++;
          const code = res?.error?.code ?? 'no_ack';
          this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
        }
        onAck?.();
      },
    );
  }

  /** Waits until every sent message is answered and delivered to every member of its conversation (bounded). */
  async drain(membersPerConv: (conv: string) => number, timeoutMs: number): Promise<void> {
    let expected = 0;
    for (const rec of this.sent.values()) expected += membersPerConv(rec.conv);
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      if (this.ackedCount + this.failed >= this.sent.size && this.delivered + 0 >= expected) return;
      await sleep(50);
    }
    log(`drain timed out: answered ${this.ackedCount + this.failed}/${this.sent.size}, delivered ${this.delivered}/${expected}`);
  }

  figures(expected: number, sendSeconds: number, firstSendAt: number) {
    const lat = percentiles(this.latencies);
    const ack = percentiles(this.ackLatencies);
    return {
      ...lat,
      ack_p50_ms: ack.p50_ms,
      ack_p99_ms: ack.p99_ms,
      sent: this.sent.size,
      acked: this.ackedCount,
      failed: this.failed,
      throughput_msgs_s: round(this.ackedCount / sendSeconds, 1),
      deliveries_s: round(this.delivered / ((Math.max(this.lastReceiptAt, firstSendAt + 1) - firstSendAt) / 1000), 0),
      delivered: this.delivered,
      expected,
      lost: expected - this.delivered,
      duplicated: this.duplicated,
      out_of_order: this.outOfOrder,
      ...(this.errors.size ? { errors: Object.fromEntries(this.errors) } : {}),
      ...(this.disconnects ? { disconnects: this.disconnects } : {}),
    };
  }
}

/** Warm-up: one message per conversation, repeated until every member has seen one (rooms joined, JIT warm). */
async function warmUp(members: Member[], senders: { socket: Socket; conv: string }[], tag: string): Promise<void> {
  const seen = new Set<Member>();
  const handlers = members.map((m) => {
    const h = ({ message }: { message: WireMessage }) => {
      if (message.conversationId === m.conv && (message.clientId ?? '').includes('warm')) seen.add(m);
      if (typeof message.seq === 'number' && message.seq > m.lastSeq) m.lastSeq = message.seq;
    };
    m.socket.on('message:created', h);
    return h;
  });
  const until = performance.now() + 30_000;
  let round_ = 0;
  while (seen.size < members.length && performance.now() < until) {
    for (const s of senders) {
      s.socket.emit('message:send', { conversationId: s.conv, body: 'warm-up', clientId: `${tag}warm${RUN}${round_}x${Math.random().toString(36).slice(2, 8)}` }, () => {});
    }
    round_++;
    const wait = performance.now() + 1_000;
    while (seen.size < members.length && performance.now() < wait) await sleep(20);
  }
  members.forEach((m, i) => m.socket.off('message:created', handlers[i]));
  if (seen.size < members.length) log(`warm-up: only ${seen.size}/${members.length} members saw a message`);
  await sleep(300);
}

/** Sends `total` messages at `rate`/s, round-robin over the senders, on an absolute schedule (no drift). */
async function paced(tracker: Tracker, senders: { socket: Socket; conv: string }[], rate: number, seconds: number): Promise<{ seconds: number; first: number }> {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (i < due) {
      const s = senders[i % senders.length]!;
      tracker.send(s.socket, s.conv, i);
      i++;
    }
    await sleep(1);
  }
  return { seconds: Math.max(seconds, (performance.now() - start) / 1000), first: start };
}

/** The messages of a conversation stored at or after `fromSeq`, through REST (the proof that acked means stored). */
async function storedClientIds(base: string, token: string, conv: string, fromSeq: number): Promise<string[]> {
  const out: string[] = [];
  let before: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const q = new URLSearchParams({ limit: '100', ...(before ? { before } : {}) });
    const { messages, hasMore } = await api<{ messages: { id: string; seq: number; clientId: string | null }[]; hasMore: boolean }>(
      base,
      'GET',
      `/conversations/${conv}/messages?${q}`,
      undefined,
      token,
    );
    for (const m of messages) if (m.seq >= fromSeq && m.clientId) out.push(m.clientId);
    if (!hasMore || messages.length === 0 || messages[0]!.seq < fromSeq) break;
    before = messages[0]!.id;
  }
  return out;
}

/** Checks every acked message is stored exactly once. */
async function verifyStored(base: string, tracker: Tracker, convTokens: Map<string, string>) {
  const minSeq = new Map<string, number>();
  for (const rec of tracker.sent.values()) {
    if (rec.acked) minSeq.set(rec.conv, Math.min(minSeq.get(rec.conv) ?? Infinity, rec.seq));
  }
  const counts = new Map<string, number>();
  await pool([...minSeq], 8, async ([conv, seq]) => {
    for (const cid of await storedClientIds(base, convTokens.get(conv)!, conv, seq)) {
      if (cid.startsWith(tracker.prefix)) counts.set(cid, (counts.get(cid) ?? 0) + 1);
    }
  });
  let stored = 0;
  let missing = 0;
  let twice = 0;
  for (const [cid, rec] of tracker.sent) {
    const n = counts.get(cid) ?? 0;
    if (n > 0) stored++;
    if (n > 1) twice++;
    if (rec.acked && n === 0) missing++;
  }
  return { stored, acked_not_stored: missing, stored_twice: twice };
}

// ---------------------------------------------------------------------------------------------------------------
// Workloads. Each runs against a target: { url, pid, and how clients authenticate / which conversation ids }.

interface Target {
  kind: 'chattrix' | 'relay';
  proc: Proc;
}

async function runW1(t: Target) {
  const n = cfg.w1Members;
  let conv: string;
  let auths: Record<string, unknown>[];
  if (t.kind === 'chattrix') {
    const fx = await w1Fixture(t.proc.url);
    conv = fx.groupId;
    auths = fx.users.map((u) => ({ token: u.token }));
  } else {
    conv = `group-${RUN}`;
    auths = Array.from({ length: n }, () => ({ rooms: [conv] }));
  }
  await sleep(500);
  const { sockets, failed } = await connectMany(t.proc.url, auths, 50);
  if (failed) log(`W1: ${failed} members failed to connect`);
  const members: Member[] = sockets.map((c) => ({ socket: c.socket, conv, received: new Set(), lastSeq: 0 }));
  const sender = { socket: members[0]!.socket, conv };
  await warmUp(members, [sender], 'w1');
  const mon = monitor(t.proc.pid);
  const tracker = new Tracker(members, `w1${RUN}${t.kind[0]}`);
  log(`W1 ${t.kind}: ${members.length} members, 1 sender at ${cfg.w1Rate}/s for ${cfg.durationS} s`);
  const { seconds, first } = await paced(tracker, [sender], cfg.w1Rate, cfg.durationS);
  await tracker.drain(() => members.length, 15_000);
  const usage = mon.stop();
  tracker.detach();
  const expected = tracker.sent.size * n; // every member of the group, online, the sender included
  const figures = { members: n, ...tracker.figures(expected, seconds, first), ...usage };
  const verified = t.kind === 'chattrix' ? await verifyStored(t.proc.url, tracker, new Map([[conv, (auths[0] as { token: string }).token]])) : {};
  closeAll(members.map((m) => m.socket));
  return { ...figures, ...verified };
}

async function connectPairs(t: Target, nPairs = cfg.w2Pairs) {
  let pairs: { id: string; a: number; b: number }[];
  let auths: Record<string, unknown>[];
  const convTokens = new Map<string, string>();
  if (t.kind === 'chattrix') {
    const fx = await w2Fixture(t.proc.url);
    pairs = fx.pairs.slice(0, nPairs);
    auths = fx.users.slice(0, 2 * pairs.length).map((u) => ({ token: u.token }));
    for (const p of pairs) convTokens.set(p.id, fx.users[p.a]!.token);
  } else {
    pairs = Array.from({ length: nPairs }, (_, k) => ({ id: `direct-${RUN}-${k}`, a: 2 * k, b: 2 * k + 1 }));
    auths = pairs.flatMap((p) => [{ rooms: [p.id] }, { rooms: [p.id] }]);
  }
  await sleep(500);
  const { sockets, failed } = await connectMany(t.proc.url, auths, 50);
  if (failed) throw new Error(`W2: ${failed} clients failed to connect`);
  const members: Member[] = [];
  for (const p of pairs) {
    members[p.a] = { socket: sockets[p.a]!.socket, conv: p.id, received: new Set(), lastSeq: 0 };
    members[p.b] = { socket: sockets[p.b]!.socket, conv: p.id, received: new Set(), lastSeq: 0 };
  }
  return { pairs, members, convTokens };
}

async function runW2(t: Target) {
  const { members, convTokens } = await connectPairs(t);
  const senders = members.map((m) => ({ socket: m.socket, conv: m.conv }));
  await warmUp(members, senders.filter((_, i) => i % 2 === 0), 'w2');

  // Fixed rate: 1,000 messages/s in total, both sides of every pair sending.
  let mon = monitor(t.proc.pid);
  const fixed = new Tracker(members, `w2${RUN}${t.kind[0]}f`);
  log(`W2 ${t.kind}: ${members.length / 2} pairs, ${cfg.w2Rate}/s in total for ${cfg.durationS} s`);
  const run1 = await paced(fixed, senders, cfg.w2Rate, cfg.durationS);
  await fixed.drain(() => 2, 15_000);
  const fixedUsage = mon.stop();
  fixed.detach();
  const fixedFigures = { pairs: members.length / 2, rate: cfg.w2Rate, ...fixed.figures(fixed.sent.size * 2, run1.seconds, run1.first), ...fixedUsage };
  const fixedVerified = t.kind === 'chattrix' ? await verifyStored(t.proc.url, fixed, convTokens) : {};

  // Sustained maximum: every sender keeps a window of messages in flight (closed loop) for BENCH_W2_MAX_S.
  let max: Record<string, unknown> | undefined;
  if (cfg.w2MaxS > 0) {
    await sleep(500);
    for (const m of members) m.received.clear();
    mon = monitor(t.proc.pid);
    const sat = new Tracker(members, `w2${RUN}${t.kind[0]}m`);
    log(`W2 ${t.kind}: sustained maximum, ${senders.length} senders × ${cfg.w2Window} in flight for ${cfg.w2MaxS} s`);
    const start = performance.now();
    const stopAt = start + cfg.w2MaxS * 1000;
    let i = 0;
    const pump = (s: { socket: Socket; conv: string }) => {
      if (performance.now() >= stopAt) return;
      sat.send(s.socket, s.conv, i++, () => pump(s));
    };
    for (const s of senders) for (let w = 0; w < cfg.w2Window; w++) pump(s);
    while (performance.now() < stopAt) await sleep(50);
    await sat.drain(() => 2, 30_000);
    const usage = mon.stop();
    sat.detach();
    const seconds = (Math.max(sat.lastAckAt, start + 1) - start) / 1000;
    const figures = sat.figures(sat.sent.size * 2, seconds, start);
    const verified = t.kind === 'chattrix' ? await verifyStored(t.proc.url, sat, convTokens) : {};
    const storedCount = (verified as { stored?: number }).stored;
    max = {
      window: cfg.w2Window,
      seconds: round(seconds, 1),
      persisted_msgs_s: storedCount !== undefined ? round(storedCount / seconds, 0) : round(sat.ackedCount / seconds, 0),
      ...figures,
      ...usage,
      ...verified,
    };
  }
  closeAll(members.map((m) => m.socket));
  return { ...fixedFigures, ...fixedVerified, ...(max ? { max } : {}) };
}

/**
 * The closed loop: `BENCH_CLOSED_PAIRS` direct pairs, ONE message in flight per pair (people replying to each
 * other): a side sends, waits for its ack AND for the partner's receipt, then the partner replies, and so on, for
 * `BENCH_CLOSED_S`. Throughput is then bounded by the per-message cost of the whole path, not hidden by batching.
 */
async function runClosed(t: Target) {
  const { pairs, members, convTokens } = await connectPairs(t, cfg.closedPairs);
  await warmUp(members, pairs.map((p) => ({ socket: members[p.a]!.socket, conv: p.id })), 'cl');
  for (const m of members) m.received.clear();
  await sleep(500);
  await refreshDbPids();
  const mon = monitor(t.proc.pid, () => dbPids);
  const tracker = new Tracker(members, `cl${RUN}${t.kind[0]}`);
  log(`CLOSED ${t.kind}: ${pairs.length} pairs, one message in flight per pair, for ${cfg.closedS} s`);
  const start = performance.now();
  const stopAt = start + cfg.closedS * 1000;
  let counter = 0;
  // Per pair: who sends next, and what the message in flight still waits for.
  const state = pairs.map((p) => ({ p, turn: 0, acked: false, received: false, cid: '' }));
  const byCid = new Map<string, (typeof state)[number]>();
  const next = (st: (typeof state)[number]) => {
    if (performance.now() >= stopAt) return;
    const from = st.turn === 0 ? st.p.a : st.p.b;
    st.acked = false;
    st.received = false;
    const i = counter++;
    st.cid = `${tracker.prefix}${i.toString(36)}`;
    byCid.set(st.cid, st);
    tracker.send(members[from]!.socket, st.p.id, i, () => {
      st.acked = true;
      if (st.received) advance(st);
    });
  };
  const advance = (st: (typeof state)[number]) => {
    byCid.delete(st.cid);
    st.turn ^= 1;
    next(st);
  };
  tracker.onDelivered = (m, cid) => {
    const st = byCid.get(cid);
    if (!st) return;
    const partner = members[st.turn === 0 ? st.p.b : st.p.a]!;
    if (m !== partner) return;
    st.received = true;
    if (st.acked) advance(st);
  };
  for (const st of state) next(st);
  while (performance.now() < stopAt) await sleep(50);
  await tracker.drain(() => 2, 30_000);
  await refreshDbPids();
  const usage = mon.stop();
  tracker.detach();
  const seconds = (Math.max(tracker.lastAckAt, start + 1) - start) / 1000;
  const figures = tracker.figures(tracker.sent.size * 2, seconds, start);
  const verified = t.kind === 'chattrix' ? await verifyStored(t.proc.url, tracker, convTokens) : {};
  const stored = (verified as { stored?: number }).stored ?? tracker.ackedCount;
  closeAll(members.map((m) => m.socket));
  return {
    pairs: pairs.length,
    seconds: round(seconds, 1),
    msgs_s: round(stored / seconds, 0),
    ...figures,
    ...usage,
    ...verified,
    server_cpu_ms_per_msg: round(((usage.server_cpu_s ?? NaN) * 1000) / Math.max(1, stored), 3),
    ...('db_cpu_s' in usage ? { db_cpu_ms_per_msg: round(((usage.db_cpu_s as number) * 1000) / Math.max(1, stored), 3) } : {}),
  };
}

/**
 * The idle workload: BENCH_IDLE_TABS signed-in Chromium tabs (one browser context per person, signed in through
 * next-auth's credentials endpoint) open on the chat shell; after they settle, BENCH_IDLE_S of nobody doing
 * anything. Server CPU over that window, and per tab the WebSocket frames (Chrome DevTools Protocol) and HTTP
 * requests sent in it. Every person shares a group with everyone and a direct conversation with a neighbour, so
 * the shell has people, presence and conversations to show.
 */
async function runIdle(base: string, pid: number) {
  const { chromium } = await import('@playwright/test');
  const people = await createUsers(base, 'i', cfg.idleTabs);
  await api(base, 'POST', '/conversations', { kind: 'group', title: `idle ${RUN}`, memberIds: people.slice(1).map((u) => u.id) }, people[0]!.token);
  await pool(
    people.filter((_, i) => i % 2 === 0 && i + 1 < people.length),
    4,
    async (u) => {
      const i = people.indexOf(u);
      const { conversation } = await api<{ conversation: { id: string } }>(base, 'POST', '/conversations', { kind: 'direct', userId: people[i + 1]!.id }, u.token);
      await api(base, 'POST', `/conversations/${conversation.id}/messages`, { body: 'hello', clientId: `idle${RUN}${i}` }, u.token);
    },
  );
  const browser = await chromium.launch({
    executablePath: cfg.chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const tabs = await pool(people, 4, async (u) => {
      const context = await browser.newContext({ baseURL: base });
      const { csrfToken } = (await (await context.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
      const res = await context.request.post('/api/auth/callback/credentials', {
        form: { csrfToken, username: u.username, password: PASSWORD, json: 'true', callbackUrl: base + '/' },
        maxRedirects: 0,
      });
      if (res.status() >= 400) throw new Error(`sign-in failed: ${res.status()}`);
      const page = await context.newPage();
      const counts = { framesSent: 0, framesReceived: 0, requests: 0, counting: false, sockets: 0 };
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      cdp.on('Network.webSocketCreated', () => counts.sockets++);
      cdp.on('Network.webSocketFrameSent', () => {
        if (counts.counting) counts.framesSent++;
      });
      cdp.on('Network.webSocketFrameReceived', () => {
        if (counts.counting) counts.framesReceived++;
      });
      page.on('request', () => {
        if (counts.counting) counts.requests++;
      });
      await page.goto('/', { waitUntil: 'load', timeout: 120_000 });
      if (/\/login/.test(page.url())) throw new Error('a tab was sent to /login: sign-in did not stick');
      return { context, page, counts };
    });
    log(`IDLE: ${tabs.length} tabs open; settling`);
    await sleep(10_000); // first render, socket connect, presence subscriptions, service worker
    const notConnected = tabs.filter((t) => t.counts.sockets === 0).length;
    if (notConnected) log(`IDLE: ${notConnected} tabs opened no WebSocket`);
    for (const t of tabs) t.counts.counting = true;
    const mon = monitor(pid);
    log(`IDLE: ${cfg.idleS} s of nobody doing anything`);
    // Each tab warms its offline cache once, 15 s after it connected (the pages it can open offline): that falls in
    // the first seconds of the window. The steady state is measured apart, over the window's last part.
    const warmS = Math.min(25, Math.floor(cfg.idleS / 2));
    await sleep(warmS * 1000);
    const requestsBeforeSteady = tabs.reduce((a, t) => a + t.counts.requests, 0);
    const steady = monitor(pid);
    await sleep((cfg.idleS - warmS) * 1000);
    const steadyUsage = steady.stop();
    const usage = mon.stop();
    for (const t of tabs) t.counts.counting = false;
    const frames = tabs.map((t) => t.counts.framesSent + t.counts.framesReceived);
    const requests = tabs.map((t) => t.counts.requests);
    for (const t of tabs) await t.context.close().catch(() => {});
    return {
      tabs: tabs.length,
      seconds: cfg.idleS,
      tabs_without_socket: notConnected,
      frames_total: frames.reduce((a, b) => a + b, 0),
      frames_per_tab_max: Math.max(...frames),
      frames_per_tab_mean: round(frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length), 1),
      http_requests_total: requests.reduce((a, b) => a + b, 0),
      ...usage,
      server_cpu_pct: round(((usage.server_cpu_s ?? NaN) / cfg.idleS) * 100, 2),
      steady: {
        from_s: warmS,
        seconds: cfg.idleS - warmS,
        http_requests: requests.reduce((a, b) => a + b, 0) - requestsBeforeSteady,
        server_cpu_s: steadyUsage.server_cpu_s,
        server_cpu_pct: round(((steadyUsage.server_cpu_s ?? NaN) / (cfg.idleS - warmS)) * 100, 2),
      },
    };
  } finally {
    await browser.close().catch(() => {});
  }
}

async function runW3(t: Target) {
  const n = cfg.w3Sockets;
  let auths: Record<string, unknown>[];
  if (t.kind === 'chattrix') {
    const fx = await w2Fixture(t.proc.url); // a few hundred accounts, each in `general` and one direct conversation
    auths = Array.from({ length: n }, (_, i) => ({ token: fx.users[i % fx.users.length]!.token }));
  } else {
    auths = Array.from({ length: n }, (_, i) => ({ rooms: [`user-${i % 200}`, 'general', `direct-${Math.floor((i % 200) / 2)}`] }));
  }
  await sleep(2_000); // let the start-up and set-up settle before the baseline
  const before = rssMb(t.proc.pid);
  const mon = monitor(t.proc.pid);
  log(`W3 ${t.kind}: ${n} idle sockets, ${cfg.w3Concurrency} handshakes in flight`);
  const t0 = performance.now();
  const { sockets, failed } = await connectMany(t.proc.url, auths, cfg.w3Concurrency);
  const total = (performance.now() - t0) / 1000;
  let dropped = 0;
  for (const c of sockets) c.socket.on('disconnect', () => dropped++);
  await sleep(3_000); // idle: room joins and presence settle
  const after = rssMb(t.proc.pid);
  const usage = mon.stop();
  const stillConnected = sockets.filter((c) => c.socket.connected).length;
  const lat = percentiles(sockets.map((c) => c.ms));
  closeAll(sockets.map((c) => c.socket));
  return {
    sockets: n,
    connected: stillConnected,
    failed,
    dropped,
    connect_total_s: round(total, 2),
    connects_per_s: round(sockets.length / total, 0),
    connect_p50_ms: lat.p50_ms,
    connect_p95_ms: lat.p95_ms,
    connect_p99_ms: lat.p99_ms,
    connect_max_ms: lat.max_ms,
    server_rss_before_mb: round(before, 1),
    server_rss_after_mb: round(after, 1),
    kb_per_socket: round(((after - before) * 1024) / Math.max(1, stillConnected), 1),
    ...usage,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Orchestration

type Figures = Record<string, unknown>;

let loadAtStart = 0;
let pressureAtStart: number | null = null;

/** `some avg10` of /proc/pressure/cpu: % of the last 10 s in which runnable tasks waited for a CPU. */
function cpuPressure(): number | null {
  try {
    const m = /some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function measure(fn: (t: Target) => Promise<Figures>): Promise<{ app: Figures; relay?: Figures }> {
  loadAtStart = os.loadavg()[0]!;
  pressureAtStart = cpuPressure();
  let relay: Figures | undefined;
  if (cfg.relay) {
    const p = await startRelay();
    try {
      relay = await fn({ kind: 'relay', proc: p });
    } finally {
      await p.stop();
    }
    await sleep(500);
  }
  const p = await startChattrix();
  try {
    const app = await fn({ kind: 'chattrix', proc: p });
    await sleep(1_000 + cfg.w3Sockets / 5); // the server handles the clients' disconnects before it is stopped
    return { app, relay };
  } finally {
    await p.stop();
  }
}

function pick(f: Figures | undefined, keys: string[]): Figures | undefined {
  if (!f) return undefined;
  return Object.fromEntries(keys.filter((k) => k in f).map((k) => [k, f[k]]));
}

const pg = () => dbPlan.kind === 'postgres';
const scale = () => (pg() ? 1 : 0.5); // with PGlite, half the PostgreSQL rates

function emit(line: Figures): void {
  // Other processes on the machine skew every figure; the relay's, measured alongside, shows by how much.
  const machine = {
    loadavg_1m_start: round(loadAtStart, 1),
    loadavg_1m_end: round(os.loadavg()[0]!, 1),
    cpu_pressure_pct_start: pressureAtStart,
    cpu_pressure_pct_end: cpuPressure(),
  };
  process.stdout.write(`${JSON.stringify({ ...line, machine })}\n`);
}

async function main(): Promise<void> {
  ensureFdLimit();
  const watchdog = setTimeout(() => {
    log(`BENCH_TIMEOUT_S (${cfg.timeoutS} s) reached: stopping`);
    void shutdown(2);
  }, cfg.timeoutS * 1000);
  watchdog.unref();

  if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    log('no build found (.next/BUILD_ID): running next build');
    const r = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 2, 2],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    });
    if (r.status !== 0) throw new Error('next build failed');
  }
  dbPlan = await prepareDatabase();
  cfg.w1Rate = num('BENCH_W1_RATE', 100 * scale());
  cfg.w2Rate = num('BENCH_W2_RATE', 1000 * scale());
  const common = { db: dbPlan.label, redis: !!cfg.redisUrl, cpus: os.cpus().length, node: process.version };
  const latKeys = ['p50_ms', 'p95_ms', 'p99_ms', 'max_ms', 'ack_p99_ms', 'throughput_msgs_s', 'deliveries_s', 'delivered', 'expected', 'lost', 'duplicated', 'out_of_order', 'server_rss_mb', 'server_cpu_pct'];

  if (cfg.only.has('CLOSED')) {
    const { app, relay } = await measure(runClosed);
    const keys = ['msgs_s', 'p50_ms', 'p99_ms', 'ack_p99_ms', 'lost', 'duplicated', 'out_of_order', 'server_cpu_pct', 'server_cpu_s', 'server_cpu_ms_per_msg'];
    const pgTargets = pg();
    emit({
      workload: 'CLOSED',
      name: 'closed loop, one in flight per pair',
      ...common,
      ...app,
      relay: pick(relay, keys),
      vs_relay: relay && {
        msgs_s: ratio(app.msgs_s, relay.msgs_s),
        p50: ratio(app.p50_ms, relay.p50_ms),
        p99: ratio(app.p99_ms, relay.p99_ms),
        cpu_ms_per_msg: ratio(app.server_cpu_ms_per_msg, relay.server_cpu_ms_per_msg),
      },
      targets: {
        'nothing lost or duplicated': app.lost === 0 && app.duplicated === 0 && app.out_of_order === 0 && app.acked_not_stored === 0,
        [`cpu per message <= ${pgTargets ? 0.3 : 0.6} ms`]: typeof app.server_cpu_ms_per_msg === 'number' && app.server_cpu_ms_per_msg <= (pgTargets ? 0.3 : 0.6),
        [`msgs/s >= ${pgTargets ? 0.5 : 0.25} x relay`]: relay ? (ratio(app.msgs_s, relay.msgs_s) ?? 0) >= (pgTargets ? 0.5 : 0.25) : null,
        [`p99 < ${pgTargets ? 50 : 100} ms`]: typeof app.p99_ms === 'number' && app.p99_ms < (pgTargets ? 50 : 100),
      },
    });
  }
  if (cfg.only.has('IDLE')) {
    loadAtStart = os.loadavg()[0]!;
    pressureAtStart = cpuPressure();
    const p = await startChattrix();
    let app: Figures;
    try {
      app = await runIdle(p.url, p.pid);
    } finally {
      await p.stop();
    }
    emit({
      workload: 'IDLE',
      name: 'idle signed-in tabs',
      ...common,
      ...app,
      targets: {
        'server CPU < 2% of a core': typeof app.server_cpu_pct === 'number' && app.server_cpu_pct < 2,
        'every tab connected': app.tabs_without_socket === 0,
      },
    });
  }
  if (cfg.only.has('W1')) {
    const { app, relay } = await measure(runW1);
    emit({
      workload: 'W1',
      name: 'fan-out',
      ...common,
      rate: cfg.w1Rate,
      seconds: cfg.durationS,
      ...app,
      relay: pick(relay, latKeys),
      vs_relay: relay && { p50: ratio(app.p50_ms, relay.p50_ms), p99: ratio(app.p99_ms, relay.p99_ms), deliveries_s: ratio(app.deliveries_s, relay.deliveries_s) },
      targets: {
        'nothing lost or duplicated': app.lost === 0 && app.duplicated === 0 && app.out_of_order === 0 && app.acked_not_stored === 0,
        'p99 < 100 ms': typeof app.p99_ms === 'number' && app.p99_ms < 100,
      },
    });
  }
  if (cfg.only.has('W2')) {
    const { app, relay } = await measure(runW2);
    const appMax = app.max as Figures | undefined;
    const relayMax = relay?.max as Figures | undefined;
    const maxKeys = ['window', 'seconds', 'persisted_msgs_s', 'throughput_msgs_s', 'p50_ms', 'p99_ms', 'ack_p99_ms', 'lost', 'duplicated', 'out_of_order', 'server_cpu_pct'];
    const target = 3000 * scale();
    emit({
      workload: 'W2',
      name: 'pairs',
      ...common,
      seconds: cfg.durationS,
      ...app,
      relay: relay && { ...pick(relay, latKeys), max: pick(relayMax, maxKeys) },
      vs_relay: relay && {
        p50: ratio(app.p50_ms, relay.p50_ms),
        p99: ratio(app.p99_ms, relay.p99_ms),
        max_msgs_s: ratio(appMax?.persisted_msgs_s, relayMax?.persisted_msgs_s),
      },
      targets: {
        'nothing lost or duplicated':
          app.lost === 0 && app.duplicated === 0 && app.out_of_order === 0 && app.acked_not_stored === 0 &&
          (!appMax || (appMax.lost === 0 && appMax.duplicated === 0 && appMax.out_of_order === 0 && appMax.acked_not_stored === 0)),
        [`p99 < 100 ms at ${cfg.w2Rate}/s`]: typeof app.p99_ms === 'number' && app.p99_ms < 100,
        ...(appMax ? { [`sustained max >= ${target} persisted msgs/s`]: (appMax.persisted_msgs_s as number) >= target } : {}),
      },
    });
  }
  if (cfg.only.has('W3')) {
    const { app, relay } = await measure(runW3);
    emit({
      workload: 'W3',
      name: 'capacity',
      ...common,
      ...app,
      relay: pick(relay, ['connected', 'connect_total_s', 'connect_p99_ms', 'kb_per_socket', 'server_rss_after_mb']),
      vs_relay: relay && {
        connect_total: ratio(app.connect_total_s, relay.connect_total_s),
        connect_p99: ratio(app.connect_p99_ms, relay.connect_p99_ms),
        kb_per_socket: ratio(app.kb_per_socket, relay.kb_per_socket),
      },
      targets: {
        'all connected': app.connected === cfg.w3Sockets,
        'kb per socket < 40': typeof app.kb_per_socket === 'number' && app.kb_per_socket < 40,
      },
    });
  }
}

let shuttingDown = false;
async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    for (const c of [...children]) c.kill('SIGTERM');
    const deadline = Date.now() + 8_000;
    while (children.size > 0 && Date.now() < deadline) await sleep(100);
    killAllNow();
    for (const c of cleanups.reverse()) await c().catch((e) => log('cleanup failed:', (e as Error).message));
  }
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));

main().then(
  () => shutdown(0),
  (e) => {
    log('failed:', e instanceof Error ? (e.stack ?? e.message) : e);
    return shutdown(1);
  },
);
