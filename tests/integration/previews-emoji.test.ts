/**
 * Link previews and custom emoji on a server of their own (its first account is the site admin), with
 * OUTBOUND_ALLOW=127.0.0.1 so a page served by this test on loopback may be fetched:
 * - a message's first link gets a preview (Open Graph read by the server), announced live by `message:updated`;
 *   its image is fetched once and served by Chattrix (WebP) — the page's server sees the image requested once even
 *   when the link is posted again; its author can remove it, nobody else;
 * - a page behind a refused address (127.0.0.2, loopback but not allowed) is never contacted;
 * - custom emoji: added by an admin (PNG/GIF/WebP, checked by content), used in a message and a reaction, an
 *   unknown `:name:` refused as a reaction, deleting it leaves the text and the reaction as `:name:`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomEmojiDto } from '../../lib/validation/compose';
import type { MessageDto } from '../../lib/validation/dto';
import { connectSocket, createToken, emitAck, nextEvent, registerUser, request, sleep, type ClientSocket, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { expectServedWebp } from '../helpers/images';
import { freshDatabase, type FreshDatabase } from '../helpers/ops';
import { startServer, type RunningServer } from '../helpers/server';

type Person = TestUser & { token: string };
let db: FreshDatabase;
let server: RunningServer;
let admin: Person;
let ana: Person;
let ben: Person;
let groupId: string;
const sockets: ClientSocket[] = [];
const pages: Server[] = [];
/** Requests each page server received: `host path`. */
const hits: string[] = [];
let png: Buffer;

