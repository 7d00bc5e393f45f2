/**
 * Channels against the real server with real sockets: create, browse (search, keyset pages), read before joining,
 * join, leave, roles, rename/topic/description, archive (read-only) and unarchive, system lines, permalinks
 * (`around=`), `@channel` / `@here`, and private channels answering `not_found` to outsiders everywhere: REST,
 * socket events, search, uploads and permalinks.
 *
 * CI shares one database between every test file: channel names carry a random tag.
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { ChannelDto, ConversationDto, MessageDto } from '../../lib/validation/dto';
import { connectSocket, createToken, emitAck, nextEvent, registerUser, request, type ClientSocket, type HttpResult, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';

const baseUrl = inject('baseUrl');

interface Person extends TestUser {
  token: string;
  socket: ClientSocket;
  log: { event: string; payload: any }[];
}

const sockets: ClientSocket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});

async function freshUser(prefix: string, withSocket = true): Promise<Person> {
  for (;;) {
    const user = await registerUser(baseUrl, { prefix });
    const { token } = await createToken(baseUrl, user);
    const me = await request(baseUrl, '/api/v1/me', { token });
    if (me.body.user.isAdmin) continue; // the database's first account is a site admin
    const log: Person['log'] = [];
    if (!withSocket) return { ...user, token, socket: undefined as unknown as ClientSocket, log };
    const socket = await connectSocket(baseUrl, { token });
    sockets.push(socket);
    socket.onAny((event: string, payload: unknown) => log.push({ event, payload }));
    return { ...user, token, socket, log };
  }
}

function call<T = any>(who: { token: string }, method: string, path: string, body?: unknown): Promise<HttpResult<T>> {
  return request<T>(baseUrl, `/api/v1${path}`, { method, token: who.token, body });
}

const tag = () => randomBytes(4).toString('hex');

async function createChannel(owner: Person, extra: Record<string, unknown> = {}): Promise<ConversationDto> {
  const created = nextEvent<{ conversation: ConversationDto }>(owner.socket, 'conversation:created');
  const res = await call<{ conversation: ConversationDto }>(owner, 'POST', '/conversations', { kind: 'channel', title: `chan-${tag()}`, ...extra });
  expect(res.status, res.text).toBe(201);
  await created; // the owner's socket is in the room
  return res.body.conversation;
}

async function join(who: Person, id: string): Promise<ConversationDto> {
  const created = nextEvent<{ conversation: ConversationDto }>(who.socket, 'conversation:created', (p) => p.conversation.id === id);
  const res = await call<{ conversation: ConversationDto }>(who, 'POST', `/conversations/${id}/join`);
  expect(res.status, res.text).toBe(200);
  await created;
  return res.body.conversation;
}

async function send(who: Person, id: string, body: string, extra: Record<string, unknown> = {}): Promise<MessageDto> {
  const res = await call<{ message: MessageDto }>(who, 'POST', `/conversations/${id}/messages`, { body, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.body.message;
}

async function history(who: Person, id: string): Promise<MessageDto[]> {
  const res = await call<{ messages: MessageDto[] }>(who, 'GET', `/conversations/${id}/messages?limit=100`);
  expect(res.status, res.text).toBe(200);
  return res.body.messages;
}

/** Every channel the browser lists for this person matching q (all pages). */
async function browseAll(who: Person, q: string, limit = 2): Promise<ChannelDto[]> {
  const out: ChannelDto[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const res: HttpResult<{ channels: ChannelDto[]; nextCursor: string | null }> = await call(
      who,
      'GET',
      `/channels?q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status, res.text).toBe(200);
    out.push(...res.body.channels);
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }
  return out;
}

/** Nothing about `conversationId` reached this person's socket (a sentinel DM proves the socket is caught up). */
async function expectNothingAbout(person: Person, conversationId: string, sender: Person): Promise<void> {
  const dm = await call<{ conversation: ConversationDto }>(sender, 'POST', '/conversations', { kind: 'direct', userId: person.id });
  const sentinel = `sentinel ${tag()}`;
  const arrived = nextEvent<{ message: MessageDto }>(person.socket, 'message:created', (p) => p.message.body === sentinel);
  await send(sender, dm.body.conversation.id, sentinel);
  await arrived;
  const leaks = person.log.filter(({ payload }) => {
    const p = payload as Record<string, any> | undefined;
    return p?.conversationId === conversationId || p?.message?.conversationId === conversationId || p?.conversation?.id === conversationId;
  });
  expect(leaks.map((l) => l.event)).toEqual([]);
}

describe('channels', () => {
  it('creates a channel (owner, 201), refuses a name taken ignoring case (409) and bad names (400)', async () => {
    const ana = await freshUser('ana');
    const name = `Design-${tag()}`;
    const c = await createChannel(ana, { title: name, topic: 'Pixels', description: 'Where designers talk' });
    expect(c).toMatchObject({ kind: 'channel', title: name, topic: 'Pixels', description: 'Where designers talk', private: false, archived: false, myRole: 'owner', memberCount: 1 });

    const again = await call(ana, 'POST', '/conversations', { kind: 'channel', title: name.toUpperCase() });
    expectError(again, 'conflict');
    expectError(await call(ana, 'POST', '/conversations', { kind: 'channel', title: '   ' }), 'bad_request', { issues: true });
    expectError(await call(ana, 'POST', '/conversations', { kind: 'channel', title: 'x'.repeat(81) }), 'bad_request', { issues: true });
    expectError(await call(ana, 'POST', '/conversations', { kind: 'channel', title: 'ok', topic: 't'.repeat(251) }), 'bad_request', { issues: true });
    expectError(await call(ana, 'POST', '/conversations', { kind: 'channel', title: 'ok', description: 'd'.repeat(1001) }), 'bad_request', { issues: true });

    // The creation is a system line.
    const lines = await history(ana, c.id);
    expect(lines.map((m) => m.kind)).toEqual(['system']);
    expect(lines[0]!.body).toContain(`#${name}`);
  });

  it('browses public channels by name and topic, pages with a cursor, shows joined and member counts', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const t = tag();
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((n) => `${n}-${t}`);
    const made: ConversationDto[] = [];
    for (const n of names) made.push(await createChannel(ana, { title: n }));
    await createChannel(ana, { title: `zulu-x`.replace('x', tag()), topic: `about ${t} things` });
    const secret = await createChannel(ana, { title: `secret-${t}`, private: true });

    const seenByBen = await browseAll(ben, t, 2);
    expect(seenByBen.map((c) => c.title)).toEqual([...names, expect.stringMatching(/^zulu-/)]);
    expect(seenByBen.every((c) => !c.joined && c.memberCount === 1 && !c.private)).toBe(true);
    expect(seenByBen.some((c) => c.id === secret.id)).toBe(false);
    expect(Object.keys(seenByBen[0]!).sort()).toEqual(['archived', 'description', 'id', 'joined', 'lastActivityAt', 'memberCount', 'private', 'title', 'topic']);

    // The owner sees her private channel; joining moves the count.
    const seenByAna = await browseAll(ana, t, 50);
    expect(seenByAna.find((c) => c.id === secret.id)).toMatchObject({ private: true, joined: true });
    await join(ben, made[0]!.id);
    const after = await browseAll(ben, `alpha-${t}`);
    expect(after).toEqual([expect.objectContaining({ id: made[0]!.id, joined: true, memberCount: 2 })]);

    expectError(await call(ben, 'GET', '/channels?cursor=not*valid'), 'bad_request', { issues: true });
    expectError(await call(ben, 'GET', '/channels?limit=0'), 'bad_request', { issues: true });
  });

  it('pages the conversation list with a keyset cursor: the pages add up to the whole list, in its order', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const made: ConversationDto[] = [];
    for (let i = 0; i < 6; i++) made.push(await createChannel(ana));
    await join(ben, made[1]!.id);
    await send(ben, made[1]!.id, `hello @${ana.username}`); // an unread message that mentions her, in a page of its own
    const full = await call<{ conversations: ConversationDto[] }>(ana, 'GET', '/conversations');
    expect(full.status, full.text).toBe(200);
    expect(Object.keys(full.body)).toEqual(['conversations']); // no limit: the whole list, as before paging existed
    expect(full.body.conversations.length).toBeGreaterThanOrEqual(7); // general and her six

    const pages: ConversationDto[][] = [];
    let cursor: string | null = null;
    do {
      const res: HttpResult<{ conversations: ConversationDto[]; nextCursor: string | null }> = await call(
        ana,
        'GET',
        `/conversations?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status, res.text).toBe(200);
      expect(res.body.conversations.length).toBeLessThanOrEqual(2);
      pages.push(res.body.conversations);
      cursor = res.body.nextCursor;
    } while (cursor && pages.length < 20);
    expect(cursor).toBeNull();
    // Same conversations, same order, same fields (general's member count moves with other tests' sign-ups).
    expect(pages.flat().map((c) => c.id)).toEqual(full.body.conversations.map((c) => c.id));
    const mine = (list: ConversationDto[]) => list.filter((c) => made.some((m) => m.id === c.id));
    expect(mine(pages.flat())).toEqual(mine(full.body.conversations));
    expect(pages.flat().find((c) => c.id === made[1]!.id)).toMatchObject({ unreadCount: 1, mentionCount: 1 });

    // A conversation that gets a message between two pages moves above the cursor: the later pages neither repeat
    // nor lose any other conversation (the client hears of the moved one from message:created).
    const first = await call<{ conversations: ConversationDto[]; nextCursor: string }>(ana, 'GET', '/conversations?limit=3');
    const rest = full.body.conversations.slice(3);
    const moved = rest[rest.length - 1]!;
    await send(ana, moved.id, 'bumped');
    const later: ConversationDto[] = [];
    for (let c: string | null = first.body.nextCursor; c; ) {
      const res: HttpResult<{ conversations: ConversationDto[]; nextCursor: string | null }> = await call(ana, 'GET', `/conversations?limit=3&cursor=${c}`);
      later.push(...res.body.conversations);
      c = res.body.nextCursor;
    }
    expect(later.map((c) => c.id)).toEqual(rest.slice(0, -1).map((c) => c.id));
    const top = await call<{ conversations: ConversationDto[] }>(ana, 'GET', '/conversations?limit=1');
    expect(top.body.conversations.map((c) => c.id)).toEqual([moved.id]);

    expectError(await call(ana, 'GET', '/conversations?cursor=not*valid'), 'bad_request', { issues: true });
    expectError(await call(ana, 'GET', `/conversations?cursor=${Buffer.from('{"at":"yesterday","id":"x"}').toString('base64url')}`), 'bad_request', { issues: true });
    expectError(await call(ana, 'GET', '/conversations?limit=0'), 'bad_request', { issues: true });
    expectError(await call(ana, 'GET', '/conversations?limit=501'), 'bad_request', { issues: true });
    expectError(await call(ana, 'GET', '/conversations?limit=2&sort=name'), 'bad_request', { issues: true });
  });

  it('the list (whole or a page) lists at most 6 members of each conversation, the reader among them; the conversation lists them all', async () => {
    const ana = await freshUser('ana');
    const others = await Promise.all(Array.from({ length: 8 }, () => freshUser('pv', false)));
    const made = await call<{ conversation: ConversationDto }>(ana, 'POST', '/conversations', { kind: 'group', title: `Preview ${tag()}`, memberIds: others.map((o) => o.id) });
    expect(made.status, made.text).toBe(201);
    const id = made.body.conversation.id;
    // The reader joins last: a preview of the earliest to join would leave them out.
    const zed = await freshUser('zed', false);
    expect((await call(ana, 'POST', `/conversations/${id}/members`, { userId: zed.id })).status).toBe(200);

    const one = (await call<{ conversation: ConversationDto }>(zed, 'GET', `/conversations/${id}`)).body.conversation;
    expect(one.memberCount).toBe(10);
    expect(one.members.map((m) => m.id).sort()).toEqual([ana.id, ...others.map((o) => o.id), zed.id].sort());

    const whole = (await call<{ conversations: ConversationDto[] }>(zed, 'GET', '/conversations')).body.conversations.find((c) => c.id === id)!;
    const page = (await call<{ conversations: ConversationDto[] }>(zed, 'GET', '/conversations?limit=5')).body.conversations.find((c) => c.id === id)!;
    for (const listed of [whole, page]) {
      expect(listed.memberCount).toBe(10);
      // The earliest five to join and the reader, in the order they joined; each as the conversation shows them.
      expect(listed.members.map((m) => m.id)).toEqual([...one.members.slice(0, 5).map((m) => m.id), zed.id]);
      for (const m of listed.members) expect(m).toEqual(one.members.find((w) => w.id === m.id));
      // Everything else about the conversation is the same.
      expect({ ...listed, members: [] }).toEqual({ ...one, members: [] });
    }
    // A direct conversation is whole in the list.
    const dm = await call<{ conversation: ConversationDto }>(zed, 'POST', '/conversations', { kind: 'direct', userId: ana.id });
    const dmInPage = (await call<{ conversations: ConversationDto[] }>(zed, 'GET', '/conversations?limit=1')).body.conversations[0]!;
    expect(dmInPage.id).toBe(dm.body.conversation.id);
    expect(dmInPage.members.map((m) => m.id).sort()).toEqual([ana.id, zed.id].sort());
  });

  it('GET /conversations/{id}/members pages every member by username and finds them by name; outsiders of a group get 404', async () => {
    const ana = await freshUser('ana');
    const others = await Promise.all(Array.from({ length: 6 }, () => freshUser('mbr', false)));
    const made = await call<{ conversation: ConversationDto }>(ana, 'POST', '/conversations', { kind: 'group', title: `Members ${tag()}`, memberIds: others.map((o) => o.id) });
    const id = made.body.conversation.id;
    const everyone = [ana, ...others].map((p) => p.username).sort();

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: HttpResult<{ members: ConversationDto['members']; nextCursor: string | null }> = await call(others[0]!, 'GET', `/conversations/${id}/members?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.members.length).toBeLessThanOrEqual(3);
      for (const m of res.body.members) expect(m).toMatchObject({ id: expect.any(String), role: expect.stringMatching(/^(owner|admin|member)$/), online: expect.any(Boolean), lastReadSeq: expect.any(Number) });
      seen.push(...res.body.members.map((m) => m.username));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(everyone);
    expect((await call(ana, 'GET', `/conversations/${id}/members`)).body.members.find((m: { id: string }) => m.id === ana.id)).toMatchObject({ role: 'owner', online: true });

    // q: the start of a username, or any part of a name; LIKE's wildcards are plain characters.
    const target = others[3]!;
    const byUsername = await call<{ members: { id: string }[] }>(ana, 'GET', `/conversations/${id}/members?q=${encodeURIComponent(target.username.toUpperCase())}`);
    expect(byUsername.body.members.map((m) => m.id)).toEqual([target.id]);
    const part = target.displayName.slice(2, 8);
    const byName = await call<{ members: { id: string; displayName: string }[] }>(ana, 'GET', `/conversations/${id}/members?q=${encodeURIComponent(part)}`);
    expect(byName.body.members.map((m) => m.id)).toContain(target.id);
    expect(byName.body.members.every((m) => m.displayName.toLowerCase().includes(part.toLowerCase()))).toBe(true);
    // (Every name here holds "_", so that one matches them all as itself.)
    for (const wild of ['%', 'a%z', '\\']) expect((await call(ana, 'GET', `/conversations/${id}/members?q=${encodeURIComponent(wild)}`)).body.members).toEqual([]);
    expect((await call(ana, 'GET', `/conversations/${id}/members?q=${encodeURIComponent('_')}`)).body.members.length).toBe(7);

    // Outsiders learn nothing of a group; a public channel's members are for anyone signed in.
    const outsider = await freshUser('out', false);
    expectError(await call(outsider, 'GET', `/conversations/${id}/members`), 'not_found');
    const channel = await createChannel(ana);
    const open = await call<{ members: { id: string }[] }>(outsider, 'GET', `/conversations/${channel.id}/members`);
    expect(open.status).toBe(200);
    expect(open.body.members.map((m) => m.id)).toEqual([ana.id]);
    // Bad input: the contract's 400.
    expectError(await call(ana, 'GET', `/conversations/${id}/members?limit=0`), 'bad_request', { issues: true });
    expectError(await call(ana, 'GET', `/conversations/${id}/members?limit=201`), 'bad_request', { issues: true });
    expectError(await call(ana, 'GET', `/conversations/${id}/members?sort=name`), 'bad_request', { issues: true });
    expectError(await call(ana, 'GET', `/conversations/${id}/members?cursor=not*valid`), 'bad_request', { issues: true });
  });

  it('lets anyone read a public channel before joining, then join (system line, live), talk and leave', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const c = await createChannel(ana);
    await send(ana, c.id, 'welcome, readers');

    const preview = await call<{ conversation: ConversationDto }>(ben, 'GET', `/conversations/${c.id}`);
    expect(preview.status).toBe(200);
    expect(preview.body.conversation).toMatchObject({ id: c.id, joined: false });
    expect((await history(ben, c.id)).map((m) => m.body)).toContain('welcome, readers');
    // Reading is not posting.
    expectError(await call(ben, 'POST', `/conversations/${c.id}/messages`, { body: 'hi' }), 'not_found');

    const joinedLine = nextEvent<{ message: MessageDto }>(ana.socket, 'message:created', (p) => p.message.conversationId === c.id && p.message.kind === 'system');
    const conv = await join(ben, c.id);
    expect(conv).toMatchObject({ joined: true, myRole: 'member', memberCount: 2 });
    expect((await joinedLine).message.body).toBe(`${ben.displayName} joined`);
    // Joining twice is harmless.
    expect((await call(ben, 'POST', `/conversations/${c.id}/join`)).status).toBe(200);

    const live = nextEvent<{ message: MessageDto }>(ana.socket, 'message:created', (p) => p.message.body === 'hello from ben');
    await send(ben, c.id, 'hello from ben');
    await live;

    const leftLine = nextEvent<{ message: MessageDto }>(ana.socket, 'message:created', (p) => p.message.conversationId === c.id && p.message.body === `${ben.displayName} left`);
    const left = await call(ben, 'POST', `/conversations/${c.id}/leave`);
    expect(left.status, left.text).toBe(204);
    await leftLine;
    const list = await call<{ conversations: ConversationDto[] }>(ben, 'GET', '/conversations');
    expect(list.body.conversations.some((x) => x.id === c.id)).toBe(false);
    expectError(await call(ben, 'POST', `/conversations/${c.id}/leave`), 'not_found');
    // general stays for every new account, and only general.
    expect(list.body.conversations.filter((x) => x.kind === 'channel').map((x) => x.id)).toEqual(['general']);
  });

  it('a reader who has not joined watches a public channel live (messages, edits, typing) and can do nothing in it; private ones are refused', async () => {
    const ana = await freshUser('wana');
    const zed = await freshUser('wzed');
    const c = await createChannel(ana);
    expect((await emitAck(zed.socket, 'conversation:watch', { conversationId: c.id })).ok).toBe(true);
    const live = nextEvent<{ message: MessageDto }>(zed.socket, 'message:created', (p) => p.message.conversationId === c.id);
    const sent = await send(ana, c.id, 'live for readers too');
    expect((await live).message.id).toBe(sent.id);
    const edited = nextEvent<{ message: MessageDto }>(zed.socket, 'message:updated', (p) => p.message.id === sent.id);
    expect((await call(ana, 'PATCH', `/messages/${sent.id}`, { body: 'live for readers, edited' })).status).toBe(200);
    expect((await edited).message.body).toBe('live for readers, edited');
    const typing = nextEvent<{ userId: string }>(zed.socket, 'typing', (p) => p.userId === ana.id);
    expect((await emitAck(ana.socket, 'typing:start', { conversationId: c.id })).ok).toBe(true);
    await typing;
    // Watching is not membership: no typing, no reads, no sends; the channel is not in Zed's list.
    expect(await emitAck(zed.socket, 'typing:start', { conversationId: c.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await emitAck(zed.socket, 'message:send', { conversationId: c.id, body: 'sneaky', clientId: `c-${tag()}` })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await call<{ conversations: ConversationDto[] }>(zed, 'GET', '/conversations')).body.conversations.some((x) => x.id === c.id)).toBe(false);
    // Unwatched: nothing more comes.
    expect((await emitAck(zed.socket, 'conversation:unwatch', { conversationId: c.id })).ok).toBe(true);
    zed.log.length = 0;
    await send(ana, c.id, 'after the unwatch');
    await expectNothingAbout(zed, c.id, ana);
    // A private channel, an unknown id, a bad payload.
    const secret = await createChannel(ana, { private: true });
    expect(await emitAck(zed.socket, 'conversation:watch', { conversationId: secret.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await send(ana, secret.id, 'for members only');
    await expectNothingAbout(zed, secret.id, ana);
    expect(await emitAck(zed.socket, 'conversation:watch', { conversationId: 'nosuchchannel1' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await emitAck(zed.socket, 'conversation:watch', { conversationId: 42 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('roles: owners and admins rename, set topic and description, archive; members cannot', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const cat = await freshUser('cat');
    const c = await createChannel(ana);
    await join(ben, c.id);
    await join(cat, c.id);

    expectError(await call(ben, 'PATCH', `/conversations/${c.id}`, { topic: 'mine now' }), 'forbidden');
    expectError(await call(ben, 'PATCH', `/conversations/${c.id}`, { archived: true }), 'forbidden');
    expectError(await call(ben, 'DELETE', `/conversations/${c.id}/members/${cat.id}`), 'forbidden');

    const promoted = await call(ana, 'PATCH', `/conversations/${c.id}/members/${ben.id}`, { role: 'admin' });
    expect(promoted.status, promoted.text).toBe(200);

    const newName = `renamed-${tag()}`;
    const updated = nextEvent<{ conversation: ConversationDto }>(cat.socket, 'conversation:updated', (p) => p.conversation.id === c.id && p.conversation.title === newName);
    const r = await call<{ conversation: ConversationDto }>(ben, 'PATCH', `/conversations/${c.id}`, { title: newName, topic: 'Shipping on Friday', description: 'All things release' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.conversation).toMatchObject({ title: newName, topic: 'Shipping on Friday', description: 'All things release' });
    expect((await updated).conversation).toMatchObject({ topic: 'Shipping on Friday' });

    const lines = (await history(cat, c.id)).filter((m) => m.kind === 'system').map((m) => m.body);
    expect(lines).toEqual(expect.arrayContaining([`${ben.displayName} renamed the channel to #${newName}`, `${ben.displayName} set the topic: Shipping on Friday`]));

    // A rename onto another channel's name (any case) is a conflict.
    const other = await createChannel(ana);
    expectError(await call(ana, 'PATCH', `/conversations/${c.id}`, { title: other.title!.toUpperCase() }), 'conflict');

    // Admins remove members; a removed member loses the channel.
    const removed = await call(ben, 'DELETE', `/conversations/${c.id}/members/${cat.id}`);
    expect(removed.status, removed.text).toBe(204);
    expect((await call(cat, 'GET', `/conversations/${c.id}`)).body.conversation.joined).toBe(false);
  });

  it('archived channels are read-only, listed as archived, and can be unarchived', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const c = await createChannel(ana);
    await join(ben, c.id);
    const root = await send(ben, c.id, 'before the archive');

    const r = await call<{ conversation: ConversationDto }>(ana, 'PATCH', `/conversations/${c.id}`, { archived: true });
    expect(r.status, r.text).toBe(200);
    expect(r.body.conversation.archived).toBe(true);

    const refused = await call(ben, 'POST', `/conversations/${c.id}/messages`, { body: 'too late' });
    expectError(refused, 'forbidden');
    expect(refused.body.error.message).toMatch(/archived/i);
    const ack = await emitAck(ben.socket, 'message:send', { conversationId: c.id, body: 'too late', clientId: `arch-${tag()}` });
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expectError(await call(ben, 'PATCH', `/messages/${root.id}`, { body: 'edited' }), 'forbidden');
    // Reactions and pins change what readers see: read-only too, even for the owner.
    expectError(await call(ben, 'PUT', `/messages/${root.id}/reactions/${encodeURIComponent('👍')}`), 'forbidden');
    expectError(await call(ana, 'PUT', `/messages/${root.id}/pin`), 'forbidden');
    expect((await history(ben, c.id)).map((m) => m.body)).toContain('before the archive');
    expect((await history(ben, c.id)).find((m) => m.id === root.id)).toMatchObject({ reactions: [], pinnedAt: null });

    const listed = await browseAll(ben, c.title!);
    expect(listed).toEqual([expect.objectContaining({ id: c.id, archived: true })]);
    const outsider = await freshUser('out', false);
    expectError(await call(outsider, 'POST', `/conversations/${c.id}/join`), 'forbidden');

    const un = await call<{ conversation: ConversationDto }>(ana, 'PATCH', `/conversations/${c.id}`, { archived: false });
    expect(un.body.conversation.archived).toBe(false);
    await send(ben, c.id, 'back again');
    const lines = (await history(ben, c.id)).filter((m) => m.kind === 'system').map((m) => m.body);
    expect(lines).toEqual(expect.arrayContaining([`${ana.displayName} archived the channel`, `${ana.displayName} unarchived the channel`]));
  });

  it('private channels are invisible and not_found to outsiders everywhere', async () => {
    const ana = await freshUser('ana');
    const eve = await freshUser('eve');
    const secretWord = `secretword${tag()}`;
    const c = await createChannel(ana, { private: true, title: `hush-${tag()}` });
    const msg = await send(ana, c.id, `the plan: ${secretWord}`);
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } }).png().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)]), 'plan.png');
    const up = await fetch(`${baseUrl}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${ana.token}` }, body: form });
    expect(up.status).toBe(201);
    const { attachment } = (await up.json()) as { attachment: { id: string; url: string } };
    await send(ana, c.id, 'the file', { attachmentIds: [attachment.id] });

    // REST
    expectError(await call(eve, 'GET', `/conversations/${c.id}`), 'not_found');
    expectError(await call(eve, 'GET', `/conversations/${c.id}/messages`), 'not_found');
    expectError(await call(eve, 'GET', `/conversations/${c.id}/messages?around=${msg.id}`), 'not_found');
    expectError(await call(eve, 'GET', `/messages/${msg.id}`), 'not_found');
    expectError(await call(eve, 'GET', `/messages/${msg.id}/thread`), 'not_found');
    expectError(await call(eve, 'POST', `/conversations/${c.id}/join`), 'not_found');
    expectError(await call(eve, 'POST', `/conversations/${c.id}/leave`), 'not_found');
    expectError(await call(eve, 'PATCH', `/conversations/${c.id}`, { topic: 'x' }), 'not_found');
    expectError(await call(eve, 'POST', `/conversations/${c.id}/messages`, { body: 'x' }), 'not_found');
    expectError(await call(eve, 'PUT', `/messages/${msg.id}/follow`), 'not_found');
    expectError(await call(eve, 'POST', `/messages/${msg.id}/thread/read`, { messageId: msg.id }), 'not_found');
    expectError(await call(eve, 'PUT', `/messages/${msg.id}/reactions/${encodeURIComponent('👍')}`), 'not_found');
    // The browser and search
    expect((await browseAll(eve, c.title!)).length).toBe(0);
    const search = await call<{ results: unknown[] }>(eve, 'GET', `/search?q=${secretWord}`);
    expect(search.status).toBe(200);
    expect(search.body.results).toEqual([]);
    expect((await call<{ results: unknown[] }>(ana, 'GET', `/search?q=${secretWord}`)).body.results.length).toBe(1);
    // Uploads
    const file = await fetch(`${baseUrl}${attachment.url}`, { headers: { authorization: `Bearer ${eve.token}` } });
    expect(file.status).toBe(404);
    expect((await fetch(`${baseUrl}${attachment.url}`, { headers: { authorization: `Bearer ${ana.token}` } })).status).toBe(200);
    // Socket events: requests answer not_found, and nothing of the channel reaches her socket.
    expect(await emitAck(eve.socket, 'message:send', { conversationId: c.id, body: 'x', clientId: `eve-${tag()}` })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await emitAck(eve.socket, 'typing:start', { conversationId: c.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await emitAck(eve.socket, 'message:send', { conversationId: c.id, body: 'x', clientId: `eve-${tag()}`, threadId: msg.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await send(ana, c.id, 'more secrets', { threadId: msg.id });
    await call(ana, 'PATCH', `/conversations/${c.id}`, { topic: 'still secret' });
    await expectNothingAbout(eve, c.id, ana);
    // Permalink page: the app shell answers, the data does not (checked above); a public channel's files are
    // readable before joining.
    const pub = await createChannel(ana);
    const form2 = new FormData();
    form2.append('file', new Blob([new Uint8Array(png)]), 'open.png');
    const up2 = (await (await fetch(`${baseUrl}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${ana.token}` }, body: form2 })).json()) as {
      attachment: { id: string; url: string };
    };
    await send(ana, pub.id, 'open file', { attachmentIds: [up2.attachment.id] });
    expect((await fetch(`${baseUrl}${up2.attachment.url}`, { headers: { authorization: `Bearer ${eve.token}` } })).status).toBe(200);
  });

  it('private channels are joined only by being added', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const c = await createChannel(ana, { private: true });
    expectError(await call(ben, 'POST', `/conversations/${c.id}/join`), 'not_found');
    const added = nextEvent<{ conversation: ConversationDto }>(ben.socket, 'conversation:created', (p) => p.conversation.id === c.id);
    const r = await call(ana, 'POST', `/conversations/${c.id}/members`, { userId: ben.id });
    expect(r.status, r.text).toBe(200);
    expect((await added).conversation).toMatchObject({ private: true, kind: 'channel' });
    expect((await browseAll(ben, c.title!)).map((x) => x.id)).toEqual([c.id]);
  });

  it('permalinks: around= answers the window around a message (it included), in order', async () => {
    const ana = await freshUser('ana');
    const c = await createChannel(ana);
    const sent: MessageDto[] = [];
    for (let i = 0; i < 30; i++) sent.push(await send(ana, c.id, `line ${i}`));
    const target = sent[10]!;
    const res = await call<{ messages: MessageDto[]; hasMore: boolean; hasMoreAfter: boolean }>(ana, 'GET', `/conversations/${c.id}/messages?around=${target.id}&limit=10`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.messages.map((m) => m.body)).toEqual(['line 6', 'line 7', 'line 8', 'line 9', 'line 10', 'line 11', 'line 12', 'line 13', 'line 14', 'line 15']);
    expect(res.body.hasMore).toBe(true);
    expect(res.body.hasMoreAfter).toBe(true);
    expectError(await call(ana, 'GET', `/conversations/${c.id}/messages?around=${target.id}&before=${target.id}`), 'bad_request');
    expectError(await call(ana, 'GET', `/conversations/${c.id}/messages?around=nope`), 'bad_request', { issues: true });
  });
});

describe('@channel and @here', () => {
  it('notify every member (@channel) or the online ones (@here); in small channels anyone may', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const offline = await freshUser('off', false);
    const c = await createChannel(ana);
    await join(ben, c.id);
    const j = await call(offline, 'POST', `/conversations/${c.id}/join`);
    expect(j.status).toBe(200);

    const all = await send(ben, c.id, 'heads up @channel');
    expect([...all.mentions].sort()).toEqual([ana.id, offline.id].sort());
    const here = await send(ben, c.id, 'anyone @here?');
    expect(here.mentions).toEqual([ana.id]);
    const list = await call<{ conversations: ConversationDto[] }>(offline, 'GET', '/conversations');
    expect(list.body.conversations.find((x) => x.id === c.id)!.mentionCount).toBe(1);
  });

  it('in channels over 50 members only owners and admins may use them (others are refused)', async () => {
    const ana = await freshUser('ana');
    const ben = await freshUser('ben');
    const c = await createChannel(ana);
    await join(ben, c.id);
    // 49 more members, without sockets: 51 in all.
    const crowd: Person[] = [];
    for (let i = 0; i < 7; i++) crowd.push(...(await Promise.all(Array.from({ length: 7 }, () => freshUser('crowd', false)))));
    for (const p of crowd) expect((await call(p, 'POST', `/conversations/${c.id}/join`)).status).toBe(200);
    expect((await call<{ conversation: ConversationDto }>(ana, 'GET', `/conversations/${c.id}`)).body.conversation.memberCount).toBe(51);
    // 50 members are listed, the online ones first, and the reader always: the last to join, offline, sees themself.
    const last = crowd[crowd.length - 1]!;
    const seenByLast = (await call<{ conversation: ConversationDto }>(last, 'GET', `/conversations/${c.id}`)).body.conversation;
    expect(seenByLast.members.length).toBe(50);
    expect(seenByLast.members.map((m) => m.id)).toContain(last.id);
    expect(seenByLast.members.slice(1, 3).map((m) => m.id).sort()).toEqual([ana.id, ben.id].sort());

    const refused = await call(ben, 'POST', `/conversations/${c.id}/messages`, { body: 'hey @channel' });
    expectError(refused, 'forbidden');
    expect(refused.body.error.message).toMatch(/owners and admins/);
    expectError(await call(ben, 'POST', `/conversations/${c.id}/messages`, { body: '@here anyone?' }), 'forbidden');
    // A plain mention is fine.
    await send(ben, c.id, `hey @${ana.username}`);

    const ok = await send(ana, c.id, 'release at 5 @channel');
    expect(ok.mentions.length).toBe(50);
    await call(ana, 'PATCH', `/conversations/${c.id}/members/${ben.id}`, { role: 'admin' });
    expect((await send(ben, c.id, 'me too @channel')).mentions.length).toBe(50);
  }, 180_000);
});
