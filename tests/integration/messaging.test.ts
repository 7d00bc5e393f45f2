/**
 * Conversations and messages on the real server, with real socket.io-client connections (issue 3): delivery to all
 * members and only members, direct get-or-create, groups (roles, system lines, `conversation:updated`), exactly-once
 * by clientId, one total order under concurrent senders, catch-up after a disconnect, removed members, cursor
 * pagination, body rules, unread counts and the conversation list's order.
 *
 * "Received nothing" is proven without sleeping: after the action, the client sends a message into a group of its
 * own and waits for that message's `message:created`. The server emits in the order it stores, so anything the
 * action emitted to that socket would have arrived first (see `settle`).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConversationDto, MessageDto } from '../../lib/validation/dto';
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

// ---------------------------------------------------------------------------------------------------------------
// Clients: a user, a personal access token, an optional socket, and everything that socket received.

interface Client {
  user: TestUser;
  token: string;
  socket: ClientSocket;
  /** Every `message:created` this socket got, in arrival order. */
  created: MessageDto[];
  /** Every conversation event this socket got, in arrival order. */
  events: { event: string; conversationId: string; payload: any }[];
  /** A group with only this user in it, for `settle`. */
  solo?: string;
}

const sockets: ClientSocket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});

function listen(c: Pick<Client, 'created' | 'events'>, socket: ClientSocket): void {
  socket.on('message:created', ({ message }) => c.created.push(message));
  socket.on('conversation:created', (p) => c.events.push({ event: 'conversation:created', conversationId: p.conversation.id, payload: p }));
  socket.on('conversation:updated', (p) => c.events.push({ event: 'conversation:updated', conversationId: p.conversation.id, payload: p }));
  socket.on('conversation:removed', (p) => c.events.push({ event: 'conversation:removed', conversationId: p.conversationId, payload: p }));
  socket.on('message:updated', ({ message }) => c.events.push({ event: 'message:updated', conversationId: message.conversationId, payload: message }));
  socket.on('message:deleted', (p) => c.events.push({ event: 'message:deleted', conversationId: p.conversationId, payload: p }));
  socket.on('typing', (p) => c.events.push({ event: 'typing', conversationId: p.conversationId, payload: p }));
}

async function openSocket(token: string): Promise<ClientSocket> {
  const s = await connectSocket(baseUrl, { token });
  sockets.push(s);
  return s;
}

async function newClient(prefix: string): Promise<Client> {
  const user = await registerUser(baseUrl, { prefix });
  const { token } = await createToken(baseUrl, user);
  const socket = await openSocket(token);
  const c: Client = { user, token, socket, created: [], events: [] };
  listen(c, socket);
  return c;
}

/** Several clients at once (registration hashes passwords: in parallel it is quicker). */
type Clients = Client[] & { 0: Client; 1: Client; 2: Client; 3: Client };
const clients = (prefix: string, n: number): Promise<Clients> =>
  Promise.all(Array.from({ length: n }, (_, i) => newClient(`${prefix}${i}`))) as Promise<Clients>;