function pageServer(host: string): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer((req, res) => {
      hits.push(`${host} ${req.url}`);
      if (req.url?.startsWith('/img.png')) {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(png);
      } else if (req.url?.startsWith('/plain')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('<title>not html</title>');
      } else {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><html><head><title>Fallback title</title>
          <meta property="og:title" content="The &amp; Page">
          <meta property="og:description" content="What the page is about">
          <meta property="og:site_name" content="Loopback">
          <meta property="og:image" content="/img.png?from=${encodeURIComponent(req.url ?? '')}">
          </head><body>hello</body></html>`);
      }
    });
    pages.push(s);
    s.listen(0, host, () => resolve((s.address() as AddressInfo).port));
  });
}

const url = () => server.url;
const call = (who: Person, method: string, path: string, body?: unknown) => request(url(), `/api/v1${path}`, { method, token: who.token, body });
async function person(prefix: string): Promise<Person> {
  const u = await registerUser(url(), { prefix });
  return { ...u, token: (await createToken(url(), u)).token };
}
async function socketOf(p: Person) {
  const s = await connectSocket(url(), { token: p.token });
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  png = await sharp({ create: { width: 800, height: 400, channels: 3, background: { r: 200, g: 30, b: 90 } } }).png().toBuffer();
  db = await freshDatabase('media');
  server = await startServer({ env: { OUTBOUND_ALLOW: '127.0.0.1', ...(db.url ? { DATABASE_URL: db.url } : {}) } });
  admin = await person('emadm');
  ana = await person('pva');
  ben = await person('pvb');
  const g = await call(ana, 'POST', '/conversations', { kind: 'group', title: 'Links', memberIds: [ben.id] });
  expect(g.status, g.text).toBe(201);
  groupId = g.body.conversation.id;
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  for (const p of pages) p.close();
  await server?.stop();
  await db?.drop();
});

describe('link previews', () => {
  it('a loopback page allowed by OUTBOUND_ALLOW gets a live preview whose image is served by Chattrix, fetched once', async () => {
    const port = await pageServer('127.0.0.1');
    const bens = await socketOf(ben);
    const link = `http://127.0.0.1:${port}/article-${randomBytes(3).toString('hex')}`;
    const updated = nextEvent<{ message: MessageDto }>(bens, 'message:updated', (p) => !!p.message.preview, 15_000);
    const sent = await call(ana, 'POST', `/conversations/${groupId}/messages`, { body: `look at this: ${link}.` });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body.message.preview ?? null).toBeNull();
    const { message } = await updated;
    expect(message.id).toBe(sent.body.message.id);
    expect(message.preview).toMatchObject({ url: link, title: 'The & Page', description: 'What the page is about', siteName: 'Loopback' });
    const imageUrl = message.preview!.imageUrl!;
    expect(imageUrl).toMatch(/^\/api\/v1\/previews\/[a-z0-9]+\/image$/);
    expect(message.preview!.imageWidth).toBe(600);

    // Served by Chattrix, re-encoded; readers need to be signed in.
    await expectServedWebp(url(), imageUrl, ben.token, [600, 300]);

    // The same link again: the cached preview, no new request to the site.
    const again = nextEvent<{ message: MessageDto }>(bens, 'message:updated', (p) => !!p.message.preview, 15_000);
    const second = await call(ana, 'POST', `/conversations/${groupId}/messages`, { body: link });
    expect((await again).message.id).toBe(second.body.message.id);
    expect(hits.filter((h) => h.startsWith('127.0.0.1 /article')).length).toBe(1);
    expect(hits.filter((h) => h.startsWith('127.0.0.1 /img.png')).length).toBe(1);
    // The history carries it too.
    const history = await call(ben, 'GET', `/conversations/${groupId}/messages?limit=10`);
    expect(history.body.messages.find((m: MessageDto) => m.id === message.id).preview.title).toBe('The & Page');

    // Only its author removes it; everyone hears.
    expectError(await call(ben, 'DELETE', `/messages/${message.id}/preview`), 'forbidden');
    const removed = nextEvent<{ message: MessageDto }>(bens, 'message:updated', (p) => p.message.id === message.id && !p.message.preview);
    expect((await call(ana, 'DELETE', `/messages/${message.id}/preview`)).status).toBe(204);
    await removed;
    const outsider = await person('pvo');
    expectError(await call(outsider, 'DELETE', `/messages/${message.id}/preview`), 'not_found');
  });

  it('never contacts a page behind a refused address, and ignores what is not HTML', async () => {
    const refusedPort = await pageServer('127.0.0.2');
    const allowedPort = await pageServer('127.0.0.1');
    const bens = await socketOf(ben);
    const refused = await call(ana, 'POST', `/conversations/${groupId}/messages`, { body: `http://127.0.0.2:${refusedPort}/secret` });
    const plain = await call(ana, 'POST', `/conversations/${groupId}/messages`, { body: `http://127.0.0.1:${allowedPort}/plain` });
    // A sentinel: a good link sent after both; once its preview arrives, the others had their turn.
    const sentinel = nextEvent<{ message: MessageDto }>(bens, 'message:updated', (p) => !!p.message.preview, 15_000);
    const good = await call(ana, 'POST', `/conversations/${groupId}/messages`, { body: `http://127.0.0.1:${allowedPort}/good` });
    expect((await sentinel).message.id).toBe(good.body.message.id);
    await sleep(500);
    expect(hits.filter((h) => h.startsWith('127.0.0.2'))).toEqual([]);
    expect(hits.filter((h) => h.endsWith('/plain'))).toHaveLength(1);
    for (const id of [refused.body.message.id, plain.body.message.id]) {
      expect((await call(ben, 'GET', `/messages/${id}`)).body.message.preview ?? null).toBeNull();
    }
  });

  it('an edit that changes the first link gets that link\'s preview; one that takes the link out drops it; other edits keep it', async () => {
    const port = await pageServer('127.0.0.1');
    const bens = await socketOf(ben);
    const first = `http://127.0.0.1:${port}/first-${randomBytes(3).toString('hex')}`;
    const second = `http://127.0.0.1:${port}/second-${randomBytes(3).toString('hex')}`;
    const previewed = (id: string, link: string) => nextEvent<{ message: MessageDto }>(bens, 'message:updated', (p) => p.message.id === id && p.message.preview?.url === link, 15_000);
    const sent = await call(ana, 'POST', `/conversations/${groupId}/messages`, { body: `see ${first}` });
    const id = sent.body.message.id as string;
    await previewed(id, first);
    // A typo fixed around the same link: the preview stays, nothing is fetched again.
    const fixed = await call(ana, 'PATCH', `/messages/${id}`, { body: `see: ${first}` });
    expect(fixed.status, fixed.text).toBe(200);
    expect(fixed.body.message.preview?.url).toBe(first);
    // Another link: the old preview goes at once, the new one comes live.
    const toSecond = previewed(id, second);
    const changed = await call(ana, 'PATCH', `/messages/${id}`, { body: `no, see ${second}` });
    expect(changed.body.message.preview ?? null).toBeNull();
    await toSecond;
    expect((await call(ben, 'GET', `/conversations/${groupId}/messages?limit=5`)).body.messages.find((m: MessageDto) => m.id === id).preview.url).toBe(second);
    // No link: no preview.
    const gone = await call(ana, 'PATCH', `/messages/${id}`, { body: 'never mind' });
    expect(gone.body.message.preview ?? null).toBeNull();
    expect((await call(ben, 'GET', `/conversations/${groupId}/messages?limit=5`)).body.messages.find((m: MessageDto) => m.id === id).preview ?? null).toBeNull();
    expect(hits.filter((h) => h.startsWith('127.0.0.1 /first')).length).toBe(1);
  });
});

