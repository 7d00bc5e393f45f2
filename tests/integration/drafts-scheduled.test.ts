/**
 * Drafts and scheduled messages against the real server with real sockets: a draft saved by one session reaches
 * the person's other session (never echoed as a new save to the saver), is listed, and is cleared everywhere by
 * sending; a scheduled message is sent at its time through the ordinary write path, can be edited, sent now or
 * cancelled until then, and is sent once after a restart that happened in between (and, on PostgreSQL, with two
 * nodes claiming the same rows).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { DraftDto, ScheduledDto } from '../../lib/validation/compose';
import type { MessageDto } from '../../lib/validation/dto';
import { connectSocket, createToken, emitAck, nextEvent, registerUser, request, sleep, type ClientSocket, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { freshDatabase, readHistory } from '../helpers/ops';
import { startServer, type RunningServer } from '../helpers/server';

const baseUrl = inject('baseUrl');
const sockets: ClientSocket[] = [];
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const s of servers) await s.stop();
});

type Person = TestUser & { token: string };
const tag = () => randomBytes(4).toString('hex');

async function person(url: string, prefix: string): Promise<Person> {
  const u = await registerUser(url, { prefix });
  return { ...u, token: (await createToken(url, u)).token };
}
async function socketOf(url: string, p: Person): Promise<ClientSocket> {
  const s = await connectSocket(url, { token: p.token });
  sockets.push(s);
  return s;
}
const call = (url: string, who: Person, method: string, p: string, body?: unknown) => request(url, `/api/v1${p}`, { method, token: who.token, body });
async function groupOf(url: string, owner: Person, members: Person[] = []): Promise<string> {
  const res = await call(url, owner, 'POST', '/conversations', { kind: 'group', title: `cmp-${tag()}`, memberIds: members.map((m) => m.id) });
  expect(res.status, res.text).toBe(201);
  return res.body.conversation.id;
}

describe('drafts', () => {
  it('a draft saved in one session reaches the other session, is listed, and sending clears it everywhere', async () => {
    const ana = await person(baseUrl, 'dra');
    const ben = await person(baseUrl, 'drb');
    const id = await groupOf(baseUrl, ana, [ben]);
    const phone = await socketOf(baseUrl, ana);
    const laptop = await socketOf(baseUrl, ana);
    const bens = await socketOf(baseUrl, ben);
    // A thread root, sent before anything is typed (sending clears the timeline's draft).
    const root = await call(baseUrl, ana, 'POST', `/conversations/${id}/messages`, { body: 'root' });
    const rootId = root.body.message.id as string;

    // Saved on the laptop: the phone hears it; the laptop's copy carries its own origin (so it ignores it).
    const onPhone = nextEvent<{ draft: DraftDto; origin?: string }>(phone, 'draft:updated');
    const onLaptop = nextEvent<{ draft: DraftDto; origin?: string }>(laptop, 'draft:updated');
    const ack = await emitAck(laptop, 'draft:save', { conversationId: id, body: 'half a thought', origin: 'laptop-1' });
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    expect(ack.data.draft).toMatchObject({ conversationId: id, threadId: null, body: 'half a thought' });
    expect((await onPhone).draft.body).toBe('half a thought');
    expect((await onLaptop).origin).toBe('laptop-1');

    // The same text again changes nothing and announces nothing: the next event is the sentinel's.
    const next = nextEvent<{ draft: DraftDto }>(phone, 'draft:updated');
    expect((await emitAck(laptop, 'draft:save', { conversationId: id, body: 'half a thought', origin: 'laptop-1' })).ok).toBe(true);
    const res = await call(baseUrl, ana, 'PUT', `/conversations/${id}/draft`, { body: 'half a thought, finished' });
    expect(res.status, res.text).toBe(200);
    expect((await next).draft.body).toBe('half a thought, finished');

    // Listed (REST), per conversation and thread; nobody else sees it.
    expect((await call(baseUrl, ana, 'PUT', `/conversations/${id}/draft`, { body: 'thread words', threadId: rootId })).status).toBe(200);
    const list = await call(baseUrl, ana, 'GET', '/me/drafts');
    expect(list.status).toBe(200);
    const mine = (list.body.drafts as DraftDto[]).filter((d) => d.conversationId === id);
    expect(mine.map((d) => [d.threadId, d.body]).sort()).toEqual([
      [null, 'half a thought, finished'],
      [rootId, 'thread words'],
    ]);
    expect((await call(baseUrl, ana, 'GET', `/conversations/${id}/draft?threadId=${rootId}`)).body.draft.body).toBe('thread words');
    expect((await call(baseUrl, ben, 'GET', '/me/drafts')).body.drafts).toEqual([]);
    expect((await call(baseUrl, ben, 'GET', `/conversations/${id}/draft`)).body.draft).toBeNull();

    // Sending in the timeline clears the timeline's draft on both sessions; the thread's stays.
    const clearedPhone = nextEvent<{ draft: DraftDto }>(phone, 'draft:updated');
    const clearedLaptop = nextEvent<{ draft: DraftDto }>(laptop, 'draft:updated');
    const sent = await emitAck(laptop, 'message:send', { conversationId: id, body: 'half a thought, finished', clientId: `c-${tag()}-${tag()}` });
    expect(sent.ok).toBe(true);
    for (const e of [await clearedPhone, await clearedLaptop]) expect(e.draft).toMatchObject({ conversationId: id, threadId: null, body: '' });
    const after = (await call(baseUrl, ana, 'GET', '/me/drafts')).body.drafts as DraftDto[];
    expect(after.filter((d) => d.conversationId === id).map((d) => d.threadId)).toEqual([rootId]);

    // Ben's socket never heard of Ana's drafts: his first draft event is his own save.
    const bensFirst = nextEvent<{ draft: DraftDto }>(bens, 'draft:updated');
    await emitAck(bens, 'draft:save', { conversationId: id, body: 'ben writes' });
    expect((await bensFirst).draft.body).toBe('ben writes');
  });

  it('many sends at once clear exactly their senders\' drafts there, and nobody else\'s', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => person(baseUrl, `drm${i}`)));
    const [owner, ...rest] = people as [Person, ...Person[]];
    const id = await groupOf(baseUrl, owner, rest);
    const other = await groupOf(baseUrl, owner, rest);
    // Everyone has a draft in both groups; each then sends in the first one, all at once.
    for (const p of people) {
      for (const conv of [id, other]) expect((await call(baseUrl, p, 'PUT', `/conversations/${conv}/draft`, { body: `draft of ${p.username}` })).status).toBe(200);
    }
    const sockets = await Promise.all(people.map((p) => socketOf(baseUrl, p)));
    const cleared = sockets.map((s) => nextEvent<{ draft: DraftDto }>(s, 'draft:updated', (e) => e.draft.conversationId === id && e.draft.body === ''));
    const acks = await Promise.all(sockets.map((s, i) => emitAck(s, 'message:send', { conversationId: id, body: `sent ${i}`, clientId: `m-${tag()}-${i}` })));
    expect(acks.every((a) => a.ok)).toBe(true);
    await Promise.all(cleared);
    for (const p of people) {
      const left = ((await call(baseUrl, p, 'GET', '/me/drafts')).body.drafts as DraftDto[]).filter((d) => d.conversationId === id || d.conversationId === other);
      expect(left.map((d) => d.conversationId), p.username).toEqual([other]);
    }
  });

  it('refuses outsiders (404) and bad input (400)', async () => {
    const ana = await person(baseUrl, 'drc');
    const eve = await person(baseUrl, 'dre');
    const id = await groupOf(baseUrl, ana);
    expectError(await call(baseUrl, eve, 'PUT', `/conversations/${id}/draft`, { body: 'sneak' }), 'not_found');
    expectError(await call(baseUrl, eve, 'GET', `/conversations/${id}/draft`), 'not_found');
    const s = await socketOf(baseUrl, eve);
    const ack = await emitAck(s, 'draft:save', { conversationId: id, body: 'sneak' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expectError(await call(baseUrl, ana, 'PUT', `/conversations/${id}/draft`, { body: 'x'.repeat(4001) }), 'bad_request');
    expectError(await call(baseUrl, ana, 'PUT', `/conversations/${id}/draft`, { body: 5 }), 'bad_request');
  });
});

describe('scheduled messages', () => {
  it('is sent at its time through the ordinary write path; can be edited, sent now and cancelled until then', async () => {
    const ana = await person(baseUrl, 'sca');
    const ben = await person(baseUrl, 'scb');
    const id = await groupOf(baseUrl, ana, [ben]);
    const bens = await socketOf(baseUrl, ben);
    const anas = await socketOf(baseUrl, ana);

    const at = new Date(Date.now() + 5000).toISOString();
    const created = await call(baseUrl, ana, 'POST', '/scheduled', { conversationId: id, body: 'later, first draft', sendAt: at });
    expect(created.status, created.text).toBe(201);
    const sch = created.body.scheduled as ScheduledDto;
    expect(sch).toMatchObject({ conversationId: id, status: 'pending', body: 'later, first draft' });
    const edited = await call(baseUrl, ana, 'PATCH', `/scheduled/${sch.id}`, { body: 'later, for real' });
    expect(edited.status, edited.text).toBe(200);
    expect((await call(baseUrl, ana, 'GET', '/scheduled')).body.scheduled.map((s: ScheduledDto) => s.id)).toContain(sch.id);
    expectError(await call(baseUrl, ben, 'GET', `/scheduled/${sch.id}`), 'not_found');
    expectError(await call(baseUrl, ben, 'DELETE', `/scheduled/${sch.id}`), 'not_found');

    const arrived = nextEvent<{ message: MessageDto }>(bens, 'message:created', (p) => p.message.conversationId === id, 15_000);
    const done = nextEvent<{ scheduled: ScheduledDto }>(anas, 'scheduled:updated', (p) => p.scheduled.id === sch.id && p.scheduled.status === 'sent', 15_000);
    const { message } = await arrived;
    expect(message.body).toBe('later, for real');
    expect(message.sender?.id).toBe(ana.id);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(at) - 50);
    expect((await done).scheduled.messageId).toBe(message.id);
    // Sent: it cannot change any more.
    expectError(await call(baseUrl, ana, 'PATCH', `/scheduled/${sch.id}`, { body: 'too late' }), 'conflict');
    expectError(await call(baseUrl, ana, 'POST', `/scheduled/${sch.id}/send`), 'conflict');

    // Send now, and cancel.
    const far = new Date(Date.now() + 3600_000).toISOString();
    const now = (await call(baseUrl, ana, 'POST', '/scheduled', { conversationId: id, body: 'right away', sendAt: far })).body.scheduled as ScheduledDto;
    const nowArrived = nextEvent<{ message: MessageDto }>(bens, 'message:created', (p) => p.message.body === 'right away');
    const sentNow = await call(baseUrl, ana, 'POST', `/scheduled/${now.id}/send`);
    expect(sentNow.status, sentNow.text).toBe(200);
    expect(sentNow.body.scheduled.status).toBe('sent');
    await nowArrived;
    const gone = (await call(baseUrl, ana, 'POST', '/scheduled', { conversationId: id, body: 'never', sendAt: new Date(Date.now() + 4000).toISOString() })).body.scheduled as ScheduledDto;
    expect((await call(baseUrl, ana, 'DELETE', `/scheduled/${gone.id}`)).status).toBe(204);
    expect((await call(baseUrl, ana, 'GET', '/scheduled')).body.scheduled.map((s: ScheduledDto) => s.id)).not.toContain(gone.id);
    await sleep(4500);
    const bodies = (await readHistory(baseUrl, ben.token, id)).map((m) => m.body);
    expect(bodies.filter((b) => b === 'later, for real')).toHaveLength(1);
    expect(bodies.filter((b) => b === 'right away')).toHaveLength(1);
    expect(bodies).not.toContain('never');
    expect((await call(baseUrl, ana, 'GET', `/scheduled/${gone.id}`)).body.scheduled.status).toBe('cancelled');
  });

  it('refuses the past, outsiders and bad input', async () => {
    const ana = await person(baseUrl, 'scc');
    const eve = await person(baseUrl, 'sce');
    const id = await groupOf(baseUrl, ana);
    const soon = new Date(Date.now() + 60_000).toISOString();
    expectError(await call(baseUrl, ana, 'POST', '/scheduled', { conversationId: id, body: 'x', sendAt: new Date(Date.now() - 60_000).toISOString() }), 'bad_request');
    expectError(await call(baseUrl, ana, 'POST', '/scheduled', { conversationId: id, body: 'x', sendAt: 'tomorrow' }), 'bad_request');
    expectError(await call(baseUrl, ana, 'POST', '/scheduled', { conversationId: id, body: '   ', sendAt: soon }), 'bad_request');
    expectError(await call(baseUrl, eve, 'POST', '/scheduled', { conversationId: id, body: 'x', sendAt: soon }), 'not_found');
    expectError(await call(baseUrl, ana, 'GET', '/scheduled/nope'), 'not_found');
  });

  it('survives a restart: a message due while the server was down is sent once when it is back', async () => {
    const db = await freshDatabase('sched');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'chattrix-sched-'));
    try {
      const env = db.url ? { DATABASE_URL: db.url } : {};
      let server = await startServer({ dataDir, env });
      const ana = await person(server.url, 'scr');
      const id = await groupOf(server.url, ana);
      const body = `while you were out ${tag()}`;
      const res = await call(server.url, ana, 'POST', '/scheduled', { conversationId: id, body, sendAt: new Date(Date.now() + 1500).toISOString() });
      expect(res.status, res.text).toBe(201);
      expect(await server.stop()).toBe(0);
      await sleep(2000); // due while nobody runs
      server = await startServer({ dataDir, env });
      servers.push(server);
      const deadline = Date.now() + 20_000;
      let found: MessageDto[] = [];
      while (Date.now() < deadline) {
        found = (await readHistory(server.url, ana.token, id)).filter((m) => m.body === body);
        if (found.length) break;
        await sleep(250);
      }
      expect(found).toHaveLength(1);
      const row = (await call(server.url, ana, 'GET', `/scheduled/${res.body.scheduled.id}`)).body.scheduled as ScheduledDto;
      expect(row).toMatchObject({ status: 'sent', messageId: found[0]!.id });
    } finally {
      for (const s of servers.splice(0)) await s.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await db.drop();
    }
  });

  it.skipIf(!process.env.DATABASE_URL)('two nodes claiming the same due rows send each exactly once (PostgreSQL)', async () => {
    const db = await freshDatabase('sched2');
    try {
      const env = { DATABASE_URL: db.url };
      const [a, b] = await Promise.all([startServer({ env }), startServer({ env })]);
      servers.push(a, b);
      const ana = await person(a.url, 'scn');
      const id = await groupOf(a.url, ana);
      // Both nodes' route handlers warmed up first; the time leaves room for 30 creations on a slow machine.
      for (const node of [a, b]) expect((await call(node.url, ana, 'GET', '/scheduled')).status).toBe(200);
      const due = new Date(Date.now() + 10_000).toISOString();
      const bodies = Array.from({ length: 30 }, (_, i) => `both nodes ${i}`);
      // Half created through each node: both runners are armed for the same instant.
      const made = await Promise.all(bodies.map((body, i) => call(i % 2 ? b.url : a.url, ana, 'POST', '/scheduled', { conversationId: id, body, sendAt: due })));
      expect(made.map((r) => r.status), made.map((r) => r.text).join('\n')).toEqual(bodies.map(() => 201));
      const deadline = Date.now() + 45_000;
      let got: string[] = [];
      while (Date.now() < deadline) {
        got = (await readHistory(a.url, ana.token, id)).map((m) => m.body).filter((x) => x.startsWith('both nodes'));
        if (got.length >= bodies.length) break;
        await sleep(300);
      }
      await sleep(1000);
      got = (await readHistory(b.url, ana.token, id)).map((m) => m.body).filter((x) => x.startsWith('both nodes'));
      const left = (await call(a.url, ana, 'GET', '/scheduled')).body.scheduled as ScheduledDto[];
      expect(left.map((s) => `${s.status} ${s.error ?? ''}`), `${a.logs().slice(-3000)}\n----\n${b.logs().slice(-3000)}`).toEqual([]);
      expect(got.sort()).toEqual([...bodies].sort());
    } finally {
      for (const s of servers.splice(0)) await s.stop();
      await db.drop();
    }
  });
});
