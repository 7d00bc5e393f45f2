/**
 * Integrations (issue 14) against a real server of its own (its first account is the site admin, so admin-only
 * parts are reachable; OUTBOUND_ALLOW lets the loopback receivers of this file through): bots and their tokens,
 * incoming webhooks, slash commands.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../lib/integrations/signature';
import { connectSocket, createToken, credentialsCallback, emitAck, nextEvent, registerUser, request, uniqueUsername, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { expectServedWebp } from '../helpers/images';
import { freshDatabase, type FreshDatabase } from '../helpers/ops';
import { startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let db: FreshDatabase;
type Person = TestUser & { token: string };
let admin: Person;
let ana: Person;
let ben: Person;
const url = () => server.url;
const api = (path: string, opts: Parameters<typeof request>[2] = {}) => request(url(), `/api/v1${path}`, opts);

async function person(prefix: string): Promise<Person> {
  const u = await registerUser(url(), { prefix });
  return { ...u, token: (await createToken(url(), u)).token };
}

async function makeBot(owner: Person, extra: Record<string, unknown> = {}) {
  const username = uniqueUsername('bot');
  const res = await api('/bots', { method: 'POST', token: owner.token, body: { username, displayName: `Bot ${username}`, ...extra } });
  expect(res.status, res.text).toBe(201);
  return res.body as { bot: { id: string; username: string; displayName: string; bot: true; description: string; owner: { id: string } }; token: { token: string; id: string; scopes: string[] } };
}

beforeAll(async () => {
  db = await freshDatabase('integrations');
  server = await startServer({ env: { DATABASE_URL: db.url, OUTBOUND_ALLOW: '127.0.0.1' } });
  admin = await person('adm');
  ana = await person('ana');
  ben = await person('ben');
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

describe('bots', () => {
  it('anyone creates a bot (201 {bot, token}); the owner lists, renames and disables it; others learn nothing', async () => {
    const { bot, token } = await makeBot(ana, { description: 'Posts CI results' });
    expect(bot).toMatchObject({ bot: true, description: 'Posts CI results', owner: { id: ana.id }, disabled: false });
    expect(token.token).toMatch(/^ctx_/);
    expect(token.scopes).toEqual(['read', 'write']);
    expect((await api('/bots', { token: ana.token })).body.bots.map((b: { id: string }) => b.id)).toContain(bot.id);
    // Ben does not see it, cannot change it (404, not 403: he learns nothing), and his own list is his own.
    expect((await api('/bots', { token: ben.token })).body.bots.map((b: { id: string }) => b.id)).not.toContain(bot.id);
    expectError(await api(`/bots/${bot.id}`, { method: 'PATCH', token: ben.token, body: { displayName: 'Mine now' } }), 'not_found');
    expectError(await api(`/bots/${bot.id}/tokens`, { method: 'POST', token: ben.token, body: { name: 'x', scopes: ['read'] } }), 'not_found');
    expectError(await api(`/bots/${bot.id}`, { method: 'DELETE', token: ben.token }), 'not_found');
    // Ben's "all" is his own (all=true is for site admins); the admin sees every bot, with its owner.
    expect((await api('/bots?all=true', { token: ben.token })).body.bots.map((b: { id: string }) => b.id)).not.toContain(bot.id);
    const all = (await api('/bots?all=true', { token: admin.token })).body.bots as { id: string; owner: { id: string } }[];
    expect(all.find((b) => b.id === bot.id)?.owner.id).toBe(ana.id);
    // The admin console's people list filters bots and marks them.
    const people = await api(`/admin/users?filter=bots&q=${bot.username}`, { token: admin.token });
    expect(people.body.users).toEqual([expect.objectContaining({ id: bot.id, bot: true })]);
    const renamed = await api(`/bots/${bot.id}`, { method: 'PATCH', token: ana.token, body: { displayName: 'CI Bot' } });
    expect(renamed.body.bot.displayName).toBe('CI Bot');
    // Bad input: the contract's error shape.
    expectError(await api('/bots', { method: 'POST', token: ana.token, body: { username: 'no spaces allowed', displayName: 'x' } }), 'bad_request', { issues: true });
    expectError(await api('/bots', { method: 'POST', token: ana.token, body: { username: bot.username, displayName: 'x' } }), 'conflict');
    expectError(await api('/bots', { method: 'POST', token: ana.token, body: { username: ana.username, displayName: 'x' } }), 'conflict');
  });

  it('a bot signs in only with tokens: password sign-in and password token creation are refused', async () => {
    const { bot, token } = await makeBot(ana);
    for (const password of ['!bot', '', 'correct horse battery staple']) {
      const res = await api('/auth/tokens', { method: 'POST', body: { username: bot.username, password: password || 'x', name: 'steal' } });
      expectError(res, 'unauthorized');
    }
    const { cookies } = await credentialsCallback(url(), bot.username, '!bot');
    expect(cookies['next-auth.session-token']).toBeUndefined();
    const me = await api('/me', { token: token.token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: bot.id, bot: true });
    // A bot cannot make bots.
    expectError(await api('/bots', { method: 'POST', token: token.token, body: { username: uniqueUsername('bb'), displayName: 'x' } }), 'forbidden');
  });

  it('scopes are enforced on bot tokens; disabling stops its tokens and sockets; deleting revokes everything', async () => {
    const { bot, token } = await makeBot(ana);
    const dm = await api('/conversations', { method: 'POST', token: ana.token, body: { kind: 'direct', userId: bot.id } });
    expect(dm.status, dm.text).toBe(201);
    const conversationId = dm.body.conversation.id as string;
    expect(dm.body.conversation.members.find((m: { id: string }) => m.id === bot.id)).toMatchObject({ bot: true });

    const readOnly = await api(`/bots/${bot.id}/tokens`, { method: 'POST', token: ana.token, body: { name: 'reader', scopes: ['read'] } });
    expect(readOnly.status, readOnly.text).toBe(201);
    expect(readOnly.body.scopes).toEqual(['read']);
    expect((await api(`/conversations/${conversationId}/messages`, { token: readOnly.body.token })).status).toBe(200);
    expectError(await api(`/conversations/${conversationId}/messages`, { method: 'POST', token: readOnly.body.token, body: { body: 'nope' } }), 'forbidden');
    expectError(await api(`/bots/${bot.id}/tokens`, { method: 'POST', token: ana.token, body: { name: 'x', scopes: ['admin'] } }), 'bad_request', { issues: true });
    const tokens = await api(`/bots/${bot.id}/tokens`, { token: ana.token });
    expect(tokens.body.tokens.map((t: { name: string }) => t.name).sort()).toEqual(['default', 'reader']);

    // The write token sends; Ana's socket gets the message with the BOT flag on its sender.
    const socket = await connectSocket(url(), { token: ana.token });
    const botSocket = await connectSocket(url(), { token: token.token });
    try {
      const seen = nextEvent<{ message: { body: string; sender: { id: string; bot?: boolean } } }>(socket, 'message:created', (p) => p.message.body === 'beep');
      const ack = await emitAck(botSocket, 'message:send', { conversationId, body: 'beep', clientId: 'bot-beep-1' });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      expect((await seen).message.sender).toMatchObject({ id: bot.id, bot: true });
      const history = await api(`/conversations/${conversationId}/messages`, { token: ana.token });
      expect(history.body.messages.at(-1).sender).toMatchObject({ id: bot.id, bot: true });

      const closed = new Promise<void>((resolve) => botSocket.once('disconnect', () => resolve()));
      const off = await api(`/bots/${bot.id}`, { method: 'PATCH', token: ana.token, body: { disabled: true } });
      expect(off.body.bot.disabled).toBe(true);
      await closed;
      expectError(await api('/me', { token: token.token }), 'unauthorized');
      await api(`/bots/${bot.id}`, { method: 'PATCH', token: ana.token, body: { disabled: false } });
      expect((await api('/me', { token: token.token })).status).toBe(200);
    } finally {
      socket.close();
      botSocket.close();
    }
    expect((await api(`/bots/${bot.id}`, { method: 'DELETE', token: ana.token })).status).toBe(204);
    expectError(await api('/me', { token: token.token }), 'unauthorized');
    expectError(await api(`/bots/${bot.id}`, { token: ana.token }), 'not_found');
  });
});

async function channelOf(owner: Person, members: Person[] = []) {
  const res = await api('/conversations', { method: 'POST', token: owner.token, body: { kind: 'channel', title: `int-${uniqueUsername('c')}`, private: true } });
  expect(res.status, res.text).toBe(201);
  const id = res.body.conversation.id as string;
  for (const m of members) expect((await api(`/conversations/${id}/members`, { method: 'POST', token: owner.token, body: { userId: m.id } })).status).toBe(200);
  return id;
}

/** POST to a hook URL (absolute, as the server handed it out) from outside: no token, no cookie. */
function hookPost(hookUrl: string, body: unknown, headers: Record<string, string> = {}) {
  const u = new URL(hookUrl);
  return request(url(), u.pathname, { method: 'POST', body, headers });
}