describe('link previews turned off', () => {
  it('by the site setting: a link sent meanwhile is never fetched; back on, previews work again', async () => {
    const port = await pageServer('127.0.0.1');
    const bens = await socketOf(ben);
    expect((await call(admin, 'PATCH', '/admin/settings', { linkPreviews: false })).status).toBe(200);
    const off = await call(ana, 'POST', `/conversations/${groupId}/messages`, { body: `http://127.0.0.1:${port}/while-off` });
    expect(off.status, off.text).toBe(201);
    // The preview step runs right after the send: give it time to have (not) fetched before turning previews on.
    await sleep(1500);
    expect((await call(admin, 'PATCH', '/admin/settings', { linkPreviews: true })).status).toBe(200);
    const sentinel = nextEvent<{ message: MessageDto }>(bens, 'message:updated', (p) => !!p.message.preview, 15_000);
    const on = await call(ana, 'POST', `/conversations/${groupId}/messages`, { body: `http://127.0.0.1:${port}/while-on` });
    expect((await sentinel).message.id).toBe(on.body.message.id);
    expect(hits.filter((h) => h.includes('/while-off'))).toEqual([]);
    expect((await call(ben, 'GET', `/messages/${off.body.message.id}`)).body.message.preview ?? null).toBeNull();
  });

  it('by LINK_PREVIEWS=off: nothing is fetched, whatever the site setting says', async () => {
    const port = await pageServer('127.0.0.1');
    const offDb = await freshDatabase('nopreview');
    const off = await startServer({ env: { OUTBOUND_ALLOW: '127.0.0.1', LINK_PREVIEWS: 'off', ...(offDb.url ? { DATABASE_URL: offDb.url } : {}) } });
    try {
      const u = await registerUser(off.url, { prefix: 'npv' });
      const token = (await createToken(off.url, u)).token;
      const settings = await request(off.url, '/api/v1/admin/settings', { token });
      expect(settings.body.settings.linkPreviews).toBe(true);
      const sent = await request(off.url, '/api/v1/conversations/general/messages', { method: 'POST', token, body: { body: `http://127.0.0.1:${port}/env-off` } });
      expect(sent.status, sent.text).toBe(201);
      await sleep(2000);
      expect(hits.filter((h) => h.includes('/env-off'))).toEqual([]);
      expect((await request(off.url, `/api/v1/messages/${sent.body.message.id}`, { token })).body.message.preview ?? null).toBeNull();
    } finally {
      await off.stop();
      await offDb.drop();
    }
  }, 120_000);
});

