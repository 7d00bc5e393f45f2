/**
 * Everything around a message, against the real server with real sockets: edit, delete (tombstones), replies,
 * reactions, mentions, read positions, typing, pins, search, blocks, mute and profiles; each rule with its
 * permission edges, and each change seen live on other members' sockets and never on a non-member's.
 *
 * The cast: `owner` creates the group (its owner), `member` is in it, `outsider` is not. The first account of a
 * database is a site admin and CI shares one database, so every account used for a "forbidden" check is made
 * sure not to be one (`freshUser`).
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConversationDto, MessageDto, ReactionDto } from '../../lib/validation/dto';
import {
  connectSocket,
  createToken,
  emitAck,
  nextEvent,
  registerUser,
  request,
  type ClientSocket,
  type HttpResult,
  type TestUser,
} from '../helpers/api';
import { expectError } from '../helpers/errors';

const baseUrl = inject('baseUrl');

interface Person extends TestUser {
  token: string;
  socket: ClientSocket;
  /** Every event this person's socket received, in order. */
  log: { event: string; payload: any }[];
}

const sockets: ClientSocket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});

/** A registered, non-admin user with a token and a connected socket that records every event. */
async function freshUser(prefix: string): Promise<Person> {
  for (;;) {
    const user = await registerUser(baseUrl, { prefix });
    const { token } = await createToken(baseUrl, user);
    const me = await request(baseUrl, '/api/v1/me', { token });
    if (me.body.user.isAdmin) continue; // the database's first account: not a plain user
    const socket = await connectSocket(baseUrl, { token });
    sockets.push(socket);
    const log: Person['log'] = [];
    socket.onAny((event: string, payload: unknown) => log.push({ event, payload }));
    return { ...user, token, socket, log };
  }
}

function call<T = any>(who: { token: string }, method: string, path: string, body?: unknown): Promise<HttpResult<T>> {
  return request<T>(baseUrl, `/api/v1${path}`, { method, token: who.token, body });
}