/** Polls until `cond` holds (an event-driven wait with a deadline; fails with `what`). */
async function until(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

const api = <T = any>(c: Client, path: string, opts: { method?: string; body?: unknown } = {}): Promise<HttpResult<T>> =>
  request<T>(baseUrl, `/api/v1${path}`, { ...opts, token: c.token });

async function createGroup(owner: Client, title: string, members: Client[]): Promise<ConversationDto> {
  const res = await api<{ conversation: ConversationDto }>(owner, '/conversations', {
    method: 'POST',
    body: { kind: 'group', title, memberIds: members.map((m) => m.user.id) },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.conversation;
}

async function direct(a: Client, b: Client): Promise<HttpResult<{ conversation: ConversationDto }>> {
  return api(a, '/conversations', { method: 'POST', body: { kind: 'direct', userId: b.user.id } });
}

async function post(c: Client, conversationId: string, body: string, clientId?: string): Promise<MessageDto> {
  const res = await api<{ message: MessageDto }>(c, `/conversations/${conversationId}/messages`, {
    method: 'POST',
    body: clientId ? { body, clientId } : { body },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.message;
}

async function sendOverSocket(c: Client, conversationId: string, body: string, clientId = randomUUID()): Promise<MessageDto> {
  const ack = await emitAck(c.socket, 'message:send', { conversationId, body, clientId });
  expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
  return ack.data.message as MessageDto;
}

/** Every message of a conversation the client can read, oldest first (the newest page, then back with `before`). */
async function allMessages(c: Client, conversationId: string): Promise<MessageDto[]> {
  let out: MessageDto[] = [];
  for (;;) {
    const before = out.length ? `&before=${out[0]!.id}` : '';
    const res = await api<{ messages: MessageDto[]; hasMore: boolean }>(c, `/conversations/${conversationId}/messages?limit=100${before}`);
    expect(res.status, res.text).toBe(200);
    out = [...res.body.messages, ...out];
    if (!res.body.hasMore) return out;
  }
}

/**
 * Waits until everything the server emitted to this client's socket so far has arrived: the client sends a message
 * into its own one-person group and waits for it. Emits leave the server in order, so earlier ones come first.
 */
async function settle(c: Client): Promise<void> {
  c.solo ??= (await createGroup(c, 'just me', [])).id;
  const marker = `settle ${randomUUID()}`;
  const seen = nextEvent<{ message: MessageDto }>(c.socket, 'message:created', (p) => p.message.body === marker);
  await sendOverSocket(c, c.solo, marker);
  await seen;
}

const createdIn = (c: Client, conversationId: string) => c.created.filter((m) => m.conversationId === conversationId);
const eventsIn = (c: Client, conversationId: string, event?: string) =>
  c.events.filter((e) => e.conversationId === conversationId && (!event || e.event === event));

// ---------------------------------------------------------------------------------------------------------------

describe('delivery to members, and only to members', () => {
  let ana: Client, ben: Client, cy: Client, outsider: Client;
  let group: ConversationDto;
  beforeAll(async () => {
    [ana, ben, cy, outsider] = await clients('deliv', 4);
    group = await createGroup(ana, 'Delivery', [ben, cy]);
  });

  it('a message sent over the socket reaches every member once (the sender too) and never an outsider', async () => {
    const sent = await sendOverSocket(ana, group.id, 'hello members');
    expect(sent).toMatchObject({ conversationId: group.id, body: 'hello members', kind: 'user', sender: { id: ana.user.id } });
    for (const c of [ana, ben, cy]) {
      await until(() => createdIn(c, group.id).some((m) => m.id === sent.id), `${c.user.username} to get the message`);
    }
    // A REST send reaches the sockets the same way.
    const viaRest = await post(ben, group.id, 'and over REST');
    for (const c of [ana, ben, cy]) await until(() => createdIn(c, group.id).some((m) => m.id === viaRest.id), 'the REST message');

    await Promise.all([ana, ben, cy, outsider].map(settle));
    for (const c of [ana, ben, cy]) {
      // Exactly these two, once each, as the sender's ack / REST answer had them.
      expect(createdIn(c, group.id).filter((m) => m.kind === 'user')).toEqual([sent, viaRest]);
    }
    expect(createdIn(outsider, group.id)).toEqual([]);
    expect(eventsIn(outsider, group.id)).toEqual([]);
  });

  it('an outsider gets not_found over REST (read, post, view, members) and over the socket', async () => {
    expectError(await api(outsider, `/conversations/${group.id}`), 'not_found');
    expectError(await api(outsider, `/conversations/${group.id}/messages`), 'not_found');
    expectError(await api(outsider, `/conversations/${group.id}/messages`, { method: 'POST', body: { body: 'let me in' } }), 'not_found');
    expectError(await api(outsider, `/conversations/${group.id}`, { method: 'PATCH', body: { title: 'mine now' } }), 'not_found');
    expectError(await api(outsider, `/conversations/${group.id}/members`, { method: 'POST', body: { userId: outsider.user.id } }), 'not_found');
    expectError(await api(outsider, `/conversations/${group.id}/read`, { method: 'POST', body: { messageId: createdIn(ana, group.id)[0]!.id } }), 'not_found');

    const ack = await emitAck(outsider.socket, 'message:send', { conversationId: group.id, body: 'sneaky', clientId: randomUUID() });
    expect(ack.ok).toBe(false);
    expect(ack.error.code).toBe('not_found');
    expect(typeof ack.error.message).toBe('string');

    // Nothing of it was stored, and the listing does not show the conversation.
    const stored = await allMessages(ana, group.id);
    expect(stored.some((m) => m.body === 'sneaky' || m.body === 'let me in')).toBe(false);
    const list = await api<{ conversations: ConversationDto[] }>(outsider, '/conversations');
    expect(list.body.conversations.some((c) => c.id === group.id)).toBe(false);
    // An id that exists nowhere answers the same as one that exists.
    expectError(await api(outsider, `/conversations/doesnotexist0000000000000/messages`), 'not_found');
  });
});

describe('direct conversations', () => {
  it('get-or-create: the same pair always gets the same conversation (201, then 200), from either side; never with yourself', async () => {
    const [a, b, c] = await clients('dm', 3);
    const gotCreated = nextEvent<{ conversation: ConversationDto }>(b.socket, 'conversation:created', (p) => p.conversation.kind === 'direct');

    const first = await direct(a, b);
    expect(first.status, first.text).toBe(201);
    expect(first.body.conversation.kind).toBe('direct');
    expect(first.body.conversation.members.map((m) => m.id).sort()).toEqual([a.user.id, b.user.id].sort());
    // The other side hears about it at once.
    expect((await gotCreated).conversation.id).toBe(first.body.conversation.id);

    const again = await direct(a, b);
    expect(again.status, again.text).toBe(200);
    expect(again.body.conversation.id).toBe(first.body.conversation.id);
    const fromB = await direct(b, a);
    expect(fromB.status).toBe(200);
    expect(fromB.body.conversation.id).toBe(first.body.conversation.id);

    // Both at once from both sides: still one conversation.
    const race = await Promise.all([direct(a, c), direct(c, a), direct(a, c)]);
    expect(new Set(race.map((r) => r.body.conversation.id)).size).toBe(1);
    expect(race.filter((r) => r.status === 201).length).toBe(1);
    expect(race.filter((r) => r.status === 200).length).toBe(2);

    // A different pair is a different conversation.
    expect(race[0]!.body.conversation.id).not.toBe(first.body.conversation.id);

    const self = await direct(a, a);
    expectError(self, 'bad_request');
    // And the sockets joined: a message in the new DM reaches b live.
    const m = await sendOverSocket(a, first.body.conversation.id, 'hi b');
    await until(() => createdIn(b, first.body.conversation.id).some((x) => x.id === m.id), 'the DM to arrive');
  });
});

describe('groups: create, rename, add, remove, leave', () => {
  it('broadcasts conversation:updated, writes system lines, and enforces roles', async () => {
    const [ana, ben, cy, dee] = await clients('grp', 4);
    const name = (c: Client) => c.user.displayName;

    // Create: the members hear conversation:created.
    const benHears = nextEvent<{ conversation: ConversationDto }>(ben.socket, 'conversation:created', (p) => p.conversation.title === 'Hikers');
    const g = await createGroup(ana, 'Hikers', [ben]);
    expect(g.kind).toBe('group');
    expect(g.title).toBe('Hikers');
    expect(Object.fromEntries(g.members.map((m) => [m.id, m.role]))).toEqual({ [ana.user.id]: 'owner', [ben.user.id]: 'member' });
    expect((await benHears).conversation.id).toBe(g.id);
    // The first message is the creation line.
    expect((await allMessages(ana, g.id)).map((m) => [m.kind, m.body, m.sender?.id])).toEqual([
      ['system', `${name(ana)} created the group “Hikers”`, ana.user.id],
    ]);

    // Title rules.
    expectError(await api(ana, '/conversations', { method: 'POST', body: { kind: 'group', title: '   ', memberIds: [] } }), 'bad_request');
    expectError(await api(ana, '/conversations', { method: 'POST', body: { kind: 'group', title: 'x'.repeat(81), memberIds: [] } }), 'bad_request');
    expectError(await api(ana, `/conversations/${g.id}`, { method: 'PATCH', body: { title: 'y'.repeat(81) } }), 'bad_request');

    // Rename: both members get conversation:updated with the new title.
    const renamedFor = (c: Client) =>
      nextEvent<{ conversation: ConversationDto }>(c.socket, 'conversation:updated', (p) => p.conversation.id === g.id && p.conversation.title === 'Hill walkers');
    const renamed = [renamedFor(ana), renamedFor(ben)];
    const patch = await api<{ conversation: ConversationDto }>(ana, `/conversations/${g.id}`, { method: 'PATCH', body: { title: 'Hill walkers' } });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.body.conversation.title).toBe('Hill walkers');
    await Promise.all(renamed);

    // Add: the newcomer gets conversation:created, the others conversation:updated listing the newcomer.
    const cyHears = nextEvent<{ conversation: ConversationDto }>(cy.socket, 'conversation:created', (p) => p.conversation.id === g.id);
    const withCy = (c: Client) =>
      nextEvent<{ conversation: ConversationDto }>(c.socket, 'conversation:updated', (p) => p.conversation.id === g.id && p.conversation.members.some((m) => m.id === cy.user.id));
    const added = [withCy(ana), withCy(ben)];
    const add = await api<{ conversation: ConversationDto }>(ana, `/conversations/${g.id}/members`, { method: 'POST', body: { userId: cy.user.id } });
    expect(add.status, add.text).toBe(200);
    expect(add.body.conversation.members.find((m) => m.id === cy.user.id)?.role).toBe('member');
    expect((await cyHears).conversation.title).toBe('Hill walkers');
    await Promise.all(added);
    // Adding someone twice is a conflict; adding nobody is not_found.
    expectError(await api(ana, `/conversations/${g.id}/members`, { method: 'POST', body: { userId: cy.user.id } }), 'conflict');
    expectError(await api(ana, `/conversations/${g.id}/members`, { method: 'POST', body: { userId: 'nosuchuser000000000000000' } }), 'not_found');
    // The newcomer is in the room at once.
    const hello = await post(ben, g.id, 'welcome cy');
    await until(() => createdIn(cy, g.id).some((m) => m.id === hello.id), 'the newcomer to get live messages');

    // A plain member cannot add, remove or rename.
    expectError(await api(ben, `/conversations/${g.id}/members`, { method: 'POST', body: { userId: dee.user.id } }), 'forbidden');
    expectError(await api(ben, `/conversations/${g.id}/members/${cy.user.id}`, { method: 'DELETE' }), 'forbidden');
    expectError(await api(ben, `/conversations/${g.id}`, { method: 'PATCH', body: { title: 'Ben’s group' } }), 'forbidden');
    expect((await api(ana, `/conversations/${g.id}`)).body.conversation.title).toBe('Hill walkers');

    // Remove: the removed member is told, the others see the shorter member list.
    const cyRemoved = nextEvent<{ conversationId: string }>(cy.socket, 'conversation:removed', (p) => p.conversationId === g.id);
    const withoutCy = (c: Client) =>
      nextEvent<{ conversation: ConversationDto }>(
        c.socket,
        'conversation:updated',
        (p) => p.conversation.id === g.id && !p.conversation.members.some((m) => m.id === cy.user.id),
      );
    const removed = [withoutCy(ana), withoutCy(ben)];
    expect((await api(ana, `/conversations/${g.id}/members/${cy.user.id}`, { method: 'DELETE' })).status).toBe(204);
    await cyRemoved;
    await Promise.all(removed);

    // Dee joins; then Ben leaves (anyone can leave).
    expect((await api(ana, `/conversations/${g.id}/members`, { method: 'POST', body: { userId: dee.user.id } })).status).toBe(200);
    expect((await api(ben, `/conversations/${g.id}/members/${ben.user.id}`, { method: 'DELETE' })).status).toBe(204);
    expectError(await api(ben, `/conversations/${g.id}`), 'not_found');

    // The last owner leaves: ownership passes on, and the new owner can manage the group.
    const deeUpdated = nextEvent<{ conversation: ConversationDto }>(
      dee.socket,
      'conversation:updated',
      (p) => p.conversation.id === g.id && !p.conversation.members.some((m) => m.id === ana.user.id),
    );
    expect((await api(ana, `/conversations/${g.id}/members/${ana.user.id}`, { method: 'DELETE' })).status).toBe(204);
    const afterOwnerLeft = (await deeUpdated).conversation;
    expect(afterOwnerLeft.members.map((m) => [m.id, m.role])).toEqual([[dee.user.id, 'owner']]);
    const view = await api<{ conversation: ConversationDto }>(dee, `/conversations/${g.id}`);
    expect(view.body.conversation.members.map((m) => [m.id, m.role])).toEqual([[dee.user.id, 'owner']]);
    const rename2 = await api(dee, `/conversations/${g.id}`, { method: 'PATCH', body: { title: 'Dee’s walkers' } });
    expect(rename2.status, rename2.text).toBe(200);

    // The story, as system lines in the conversation's order (Dee sees what happened since joining, or everything).
    const lines = (await allMessages(dee, g.id)).filter((m) => m.kind === 'system').map((m) => m.body);
    const story = [
      `${name(ana)} added ${name(dee)}`,
      `${name(ben)} left`,
      `${name(ana)} left`,
      `${name(dee)} renamed the group to “Dee’s walkers”`,
    ];
    expect(lines.slice(-story.length)).toEqual(story);
    // What the others saw live, while they were members.
    const cyView = await api<{ messages: MessageDto[] }>(cy, `/conversations/${g.id}/messages`);
    expectError(cyView, 'not_found');
    const seenByCy = createdIn(cy, g.id).filter((m) => m.kind === 'system').map((m) => m.body);
    expect(seenByCy).toEqual([`${name(ana)} removed ${name(cy)}`]);
    const seenByBen = createdIn(ben, g.id).filter((m) => m.kind === 'system').map((m) => m.body);
    expect(seenByBen).toEqual([
      `${name(ana)} renamed the group to “Hill walkers”`,
      `${name(ana)} added ${name(cy)}`,
      `${name(ana)} removed ${name(cy)}`,
      `${name(ana)} added ${name(dee)}`,
      `${name(ben)} left`,
    ]);
  });
});

describe('exactly once: the same clientId twice stores one message', () => {
  let ana: Client, ben: Client;
  let conv: string;
  beforeAll(async () => {
    [ana, ben] = await clients('once', 2);
    conv = (await createGroup(ana, 'Once', [ben])).id;
  });

  it('over the socket: the repeat acks the first message, stores nothing, and emits nothing', async () => {
    const clientId = randomUUID();
    const first = await sendOverSocket(ana, conv, 'only once', clientId);
    expect(first.clientId).toBe(clientId);
    const second = await sendOverSocket(ana, conv, 'only once', clientId);
    expect(second).toEqual(first);
    // Even with a different body, the repeat is the first message (it is a retry, not an edit).
    const third = await sendOverSocket(ana, conv, 'a changed body', clientId);
    expect(third.id).toBe(first.id);
    expect(third.body).toBe('only once');

    await settle(ben);
    expect(createdIn(ben, conv).filter((m) => m.clientId === clientId)).toEqual([first]);
    expect((await allMessages(ben, conv)).filter((m) => m.clientId === clientId).map((m) => m.id)).toEqual([first.id]);
  });

  it('over REST: 201, then 200 with the first message; and across REST and socket', async () => {
    const clientId = randomUUID();
    const url = `/conversations/${conv}/messages`;
    const r1 = await api<{ message: MessageDto }>(ana, url, { method: 'POST', body: { body: 'rest once', clientId } });
    expect(r1.status, r1.text).toBe(201);
    const r2 = await api<{ message: MessageDto }>(ana, url, { method: 'POST', body: { body: 'rest once', clientId } });
    expect(r2.status, r2.text).toBe(200);
    expect(r2.body.message).toEqual(r1.body.message);
    // The same clientId over the socket: the same message.
    expect((await sendOverSocket(ana, conv, 'rest once', clientId)).id).toBe(r1.body.message.id);
    await settle(ben);
    expect(createdIn(ben, conv).filter((m) => m.clientId === clientId).length).toBe(1);
    expect((await allMessages(ana, conv)).filter((m) => m.clientId === clientId).length).toBe(1);
  });

  it('ten concurrent repeats (socket and REST mixed) store one message and all answer with it', async () => {
    const clientId = randomUUID();
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? sendOverSocket(ana, conv, 'raced', clientId)
          : api<{ message: MessageDto }>(ana, `/conversations/${conv}/messages`, { method: 'POST', body: { body: 'raced', clientId } }).then((r) => {
              expect([200, 201], r.text).toContain(r.status);
              return r.body.message;
            }),
      ),
    );
    expect(new Set(attempts.map((m) => m.id)).size).toBe(1);
    await settle(ben);
    expect(createdIn(ben, conv).filter((m) => m.clientId === clientId).length).toBe(1);
    expect((await allMessages(ben, conv)).filter((m) => m.clientId === clientId).length).toBe(1);
  });

  it('the same clientId from another sender is another message', async () => {
    const clientId = randomUUID();
    const a = await sendOverSocket(ana, conv, 'mine', clientId);
    const b = await sendOverSocket(ben, conv, 'mine too', clientId);
    expect(b.id).not.toBe(a.id);
    expect(b.sender?.id).toBe(ben.user.id);
  });
});

describe('order: concurrent senders, one total order', () => {
  it('50 concurrent sends from 5 clients arrive at 3 receivers in the same order, which is the stored order', async () => {
    const all = await clients('order', 8);
    const senders = all.slice(0, 5);
    const receivers = all.slice(5);
    const g = await createGroup(senders[0]!, 'Order', all.slice(1));
    // Everyone's socket is in the room: each receiver has the creator's first message.
    const start = await sendOverSocket(senders[0]!, g.id, 'ready?');
    for (const c of all) await until(() => createdIn(c, g.id).some((m) => m.id === start.id), 'the start message');

    // 10 messages per sender, all emitted at once (no waiting for acks in between).
    const acks = await Promise.all(
      senders.flatMap((s, si) =>
        Array.from({ length: 10 }, (_, i) => emitAck(s.socket, 'message:send', { conversationId: g.id, body: `s${si} #${i}`, clientId: randomUUID() })),
      ),
    );
    for (const a of acks) expect(a.ok, JSON.stringify(a)).toBe(true);
    const ackedIds = new Set(acks.map((a) => a.data.message.id as string));
    expect(ackedIds.size).toBe(50);

    const burst = (r: Client) => createdIn(r, g.id).filter((m) => m.seq > start.seq);
    for (const r of receivers) await until(() => burst(r).length >= 50, `50 messages at ${r.user.username}`);
    await Promise.all(receivers.map(settle));

    const orders = receivers.map((r) => burst(r).map((m) => m.id));
    // Exactly the 50, once each, at every receiver.
    for (const o of orders) {
      expect(o.length).toBe(50);
      expect(new Set(o)).toEqual(ackedIds);
    }
    // The same order everywhere, and it is the seq order.
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[2]).toEqual(orders[0]);
    const seqs = burst(receivers[0]!).map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(50);
    // The acks agree on each message's seq.
    const seqById = new Map(burst(receivers[0]!).map((m) => [m.id, m.seq]));
    for (const a of acks) expect(seqById.get(a.data.message.id)).toBe(a.data.message.seq);
    // And the history says the same.
    const history = await api<{ messages: MessageDto[]; hasMore: boolean }>(receivers[0]!, `/conversations/${g.id}/messages?after=${start.id}&limit=100`);
    expect(history.body.hasMore).toBe(false);
    expect(history.body.messages.map((m) => m.id)).toEqual(orders[0]);
    // The senders' own sockets saw the same order too.
    for (const s of senders) expect(burst(s).map((m) => m.id)).toEqual(orders[0]);
  });
});

describe('reconnect: nothing is lost, nothing is duplicated', () => {
  it('a client disconnected while others send gets all of them, in order, by fetching after= its newest', async () => {
    const [ana, ben, cy] = await clients('recon', 3);
    const g = await createGroup(ana, 'Reconnect', [ben, cy]);
    const before = await sendOverSocket(ana, g.id, 'before the gap');
    await until(() => createdIn(cy, g.id).some((m) => m.id === before.id), 'cy to have the newest');
    const newest = createdIn(cy, g.id).at(-1)!;

    cy.socket.close();
    const whileAway: MessageDto[] = [];
    for (let i = 0; i < 12; i++) whileAway.push(await sendOverSocket(i % 2 ? ben : ana, g.id, `while away ${i}`));
    // Ana and Ben got them live.
    await until(() => createdIn(ben, g.id).filter((m) => m.seq > newest.seq).length === 12, 'ben to get the 12');

    // Cy comes back: a new socket, listening first, then catching up with after=<newest it had>.
    const back = await openSocket(cy.token);
    const live: MessageDto[] = [];
    back.on('message:created', ({ message }) => {
      if (message.conversationId === g.id) live.push(message);
    });
    // Someone keeps talking during the catch-up.
    const during = sendOverSocket(ben, g.id, 'during the catch-up');
    const fetched: MessageDto[] = [];
    let cursor = newest.id;
    for (;;) {
      // Small pages, so the client has to follow hasMore.
      const page = await api<{ messages: MessageDto[]; hasMore: boolean }>(cy, `/conversations/${g.id}/messages?after=${cursor}&limit=5`);
      expect(page.status, page.text).toBe(200);
      fetched.push(...page.body.messages);
      if (!page.body.hasMore) break;
      cursor = page.body.messages.at(-1)!.id;
    }
    const duringMsg = await during;
    const afterCatchUp = await sendOverSocket(ana, g.id, 'after the catch-up');
    await until(() => live.some((m) => m.id === afterCatchUp.id), 'the live message after the catch-up');

    // Nothing duplicated inside the fetch; everything sent while away is there, in the order it was sent.
    expect(new Set(fetched.map((m) => m.id)).size).toBe(fetched.length);
    const fetchedIds = fetched.map((m) => m.id);
    expect(fetchedIds.slice(0, 12)).toEqual(whileAway.map((m) => m.id));
    expect(fetched.map((m) => m.seq)).toEqual([...fetched.map((m) => m.seq)].sort((a, b) => a - b));
    // The client's merged view (fetched + live, by id) has no gaps and no repeats, and ends where the server does.
    const merged = new Map<string, MessageDto>();
    for (const m of [...fetched, ...live]) merged.set(m.id, m);
    const view = [...merged.values()].sort((a, b) => a.seq - b.seq);
    const server = (await allMessages(cy, g.id)).filter((m) => m.seq > newest.seq);
    expect(view.map((m) => m.id)).toEqual(server.map((m) => m.id));
    expect(view.map((m) => m.id)).toEqual([...whileAway.map((m) => m.id), ...[duringMsg.id, afterCatchUp.id]]);
  });
});

describe('a removed member gets nothing more', () => {
  it('no events on any of their sockets, not_found on reads and sends, while the others keep receiving', async () => {
    const [ana, ben, cy] = await clients('removed', 3);
    const g = await createGroup(ana, 'Removal', [ben, cy]);
    // Cy has a second socket (polling), which must leave the room too.
    const cySecond = await connectSocket(baseUrl, { token: cy.token, transports: ['polling'] });
    sockets.push(cySecond);
    const second: MessageDto[] = [];
    const secondEvents: string[] = [];
    cySecond.on('message:created', ({ message }) => message.conversationId === g.id && second.push(message));
    cySecond.on('conversation:updated', (p) => p.conversation.id === g.id && secondEvents.push('conversation:updated'));
    cySecond.on('typing', (p) => p.conversationId === g.id && secondEvents.push('typing'));

    const hi = await sendOverSocket(ana, g.id, 'hi all');
    await until(() => createdIn(cy, g.id).some((m) => m.id === hi.id) && second.some((m) => m.id === hi.id), 'cy to be receiving on both sockets');

    expect((await api(ana, `/conversations/${g.id}/members/${cy.user.id}`, { method: 'DELETE' })).status).toBe(204);
    // Both sockets still get the line that says why (it goes out before they leave the room), then nothing more.
    const why = `${ana.user.displayName} removed ${cy.user.displayName}`;
    await until(() => eventsIn(cy, g.id, 'conversation:removed').length === 1, 'conversation:removed');
    await until(() => createdIn(cy, g.id).some((m) => m.body === why) && second.some((m) => m.body === why), 'the removal line on both sockets');
    const seenBefore = createdIn(cy, g.id).length;
    const secondBefore = second.length;
    const eventsBefore = eventsIn(cy, g.id).length;

    // Life goes on without Cy: messages (socket and REST), a rename, an edit, typing.
    const m1 = await sendOverSocket(ana, g.id, 'after cy left');
    const m2 = await post(ben, g.id, 'still here');
    expect((await api(ana, `/conversations/${g.id}`, { method: 'PATCH', body: { title: 'Without Cy' } })).status).toBe(200);
    expect((await emitAck(ana.socket, 'message:edit', { messageId: m1.id, body: 'after cy left (edited)' })).ok).toBe(true);
    expect((await emitAck(ben.socket, 'typing:start', { conversationId: g.id })).ok).toBe(true);
    await until(() => createdIn(ben, g.id).some((m) => m.id === m2.id) && createdIn(ana, g.id).some((m) => m.id === m2.id), 'the others to keep receiving');

    await settle(cy);
    const cySecondMarker = nextEvent<{ message: MessageDto }>(cySecond, 'message:created', (p) => p.message.conversationId === cy.solo);
    await sendOverSocket(cy, cy.solo!, 'second socket marker');
    await cySecondMarker;
    expect(createdIn(cy, g.id).length).toBe(seenBefore);
    expect(second.length).toBe(secondBefore);
    expect(eventsIn(cy, g.id).length).toBe(eventsBefore);
    expect(secondEvents).toEqual([]);

    // Reads and sends: not_found, as for any outsider.
    expectError(await api(cy, `/conversations/${g.id}`), 'not_found');
    expectError(await api(cy, `/conversations/${g.id}/messages`), 'not_found');
    expectError(await api(cy, `/conversations/${g.id}/messages?after=${hi.id}`), 'not_found');
    expectError(await api(cy, `/conversations/${g.id}/messages`, { method: 'POST', body: { body: 'can I come back?' } }), 'not_found');
    expectError(await api(cy, `/messages/${m1.id}`, { method: 'PATCH', body: { body: 'nope' } }), 'not_found');
    const ack = await emitAck(cy.socket, 'message:send', { conversationId: g.id, body: 'hello?', clientId: randomUUID() });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const list = await api<{ conversations: ConversationDto[] }>(cy, '/conversations');
    expect(list.body.conversations.some((c) => c.id === g.id)).toBe(false);
  });
});

describe('history: cursor pagination', () => {
  let ana: Client, ben: Client;
  let conv: string;
  let sent: MessageDto[];
  beforeAll(async () => {
    [ana, ben] = await clients('page', 2);
    conv = (await direct(ana, ben)).body.conversation.id;
    sent = [];
    for (let i = 0; i < 25; i++) sent.push(await post(i % 3 ? ana : ben, conv, `page message ${i}`));
  });
  const page = (q: string) => api<{ messages: MessageDto[]; hasMore: boolean }>(ben, `/conversations/${conv}/messages?${q}`);
  const bodies = (r: HttpResult<{ messages: MessageDto[] }>) => r.body.messages.map((m) => m.body);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `page message ${from + i}`);

  it('the newest page, oldest first, then older pages with before=, until hasMore is false', async () => {
    const p1 = await page('limit=10');
    expect(p1.status, p1.text).toBe(200);
    expect(bodies(p1)).toEqual(range(15, 25));
    expect(p1.body.hasMore).toBe(true);
    const p2 = await page(`limit=10&before=${p1.body.messages[0]!.id}`);
    expect(bodies(p2)).toEqual(range(5, 15));
    expect(p2.body.hasMore).toBe(true);
    const p3 = await page(`limit=10&before=${p2.body.messages[0]!.id}`);
    expect(bodies(p3)).toEqual(range(0, 5));
    expect(p3.body.hasMore).toBe(false);
    // Exactly at the edge: 5 left, limit 5 → no more.
    const edge = await page(`limit=5&before=${p2.body.messages[0]!.id}`);
    expect(bodies(edge)).toEqual(range(0, 5));
    expect(edge.body.hasMore).toBe(false);
    // The default page holds everything here (25 < 50), oldest first.
    const all = await page('');
    expect(bodies(all)).toEqual(range(0, 25));
    expect(all.body.hasMore).toBe(false);
    expect(all.body.messages.map((m) => m.seq)).toEqual(sent.map((m) => m.seq));
  });

  it('after= gives the next ones, oldest first; after the newest there is nothing', async () => {
    const a1 = await page(`limit=10&after=${sent[4]!.id}`);
    expect(bodies(a1)).toEqual(range(5, 15));
    expect(a1.body.hasMore).toBe(true);
    const a2 = await page(`limit=100&after=${a1.body.messages.at(-1)!.id}`);
    expect(bodies(a2)).toEqual(range(15, 25));
    expect(a2.body.hasMore).toBe(false);
    const none = await page(`after=${sent[24]!.id}`);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ messages: [], hasMore: false });
    const one = await page(`limit=1&before=${sent[1]!.id}`);
    expect(bodies(one)).toEqual(['page message 0']);
    expect(one.body.hasMore).toBe(false);
  });

  it('limit is 1..100; bad cursors are bad requests', async () => {
    expect((await page('limit=100')).status).toBe(200);
    expectError(await page('limit=101'), 'bad_request', { issues: true });
    expectError(await page('limit=0'), 'bad_request');
    expectError(await page('limit=ten'), 'bad_request');
    expectError(await page(`before=${sent[3]!.id}&after=${sent[1]!.id}`), 'bad_request');
    expectError(await page('before=nosuchmessage00000000000'), 'bad_request');
    // A message of another conversation is not a cursor here.
    const other = (await createGroup(ana, 'Elsewhere', [ben])).id;
    const foreign = await post(ana, other, 'elsewhere');
    expectError(await page(`after=${foreign.id}`), 'bad_request');
  });
});