describe('custom emoji', () => {
  it('an admin adds one; it works in a message and a reaction; deleting it leaves :name: behind', async () => {
    const name = `party-${randomBytes(3).toString('hex')}`;
    const form = new FormData();
    form.set('name', name);
    form.set('file', new Blob([await sharp(png).resize(300, 150).png().toBuffer()], { type: 'image/png' }), 'party.png');
    // Not an admin (the default setting): refused.
    const refused = await fetch(`${url()}/api/v1/emoji`, { method: 'POST', headers: { authorization: `Bearer ${ana.token}` }, body: form });
    expect(refused.status).toBe(403);
    const anas = await socketOf(ana);
    const announced = nextEvent<{ emoji?: CustomEmojiDto }>(anas, 'emoji:updated', (p) => p.emoji?.name === name);
    const res = await fetch(`${url()}/api/v1/emoji`, { method: 'POST', headers: { authorization: `Bearer ${admin.token}` }, body: form });
    expect(res.status, await res.clone().text()).toBe(201);
    const emoji = ((await res.json()) as { emoji: CustomEmojiDto }).emoji;
    expect(emoji.name).toBe(name);
    await announced;
    // The same name again: conflict; not an image: refused.
    expect((await fetch(`${url()}/api/v1/emoji`, { method: 'POST', headers: { authorization: `Bearer ${admin.token}` }, body: form })).status).toBe(409);
    const bad = new FormData();
    bad.set('name', `bad-${randomBytes(2).toString('hex')}`);
    bad.set('file', new Blob(['<svg xmlns="http://www.w3.org/2000/svg"/>'], { type: 'image/png' }), 'x.png');
    expect((await fetch(`${url()}/api/v1/emoji`, { method: 'POST', headers: { authorization: `Bearer ${admin.token}` }, body: bad })).status).toBe(415);

    // Listed, and its image is 128 px at most.
    const list = await call(ben, 'GET', '/emoji');
    expect(list.body.emoji.map((e: CustomEmojiDto) => e.name)).toContain(name);
    const img = await fetch(`${url()}${emoji.url}`, { headers: { authorization: `Bearer ${ben.token}` } });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([128, 64]);

    // In a message and a reaction.
    const sent = await call(ana, 'POST', `/conversations/${groupId}/messages`, { body: `we did it :${name}:` });
    expect(sent.status).toBe(201);
    const messageId = sent.body.message.id as string;
    const bens = await socketOf(ben);
    const reacted = nextEvent<{ reactions: { emoji: string }[] }>(anas, 'reaction:updated', (p) => p.reactions.some((r) => r.emoji === `:${name}:`));
    const ack = await emitAck(bens, 'reaction:add', { messageId, emoji: `:${name}:` });
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    await reacted;
    expect((await call(ana, 'PUT', `/messages/${messageId}/reactions/${encodeURIComponent(':no-such-emoji:')}`)).status).toBe(400);
    expect((await emitAck(bens, 'reaction:add', { messageId, emoji: ':Not Valid:' })).ok).toBe(false);

    // Deleted: the text and the reaction stay as `:name:`; the image is gone.
    expectError(await call(ben, 'DELETE', `/emoji/${name}`), 'forbidden');
    const deleted = nextEvent<{ deleted?: string }>(anas, 'emoji:updated', (p) => p.deleted === name);
    expect((await call(admin, 'DELETE', `/emoji/${name}`)).status).toBe(204);
    await deleted;
    const after = (await call(ana, 'GET', `/messages/${messageId}`)).body.message as MessageDto;
    expect(after.body).toBe(`we did it :${name}:`);
    expect(after.reactions.map((r) => r.emoji)).toEqual([`:${name}:`]);
    expect((await fetch(`${url()}${emoji.url}`, { headers: { authorization: `Bearer ${ben.token}` } })).status).toBe(404);
    expect((await call(ana, 'GET', '/emoji')).body.emoji.map((e: CustomEmojiDto) => e.name)).not.toContain(name);
  });
});
