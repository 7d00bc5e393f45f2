/**
 * Threads against the real server with real sockets: replies out of the timeline (unless also sent to the
 * channel), counts and participants on the root (live through `thread:updated`), follow rules, the Threads list and
 * its unread counts, exactly-once with clientId, catch-up after a reconnect, typing inside a thread, deleting a root
 * (its thread stays readable under a tombstone), search hits in threads, and paging a long thread.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { ConversationDto, MessageDto } from '../../lib/validation/dto';
import { connectSocket, createToken, emitAck, nextEvent, registerUser, request, type ClientSocket, type HttpResult, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';

const baseUrl = inject('baseUrl');

interface Person extends TestUser {
  token: string;
  socket: ClientSocket;
}

const sockets: ClientSocket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});

async function freshUser(prefix: string): Promise<Person> {
  for (;;) {
    const user = await registerUser(baseUrl, { prefix });
    const { token } = await createToken(baseUrl, user);
    const me = await request(baseUrl, '/api/v1/me', { token });
    if (me.body.user.isAdmin) continue;
    const socket = await connectSocket(baseUrl, { token });
    sockets.push(socket);
    return { ...user, token, socket };
  }
}

function call<T = any>(who: { token: string }, method: string, path: string, body?: unknown): Promise<HttpResult<T>> {
  return request<T>(baseUrl, `/api/v1${path}`, { method, token: who.token, body });
}

const tag = () => randomBytes(4).toString('hex');

async function channelWith(owner: Person, others: Person[]): Promise<string> {
  const created = nextEvent<{ conversation: ConversationDto }>(owner.socket, 'conversation:created');
  const res = await call<{ conversation: ConversationDto }>(owner, 'POST', '/conversations', { kind: 'channel', title: `thr-${tag()}` });
  expect(res.status, res.text).toBe(201);
  await created;
  const id = res.body.conversation.id;
  for (const p of others) {
    const joined = nextEvent<{ conversation: ConversationDto }>(p.socket, 'conversation:created', (x) => x.conversation.id === id);
    expect((await call(p, 'POST', `/conversations/${id}/join`)).status).toBe(200);
    await joined;
  }
  return id;
}

async function send(who: Person, id: string, body: string, extra: Record<string, unknown> = {}): Promise<MessageDto> {
  const res = await call<{ message: MessageDto }>(who, 'POST', `/conversations/${id}/messages`, { body, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.body.message;
}

async function timeline(who: Person, id: string): Promise<MessageDto[]> {
  const res = await call<{ messages: MessageDto[] }>(who, 'GET', `/conversations/${id}/messages?limit=100`);
  expect(res.status, res.text).toBe(200);
  return res.body.messages;
}

async function thread(who: Person, rootId: string, q = ''): Promise<{ root: MessageDto; messages: MessageDto[]; hasMore: boolean }> {
  const res = await call(who, 'GET', `/messages/${rootId}/thread${q}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function threadsOf(who: Person): Promise<{ threads: { root: MessageDto; lastReplies: MessageDto[]; unreadCount: number; mentionCount: number }[]; nextCursor: string | null }> {
  const res = await call(who, 'GET', '/threads?limit=50');
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('threads', () => {
  it('the Threads list counts the unread replies that mention you (by name or a keyword), and none once read', async () => {
    const ana = await freshUser('tmana');
    const ben = await freshUser('tmben');
    const c = await channelWith(ana, [ben]);
    const word = `kw${tag()}`;
    expect((await call(ben, 'PUT', '/me/keywords', { keywords: [word] })).status).toBe(200);
    const root = await send(ben, c, 'a root of mine');
    await send(ana, c, 'just a reply', { threadId: root.id });
    await send(ana, c, `@${ben.username} have a look`, { threadId: root.id });
    await send(ana, c, `about ${word}`, { threadId: root.id });
    const row = () => threadsOf(ben).then((l) => l.threads.find((t) => t.root.id === root.id)!);
    expect(await row()).toMatchObject({ unreadCount: 3, mentionCount: 2 });
    // Ana's own list: her replies are not unread for her, and nothing mentions her.
    expect((await threadsOf(ana)).threads.find((t) => t.root.id === root.id)).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    const t = await thread(ben, root.id);
    expect((await call(ben, 'POST', `/messages/${root.id}/thread/read`, { messageId: t.messages[t.messages.length - 1]!.id })).status).toBe(204);
    expect(await row()).toMatchObject({ unreadCount: 0, mentionCount: 0 });
  });

  it('keeps replies out of the timeline, counts them on the root, live, and shows alsoToChannel replies', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const cat = await freshUser('cat');
    const c = await channelWith(ana, [ben, cat]);
    const root = await send(ana, c, 'Shall we ship on Friday?');

    const created = nextEvent<{ message: MessageDto }>(cat.socket, 'message:created', (p) => p.message.body === 'yes');
    const updated = nextEvent<{ rootId: string; thread: { replyCount: number; participantIds: string[] } }>(cat.socket, 'thread:updated', (p) => p.rootId === root.id);
    const r1 = await send(ben, c, 'yes', { threadId: root.id });
    expect(r1.threadId).toBe(root.id);
    expect((await created).message.threadId).toBe(root.id);
    expect((await updated).thread).toMatchObject({ replyCount: 1, participantIds: [ben.id] });

    await send(cat, c, 'no', { threadId: root.id });
    const echoed = await send(ben, c, 'decided: Friday', { threadId: root.id, alsoToChannel: true });
    expect(echoed.alsoToChannel).toBe(true);

    const tl = await timeline(cat, c);
    const bodies = tl.filter((m) => m.kind === 'user').map((m) => m.body);
    expect(bodies).toEqual(['Shall we ship on Friday?', 'decided: Friday']);
    const rootInTl = tl.find((m) => m.id === root.id)!;
    expect(rootInTl.thread).toMatchObject({ replyCount: 3, participantIds: [ben.id, cat.id] });
    expect(rootInTl.thread!.lastReplyAt).toBe(echoed.createdAt);

    const t = await thread(cat, root.id);
    expect(t.root.id).toBe(root.id);
    expect(t.messages.map((m) => m.body)).toEqual(['yes', 'no', 'decided: Friday']);
    // Replies share the conversation's seq.
    expect(t.messages.map((m) => m.seq)).toEqual([...t.messages.map((m) => m.seq)].sort((a, b) => a - b));
    expect(t.messages[0]!.seq).toBeGreaterThan(root.seq);

    // The conversation's unread count and last message ignore thread-only replies.
    const list = await call<{ conversations: ConversationDto[] }>(ana, 'GET', '/conversations');
    const conv = list.body.conversations.find((x) => x.id === c)!;
    expect(conv.lastMessage!.body).toBe('decided: Friday');
    expect(conv.unreadCount).toBe(1);

    // Replies to replies and replies to another conversation's message are refused.
    expectError(await call(ana, 'POST', `/conversations/${c}/messages`, { body: 'x', threadId: r1.id }), 'bad_request', { issues: true });
    const other = await channelWith(ana, []);
    expectError(await call(ana, 'POST', `/conversations/${other}/messages`, { body: 'x', threadId: root.id }), 'bad_request', { issues: true });
    expectError(await call(ana, 'POST', `/conversations/${c}/messages`, { body: 'x', alsoToChannel: true }), 'bad_request', { issues: true });
    expectError(await call(ana, 'GET', `/messages/${r1.id}/thread`), 'bad_request');
  });

  it('follow rules: the root author, repliers and the mentioned follow; unfollow and follow; Threads list and unread', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const cat = await freshUser('cat');
    const dan = await freshUser('dan');
    const c = await channelWith(ana, [ben, cat, dan]);
    const root = await send(ana, c, 'Lunch?');

    const anaUnread = nextEvent<{ rootId: string; unreadCount: number; following: boolean }>(ana.socket, 'thread:unread', (p) => p.rootId === root.id && p.unreadCount === 1);
    await send(ben, c, `sure, @${cat.username} too?`, { threadId: root.id });
    expect(await anaUnread).toMatchObject({ following: true, unreadCount: 1 });

    const follow = async (p: Person) => (await thread(p, root.id)).root.thread!;
    expect(await follow(ana)).toMatchObject({ following: true, unreadCount: 1, replyCount: 1 });
    expect(await follow(ben)).toMatchObject({ following: true, unreadCount: 0 });
    expect(await follow(cat)).toMatchObject({ following: true, unreadCount: 1 });
    expect(await follow(dan)).toMatchObject({ following: false, unreadCount: 0 });

    // The Threads list: newest activity first, unread counts, last replies.
    const root2 = await send(ana, c, 'Coffee?');
    await send(cat, c, 'later', { threadId: root2.id });
    let list = await threadsOf(ana);
    expect(list.threads.map((t) => t.root.id).slice(0, 2)).toEqual([root2.id, root.id]);
    expect(list.threads[0]).toMatchObject({ unreadCount: 1 });
    expect(list.threads[0]!.lastReplies.map((m) => m.body)).toEqual(['later']);
    expect((await threadsOf(dan)).threads).toEqual([]);

    // Reading marks it read.
    const t = await thread(ana, root2.id);
    const read = await call(ana, 'POST', `/messages/${root2.id}/thread/read`, { messageId: t.messages[t.messages.length - 1]!.id });
    expect(read.status, read.text).toBe(204);
    list = await threadsOf(ana);
    expect(list.threads.find((x) => x.root.id === root2.id)!.unreadCount).toBe(0);
    expectError(await call(ana, 'POST', `/messages/${root2.id}/thread/read`, { messageId: root.id }), 'bad_request', { issues: true });

    // Unfollow: a new reply no longer counts for ana (she is the root's author, but opted out).
    expect((await call(ana, 'DELETE', `/messages/${root.id}/follow`)).status).toBe(204);
    await send(dan, c, 'count me in', { threadId: root.id });
    expect((await threadsOf(ana)).threads.some((x) => x.root.id === root.id)).toBe(false);
    expect(await follow(ana)).toMatchObject({ following: false, unreadCount: 0 });
    // Dan replied: he follows now.
    expect(await follow(dan)).toMatchObject({ following: true });
    // Follow again: the unread since her read position counts.
    expect((await call(ana, 'PUT', `/messages/${root.id}/follow`)).status).toBe(204);
    expect(await follow(ana)).toMatchObject({ following: true, unreadCount: 2 });

    // Paging the Threads list with its cursor.
    const page1 = await call(ana, 'GET', '/threads?limit=1');
    expect(page1.body.threads.length).toBe(1);
    const page2 = await call(ana, 'GET', `/threads?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.status, page2.text).toBe(200);
    expect(page2.body.threads[0].root.id).not.toBe(page1.body.threads[0].root.id);
    expectError(await call(ana, 'GET', '/threads?cursor=garbage!'), 'bad_request', { issues: true });
  });

  it('exactly once with clientId in a thread, and catch-up after a reconnect', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const c = await channelWith(ana, [ben]);
    const root = await send(ana, c, 'root');
    const clientId = `thr-${tag()}-abc`;
    const first = await emitAck<{ ok: boolean; data: { message: MessageDto } }>(ben.socket, 'message:send', { conversationId: c, body: 'once', clientId, threadId: root.id });
    const second = await emitAck<{ ok: boolean; data: { message: MessageDto } }>(ben.socket, 'message:send', { conversationId: c, body: 'once', clientId, threadId: root.id });
    expect(first.ok && second.ok).toBe(true);
    expect(second.data.message.id).toBe(first.data.message.id);
    const rest = await call(ben, 'POST', `/conversations/${c}/messages`, { body: 'once', clientId, threadId: root.id });
    expect(rest.status).toBe(200);
    expect((await thread(ana, root.id)).messages.filter((m) => m.body === 'once').length).toBe(1);

    // Ben goes offline; replies arrive; he catches up with after= on the thread.
    const last = first.data.message;
    ben.socket.close();
    const missed: string[] = [];
    for (let i = 0; i < 5; i++) missed.push((await send(ana, c, `missed ${i}`, { threadId: root.id })).body);
    const again = await connectSocket(baseUrl, { token: ben.token });
    sockets.push(again);
    const caught = await thread(ben, root.id, `?after=${last.id}`);
    expect(caught.messages.map((m) => m.body)).toEqual(missed);
    expect(caught.hasMore).toBe(false);
    // The timeline's catch-up does not carry them.
    const tl = await call<{ messages: MessageDto[] }>(ben, 'GET', `/conversations/${c}/messages?after=${root.id}`);
    expect(tl.body.messages.filter((m) => m.threadId)).toEqual([]);
  });

  it('typing inside a thread carries threadId', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const c = await channelWith(ana, [ben]);
    const root = await send(ana, c, 'root');
    const typing = nextEvent<{ threadId?: string; userId: string }>(ben.socket, 'typing', (p) => p.userId === ana.id);
    expect(await emitAck(ana.socket, 'typing:start', { conversationId: c, threadId: root.id })).toMatchObject({ ok: true });
    expect((await typing).threadId).toBe(root.id);
  });

  it('deleting a root keeps its thread readable under a tombstone; deleting a reply updates the count', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const c = await channelWith(ana, [ben]);
    const root = await send(ana, c, 'to be deleted');
    const reply = await send(ben, c, 'reply 1', { threadId: root.id });
    await send(ben, c, 'reply 2', { threadId: root.id });
    expect((await call(ana, 'DELETE', `/messages/${root.id}`)).status).toBe(204);
    const t = await thread(ben, root.id);
    expect(t.root).toMatchObject({ id: root.id, body: '', deletedAt: expect.any(String) });
    expect(t.root.thread).toMatchObject({ replyCount: 2 });
    expect(t.messages.map((m) => m.body)).toEqual(['reply 1', 'reply 2']);
    const inTl = (await timeline(ben, c)).find((m) => m.id === root.id)!;
    expect(inTl.deletedAt).not.toBeNull();
    expect(inTl.thread!.replyCount).toBe(2);

    const updated = nextEvent<{ rootId: string; thread: { replyCount: number } }>(ana.socket, 'thread:updated', (p) => p.rootId === root.id && p.thread.replyCount === 1);
    expect((await call(ben, 'DELETE', `/messages/${reply.id}`)).status).toBe(204);
    await updated;
    // Replying to a deleted root still works (its thread lives on).
    await send(ana, c, 'still here', { threadId: root.id });
  });

  it('search finds replies with their threadId; a long thread pages backwards and around a reply', async () => {
    const ana = await freshUser('ana');
    const c = await channelWith(ana, []);
    const root = await send(ana, c, 'long one');
    const w = `needle${tag()}`;
    const sent: MessageDto[] = [];
    for (let i = 0; i < 60; i++) sent.push(await send(ana, c, i === 30 ? `the ${w} is here` : `reply ${i}`, { threadId: root.id }));
    const hits = await call(ana, 'GET', `/search?q=${w}`);
    expect(hits.body.results.map((r: { message: MessageDto }) => [r.message.id, r.message.threadId])).toEqual([[sent[30]!.id, root.id]]);

    const newest = await thread(ana, root.id, '?limit=25');
    expect(newest.messages.map((m) => m.body)[24]).toBe('reply 59');
    expect(newest.hasMore).toBe(true);
    const older = await thread(ana, root.id, `?limit=25&before=${newest.messages[0]!.id}`);
    expect(older.messages[24]!.seq).toBeLessThan(newest.messages[0]!.seq);
    const around = await thread(ana, root.id, `?limit=10&around=${sent[30]!.id}`);
    expect(around.messages.map((m) => m.id)).toContain(sent[30]!.id);
    expect(around.messages.length).toBe(10);
    expect(newest.root.thread!.replyCount).toBe(60);
  }, 180_000);
});
