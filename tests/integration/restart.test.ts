/**
 * The server is killed (SIGKILL, a crash: no shutdown hooks) while a client sends a numbered stream of messages,
 * and restarted on the same data and port. The client does what the browser's outbox does: one message at a time,
 * each with its own clientId, retried with the SAME clientId until acknowledged. Afterwards every acknowledged
 * message is stored exactly once, and every message is stored exactly once, in the order sent.
 *
 * A dedicated server (not the shared one), on its own DATA_DIR; with DATABASE_URL set it runs on that database.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, expect, inject, it } from 'vitest';
import type { MessageDto } from '../../lib/validation/dto';
import { connectSocket, createToken, emitAck, registerUser, request, sleep, type ClientSocket } from '../helpers/api';
import { startServer, type RunningServer } from '../helpers/server';

const dataDir = mkdtempSync(path.join(tmpdir(), 'chattrix-crash-'));
let server: RunningServer | undefined;
let socket: ClientSocket | undefined;
let bystander: ClientSocket | undefined;

afterAll(async () => {
  socket?.close();
  bystander?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Outgoing {
  n: number;
  body: string;
  clientId: string;
  /** How many times it was emitted (1 = acknowledged on the first try). */
  attempts: number;
  ack?: MessageDto;
  /** Whether the ack came from the first server (before the crash) or the second. */
  ackedBy?: 'first' | 'second';
}

const TOTAL = 40;
/** This message is in flight at the crash: the server is frozen (SIGSTOP) just before it is sent, then killed. */
const KILL_AT = 16;