describe('message bodies', () => {
  let ana: Client, ben: Client;
  let conv: string;
  beforeAll(async () => {
    [ana, ben] = await clients('body', 2);
    conv = (await direct(ana, ben)).body.conversation.id;
  });
  const postRaw = (body: unknown) => api<{ message: MessageDto }>(ana, `/conversations/${conv}/messages`, { method: 'POST', body });

  it('empty or whitespace-only → 400 (REST and socket); nothing stored', async () => {
    for (const body of ['', '   ', '\n\t  \n']) {
      expectError(await postRaw({ body }), 'bad_request', { issues: true });
      const ack = await emitAck(ana.socket, 'message:send', { conversationId: conv, body, clientId: randomUUID() });
      expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    expectError(await postRaw({}), 'bad_request');
    expectError(await postRaw({ body: 42 }), 'bad_request');
    expect(await allMessages(ana, conv)).toEqual([]);
  });

  it('4000 characters are fine, 4001 are not (counted after trimming)', async () => {
    const exact = 'a'.repeat(4000);
    const ok = await postRaw({ body: exact });
    expect(ok.status, ok.text.slice(0, 200)).toBe(201);
    expect(ok.body.message.body).toBe(exact);
    const padded = await postRaw({ body: `  ${'b'.repeat(4000)}\n ` });
    expect(padded.status).toBe(201);
    expect(padded.body.message.body).toBe('b'.repeat(4000));
    expectError(await postRaw({ body: 'c'.repeat(4001) }), 'bad_request', { issues: true });
    const ack = await emitAck(ana.socket, 'message:send', { conversationId: conv, body: 'd'.repeat(4001), clientId: randomUUID() });
    expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const ackOk = await emitAck(ana.socket, 'message:send', { conversationId: conv, body: 'e'.repeat(4000), clientId: randomUUID() });
    expect(ackOk.ok).toBe(true);
    const stored = await allMessages(ben, conv);
    expect(stored.map((m) => m.body.length)).toEqual([4000, 4000, 4000]);
  });

  it('text is stored and returned verbatim: markup stays plain text, line breaks and spacing are kept', async () => {
    const texts = [
      '<script>alert("x")</script>',
      '<b>bold?</b> &amp; <img src=x onerror=alert(1)> "quotes" \'single\'',
      'line one\nline two\n\n  indented line three',
      'emoji 👋🏽 and ünïcödé and a link https://example.com/a?b=c&d=e',
    ];
    const ids: string[] = [];
    for (const body of texts) {
      const sent = await sendOverSocket(ana, conv, body);
      expect(sent.body).toBe(body);
      ids.push(sent.id);
    }
    const stored = await allMessages(ben, conv);
    expect(stored.filter((m) => ids.includes(m.id)).map((m) => m.body)).toEqual(texts);
    // The live copy too.
    await settle(ben);
    expect(createdIn(ben, conv).filter((m) => ids.includes(m.id)).map((m) => m.body)).toEqual(texts);
    // The conversation's lastMessage preview carries the raw text as well.
    const list = await api<{ conversations: ConversationDto[] }>(ben, '/conversations');
    expect(list.body.conversations.find((c) => c.id === conv)?.lastMessage?.body).toBe(texts.at(-1));
  });
});

describe('the conversation list: unread counts and order', () => {
  it('unread goes up for the receiver (not the sender) and resets after POST /conversations/{id}/read', async () => {
    const [ana, ben] = await clients('unread', 2);
    const conv = (await direct(ana, ben)).body.conversation.id;
    const unread = async (c: Client) => {
      const r = await api<{ conversations: ConversationDto[] }>(c, '/conversations');
      expect(r.status).toBe(200);
      return r.body.conversations.find((x) => x.id === conv)!.unreadCount;
    };
    expect(await unread(ben)).toBe(0);
    const m1 = await post(ana, conv, 'one');
    await post(ana, conv, 'two');
    const m3 = await post(ana, conv, 'three');
    expect(await unread(ben)).toBe(3);
    expect(await unread(ana)).toBe(0);
    // GET /conversations/{id} agrees.
    expect((await api<{ conversation: ConversationDto }>(ben, `/conversations/${conv}`)).body.conversation.unreadCount).toBe(3);

    // Reading up to the first: 2 left. The sender hears about it.
    const anaHearsRead = nextEvent<{ conversationId: string; userId: string; messageId: string }>(
      ana.socket,
      'conversation:read',
      (p) => p.conversationId === conv && p.userId === ben.user.id,
    );
    expect((await api(ben, `/conversations/${conv}/read`, { method: 'POST', body: { messageId: m1.id } })).status).toBe(204);
    expect((await anaHearsRead).messageId).toBe(m1.id);
    expect(await unread(ben)).toBe(2);
    expect((await api(ben, `/conversations/${conv}/read`, { method: 'POST', body: { messageId: m3.id } })).status).toBe(204);
    expect(await unread(ben)).toBe(0);
    // The read position never moves back.
    expect((await api(ben, `/conversations/${conv}/read`, { method: 'POST', body: { messageId: m1.id } })).status).toBe(204);
    expect(await unread(ben)).toBe(0);
    // Ben's own messages never count for Ben; Ana's next one does.
    await post(ben, conv, 'reply');
    expect(await unread(ben)).toBe(0);
    expect(await unread(ana)).toBe(1);
    await post(ana, conv, 'four');
    expect(await unread(ben)).toBe(1);
    // A read of an unknown message is a bad request.
    expectError(await api(ben, `/conversations/${conv}/read`, { method: 'POST', body: { messageId: 'nosuchmessage00000000000' } }), 'bad_request');
  });

  it('most recent activity first, each with its lastMessage', async () => {
    const [ana, ben, cy] = await clients('recent', 3);
    const dmBen = (await direct(ana, ben)).body.conversation.id;
    const dmCy = (await direct(ana, cy)).body.conversation.id;
    const group = (await createGroup(ana, 'Recent', [ben, cy])).id;
    const mine = new Set([dmBen, dmCy, group]);
    const order = async () => {
      const r = await api<{ conversations: ConversationDto[] }>(ana, '/conversations');
      expect(r.status).toBe(200);
      // The general channel (and anything other tests do to it) is left out; our three are in relative order.
      return r.body.conversations.filter((c) => mine.has(c.id)).map((c) => ({ id: c.id, last: c.lastMessage?.body ?? null }));
    };
    await post(ben, dmBen, 'ben first');
    await post(ana, group, 'group second');
    await post(cy, dmCy, 'cy third');
    expect(await order()).toEqual([
      { id: dmCy, last: 'cy third' },
      { id: group, last: 'group second' },
      { id: dmBen, last: 'ben first' },
    ]);
    await post(ana, dmBen, 'ben again');
    expect(await order()).toEqual([
      { id: dmBen, last: 'ben again' },
      { id: dmCy, last: 'cy third' },
      { id: group, last: 'group second' },
    ]);
    // The whole list is sorted by updatedAt, newest first (general included).
    const all = (await api<{ conversations: ConversationDto[] }>(ana, '/conversations')).body.conversations;
    const times = all.map((c) => Date.parse(c.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // lastMessage is a full message of that conversation.
    const top = all.find((c) => c.id === dmBen)!;
    expect(top.lastMessage).toMatchObject({ conversationId: dmBen, body: 'ben again', sender: { id: ana.user.id } });
  });
});
