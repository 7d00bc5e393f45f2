/**
 * Web push end to end, except the browser vendor's server: the shared real server sends real web-push requests
 * (VAPID-signed, aes128gcm-encrypted) to a push service of our own on loopback (tests/helpers/push-service.ts),
 * which verifies the JWT against the server's published VAPID key and decrypts each payload with the fake
 * subscription's private key. Who gets a push: members with no visible tab (no socket, or a hidden one), never the
 * sender, never a muted conversation, in channels only when mentioned; 410 removes the subscription, 500 is retried.
 *
 * "Did NOT get a push" is proved without sleeping: after the message that must not push, a later message that
 * must push to the same subscription is awaited; the earlier one, had it been sent, would have arrived first.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectSocket, createToken, emitAck, registerUser, request, type ClientSocket, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { FakePushService, type FakeSubscription, type PushHit } from '../helpers/push-service';

const baseUrl = inject('baseUrl');

interface Member extends TestUser {
  token: string;
}

let service: FakePushService;
let vapidKey: string;

const open: ClientSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

beforeAll(async () => {
  const res = await request<{ publicKey: string }>(baseUrl, '/api/v1/push/vapid-public-key');
  expect(res.status, res.text).toBe(200);
  vapidKey = res.body.publicKey;
  service = new FakePushService(vapidKey);
  await service.start();
});
afterAll(async () => {
  await service?.stop();
});

async function member(prefix: string): Promise<Member> {
  const u = await registerUser(baseUrl, { prefix });
  return { ...u, token: (await createToken(baseUrl, u)).token };
}

async function subscribe(who: Member, sub: FakeSubscription): Promise<void> {
  const res = await request(baseUrl, '/api/v1/push/subscriptions', { method: 'POST', token: who.token, body: sub.json });
  expect(res.status, res.text).toBe(201);
}

async function group(owner: Member, others: Member[]): Promise<string> {
  const res = await request<{ conversation: { id: string } }>(baseUrl, '/api/v1/conversations', {
    method: 'POST',
    token: owner.token,
    body: { kind: 'group', title: `Push ${randomBytes(3).toString('hex')}`, memberIds: others.map((o) => o.id) },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.conversation.id;
}

/** Sends a message through REST; returns its body text (unique, to find its push). */
async function say(from: Member, conversationId: string, text: string): Promise<string> {
  const body = `${text} ${randomBytes(4).toString('hex')}`;
  const res = await request(baseUrl, `/api/v1/conversations/${conversationId}/messages`, { method: 'POST', token: from.token, body: { body } });
  expect(res.status, res.text).toBe(201);
  return body;
}

/** A tab of this user: a real socket that reported its visibility, as the client does on connect. */
async function tab(who: Member, visible: boolean): Promise<ClientSocket> {
  const s = await connectSocket(baseUrl, { token: who.token });
  open.push(s);
  expect(await emitAck(s, 'client:visibility', { visible })).toMatchObject({ ok: true });
  return s;
}

const bodies = (sub: FakeSubscription) => sub.hits.map((h) => h.payload?.body);

function expectValidPush(hit: PushHit, conversationId: string): void {
  expect(hit.problems, `push to ${hit.subscription.endpoint}`).toEqual([]);
  expect(hit.topic).toBe(conversationId);
  expect(hit.headers.urgency).toBe('high');
  expect(hit.jwt?.claims.aud).toBe(service.origin);
  expect(hit.payload).toMatchObject({ conversationId, url: `/c/${conversationId}`, tag: `conversation-${conversationId}` });
}