it('a crash mid-stream loses nothing and duplicates nothing: unacked messages are retried with their clientId and stored once, in order', async () => {
  // Someone connected to ANOTHER server (the shared one) all along. With REDIS_URL the two servers are nodes of one
  // cluster: neither the crash nor this server's clean shutdown may disconnect them.
  const sharedUrl = inject('baseUrl');
  const other = await registerUser(sharedUrl, { prefix: 'bystander' });
  bystander = await connectSocket(sharedUrl, { token: (await createToken(sharedUrl, other)).token });
  const bystanderDisconnects: string[] = [];
  bystander.on('disconnect', (reason) => bystanderDisconnects.push(reason));

  server = await startServer({ dataDir });
  const port = server.port;
  const url = server.url;

  const user = await registerUser(url, { prefix: 'crash' });
  const { token } = await createToken(url, user);
  const created = await request(url, '/api/v1/conversations', { method: 'POST', token, body: { kind: 'group', title: 'Crash test', memberIds: [] } });
  expect(created.status, created.text).toBe(201);
  const conversationId: string = created.body.conversation.id;

  // A client that reconnects by itself, quickly (the browser's does the same with its own delays).
  socket = io(url, {
    path: '/socket.io',
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
    timeout: 5_000,
  }) as ClientSocket;
  await new Promise<void>((resolve, reject) => {
    socket!.once('connect', () => resolve());
    socket!.once('connect_error', reject);
  });
  let reconnects = 0;
  socket.on('connect', () => reconnects++);

  // In an object: TypeScript would otherwise narrow a `let` that the restart changes behind its back.
  const run = { phase: 'first' as 'first' | 'restarting' | 'second', killed: false };
  let restart: Promise<void> | undefined;
  const crashAndRestart = async () => {
    run.phase = 'restarting';
    await server!.kill(); // SIGKILL; our DATA_DIR is kept
    run.killed = true;
    server = await startServer({ dataDir, port });
    run.phase = 'second';
  };

  const outgoing: Outgoing[] = [];
  const deadline = Date.now() + 100_000;
  for (let n = 1; n <= TOTAL; n++) {
    const msg: Outgoing = { n, body: `#${n}`, clientId: randomUUID(), attempts: 0 };
    outgoing.push(msg);
    while (!msg.ack) {
      if (Date.now() > deadline) throw new Error(`message ${n} was never acknowledged (phase ${run.phase}, ${msg.attempts} attempts)`);
      msg.attempts++;
      const phaseAtSend = run.phase;
      const killedAtSend = run.killed;
      // While disconnected, socket.io-client buffers the emit and sends it on reconnect; if the ack does not come in
      // time the same message is emitted again (same clientId), so several copies may reach the server at once.
      // Frozen first, so the first server receives this message but can never acknowledge it (a server killed only
      // after the emit could still answer before the SIGKILL lands, and the message would not be in flight).
      if (n === KILL_AT && msg.attempts === 1) server!.child.kill('SIGSTOP');
      const pending = socket.timeout(2_000).emitWithAck('message:send', { conversationId, body: msg.body, clientId: msg.clientId });
      if (n === KILL_AT && msg.attempts === 1) restart = crashAndRestart();
      let res;
      try {
        res = await pending;
      } catch {
        continue; // no ack in time: retry with the same clientId
      }
      if (res.ok) {
        msg.ack = res.data.message;
        // An ack that arrives while the first server is being killed was still sent by the first server.
        // One sent after the first server was dead can only have been acknowledged by the second (which may accept
        // connections before startServer returns).
        msg.ackedBy = killedAtSend || phaseAtSend === 'second' || run.phase === 'second' ? 'second' : 'first';
      } else {
        // A transient failure (the database not ready yet) is retried; a permanent one is a failure of the test.
        expect(['internal', 'rate_limited'], JSON.stringify(res)).toContain(res.error.code);
        await sleep(100);
      }
    }
  }
  await restart;
  expect(run.phase).toBe('second');
  expect(reconnects).toBeGreaterThanOrEqual(1);

  // The stream really went through the crash: messages acknowledged by each server, and the one in flight retried.
  expect(outgoing.slice(0, KILL_AT - 1).every((m) => m.ackedBy === 'first')).toBe(true);
  expect(outgoing[KILL_AT - 1]!.attempts).toBeGreaterThan(1);
  expect(outgoing.slice(KILL_AT).every((m) => m.ackedBy === 'second')).toBe(true);

  // Read everything back from the restarted server.
  let stored: MessageDto[] = [];
  for (;;) {
    const before = stored.length ? `&before=${stored[0]!.id}` : '';
    const page = await request<{ messages: MessageDto[]; hasMore: boolean }>(
      server.url,
      `/api/v1/conversations/${conversationId}/messages?limit=100${before}`,
      { token },
    );
    expect(page.status, page.text).toBe(200);
    stored = [...page.body.messages, ...stored];
    if (!page.body.hasMore) break;
  }
  const userMessages = stored.filter((m) => m.kind === 'user');

  // Every message exactly once, in the order sent.
  expect(userMessages.map((m) => m.body)).toEqual(outgoing.map((m) => m.body));
  expect(userMessages.map((m) => m.clientId)).toEqual(outgoing.map((m) => m.clientId));
  const seqs = userMessages.map((m) => m.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  // Every acknowledged message is the one stored (same id and seq), including those acked just before the crash.
  const byClientId = new Map(userMessages.map((m) => [m.clientId, m]));
  for (const m of outgoing) {
    const s = byClientId.get(m.clientId);
    expect(s, `message ${m.n}`).toBeDefined();
    expect(s!.id, `message ${m.n}`).toBe(m.ack!.id);
    expect(s!.seq, `message ${m.n}`).toBe(m.ack!.seq);
  }
  expect(new Set(userMessages.map((m) => m.id)).size).toBe(TOTAL);

  // A clean shutdown of this server (SIGTERM) closes only its own sockets.
  const ownClosed = new Promise<string>((resolve) => socket!.once('disconnect', (reason) => resolve(reason)));
  expect(await server.stop(), server.logs()).toBe(0);
  server = undefined;
  expect(await ownClosed).toMatch(/server|transport/);
  const stillThere = await emitAck(bystander, 'presence:subscribe', { userIds: [other.id] });
  expect(stillThere).toMatchObject({ ok: true });
  expect(bystanderDisconnects).toEqual([]);
  expect(bystander.connected).toBe(true);
}, 150_000);