describe('incoming webhooks', () => {
  let channelId: string;
  let botId: string;
  let hookUrl: string;
  let hookId: string;
  beforeAll(async () => {
    channelId = await channelOf(ana, [ben]);
    botId = (await makeBot(ana)).bot.id;
    const res = await api(`/conversations/${channelId}/webhooks`, { method: 'POST', token: ana.token, body: { name: 'CI', botId } });
    expect(res.status, res.text).toBe(201);
    hookUrl = res.body.webhook.url;
    hookId = res.body.webhook.id;
    expect(hookUrl).toMatch(new RegExp(`/hooks/${hookId}/[A-Za-z0-9_-]{20,}$`));
  });

  it('owners and admins manage hooks; other members 403, strangers 404; the bot joined the conversation', async () => {
    const conv = await api(`/conversations/${channelId}`, { token: ana.token });
    expect(conv.body.conversation.members.find((m: { id: string }) => m.id === botId)).toMatchObject({ bot: true });
    const list = await api(`/conversations/${channelId}/webhooks`, { token: ana.token });
    expect(list.body.webhooks).toEqual([expect.objectContaining({ id: hookId, name: 'CI', bot: expect.objectContaining({ id: botId, bot: true }) })]);
    expect(JSON.stringify(list.body)).not.toContain(hookUrl.split('/').pop());
    expectError(await api(`/conversations/${channelId}/webhooks`, { token: ben.token }), 'forbidden');
    expectError(await api(`/conversations/${channelId}/webhooks`, { method: 'POST', token: ben.token, body: { name: 'x', botId } }), 'forbidden');
    expectError(await api(`/conversations/${channelId}/webhooks`, { token: admin.token }), 'not_found');
    // Only your own bots.
    const bensBot = (await makeBot(ben)).bot.id;
    expectError(await api(`/conversations/${channelId}/webhooks`, { method: 'POST', token: ana.token, body: { name: 'x', botId: bensBot } }), 'bad_request', { issues: true });
  });

  it('a plain post appears live, from the bot, with the name it gave', async () => {
    const socket = await connectSocket(url(), { token: ben.token });
    try {
      const seen = nextEvent<{ message: any }>(socket, 'message:created', (p) => p.message.body === 'Deployed v1.2');
      const res = await hookPost(hookUrl, { text: 'Deployed v1.2' });
      expect(res.status, res.text).toBe(201);
      const { message } = await seen;
      expect(message).toMatchObject({ conversationId: channelId, body: 'Deployed v1.2', sender: { id: botId, bot: true }, integration: { username: 'CI' } });
      expect(res.body.message.id).toBe(message.id);
    } finally {
      socket.close();
    }
  });

  it("Slack's format: links, @here, *bold*, a username and attachments stored as cards; a form payload too", async () => {
    const res = await hookPost(hookUrl, {
      text: 'Build <https://ci.example/42|#42> *failed* <!here> &amp; more',
      username: 'Jenkins',
      icon_url: 'https://ci.example/icon.png',
      channel: '#ignored',
      attachments: [
        { fallback: 'tests failed', color: 'danger', title: 'tests', title_link: 'https://ci.example/42/tests', text: '3 *failed*', fields: [{ title: 'branch', value: 'main', short: true }] },
      ],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.message).toMatchObject({
      body: 'Build [#42](https://ci.example/42) **failed** @here & more',
      integration: {
        username: 'Jenkins',
        iconUrl: 'https://ci.example/icon.png',
        cards: [{ fallback: 'tests failed', color: 'danger', title: 'tests', titleLink: 'https://ci.example/42/tests', text: '3 **failed**', fields: [{ title: 'branch', value: 'main', short: true }] }],
      },
    });
    const history = await api(`/conversations/${channelId}/messages`, { token: ben.token });
    expect(history.body.messages.at(-1).integration.cards[0].title).toBe('tests');
    // Attachments only: the fallback is the text.
    const only = await hookPost(hookUrl, { attachments: [{ fallback: 'disk 91% full', title: 'Disk', color: '#ecb22e' }] });
    expect(only.status, only.text).toBe(201);
    expect(only.body.message.body).toBe('disk 91% full');
    // Slack clients also send a form with a JSON payload field.
    const form = await request(url(), new URL(hookUrl).pathname, {
      method: 'POST',
      body: new URLSearchParams({ payload: JSON.stringify({ text: 'from a form' }) }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status, form.text).toBe(201);
    expect(form.body.message.body).toBe('from a form');
  });

  it('a bad payload is 400 in the error shape; a wrong secret or hook is 404', async () => {
    expectError(await hookPost(hookUrl, {}), 'bad_request', { issues: true });
    expectError(await hookPost(hookUrl, { text: 5 }), 'bad_request', { issues: true });
    expectError(await hookPost(hookUrl, { text: '   ' }), 'bad_request', { issues: true });
    expectError(await hookPost(hookUrl, { text: 'x', attachments: 'nope' }), 'bad_request', { issues: true });
    expectError(await hookPost(hookUrl, 'not json at all', { 'content-type': 'application/json' }), 'bad_request');
    expectError(await hookPost(hookUrl, { text: 'x'.repeat(5000) }), 'bad_request', { issues: true });
    expectError(await hookPost(hookUrl.replace(/[^/]+$/, 'wrong-secret-wrong-secret'), { text: 'hi' }), 'not_found');
    expectError(await hookPost(hookUrl.replace(hookId, 'nohookhere'), { text: 'hi' }), 'not_found');
    expectError(await request(url(), `/hooks/${hookId}`, { method: 'POST', body: { text: 'hi' } }), 'not_found');
  });

  it('Idempotency-Key: a retried post lands once (201, then 200 with the same message)', async () => {
    const key = `deploy-${Date.now()}`;
    const first = await hookPost(hookUrl, { text: 'once only' }, { 'idempotency-key': key });
    const again = await hookPost(hookUrl, { text: 'once only' }, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.message.id).toBe(first.body.message.id);
    const other = await hookPost(hookUrl, { text: 'once only' }, { 'idempotency-key': `${key}-2` });
    expect(other.status).toBe(201);
    const history = await api(`/conversations/${channelId}/messages?limit=100`, { token: ana.token });
    expect(history.body.messages.filter((m: { body: string }) => m.body === 'once only')).toHaveLength(2);
  });

  it('rename: the same URL posts under the new name and icon; the icon can be cleared; others 403, bad input 400', async () => {
    const path = `/conversations/${channelId}/webhooks/${hookId}`;
    const renamed = await api(path, { method: 'PATCH', token: ana.token, body: { name: 'Deploys', iconUrl: 'https://example.com/deploy.png' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.webhook).toMatchObject({ id: hookId, name: 'Deploys', iconUrl: 'https://example.com/deploy.png' });
    expect(renamed.body.webhook.url).toBeUndefined();
    const posted = await hookPost(hookUrl, { text: 'after the rename' });
    expect(posted.status, posted.text).toBe(201);
    expect(posted.body.message.integration).toMatchObject({ username: 'Deploys', iconUrl: 'https://example.com/deploy.png' });
    const cleared = await api(path, { method: 'PATCH', token: ana.token, body: { iconUrl: null } });
    expect([cleared.body.webhook.name, cleared.body.webhook.iconUrl]).toEqual(['Deploys', null]);
    expectError(await api(path, { method: 'PATCH', token: ben.token, body: { name: 'mine now' } }), 'forbidden');
    expectError(await api(path, { method: 'PATCH', token: admin.token, body: { name: 'mine now' } }), 'not_found');
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(81) }, { iconUrl: 'javascript:alert(1)' }, { botId }]) {
      expectError(await api(path, { method: 'PATCH', token: ana.token, body }), 'bad_request');
    }
    expectError(await api(`/conversations/${channelId}/webhooks/nosuchhook1234`, { method: 'PATCH', token: ana.token, body: { name: 'x' } }), 'not_found');
    expect((await api(`/conversations/${channelId}/webhooks`, { token: ana.token })).body.webhooks.map((h: { name: string }) => h.name)).toEqual(['Deploys']);
  });

  it("icons: the server fetches a hook's icon once through the outbound guard and serves its own 96 px copy; a bad or blocked icon falls back", async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#1864ab' } }).png().toBuffer();
    const hits: string[] = [];
    const icons = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/icon.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<p>not an image</p>');
    });
    await new Promise<void>((resolve) => icons.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(icons.address() as AddressInfo).port}`;
    try {
      const path = `/conversations/${channelId}/webhooks/${hookId}`;
      expect((await api(path, { method: 'PATCH', token: ana.token, body: { iconUrl: `${base}/icon.png` } })).status).toBe(200);
      const first = await hookPost(hookUrl, { text: 'with an icon' });
      const second = await hookPost(hookUrl, { text: 'same icon again' });
      const icon = first.body.message.integration.icon as string;
      expect(icon).toMatch(/^\/api\/v1\/integration-icons\/[0-9a-f]{32}$/);
      expect(second.body.message.integration).toMatchObject({ iconUrl: `${base}/icon.png`, icon });
      // Served by Chattrix, as a 96 px WebP square, to anyone signed in; never to the signed-out.
      await expectServedWebp(url(), icon, ben.token, [96, 96]);
      // Fetched once, for the hook and both posts.
      expect(hits.filter((h) => h === '/icon.png')).toHaveLength(1);
      // A post's own icon that is no image: the message names it, there is nothing to serve (the client shows the bot).
      const odd = await hookPost(hookUrl, { text: 'odd icon', iconUrl: `${base}/page.html` });
      expect(odd.status, odd.text).toBe(201);
      expectError(await api(odd.body.message.integration.icon.replace('/api/v1', ''), { token: ben.token }), 'not_found');
      // An address the outbound guard refuses is never asked.
      const blocked = await hookPost(hookUrl, { text: 'blocked icon', iconUrl: 'http://169.254.169.254/latest/icon.png' });
      expect(blocked.status, blocked.text).toBe(201);
      expectError(await api(blocked.body.message.integration.icon.replace('/api/v1', ''), { token: ben.token }), 'not_found');
      expectError(await api('/integration-icons/not-a-hash', { token: ben.token }), 'not_found');
      expect((await api(path, { method: 'PATCH', token: ana.token, body: { iconUrl: null } })).status).toBe(200);
    } finally {
      await new Promise((resolve) => icons.close(resolve));
    }
  });

  it('regenerate: the old URL stops working at once; delete removes the hook', async () => {
    const res = await api(`/conversations/${channelId}/webhooks/${hookId}/regenerate`, { method: 'POST', token: ana.token });
    expect(res.status, res.text).toBe(200);
    const fresh = res.body.webhook.url as string;
    expect(fresh).not.toBe(hookUrl);
    expectError(await hookPost(hookUrl, { text: 'old url' }), 'not_found');
    expect((await hookPost(fresh, { text: 'new url' })).status).toBe(201);
    expectError(await api(`/conversations/${channelId}/webhooks/${hookId}/regenerate`, { method: 'POST', token: ben.token }), 'forbidden');
    expect((await api(`/conversations/${channelId}/webhooks/${hookId}`, { method: 'DELETE', token: ana.token })).status).toBe(204);
    expectError(await hookPost(fresh, { text: 'deleted' }), 'not_found');
    hookUrl = fresh;
  });

  it('rate limited per hook (60 a minute, also with RATE_LIMITS=off): 429 with Retry-After, other hooks unaffected', async () => {
    const make = async (name: string) => (await api(`/conversations/${channelId}/webhooks`, { method: 'POST', token: ana.token, body: { name, botId } })).body.webhook.url as string;
    const busy = await make('busy');
    const calm = await make('calm');
    const answers = await Promise.all(Array.from({ length: 65 }, (_, i) => hookPost(busy, { text: `flood ${i}` })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(60);
    const limited = answers.filter((r) => r.status === 429);
    expect(limited).toHaveLength(5);
    expectError(limited[0]!, 'rate_limited');
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await hookPost(calm, { text: 'still fine' })).status).toBe(201);
  });
});

interface Received {
  body: any;
  signatureOk: boolean;
}

describe('slash commands', () => {
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let secret = '';
  let commandName: string;
  let groupId: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const body = JSON.parse(raw);
        received.push({ body, signatureOk: verifySignature(secret, raw, req.headers['chattrix-signature'] as string) });
        const arg = String(body.text);
        res.setHeader('content-type', 'application/json');
        if (arg === 'fail') return void res.writeHead(500).end('{"error":"boom"}');
        if (arg === 'later') return void res.writeHead(200).end();
        if (arg === 'chan') return void res.end(JSON.stringify({ text: 'everyone sees *this*', responseType: 'in_channel' }));
        res.end(JSON.stringify({ text: `just for you: ${arg}`, response_type: 'ephemeral' }));
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cmd`;
    commandName = `deploy-${Math.random().toString(36).slice(2, 8)}`;
    const res = await api('/admin/commands', { method: 'POST', token: admin.token, body: { name: `/${commandName}`, url: receiverUrl, description: 'Deploy a branch', usageHint: '[branch]' } });
    expect(res.status, res.text).toBe(201);
    expect(res.body.command).toMatchObject({ name: commandName, url: receiverUrl, usageHint: '[branch]', bot: expect.objectContaining({ bot: true }) });
    secret = res.body.command.signingSecret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const g = await api('/conversations', { method: 'POST', token: ana.token, body: { kind: 'group', title: 'Commands', memberIds: [ben.id] } });
    groupId = g.body.conversation.id;
  });
  afterAll(() => new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r())));

  const run = (who: Person, text: string, conversationId = groupId, extra: Record<string, unknown> = {}) =>
    api(`/conversations/${conversationId}/commands`, { method: 'POST', token: who.token, body: { text, ...extra } });

  it('admins register commands (others 403); private addresses without the allowance, built-in names and duplicates are refused', async () => {
    expectError(await api('/admin/commands', { method: 'POST', token: ana.token, body: { name: 'x1', url: receiverUrl } }), 'forbidden');
    expectError(await api('/admin/commands', { token: ana.token }), 'forbidden');
    const priv = await api('/admin/commands', { method: 'POST', token: admin.token, body: { name: 'internal-x', url: 'https://10.1.2.3/cmd' } });
    expectError(priv, 'bad_request', { issues: true });
    expect(priv.body.error.issues[0].path).toEqual(['url']);
    expectError(await api('/admin/commands', { method: 'POST', token: admin.token, body: { name: 'meta', url: 'https://169.254.169.254/latest' } }), 'bad_request', { issues: true });
    expectError(await api('/admin/commands', { method: 'POST', token: admin.token, body: { name: 'me', url: receiverUrl } }), 'conflict');
    expectError(await api('/admin/commands', { method: 'POST', token: admin.token, body: { name: commandName, url: receiverUrl } }), 'conflict');
    expectError(await api('/admin/commands', { method: 'POST', token: admin.token, body: { name: 'bad name!', url: receiverUrl } }), 'bad_request', { issues: true });
    const listed = (await api('/commands', { token: ben.token })).body.commands as { name: string; builtIn: boolean; usageHint: string }[];
    expect(listed.map((c) => c.name)).toEqual(expect.arrayContaining(['me', 'shrug', 'topic', 'invite', 'leave', 'mute', 'search', 'status', 'dnd', commandName]));
    expect(listed.find((c) => c.name === commandName)).toMatchObject({ builtIn: false, usageHint: '[branch]' });
  });

  it('a custom command: signed POST with the documented payload; an ephemeral answer reaches only the invoker', async () => {
    const anaSocket = await connectSocket(url(), { token: ana.token });
    const benSocket = await connectSocket(url(), { token: ben.token });
    try {
      const benEphemeral: unknown[] = [];
      benSocket.on('command:ephemeral', (p) => benEphemeral.push(p));
      const seen = nextEvent<{ text: string; conversationId: string }>(anaSocket, 'command:ephemeral', (p) => p.text.includes('main'));
      const res = await run(ana, `/${commandName} main`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.ephemeral).toMatchObject({ conversationId: groupId, threadId: null, command: `/${commandName}`, text: 'just for you: main' });
      expect(await seen).toMatchObject({ text: 'just for you: main', conversationId: groupId });
      const call = received.at(-1)!;
      expect(call.signatureOk).toBe(true);
      expect(call.body).toMatchObject({
        command: `/${commandName}`,
        text: 'main',
        user: { id: ana.id, username: ana.username },
        conversation: { id: groupId, kind: 'group', title: 'Commands' },
        responseUrl: expect.stringMatching(/\/hooks\/commands\/[A-Za-z0-9_-]+$/),
        triggerId: expect.any(String),
      });
      expect(call.body.thread).toBeUndefined();
      // Nothing was stored, and Ben got nothing: a sentinel message after it arrives on his socket first.
      const sentinel = nextEvent<{ message: { body: string } }>(benSocket, 'message:created', (p) => p.message.body === 'sentinel after ephemeral');
      await api(`/conversations/${groupId}/messages`, { method: 'POST', token: ana.token, body: { body: 'sentinel after ephemeral' } });
      await sentinel;
      expect(benEphemeral).toEqual([]);
      const history = await api(`/conversations/${groupId}/messages`, { token: ben.token });
      expect(JSON.stringify(history.body)).not.toContain('just for you');
    } finally {
      anaSocket.close();
      benSocket.close();
    }
  });

  it('an in_channel answer posts as the command bot (BOT) for everyone', async () => {
    const res = await run(ana, `/${commandName} chan`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.message).toMatchObject({ body: 'everyone sees **this**', sender: { bot: true } });
    const history = await api(`/conversations/${groupId}/messages`, { token: ben.token });
    expect(history.body.messages.at(-1)).toMatchObject({ id: res.body.message.id, sender: { bot: true } });
  });

  it('responseUrl: up to 5 delayed answers (ephemeral or in channel), then 404', async () => {
    const res = await run(ana, `/${commandName} later`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({});
    const responseUrl = new URL(received.at(-1)!.body.responseUrl);
    const later = (body: unknown) => request(url(), responseUrl.pathname, { method: 'POST', body });
    const socket = await connectSocket(url(), { token: ana.token });
    try {
      const eph = nextEvent<{ text: string }>(socket, 'command:ephemeral', (p) => p.text === 'still working');
      expect((await later({ text: 'still working' })).status).toBe(200);
      await eph;
    } finally {
      socket.close();
    }
    const posted = await later({ text: 'done: deployed', responseType: 'in_channel' });
    expect(posted.status, posted.text).toBe(200);
    expect(posted.body.message).toMatchObject({ body: 'done: deployed', sender: { bot: true }, conversationId: groupId });
    for (let i = 0; i < 3; i++) expect((await later({ text: `update ${i}` })).status).toBe(200);
    expectError(await later({ text: 'a sixth' }), 'not_found');
    expectError(await request(url(), '/hooks/commands/not-a-real-token', { method: 'POST', body: { text: 'x' } }), 'not_found');
  });

  it('failures and unknown commands tell the invoker only, in plain words', async () => {
    const fail = await run(ana, `/${commandName} fail`);
    expect(fail.body.ephemeral.text).toMatch(/HTTP 500/);
    const unknown = await run(ana, '/no-such-command-here please');
    expect(unknown.body.ephemeral.text).toMatch(/There is no \/no-such-command-here command/);
    expect((await run(ana, '/topic hello')).body.ephemeral.text).toMatch(/Only channels have a topic/);
    expect((await run(ana, '/invite @nobody_by_this_name')).body.ephemeral.text).toMatch(/Nobody here is called/);
    expectError(await run(ana, 'no slash'), 'bad_request', { issues: true });
    // A stranger cannot run commands in a conversation they are not in.
    expectError(await run(admin, '/me waves'), 'not_found');
  });

  it('built-ins: /me, /shrug, /topic, /invite, /mute, /search, /status, /dnd, /leave', async () => {
    const me = await run(ana, '/me waves hello');
    expect(me.body.message).toMatchObject({ body: '_waves hello_', sender: { id: ana.id } });
    const shrug = await run(ana, '/shrug fine');
    expect(shrug.body.message.body).toBe('fine ¯\\\\\\_(ツ)\\_/¯');
    const channelId = await channelOf(ana);
    const topic = await run(ana, '/topic Release on Friday', channelId);
    expect(topic.body.ephemeral.text).toMatch(/Topic set/);
    expect((await api(`/conversations/${channelId}`, { token: ana.token })).body.conversation.topic).toBe('Release on Friday');
    const cat = await person('cat');
    const invite = await run(ana, `/invite @${cat.username}`);
    expect(invite.body.ephemeral.text).toMatch(/Added/);
    expect((await api(`/conversations/${groupId}`, { token: cat.token })).status).toBe(200);
    await run(ana, '/mute');
    expect((await api(`/conversations/${groupId}`, { token: ana.token })).body.conversation.muted).toBe(true);
    await run(ana, '/mute');
    expect((await api(`/conversations/${groupId}`, { token: ana.token })).body.conversation.muted).toBe(false);
    const found = await run(ana, '/search waves');
    expect(found.body.ephemeral.text).toMatch(/waves/);
    // /status and /dnd go through the same services as PUT /me/status and /me/dnd.
    expect((await run(ana, '/status 🌴 On holiday')).body.ephemeral.text).toBe('Status set: 🌴 On holiday');
    expect((await api('/me/status', { token: ana.token })).body.status).toMatchObject({ emoji: '🌴', text: 'On holiday', clearAt: null });
    await run(ana, '/status clear');
    expect((await api('/me/status', { token: ana.token })).body.status).toBeNull();
    expect((await run(ana, '/dnd 30m')).body.ephemeral.text).toMatch(/^Do not disturb until/);
    const dnd = (await api('/me/dnd', { token: ana.token })).body.dnd;
    expect(dnd.active).toBe(true);
    expect(Math.abs(new Date(dnd.until).getTime() - Date.now() - 30 * 60_000)).toBeLessThan(60_000);
    expect((await run(ana, '/dnd soon')).body.ephemeral.text).toMatch(/^Usage/);
    await run(ana, '/dnd off');
    expect((await api('/me/dnd', { token: ana.token })).body.dnd.active).toBe(false);
    const left = await run(cat, '/leave');
    expect(left.body.ephemeral.text).toMatch(/left/);
    expectError(await api(`/conversations/${groupId}`, { token: cat.token }), 'not_found');
  });
});