describe('push subscriptions (REST)', () => {
  it('the VAPID public key is a P-256 point, generated once and stable', async () => {
    const key = Buffer.from(vapidKey, 'base64url');
    expect(key.length).toBe(65);
    expect(key[0]).toBe(0x04);
    const again = await request<{ publicKey: string }>(baseUrl, '/api/v1/push/vapid-public-key');
    expect(again.body.publicKey).toBe(vapidKey);
  });

  it('refuses endpoints that are not https (plain http only to OUTBOUND_ALLOW hosts), bad keys, and no sign-in', async () => {
    const who = await member('psub');
    const sub = service.subscription();
    for (const endpoint of ['http://push.example.com/x', 'ftp://127.0.0.1/x', 'not a url']) {
      const res = await request(baseUrl, '/api/v1/push/subscriptions', { method: 'POST', token: who.token, body: { ...sub.json, endpoint } });
      expectError(res, 'bad_request');
    }
    expectError(await request(baseUrl, '/api/v1/push/subscriptions', { method: 'POST', token: who.token, body: { endpoint: sub.endpoint } }), 'bad_request', {
      issues: true,
    });
    expectError(await request(baseUrl, '/api/v1/push/subscriptions', { method: 'POST', body: sub.json }), 'unauthorized');
    // The loopback test service itself is accepted, and again (one row per endpoint).
    await subscribe(who, sub);
    await subscribe(who, sub);
    expect((await request(baseUrl, '/api/v1/push/subscriptions', { method: 'DELETE', token: who.token, body: { endpoint: sub.endpoint } })).status).toBe(204);
  });

  it('refuses endpoints the outbound guard refuses: loopback (beyond OUTBOUND_ALLOW), private, link-local, metadata, IPv6 forms', async () => {
    const who = await member('pssrf');
    const sub = service.subscription();
    const refused = [
      'https://127.0.0.2:4443/',
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.1/push',
      'https://192.168.0.1/push',
      'https://100.64.0.1/push',
      'https://[::1]:4443/push',
      'https://[fe80::1]/push',
      'https://[fd00::1]/push',
      'https://[::ffff:169.254.169.254]/push',
      'https://[::ffff:a9fe:a9fe]/push',
      'https://0.0.0.0/push',
      'https://2852039166/push', // 169.254.169.254 spelled as one number
    ];
    for (const endpoint of refused) {
      const res = await request(baseUrl, '/api/v1/push/subscriptions', { method: 'POST', token: who.token, body: { ...sub.json, endpoint } });
      expectError(res, 'bad_request');
    }
    const list = await request<{ subscriptions: unknown[] }>(baseUrl, '/api/v1/push/subscriptions', { token: who.token });
    expect(list.status, list.text).toBe(200);
    expect(list.body.subscriptions).toEqual([]);
  });

  it('keeps at most 10 subscriptions per user: the oldest goes', async () => {
    const who = await member('pcap');
    const subs = Array.from({ length: 12 }, () => service.subscription());
    for (const s of subs) await subscribe(who, s);
    const list = await request<{ subscriptions: { endpoint: string }[] }>(baseUrl, '/api/v1/push/subscriptions', { token: who.token });
    expect(list.status, list.text).toBe(200);
    expect(list.body.subscriptions.map((s) => s.endpoint).sort()).toEqual(subs.slice(2).map((s) => s.endpoint).sort());
  });
});