async function send(who: Person, conversationId: string, body: string, extra: Record<string, unknown> = {}): Promise<MessageDto> {
  const res = await call<{ message: MessageDto }>(who, 'POST', `/conversations/${conversationId}/messages`, { body, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.body.message;
}

async function getMessage(who: Person, id: string): Promise<MessageDto> {
  const res = await call<{ message: MessageDto }>(who, 'GET', `/messages/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body.message;
}

async function conversationOf(who: Person, id: string): Promise<ConversationDto> {
  const res = await call<{ conversations: ConversationDto[] }>(who, 'GET', '/conversations');
  expect(res.status).toBe(200);
  const c = res.body.conversations.find((x) => x.id === id);
  if (!c) throw new Error(`conversation ${id} is not in ${who.username}'s list`);
  return c;
}

async function createGroup(owner: Person, members: Person[], title = 'Feature group'): Promise<string> {
  const joined = members.map((m) => nextEvent<{ conversation: ConversationDto }>(m.socket, 'conversation:created', (p) => p.conversation.title === title));
  const res = await call<{ conversation: ConversationDto }>(owner, 'POST', '/conversations', { kind: 'group', title, memberIds: members.map((m) => m.id) });
  expect(res.status, res.text).toBe(201);
  // Each member's socket has joined the room once it hears of the conversation.
  await Promise.all(joined);
  return res.body.conversation.id;
}

async function createDirect(a: Person, b: Person): Promise<string> {
  const res = await call<{ conversation: ConversationDto }>(a, 'POST', '/conversations', { kind: 'direct', userId: b.id });
  expect([200, 201], res.text).toContain(res.status);
  return res.body.conversation.id;
}

const directs = new Map<string, string>();
/**
 * Proves a socket received nothing about `conversationId`: a sentinel message in a DM reaches the person's socket
 * after anything the server emitted before it (one server, one ordered connection), so whatever was not logged
 * by then was never sent.
 */
async function expectNothingAbout(person: Person, conversationId: string, sender: Person): Promise<void> {
  const key = `${sender.id}:${person.id}`;
  let dm = directs.get(key);
  if (!dm) {
    dm = await createDirect(sender, person);
    directs.set(key, dm);
  }
  const sentinel = `sentinel ${randomBytes(6).toString('hex')}`;
  const arrived = nextEvent<{ message: MessageDto }>(person.socket, 'message:created', (p) => p.message.body === sentinel);
  await send(sender, dm, sentinel);
  await arrived;
  const leaks = person.log.filter(({ payload }) => {
    const p = payload as Record<string, any> | undefined;
    return p?.conversationId === conversationId || p?.message?.conversationId === conversationId || p?.conversation?.id === conversationId;
  });
  expect(leaks.map((l) => l.event)).toEqual([]);
}

/** A word nobody else's messages contain (search tests share the database with every other test). */
const word = (tag: string) => `${tag}${randomBytes(5).toString('hex')}`.toLowerCase().replace(/[^a-z0-9]/g, 'q');

let owner: Person;
let member: Person;
let outsider: Person;
let group: string;

beforeAll(async () => {
  [owner, member, outsider] = await Promise.all([freshUser('own'), freshUser('mem'), freshUser('out')]);
  group = await createGroup(owner, [member]);
});

// ---------------------------------------------------------------------------------------------------------------

describe('editing', () => {
  it('the author edits: new body and editedAt, message:updated reaches the other member live, never the outsider', async () => {
    const m = await send(owner, group, 'frist draft');
    expect(m.editedAt).toBeNull();
    const live = nextEvent<{ message: MessageDto }>(member.socket, 'message:updated', (p) => p.message.id === m.id);
    const res = await call<{ message: MessageDto }>(owner, 'PATCH', `/messages/${m.id}`, { body: '  first draft  ' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.message).toMatchObject({ id: m.id, body: 'first draft', seq: m.seq });
    expect(res.body.message.editedAt).not.toBeNull();
    expect(new Date(res.body.message.editedAt!).getTime()).toBeGreaterThanOrEqual(new Date(m.createdAt).getTime());
    const seen = await live;
    expect(seen.message).toMatchObject({ id: m.id, body: 'first draft', editedAt: res.body.message.editedAt });
    expect((await getMessage(member, m.id)).body).toBe('first draft');
    await expectNothingAbout(outsider, group, owner);
  });

  it("editing someone else's message is forbidden (REST 403 and socket ack), and the text stays", async () => {
    const m = await send(owner, group, 'owner wrote this');
    expectError(await call(member, 'PATCH', `/messages/${m.id}`, { body: 'member rewrote it' }), 'forbidden');
    const ack = await emitAck(member.socket, 'message:edit', { messageId: m.id, body: 'member rewrote it' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Not even the group owner may rewrite another person's words.
    const mm = await send(member, group, 'member wrote this');
    expectError(await call(owner, 'PATCH', `/messages/${mm.id}`, { body: 'owner rewrote it' }), 'forbidden');
    expect((await getMessage(owner, m.id)).body).toBe('owner wrote this');
    expect((await getMessage(owner, mm.id)).body).toBe('member wrote this');
    expect((await getMessage(owner, mm.id)).editedAt).toBeNull();
  });

  it('a non-member gets not_found; empty and over-long edits are 400; exactly 4000 characters is fine', async () => {
    const m = await send(owner, group, 'to be edited');
    expectError(await call(outsider, 'PATCH', `/messages/${m.id}`, { body: 'hi' }), 'not_found');
    expectError(await call(owner, 'PATCH', `/messages/${m.id}`, { body: '   ' }), 'bad_request', { issues: true });
    expectError(await call(owner, 'PATCH', `/messages/${m.id}`, { body: '' }), 'bad_request', { issues: true });
    expectError(await call(owner, 'PATCH', `/messages/${m.id}`, { body: 'x'.repeat(4001) }), 'bad_request', { issues: true });
    expect(await emitAck(owner.socket, 'message:edit', { messageId: m.id, body: ' ' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect((await getMessage(owner, m.id)).body).toBe('to be edited');
    const long = await call<{ message: MessageDto }>(owner, 'PATCH', `/messages/${m.id}`, { body: 'y'.repeat(4000) });
    expect(long.status, long.text).toBe(200);
    expect(long.body.message.body).toHaveLength(4000);
  });

  it('over the socket: the ack carries the edited message and the other member sees it', async () => {
    const m = await send(member, group, 'typo hree');
    const live = nextEvent<{ message: MessageDto }>(owner.socket, 'message:updated', (p) => p.message.id === m.id);
    const ack = await emitAck(member.socket, 'message:edit', { messageId: m.id, body: 'typo here' });
    expect(ack).toMatchObject({ ok: true, data: { message: { id: m.id, body: 'typo here' } } });
    expect(ack.data.message.editedAt).not.toBeNull();
    expect((await live).message.body).toBe('typo here');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('deleting', () => {
  it('the author deletes: a tombstone (no text, no reactions, no files) for everyone, live, never to the outsider', async () => {
    // A real file on the message, and a reaction on it.
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'dot.png');
    const up = await fetch(new URL('/api/v1/uploads', baseUrl), { method: 'POST', headers: { authorization: `Bearer ${member.token}` }, body: form });
    expect(up.status, await up.clone().text()).toBe(201);
    const { attachment } = (await up.json()) as { attachment: { id: string; url: string } };
    const m = await send(member, group, 'secret plans', { attachmentIds: [attachment.id] });
    expect(m.attachments.map((a) => a.id)).toEqual([attachment.id]);
    expect((await call(owner, 'PUT', `/messages/${m.id}/reactions/${encodeURIComponent('👍')}`)).status).toBe(204);
    expect((await call(owner, 'GET', `/uploads/${attachment.id}`)).status).toBe(200);

    const live = nextEvent<{ conversationId: string; messageId: string }>(owner.socket, 'message:deleted', (p) => p.messageId === m.id);
    const res = await call(member, 'DELETE', `/messages/${m.id}`);
    expect(res.status, res.text).toBe(204);
    expect(await live).toEqual({ conversationId: group, messageId: m.id });

    const tomb = await getMessage(owner, m.id);
    expect(tomb).toMatchObject({ id: m.id, body: '', attachments: [], reactions: [], mentions: [] });
    expect(tomb.deletedAt).not.toBeNull();
    const page = await call<{ messages: MessageDto[] }>(owner, 'GET', `/conversations/${group}/messages?limit=100`);
    expect(page.body.messages.find((x) => x.id === m.id)).toMatchObject({ body: '', deletedAt: tomb.deletedAt });
    expect(page.text).not.toContain('secret plans');
    // The file is gone too.
    expectError(await call(owner, 'GET', `/uploads/${attachment.id}`), 'not_found');
    // A tombstone cannot be edited, reacted to or pinned; deleting it again changes nothing.
    expectError(await call(member, 'PATCH', `/messages/${m.id}`, { body: 'back' }), 'conflict');
    expectError(await call(owner, 'PUT', `/messages/${m.id}/reactions/${encodeURIComponent('❤️')}`), 'conflict');
    expectError(await call(owner, 'PUT', `/messages/${m.id}/pin`), 'conflict');
    expect((await call(member, 'DELETE', `/messages/${m.id}`)).status).toBe(204);
    await expectNothingAbout(outsider, group, owner);
  });

  it("a member cannot delete someone else's message; the group owner can delete anyone's (over the socket too)", async () => {
    const byOwner = await send(owner, group, 'owner message');
    expectError(await call(member, 'DELETE', `/messages/${byOwner.id}`), 'forbidden');
    expect(await emitAck(member.socket, 'message:delete', { messageId: byOwner.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await getMessage(member, byOwner.id)).deletedAt).toBeNull();

    const byMember = await send(member, group, 'member message');
    const live = nextEvent<{ messageId: string }>(member.socket, 'message:deleted', (p) => p.messageId === byMember.id);
    expect(await emitAck(owner.socket, 'message:delete', { messageId: byMember.id })).toEqual({ ok: true, data: {} });
    await live;
    expect((await getMessage(member, byMember.id)).deletedAt).not.toBeNull();
    expectError(await call(outsider, 'DELETE', `/messages/${byOwner.id}`), 'not_found');
  });

  it("in a direct conversation nobody moderates: the other person cannot delete your message", async () => {
    const [a, b] = await Promise.all([freshUser('dma'), freshUser('dmb')]);
    const dm = await createDirect(a, b);
    const m = await send(a, dm, 'mine alone');
    expectError(await call(b, 'DELETE', `/messages/${m.id}`), 'forbidden');
    expect((await call(a, 'DELETE', `/messages/${m.id}`)).status).toBe(204);
  });

  it("a group admin can delete members' messages; demoted back to member, they cannot", async () => {
    const g = await createGroup(owner, [member], 'Admin group');
    const admin = await freshUser('adm');
    const added = await call(owner, 'POST', `/conversations/${g}/members`, { userId: admin.id });
    expect(added.status, added.text).toBe(200);
    const first = await send(member, g, 'moderate me');
    expectError(await call(admin, 'DELETE', `/messages/${first.id}`), 'forbidden');
    expect((await call(owner, 'PATCH', `/conversations/${g}/members/${admin.id}`, { role: 'admin' })).status).toBe(200);
    expect((await call(admin, 'DELETE', `/messages/${first.id}`)).status).toBe(204);
    expect((await call(owner, 'PATCH', `/conversations/${g}/members/${admin.id}`, { role: 'member' })).status).toBe(200);
    const second = await send(member, g, 'moderate me too');
    expectError(await call(admin, 'DELETE', `/messages/${second.id}`), 'forbidden');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('replies', () => {
  it('a reply carries a quoted excerpt of the original, which turns into "deleted" when the original goes', async () => {
    const original = await send(owner, group, `the original ${'long '.repeat(60)}`);
    const reply = await send(member, group, 'a reply', { replyToId: original.id });
    expect(reply.replyTo).toMatchObject({ id: original.id, deleted: false, sender: { id: owner.id } });
    expect(original.body.startsWith(reply.replyTo!.body)).toBe(true);
    expect(reply.replyTo!.body.length).toBeLessThanOrEqual(200);
    expect((await call(owner, 'DELETE', `/messages/${original.id}`)).status).toBe(204);
    expect((await getMessage(member, reply.id)).replyTo).toMatchObject({ id: original.id, deleted: true, body: '' });
  });

  it('replying to a message of another conversation is refused', async () => {
    const [a, b] = await Promise.all([freshUser('rpa'), freshUser('rpb')]);
    const dm = await createDirect(a, b);
    const elsewhere = await send(a, dm, 'in the DM');
    expectError(await call(owner, 'POST', `/conversations/${group}/messages`, { body: 'x', replyToId: elsewhere.id }), 'bad_request', { issues: true });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('reactions', () => {
  const thumbs = encodeURIComponent('👍');

  it('one reaction per emoji per person: adding twice is a no-op, counts and who reacted, live to the other member', async () => {
    const m = await send(owner, group, 'react to me');
    const first = nextEvent<{ messageId: string; reactions: ReactionDto[] }>(owner.socket, 'reaction:updated', (p) => p.messageId === m.id);
    expect((await call(member, 'PUT', `/messages/${m.id}/reactions/${thumbs}`)).status).toBe(204);
    expect(await first).toEqual({ conversationId: group, messageId: m.id, reactions: [{ emoji: '👍', count: 1, userIds: [member.id] }] });

    // Twice: still one, and no event for it (the next event the owner sees is the heart, not a second 👍).
    expect((await call(member, 'PUT', `/messages/${m.id}/reactions/${thumbs}`)).status).toBe(204);
    expect(await emitAck(member.socket, 'reaction:add', { messageId: m.id, emoji: '👍' })).toEqual({ ok: true, data: {} });
    const next = nextEvent<{ messageId: string; reactions: ReactionDto[] }>(owner.socket, 'reaction:updated', (p) => p.messageId === m.id);
    expect(await emitAck(member.socket, 'reaction:add', { messageId: m.id, emoji: '❤️' })).toEqual({ ok: true, data: {} });
    expect((await next).reactions).toEqual([
      { emoji: '👍', count: 1, userIds: [member.id] },
      { emoji: '❤️', count: 1, userIds: [member.id] },
    ]);

    // A second person on the same emoji.
    expect((await call(owner, 'PUT', `/messages/${m.id}/reactions/${thumbs}`)).status).toBe(204);
    let msg = await getMessage(member, m.id);
    expect(msg.reactions.find((r) => r.emoji === '👍')).toEqual({ emoji: '👍', count: 2, userIds: [member.id, owner.id] });

    // Removing: only your own; removing again is a no-op.
    const removed = nextEvent<{ messageId: string; reactions: ReactionDto[] }>(owner.socket, 'reaction:updated', (p) => p.messageId === m.id);
    expect((await call(member, 'DELETE', `/messages/${m.id}/reactions/${thumbs}`)).status).toBe(204);
    expect((await removed).reactions.find((r) => r.emoji === '👍')).toEqual({ emoji: '👍', count: 1, userIds: [owner.id] });
    expect((await call(member, 'DELETE', `/messages/${m.id}/reactions/${thumbs}`)).status).toBe(204);
    expect(await emitAck(member.socket, 'reaction:remove', { messageId: m.id, emoji: '❤️' })).toEqual({ ok: true, data: {} });
    msg = await getMessage(owner, m.id);
    expect(msg.reactions).toEqual([{ emoji: '👍', count: 1, userIds: [owner.id] }]);
    await expectNothingAbout(outsider, group, owner);
  });

  it('skin tones, ZWJ sequences and flags are emoji; text, markup and empty are 400; a non-member gets 404', async () => {
    const m = await send(owner, group, 'emoji zoo');
    for (const e of ['👍🏽', '👩‍💻', '🇫🇷', '❤️']) {
      const res = await call(member, 'PUT', `/messages/${m.id}/reactions/${encodeURIComponent(e)}`);
      expect(res.status, `${e}: ${res.text}`).toBe(204);
    }
    expect((await getMessage(owner, m.id)).reactions.map((r) => r.emoji)).toEqual(['👍🏽', '👩‍💻', '🇫🇷', '❤️']);
    for (const bad of ['a', '👍a', '<b>', ':+1:', '1']) {
      expectError(await call(member, 'PUT', `/messages/${m.id}/reactions/${encodeURIComponent(bad)}`), 'bad_request');
    }
    expect(await emitAck(member.socket, 'reaction:add', { messageId: m.id, emoji: 'lol' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await emitAck(member.socket, 'reaction:add', { messageId: m.id, emoji: '' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expectError(await call(outsider, 'PUT', `/messages/${m.id}/reactions/${thumbs}`), 'not_found');
    expect(await emitAck(outsider.socket, 'reaction:add', { messageId: m.id, emoji: '👍' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('concurrent double-adds by one person still count once', async () => {
    const m = await send(owner, group, 'race me');
    const answers = await Promise.all(Array.from({ length: 6 }, () => call(member, 'PUT', `/messages/${m.id}/reactions/${thumbs}`)));
    expect(answers.map((a) => a.status)).toEqual([204, 204, 204, 204, 204, 204]);
    expect((await getMessage(owner, m.id)).reactions).toEqual([{ emoji: '👍', count: 1, userIds: [member.id] }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('mentions', () => {
  it('@username of members is stored and counted for the mentioned person until they read; non-members and the author are not', async () => {
    const g = await createGroup(owner, [member], 'Mention group');
    const text = `hey @${member.username.toUpperCase()}, @${outsider.username} and @${owner.username} look`;
    const m = await send(owner, g, text);
    expect(m.mentions).toEqual([member.id]);
    expect(m.body).toBe(text);
    // An email-like token is not a mention.
    const email = await send(owner, g, `write to x@${member.username}.example`);
    expect(email.mentions).toEqual([]);

    let mine = await conversationOf(member, g);
    expect(mine.mentionCount).toBe(1);
    expect(mine.unreadCount).toBe(2);
    expect((await conversationOf(owner, g)).mentionCount).toBe(0);

    // Another mention, then reading the first only: one left.
    const second = await send(owner, g, `@${member.username} again`);
    expect((await conversationOf(member, g)).mentionCount).toBe(2);
    expect((await call(member, 'POST', `/conversations/${g}/read`, { messageId: email.id })).status).toBe(204);
    mine = await conversationOf(member, g);
    expect(mine.mentionCount).toBe(1);
    expect(mine.unreadCount).toBe(1);
    expect((await call(member, 'POST', `/conversations/${g}/read`, { messageId: second.id })).status).toBe(204);
    mine = await conversationOf(member, g);
    expect(mine).toMatchObject({ mentionCount: 0, unreadCount: 0 });
  });

  it('editing a mention away removes it; a deleted mention stops counting', async () => {
    const g = await createGroup(owner, [member], 'Mention edits');
    const m = await send(owner, g, `ping @${member.username}`);
    expect((await conversationOf(member, g)).mentionCount).toBe(1);
    const edited = await call<{ message: MessageDto }>(owner, 'PATCH', `/messages/${m.id}`, { body: 'ping nobody' });
    expect(edited.body.message.mentions).toEqual([]);
    expect((await conversationOf(member, g)).mentionCount).toBe(0);
    const again = await send(owner, g, `ping @${member.username} once more`);
    expect((await conversationOf(member, g)).mentionCount).toBe(1);
    expect((await call(owner, 'DELETE', `/messages/${again.id}`)).status).toBe(204);
    expect((await conversationOf(member, g)).mentionCount).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('read positions', () => {
  it('reading moves your position forward only, and conversation:read reaches the other members live, never the outsider', async () => {
    const a = await send(owner, group, 'read me 1');
    const b = await send(owner, group, 'read me 2');
    const live = nextEvent<{ userId: string; messageId: string }>(owner.socket, 'conversation:read', (p) => p.userId === member.id && p.messageId === b.id);
    expect((await call(member, 'POST', `/conversations/${group}/read`, { messageId: b.id })).status).toBe(204);
    expect(await live).toEqual({ conversationId: group, userId: member.id, messageId: b.id, seq: b.seq });
    const seenBy = (await conversationOf(owner, group)).members.find((x) => x.id === member.id)!;
    expect(seenBy).toMatchObject({ lastReadMessageId: b.id, lastReadSeq: b.seq });

    // Back to an older one: nothing moves (and nothing is announced: the next read event is the socket one below).
    expect((await call(member, 'POST', `/conversations/${group}/read`, { messageId: a.id })).status).toBe(204);
    expect((await conversationOf(owner, group)).members.find((x) => x.id === member.id)!.lastReadSeq).toBe(b.seq);
    const c = await send(owner, group, 'read me 3');
    const next = nextEvent<{ userId: string; messageId: string }>(owner.socket, 'conversation:read', (p) => p.userId === member.id);
    expect(await emitAck(member.socket, 'conversation:read', { conversationId: group, messageId: c.id })).toEqual({ ok: true, data: {} });
    expect(await next).toMatchObject({ messageId: c.id, seq: c.seq });
    await expectNothingAbout(outsider, group, owner);
  });

  it('a message of another conversation is 400; a non-member gets 404', async () => {
    const [a, b] = await Promise.all([freshUser('rda'), freshUser('rdb')]);
    const dm = await createDirect(a, b);
    const other = await send(a, dm, 'elsewhere');
    expectError(await call(member, 'POST', `/conversations/${group}/read`, { messageId: other.id }), 'bad_request');
    const m = await send(owner, group, 'in the group');
    expectError(await call(outsider, 'POST', `/conversations/${group}/read`, { messageId: m.id }), 'not_found');
    expect(await emitAck(outsider.socket, 'conversation:read', { conversationId: group, messageId: m.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('typing', () => {
  it('typing:start/stop reach the other members (not the typist, not the outsider), throttled per typist', async () => {
    const events: { userId: string; isTyping: boolean; displayName: string; conversationId: string }[] = [];
    const onTyping = (p: (typeof events)[number]) => {
      if (p.conversationId === group) events.push(p);
    };
    owner.socket.on('typing', onTyping);
    try {
      const stopped = nextEvent<{ isTyping: boolean }>(owner.socket, 'typing', (p) => p.isTyping === false);
      // Three starts in a burst: the server announces one.
      for (let i = 0; i < 3; i++) expect(await emitAck(member.socket, 'typing:start', { conversationId: group })).toEqual({ ok: true, data: {} });
      expect(await emitAck(member.socket, 'typing:stop', { conversationId: group })).toEqual({ ok: true, data: {} });
      await stopped;
      expect(events).toEqual([
        { conversationId: group, userId: member.id, displayName: member.displayName, isTyping: true },
        { conversationId: group, userId: member.id, displayName: member.displayName, isTyping: false },
      ]);
      // After a stop, a new start is announced at once.
      const again = nextEvent<{ isTyping: boolean }>(owner.socket, 'typing', (p) => p.isTyping);
      await emitAck(member.socket, 'typing:start', { conversationId: group });
      await again;
      await emitAck(member.socket, 'typing:stop', { conversationId: group });
    } finally {
      owner.socket.off('typing', onTyping);
    }
    // The typist's own socket heard nothing of itself.
    expect(member.log.filter((l) => l.event === 'typing' && l.payload.userId === member.id)).toEqual([]);
    await expectNothingAbout(outsider, group, owner);
  });

  it('a non-member cannot announce typing in a conversation', async () => {
    expect(await emitAck(outsider.socket, 'typing:start', { conversationId: group })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await emitAck(outsider.socket, 'typing:start', { conversationId: 'nonsense id!' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('pins', () => {
  it('a group member cannot pin (403); the owner pins, everyone sees it live and in the pinned list; unpin', async () => {
    const m = await send(member, group, 'pin-worthy');
    expectError(await call(member, 'PUT', `/messages/${m.id}/pin`), 'forbidden');
    expect((await getMessage(owner, m.id)).pinnedAt).toBeNull();

    const live = nextEvent<{ message: MessageDto }>(member.socket, 'message:updated', (p) => p.message.id === m.id);
    const pinned = await call<{ message: MessageDto }>(owner, 'PUT', `/messages/${m.id}/pin`);
    expect(pinned.status, pinned.text).toBe(200);
    expect(pinned.body.message.pinnedAt).not.toBeNull();
    expect((await live).message.pinnedAt).toBe(pinned.body.message.pinnedAt);
    const list = await call<{ messages: MessageDto[] }>(member, 'GET', `/conversations/${group}/pins`);
    expect(list.status).toBe(200);
    expect(list.body.messages.map((x) => x.id)).toContain(m.id);
    expectError(await call(outsider, 'GET', `/conversations/${group}/pins`), 'not_found');
    expectError(await call(outsider, 'PUT', `/messages/${m.id}/pin`), 'not_found');
    expectError(await call(member, 'DELETE', `/messages/${m.id}/pin`), 'forbidden');

    const unpinned = await call<{ message: MessageDto }>(owner, 'DELETE', `/messages/${m.id}/pin`);
    expect(unpinned.body.message.pinnedAt).toBeNull();
    expect((await call<{ messages: MessageDto[] }>(member, 'GET', `/conversations/${group}/pins`)).body.messages.map((x) => x.id)).not.toContain(m.id);
    await expectNothingAbout(outsider, group, owner);
  });

  it('a pinned message that is deleted leaves the pinned list', async () => {
    const m = await send(owner, group, 'pinned then deleted');
    expect((await call(owner, 'PUT', `/messages/${m.id}/pin`)).status).toBe(200);
    expect((await call(owner, 'DELETE', `/messages/${m.id}`)).status).toBe(204);
    expect((await call<{ messages: MessageDto[] }>(owner, 'GET', `/conversations/${group}/pins`)).body.messages.map((x) => x.id)).not.toContain(m.id);
  });

  it('in a direct conversation either person pins', async () => {
    const [a, b] = await Promise.all([freshUser('pna'), freshUser('pnb')]);
    const dm = await createDirect(a, b);
    const m = await send(a, dm, 'pin me, b');
    const res = await call<{ message: MessageDto }>(b, 'PUT', `/messages/${m.id}/pin`);
    expect(res.status, res.text).toBe(200);
    expect((await call<{ messages: MessageDto[] }>(a, 'GET', `/conversations/${dm}/pins`)).body.messages.map((x) => x.id)).toEqual([m.id]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

interface SearchResult {
  message: MessageDto;
  conversationId: string;
  rank: number;
  snippet: { text: string; hit: boolean }[];
}

async function search(who: Person, params: Record<string, string>): Promise<SearchResult[]> {
  const res = await call<{ results: SearchResult[] }>(who, 'GET', `/search?${new URLSearchParams(params).toString()}`);
  expect(res.status, res.text).toBe(200);
  return res.body.results;
}

describe('search', () => {
  it('finds words in your conversations, ranked, with hit segments; filters by conversation and sender; prefixes match', async () => {
    const w = word('zebra');
    const m1 = await send(owner, group, `the ${w} crossed the road`);
    const m2 = await send(member, group, `${w} ${w} ${w} everywhere`);
    await send(member, group, 'nothing to see here');

    const all = await search(member, { q: w });
    expect(all.map((r) => r.message.id).sort()).toEqual([m1.id, m2.id].sort());
    for (const r of all) {
      expect(r.conversationId).toBe(group);
      expect(typeof r.rank).toBe('number');
      expect(r.snippet.filter((s) => s.hit).map((s) => s.text.toLowerCase())).toContain(w);
      // An excerpt of the body, split into plain and hit segments (no markup in it).
      // (A snippet cut out of a longer body starts or ends with a plain "… " segment: not part of the body.)
      expect(r.message.body).toContain(r.snippet.filter((s) => s.hit || !/^\s*…\s*$/.test(s.text)).map((s) => s.text).join('').trim());
    }
    // The message with the word three times ranks first.
    expect(all[0]!.message.id).toBe(m2.id);
    expect(all[0]!.rank).toBeGreaterThan(all[1]!.rank);

    expect((await search(member, { q: w, senderId: owner.id })).map((r) => r.message.id)).toEqual([m1.id]);
    expect(await search(member, { q: w, conversationId: (await createDirect(member, owner)) })).toEqual([]);
    expect((await search(member, { q: w, conversationId: group })).map((r) => r.message.id).sort()).toEqual([m1.id, m2.id].sort());
    expect((await search(member, { q: w.slice(0, 8) })).map((r) => r.message.id).sort()).toEqual([m1.id, m2.id].sort());
    expect((await search(member, { q: `${w.toUpperCase()} road` })).map((r) => r.message.id)).toEqual([m1.id]);
    expect(await search(member, { q: w, limit: '1' })).toHaveLength(1);
  });

  it('never returns a conversation you are not in: the outsider finds nothing, even filtering by its id', async () => {
    const w = word('okapi');
    await send(owner, group, `an ${w} appears`);
    expect(await search(outsider, { q: w })).toEqual([]);
    expect(await search(outsider, { q: w, conversationId: group })).toEqual([]);
    expect(await search(outsider, { q: w, senderId: owner.id })).toEqual([]);
    expect((await search(owner, { q: w })).length).toBe(1);
  });

  it('after you leave a group its messages no longer come up for you (old and new), while members still find them', async () => {
    const leaver = await freshUser('leave');
    const g = await createGroup(owner, [leaver], 'Leaving group');
    const w = word('lemur');
    await send(leaver, g, `${w} from the leaver`);
    await send(owner, g, `${w} from the owner`);
    expect(await search(leaver, { q: w })).toHaveLength(2);

    const removed = nextEvent<{ conversationId: string }>(leaver.socket, 'conversation:removed', (p) => p.conversationId === g);
    expect((await call(leaver, 'DELETE', `/conversations/${g}/members/${leaver.id}`)).status).toBe(204);
    await removed;
    await send(owner, g, `${w} after they left`);
    expect(await search(leaver, { q: w })).toEqual([]);
    expect(await search(leaver, { q: w, conversationId: g })).toEqual([]);
    expect(await search(owner, { q: w })).toHaveLength(3);
    // Nor does anything of the group reach the leaver's socket any more.
    await expectNothingAboutAfter(leaver, g, owner, async () => {
      const m = await send(owner, g, 'still talking');
      await call(owner, 'PATCH', `/messages/${m.id}`, { body: 'still talking, edited' });
    });
  });

  it('deleted messages vanish from search; an edit is searchable by its new words only', async () => {
    const w = word('ibex');
    const v = word('yak');
    const gone = await send(owner, group, `${w} soon deleted`);
    const edited = await send(owner, group, `${w} soon edited`);
    expect(await search(member, { q: w })).toHaveLength(2);
    expect((await call(owner, 'DELETE', `/messages/${gone.id}`)).status).toBe(204);
    expect((await call(owner, 'PATCH', `/messages/${edited.id}`, { body: `${v} instead` })).status).toBe(200);
    expect(await search(member, { q: w })).toEqual([]);
    expect((await search(member, { q: v })).map((r) => r.message.id)).toEqual([edited.id]);
  });

  it('a member added later sees the history in search (groups show history to new members by default)', async () => {
    const late = await freshUser('late');
    const w = word('tapir');
    const before = await send(owner, group, `${w} said before the new member came`);
    expect((await call(owner, 'POST', `/conversations/${group}/members`, { userId: late.id })).status).toBe(200);
    expect((await search(late, { q: w })).map((r) => r.message.id)).toEqual([before.id]);
  });

  it('system lines are not results; query syntax is plain text; an empty query is 400', async () => {
    const t = word('Title');
    const g = await createGroup(owner, [member], `Group ${t}`);
    expect(await search(owner, { q: t, conversationId: g })).toEqual([]);
    for (const q of ["' OR 1=1 --", '& | ! :* ( )', '<script>', 'a:*|b', '\\']) {
      const res = await call(member, 'GET', `/search?${new URLSearchParams({ q }).toString()}`);
      expect(res.status, `${q}: ${res.text}`).toBe(200);
      expect(Array.isArray(res.body.results)).toBe(true);
    }
    expectError(await call(member, 'GET', '/search?q=%20%20'), 'bad_request');
    expectError(await call(member, 'GET', '/search'), 'bad_request');
    expectError(await call(member, 'GET', `/search?q=x&limit=500`), 'bad_request');
  });
});

/** Like expectNothingAbout, but for events caused by `act` only (the log before it is cleared). */
async function expectNothingAboutAfter(person: Person, conversationId: string, sender: Person, act: () => Promise<void>): Promise<void> {
  person.log.length = 0;
  await act();
  await expectNothingAbout(person, conversationId, sender);
}

// ---------------------------------------------------------------------------------------------------------------

describe('blocking', () => {
  it('a blocked user cannot start a DM with the blocker, nor the blocker with them (403); unblocking allows it', async () => {
    const [blocker, blocked] = await Promise.all([freshUser('blkr'), freshUser('blkd')]);
    expect((await call(blocker, 'PUT', `/users/${blocked.id}/block`)).status).toBe(204);
    expect((await call(blocker, 'PUT', `/users/${blocked.id}/block`)).status).toBe(204); // again: no-op
    const list = await call(blocker, 'GET', '/me/blocks');
    expect(list.body.blocks.map((b: { user: { id: string } }) => b.user.id)).toEqual([blocked.id]);
    expect((await call(blocked, 'GET', '/me/blocks')).body.blocks).toEqual([]);

    expectError(await call(blocked, 'POST', '/conversations', { kind: 'direct', userId: blocker.id }), 'forbidden');
    expectError(await call(blocker, 'POST', '/conversations', { kind: 'direct', userId: blocked.id }), 'forbidden');
    // Nothing was created on the way.
    expect((await call(blocked, 'GET', '/conversations')).body.conversations.filter((c: ConversationDto) => c.kind === 'direct')).toEqual([]);

    expect((await call(blocker, 'DELETE', `/users/${blocked.id}/block`)).status).toBe(204);
    expect((await call(blocker, 'GET', '/me/blocks')).body.blocks).toEqual([]);
    expect((await call(blocked, 'POST', '/conversations', { kind: 'direct', userId: blocker.id })).status).toBe(201);
  });

  it('in an existing DM, sends are refused both ways (REST and socket) while a block stands, and nothing is delivered', async () => {
    const [a, b] = await Promise.all([freshUser('exa'), freshUser('exb')]);
    const dm = await createDirect(a, b);
    await send(a, dm, 'before the block');
    expect((await call(a, 'PUT', `/users/${b.id}/block`)).status).toBe(204);

    expectError(await call(b, 'POST', `/conversations/${dm}/messages`, { body: 'let me in' }), 'forbidden');
    expectError(await call(a, 'POST', `/conversations/${dm}/messages`, { body: 'I blocked you' }), 'forbidden');
    expect(await emitAck(b.socket, 'message:send', { conversationId: dm, body: 'socket try', clientId: `c_${randomBytes(8).toString('hex')}` })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await emitAck(a.socket, 'message:send', { conversationId: dm, body: 'socket try', clientId: `c_${randomBytes(8).toString('hex')}` })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const page = await call<{ messages: MessageDto[] }>(a, 'GET', `/conversations/${dm}/messages`);
    expect(page.body.messages.map((m) => m.body)).toEqual(['before the block']);

    // The block does not reach into groups both are in.
    const g = await createGroup(a, [b], 'Shared group');
    expect((await send(b, g, 'group still works')).body).toBe('group still works');

    expect((await call(a, 'DELETE', `/users/${b.id}/block`)).status).toBe(204);
    const arrived = nextEvent<{ message: MessageDto }>(a.socket, 'message:created', (p) => p.message.body === 'after unblock');
    expect((await send(b, dm, 'after unblock')).body).toBe('after unblock');
    await arrived;
    // The refused sends never reached the blocker's socket: only the two real messages did, in order.
    expect(a.log.filter((l) => l.event === 'message:created' && l.payload.message.conversationId === dm).map((l) => l.payload.message.body)).toEqual([
      'before the block',
      'after unblock',
    ]);
  });

  it('blocking yourself is 400, an unknown user 404', async () => {
    expectError(await call(member, 'PUT', `/users/${member.id}/block`), 'bad_request');
    expectError(await call(member, 'PUT', `/users/u_doesnotexist0000/block`), 'not_found');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('muting', () => {
  it('a muted conversation keeps working: messages still arrive live and count as unread', async () => {
    const g = await createGroup(owner, [member], 'Mute group');
    const res = await call<{ conversation: ConversationDto }>(member, 'PATCH', `/conversations/${g}`, { muted: true });
    expect(res.status, res.text).toBe(200);
    expect(res.body.conversation.muted).toBe(true);
    expect((await conversationOf(owner, g)).muted).toBe(false); // muting is per person

    const live = nextEvent<{ message: MessageDto }>(member.socket, 'message:created', (p) => p.message.conversationId === g && p.message.body === 'while muted');
    await send(owner, g, 'while muted');
    await live;
    expect(await conversationOf(member, g)).toMatchObject({ muted: true, unreadCount: 1 });
    expect((await send(member, g, 'I can still talk')).body).toBe('I can still talk');

    const off = await call<{ conversation: ConversationDto }>(member, 'PATCH', `/conversations/${g}`, { muted: false });
    expect(off.body.conversation.muted).toBe(false);
    expectError(await call(outsider, 'PATCH', `/conversations/${g}`, { muted: true }), 'not_found');
    expectError(await call(member, 'PATCH', `/conversations/${g}`, { muted: 'yes' }), 'bad_request');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('profiles', () => {
  it('display name and bio (≤ 300) are saved; 301 characters is 400', async () => {
    const p = await freshUser('prof');
    const bio = 'b'.repeat(300);
    const res = await call(p, 'PATCH', '/me', { displayName: 'Ana Profile', bio });
    expect(res.status, res.text).toBe(200);
    expect(res.body.user).toMatchObject({ displayName: 'Ana Profile', bio });
    expect((await call(outsider, 'GET', `/users/${p.id}`)).body.user).toMatchObject({ displayName: 'Ana Profile', bio });
    expectError(await call(p, 'PATCH', '/me', { bio: 'b'.repeat(301) }), 'bad_request', { issues: true });
    expectError(await call(p, 'PATCH', '/me', { displayName: '' }), 'bad_request', { issues: true });
    expect((await call(p, 'GET', '/me')).body.user.bio).toBe(bio);
  });

  it('an avatar is stored as a 256 px WebP square; removing it brings back none', async () => {
    const p = await freshUser('avat');
    expect((await call(p, 'GET', '/me')).body.user.avatarUrl).toBeNull();
    const png = await sharp({ create: { width: 900, height: 500, channels: 3, background: '#cc3366' } }).png().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'me.png');
    const put = await fetch(new URL('/api/v1/me/avatar', baseUrl), { method: 'PUT', headers: { authorization: `Bearer ${p.token}` }, body: form });
    const body = (await put.json()) as { user: { avatarUrl: string | null } };
    expect(put.status, JSON.stringify(body)).toBe(200);
    expect(body.user.avatarUrl).toMatch(new RegExp(`^/api/v1/users/${p.id}/avatar`));
    const img = await fetch(new URL(body.user.avatarUrl!, baseUrl), { headers: { authorization: `Bearer ${outsider.token}` } });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toMatch(/^image\/webp/);
    const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'webp', width: 256, height: 256 });
    // Messages carry it.
    const g = await createGroup(p, [member], 'Avatar group');
    expect((await send(p, g, 'look at me')).sender!.avatarUrl).toBe(body.user.avatarUrl);

    const del = await call(p, 'DELETE', '/me/avatar');
    expect(del.status).toBe(200);
    expect(del.body.user.avatarUrl).toBeNull();
    expectError(await call(outsider, 'GET', `/users/${p.id}/avatar`), 'not_found');
  });
});
