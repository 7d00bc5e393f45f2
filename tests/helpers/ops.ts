/**
 * Helpers for the operations tests (shutdown, backups, several nodes): a database of their own (PostgreSQL when
 * DATABASE_URL is set, so "the first account is the admin" and "restore into an empty database" hold), clients that
 * keep sending and remember what was acknowledged, and a reader of a conversation's whole history.
 */
import { randomBytes } from 'node:crypto';
import { request, type ClientSocket } from './api';

export interface FreshDatabase {
  /** DATABASE_URL for the server: a new empty PostgreSQL database, or undefined (PGlite in DATA_DIR). */
  url: string | undefined;
  drop: () => Promise<void>;
}

/**
 * A new, empty PostgreSQL database beside DATABASE_URL's (or `base`'s; dropped by `drop`); undefined without
 * either.
 */
export async function freshDatabase(prefix = 'ops', base = process.env.DATABASE_URL): Promise<FreshDatabase> {
  if (!base) return { url: undefined, drop: async () => {} };
  const { default: postgres } = await import('postgres');
  const name = `chattrix_${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = postgres(base, { max: 1, onnotice: () => {} });
      await c.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await c.end();
    },
  };
}

/** Every message of a conversation, oldest first (read backwards with `before=`: a cursorless page is the newest). */
export async function readHistory(baseUrl: string, token: string, conversationId: string): Promise<any[]> {
  const pages: any[][] = [];
  let before: string | undefined;
  for (;;) {
    const q = new URLSearchParams({ limit: '100' });
    if (before) q.set('before', before);
    const res = await request(baseUrl, `/api/v1/conversations/${conversationId}/messages?${q}`, { token });
    if (res.status !== 200) throw new Error(`history: ${res.status} ${res.text}`);
    const page = res.body.messages as any[];
    pages.unshift(page);
    if (!res.body.hasMore || page.length === 0) break;
    before = page[0].id;
  }
  return pages.flat();
}

export interface Sender {
  /** clientId → the acknowledged message (id, seq), in the order acknowledgements arrived. */
  acked: Map<string, { id: string; seq: number; at: number }>;
  /** clientIds sent but never acknowledged. */
  unacked: () => string[];
  /** Refusals (an ack with ok:false): none expected. */
  errors: string[];
  stop: () => Promise<void>;
}

/**
 * Sends `body-N` messages on `socket` into `conversationId`, `window` at a time, until stopped or the socket
 * disconnects; remembers each acknowledgement.
 */
export function startSending(socket: ClientSocket, conversationId: string, opts: { window?: number; tag?: string } = {}): Sender {
  const acked = new Map<string, { id: string; seq: number; at: number }>();
  const sent = new Set<string>();
  const errors: string[] = [];
  let stopped = false;
  let n = 0;
  const tag = opts.tag ?? randomBytes(3).toString('hex');
  const lane = async () => {
    while (!stopped && socket.connected) {
      const clientId = `c-${tag}-${String(n++).padStart(6, "0")}`;
      sent.add(clientId);
      try {
        const ack = (await (socket.timeout(20_000) as any).emitWithAck('message:send', { conversationId, body: `msg ${clientId}`, clientId })) as any;
        if (ack?.ok) acked.set(clientId, { id: ack.data.message.id, seq: ack.data.message.seq, at: Date.now() });
        else if (ack && !ack.ok) {
          errors.push(JSON.stringify(ack.error));
          return;
        }
      } catch {
        return; // timed out or disconnected: this lane ends
      }
    }
  };
  const lanes = Array.from({ length: opts.window ?? 4 }, () => lane());
  return {
    acked,
    errors,
    unacked: () => [...sent].filter((c) => !acked.has(c)),
    stop: async () => {
      stopped = true;
      await Promise.allSettled(lanes);
    },
  };
}

/** Runs one of our scripts (`scripts/<name>.ts`) the way `npm run <name>` does; resolves with its exit code and output. */
export async function runScript(name: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const { spawn } = await import('node:child_process');
  const { repoRoot } = await import('./server');
  const childEnv: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[k]) childEnv[k] = process.env[k]!;
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], { cwd: repoRoot, env: childEnv as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.once('exit', (code) => resolve({ code, output }));
  });
}