describe('who gets a push', () => {
  it('a group message pushes to members with no socket or a hidden tab, not to a visible tab, never to the sender', async () => {
    const [ana, ben, cat, dan] = await Promise.all([member('pana'), member('pben'), member('pcat'), member('pdan')]);
    const subs = { ana: service.subscription(), ben: service.subscription(), cat: service.subscription(), dan: service.subscription() };
    await Promise.all([subscribe(ana, subs.ana), subscribe(ben, subs.ben), subscribe(cat, subs.cat), subscribe(dan, subs.dan)]);
    const cid = await group(ana, [ben, cat, dan]);
    const benTab = await tab(ben, true); // looking at Chattrix
    await tab(dan, false); // a Chattrix tab in the background
    // cat: no tab at all

    const first = await say(ana, cid, 'Lunch at noon?');
    const [toCat, toDan] = await Promise.all([service.pushTo(subs.cat, first), service.pushTo(subs.dan, first)]);
    for (const hit of [toCat, toDan]) {
      expectValidPush(hit, cid);
      expect(hit.payload!.body).toBe(first);
      expect(hit.payload!.title).toContain(ana.displayName);
    }

    // Ben's tab goes to the background: the next message reaches Ben, and it is the first push Ben ever got.
    expect(await emitAck(benTab, 'client:visibility', { visible: false })).toMatchObject({ ok: true });
    const second = await say(ana, cid, 'Or one?');
    expectValidPush(await service.pushTo(subs.ben, second), cid);
    expect(bodies(subs.ben)).toEqual([second]);

    // Ana sent both and got neither; a message from Ben does reach her (so her subscription works).
    const third = await say(ben, cid, 'One is fine');
    expectValidPush(await service.pushTo(subs.ana, third), cid);
    expect(bodies(subs.ana)).toEqual([third]);

    // Several messages, several pushes, all with the conversation as Topic (the push service keeps the newest).
    await service.pushTo(subs.cat, third);
    expect(bodies(subs.cat)).toEqual([first, second, third]);
    expect(subs.cat.hits.map((h) => h.topic)).toEqual([cid, cid, cid]);
    for (const h of subs.cat.hits) expect(h.problems).toEqual([]);
  });

  it('a direct message pushes with the sender as the title and a plain-text preview', async () => {
    const [eve, fay] = await Promise.all([member('peve'), member('pfay')]);
    const sub = service.subscription();
    await subscribe(fay, sub);
    const dm = await request<{ conversation: { id: string } }>(baseUrl, '/api/v1/conversations', {
      method: 'POST',
      token: eve.token,
      body: { kind: 'direct', userId: fay.id },
    });
    expect(dm.status, dm.text).toBe(201);
    const cid = dm.body.conversation.id;
    const text = await say(eve, cid, '**Meet** at _noon_, bring the snake_case notes');
    const hit = await service.pushTo(sub, text.slice(-8));
    expectValidPush(hit, cid);
    expect(hit.payload!.title).toBe(eve.displayName);
    // The preview drops Markdown markers, not the underscores inside words.
    expect(hit.payload!.body).toBe(`Meet at noon, bring the snake_case notes ${text.slice(-8)}`);
  });

  it('no push for a conversation the member muted', async () => {
    const [gil, hal] = await Promise.all([member('pgil'), member('phal')]);
    const sub = service.subscription();
    await subscribe(hal, sub);
    const cid = await group(gil, [hal]);
    const mute = (muted: boolean) => request(baseUrl, `/api/v1/conversations/${cid}`, { method: 'PATCH', token: hal.token, body: { muted } });
    expect((await mute(true)).status).toBe(200);
    const whileMuted = await say(gil, cid, 'muted, so silent');
    expect((await mute(false)).status).toBe(200);
    const after = await say(gil, cid, 'unmuted again');
    await service.pushTo(sub, after);
    expect(bodies(sub)).toEqual([after]);
    expect(bodies(sub)).not.toContain(whileMuted);
  });

  it('in a channel set to "mentions only" (the default above 50 members), only the mentioned member gets a push', async () => {
    const [ivy, jon, kim] = await Promise.all([member('pivy'), member('pjon'), member('pkim')]);
    const subJon = service.subscription();
    const subKim = service.subscription();
    await Promise.all([subscribe(jon, subJon), subscribe(kim, subKim)]);
    // `general` may have 50 members or fewer here (its default is then "all"): both choose "mentions" themselves.
    for (const who of [jon, kim]) {
      const res = await request(baseUrl, '/api/v1/conversations/general', { method: 'PATCH', token: who.token, body: { notify: 'mentions' } });
      expect(res.status, res.text).toBe(200);
    }
    // `general` is the public channel every account joins.
    const plain = await say(ivy, 'general', 'hello channel');
    const mention = await say(ivy, 'general', `hey @${jon.username}, look`);
    const hit = await service.pushTo(subJon, mention);
    expectValidPush(hit, 'general');
    expect(hit.payload!.body).toBe(mention); // the username keeps its underscore
    expect(hit.payload!.title).toContain('#general');
    expect(bodies(subJon)).toEqual([mention]);
    expect(bodies(subJon)).not.toContain(plain);
    // Kim was not mentioned: nothing; a later mention proves the subscription works and nothing came before it.
    const later = await say(ivy, 'general', `and @${kim.username} too`);
    await service.pushTo(subKim, later);
    expect(bodies(subKim)).toEqual([later]);
  });
});

describe('delivery failures', () => {
  it('an endpoint answering 410 is deleted at once; a 500 is retried with the same payload; DELETE and POST behave', async () => {
    const [lea, max] = await Promise.all([member('plea'), member('pmax')]);
    const gone = service.subscription(() => 410);
    const flaky = service.subscription((attempt) => (attempt === 1 ? 500 : 201));
    const steady = service.subscription();
    await Promise.all([subscribe(max, gone), subscribe(max, flaky), subscribe(max, steady)]);
    const cid = await group(lea, [max]);

    const m1 = await say(lea, cid, 'first');
    await service.pushTo(gone, m1);
    expect(gone.hits[0]!.status).toBe(410);
    // The 500 is retried (after a short backoff) with the same message.
    await service.waitUntil(() => flaky.hits.length >= 2, 'the retry after a 500', 15_000);
    expect(flaky.hits.map((h) => [h.status, h.payload?.body])).toEqual([
      [500, m1],
      [201, m1],
    ]);
    for (const h of flaky.hits) expectValidPush(h, cid);

    // A later message: the 410 endpoint is never asked again; the others get it.
    const m2 = await say(lea, cid, 'second');
    await Promise.all([service.pushTo(flaky, m2), service.pushTo(steady, m2)]);

    // DELETE: that device gets nothing more; POST again: it does.
    const del = await request(baseUrl, '/api/v1/push/subscriptions', { method: 'DELETE', token: max.token, body: { endpoint: flaky.endpoint } });
    expect(del.status, del.text).toBe(204);
    const m3 = await say(lea, cid, 'third');
    await service.pushTo(steady, m3);
    await subscribe(max, flaky);
    const m4 = await say(lea, cid, 'fourth');
    await Promise.all([service.pushTo(flaky, m4), service.pushTo(steady, m4)]);

    expect(bodies(flaky)).toEqual([m1, m1, m2, m4]);
    expect(bodies(steady)).toEqual([m1, m2, m3, m4]);
    expect(gone.hits).toHaveLength(1);
  });
});
