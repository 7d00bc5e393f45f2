/**
 * Outgoing webhooks against real servers and a real receiver on loopback (allowed through OUTBOUND_ALLOW):
 * signed deliveries, replies posted as the bot, retries with backoff, a restart between attempts, 4xx final,
 * disabling after repeated failures (with the owner's DM), and the outbound guard refusing private addresses.
 * The shared server runs with WEBHOOK_RETRY_BASE_MS=300, WEBHOOK_POLL_MS=200, WEBHOOK_DISABLE_AFTER=3
 * (tests/global-setup.ts); the restart test starts its own server on its own DATA_DIR.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifySignature } from '../../lib/integrations/signature';
import { connectSocket, createToken, nextEvent, registerUser, request, type ClientSocket, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { freshDatabase, type FreshDatabase } from '../helpers/ops';
import { startServer } from '../helpers/server';
import { WebhookReceiver } from '../helpers/webhook-receiver';

const sharedUrl = inject('baseUrl');

interface Person extends TestUser {
  token: string;
}
interface Setup {
  owner: Person;
  bot: { id: string; username: string; token: string };
  conversationId: string;
}

const open: ClientSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = new WebhookReceiver();
  await receiver.start();
});
afterAll(async () => {
  await receiver?.stop();
});

async function person(baseUrl: string): Promise<Person> {
  const u = await registerUser(baseUrl, { prefix: 'wh' });
  return { ...u, token: (await createToken(baseUrl, u)).token };
}

/** An owner, their bot, and a group with both in it. */
async function setup(baseUrl: string): Promise<Setup> {
  const owner = await person(baseUrl);
  const username = `bot_${owner.username.slice(3, 20)}`;
  const b = await request(baseUrl, '/api/v1/bots', { method: 'POST', token: owner.token, body: { username, displayName: 'Hook bot' } });
  expect(b.status, b.text).toBe(201);
  const bot = { id: b.body.bot.id as string, username, token: b.body.token.token as string };
  const c = await request(baseUrl, '/api/v1/conversations', { method: 'POST', token: owner.token, body: { kind: 'group', title: 'hooks', memberIds: [bot.id] } });
  expect(c.status, c.text).toBe(201);
  return { owner, bot, conversationId: c.body.conversation.id };
}

async function subscribe(baseUrl: string, s: Setup, url: string, extra: Record<string, unknown> = {}) {
  const res = await request(baseUrl, `/api/v1/conversations/${s.conversationId}/outgoing-webhooks`, {
    method: 'POST',
    token: s.owner.token,
    body: { url, botId: s.bot.id, ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.webhook.id as string, secret: res.body.secret as string };
}

async function send(baseUrl: string, s: Setup, body: string) {
  const res = await request(baseUrl, `/api/v1/conversations/${s.conversationId}/messages`, { method: 'POST', token: s.owner.token, body: { body } });
  expect(res.status, res.text).toBe(201);
  return res.body.message as { id: string };
}

async function deliveries(baseUrl: string, s: Setup, webhookId: string) {
  const res = await request(baseUrl, `/api/v1/outgoing-webhooks/${webhookId}/deliveries`, { token: s.owner.token });
  expect(res.status, res.text).toBe(200);
  return res.body.deliveries as { id: string; status: string; attempts: number; statusCode: number | null; durationMs: number | null; nextAttemptAt: string | null }[];
}

/** Polls the deliveries list until `done` holds (the runner writes its outcome just after answering). */
async function waitDeliveries(baseUrl: string, s: Setup, webhookId: string, done: (d: Awaited<ReturnType<typeof deliveries>>) => boolean, timeoutMs = 10_000) {
  for (let i = 0; i < timeoutMs / 100; i++) {
    const d = await deliveries(baseUrl, s, webhookId);
    if (done(d)) return d;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('deliveries did not reach the expected state');
}

describe('outgoing webhooks (shared server)', () => {
  it('sends a signed delivery and posts the 2xx {text} answer as the bot', async () => {
    const s = await setup(sharedUrl);
    const hook = await subscribe(sharedUrl, s, receiver.url('/reply'));
    receiver.script('/reply', { status: 200, body: { text: 'pong from the receiver' } });
    const sock = await connectSocket(sharedUrl, { token: s.owner.token });
    open.push(sock);
    const reply = nextEvent<{ message: { sender: { id: string } | null; body: string; conversationId: string } }>(sock, 'message:created', (p) => p.message.sender?.id === s.bot.id);
    const sent = await send(sharedUrl, s, 'ping');

    const got = await receiver.nth('/reply', 1);
    expect(verifySignature(hook.secret, got.raw, got.headers['chattrix-signature'] as string)).toBe(true);
    expect(verifySignature('another secret', got.raw, got.headers['chattrix-signature'] as string)).toBe(false);
    expect(got.headers['content-type']).toBe('application/json');
    const payload = JSON.parse(got.raw);
    expect(Object.keys(payload).sort()).toEqual(['bot', 'conversation', 'createdAt', 'id', 'message', 'type']);
    expect(payload.type).toBe('message.created');
    expect(payload.id).toBe(got.headers['chattrix-delivery']);
    expect(payload.conversation).toMatchObject({ id: s.conversationId, kind: 'group' });
    expect(payload.message).toMatchObject({ id: sent.id, body: 'ping' });
    expect(payload.bot).toMatchObject({ id: s.bot.id, username: s.bot.username });

    const { message } = await reply;
    expect(message).toMatchObject({ body: 'pong from the receiver', conversationId: s.conversationId });
    const list = await waitDeliveries(sharedUrl, s, hook.id, (d) => d[0]?.status === 'succeeded');
    expect(list[0]).toMatchObject({ status: 'succeeded', attempts: 1, statusCode: 200 });
    expect(list[0]!.durationMs).toBeGreaterThanOrEqual(0);
    // The bot's own reply raised no delivery (no loop): still one.
    expect(list).toHaveLength(1);
  });

  it('only messages starting with the trigger word are sent', async () => {
    const s = await setup(sharedUrl);
    await subscribe(sharedUrl, s, receiver.url('/trigger'), { triggerWord: '!deploy' });
    await send(sharedUrl, s, 'just chatting about !deploy');
    await send(sharedUrl, s, '!deploy production');
    // Deliveries leave in order of their messages: the first one to arrive is the sentinel's.
    const first = await receiver.nth('/trigger', 1);
    expect(JSON.parse(first.raw).message.body).toBe('!deploy production');
  });

  it('retries a 500 with exponential backoff, then succeeds', async () => {
    const s = await setup(sharedUrl);
    const hook = await subscribe(sharedUrl, s, receiver.url('/flaky'));
    receiver.script('/flaky', { status: 500 }, { status: 503 }, { status: 200, body: { text: 'third time lucky' } });
    await send(sharedUrl, s, 'hello flaky');
    const [a, b, c] = [await receiver.nth('/flaky', 1), await receiver.nth('/flaky', 2), await receiver.nth('/flaky', 3)];
    // The same delivery each time, signed afresh.
    expect(new Set([a, b, c].map((r) => r.headers['chattrix-delivery'])).size).toBe(1);
    const gap1 = b.at - a.at;
    const gap2 = c.at - b.at;
    expect(gap1).toBeGreaterThanOrEqual(280); // base 300 ms (timer granularity aside)
    expect(gap2).toBeGreaterThanOrEqual(580); // doubled
    const list = await waitDeliveries(sharedUrl, s, hook.id, (d) => d[0]?.status === 'succeeded');
    expect(list[0]).toMatchObject({ status: 'succeeded', attempts: 3, statusCode: 200 });
  });

  it('a 4xx is final: not retried', async () => {
    const s = await setup(sharedUrl);
    const hook = await subscribe(sharedUrl, s, receiver.url('/gone'));
    receiver.script('/gone', { status: 410 });
    await send(sharedUrl, s, 'to a receiver that says 410');
    await receiver.nth('/gone', 1);
    const list = await waitDeliveries(sharedUrl, s, hook.id, (d) => d[0]?.status === 'failed');
    expect(list[0]).toMatchObject({ status: 'failed', attempts: 1, statusCode: 410, nextAttemptAt: null });
    // A sentinel after it on the same subscription arrives as request #2: the 410 was not sent again before it,
    // and 5 backoff bases later there is still no third.
    await send(sharedUrl, s, 'sentinel');
    const second = await receiver.nth('/gone', 2);
    expect(JSON.parse(second.raw).message.body).toBe('sentinel');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(receiver.count('/gone')).toBe(2);
  });

  it('is disabled after repeated failures, and the owner gets a DM from the bot; redeliver and re-enable work', async () => {
    const s = await setup(sharedUrl);
    const hook = await subscribe(sharedUrl, s, receiver.url('/broken'));
    receiver.script('/broken', { status: 400 }, { status: 400 }, { status: 400 });
    const sock = await connectSocket(sharedUrl, { token: s.owner.token });
    open.push(sock);
    const dm = nextEvent<{ message: { sender: { id: string } | null; body: string; conversationId: string } }>(
      sock,
      'message:created',
      (p) => p.message.sender?.id === s.bot.id && p.message.conversationId !== s.conversationId,
      30_000,
    );
    for (const n of [1, 2, 3]) {
      await send(sharedUrl, s, `failure ${n}`);
      await receiver.nth('/broken', n);
      await waitDeliveries(sharedUrl, s, hook.id, (d) => d.filter((x) => x.status === 'failed').length === n);
    }
    const { message } = await dm;
    expect(message.body).toContain('disabled');
    expect(message.body).toContain(receiver.url('/broken'));
    const got = await request(sharedUrl, `/api/v1/outgoing-webhooks/${hook.id}`, { token: s.owner.token });
    expect(got.body.webhook).toMatchObject({ enabled: false, consecutiveFailures: 3 });
    expect(got.body.webhook.disabledAt).toBeTruthy();

    // Disabled: a new message raises nothing. Re-enabled: the next one is delivered (the sentinel).
    await send(sharedUrl, s, 'while disabled');
    const on = await request(sharedUrl, `/api/v1/outgoing-webhooks/${hook.id}`, { method: 'PATCH', token: s.owner.token, body: { enabled: true } });
    expect(on.body.webhook).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledAt: null });
    await send(sharedUrl, s, 'after enabling');
    const fourth = await receiver.nth('/broken', 4);
    expect(JSON.parse(fourth.raw).message.body).toBe('after enabling');

    // Redeliver one of the failed deliveries: a new delivery of the same event.
    const list = await deliveries(sharedUrl, s, hook.id);
    const failed = list.find((d) => d.status === 'failed')!;
    const re = await request(sharedUrl, `/api/v1/outgoing-webhooks/${hook.id}/deliveries/${failed.id}/redeliver`, { method: 'POST', token: s.owner.token });
    expect(re.status, re.text).toBe(201);
    const fifth = await receiver.nth('/broken', 5);
    expect(JSON.parse(fifth.raw).message.body).toMatch(/^failure \d$/);
    expect(fifth.headers['chattrix-delivery']).toBe(re.body.delivery.id);
  });

  it('refuses private addresses, and checks who may subscribe', async () => {
    const s = await setup(sharedUrl);
    for (const url of ['https://10.0.0.1/hook', 'https://[::1]/hook', 'https://169.254.169.254/latest', 'http://192.168.1.10/x']) {
      const res = await request(sharedUrl, `/api/v1/conversations/${s.conversationId}/outgoing-webhooks`, { method: 'POST', token: s.owner.token, body: { url, botId: s.bot.id } });
      expectError(res, 'bad_request', { issues: true });
    }
    // Not a member: 404; a plain member: 403; someone else's bot: 404.
    const stranger = await person(sharedUrl);
    expectError(await request(sharedUrl, `/api/v1/conversations/${s.conversationId}/outgoing-webhooks`, { token: stranger.token }), 'not_found');
    const member = await person(sharedUrl);
    await request(sharedUrl, `/api/v1/conversations/${s.conversationId}/members`, { method: 'POST', token: s.owner.token, body: { userId: member.id } });
    expectError(
      await request(sharedUrl, `/api/v1/conversations/${s.conversationId}/outgoing-webhooks`, { method: 'POST', token: member.token, body: { url: receiver.url('/x'), botId: s.bot.id } }),
      'forbidden',
    );
    const other = await setup(sharedUrl);
    expectError(
      await request(sharedUrl, `/api/v1/conversations/${s.conversationId}/outgoing-webhooks`, { method: 'POST', token: s.owner.token, body: { url: receiver.url('/x'), botId: other.bot.id } }),
      'not_found',
    );
    expectError(await request(sharedUrl, `/api/v1/conversations/${s.conversationId}/outgoing-webhooks`, { method: 'POST', token: s.owner.token, body: { url: 'not a url', botId: s.bot.id } }), 'bad_request', { issues: true });
  });

  it("a bot's subscription gets its mentions and DMs", async () => {
    const s = await setup(sharedUrl);
    const res = await request(sharedUrl, `/api/v1/bots/${s.bot.id}/outgoing-webhooks`, { method: 'POST', token: s.owner.token, body: { url: receiver.url('/botsub') } });
    expect(res.status, res.text).toBe(201);
    await send(sharedUrl, s, 'no mention here');
    await send(sharedUrl, s, `hi @${s.bot.username}`);
    const first = JSON.parse((await receiver.nth('/botsub', 1)).raw);
    expect(first).toMatchObject({ type: 'bot.mentioned', message: { body: `hi @${s.bot.username}` }, bot: { id: s.bot.id } });
    const dm = await request(sharedUrl, '/api/v1/conversations', { method: 'POST', token: s.owner.token, body: { kind: 'direct', userId: s.bot.id } });
    await request(sharedUrl, `/api/v1/conversations/${dm.body.conversation.id}/messages`, { method: 'POST', token: s.owner.token, body: { body: 'psst' } });
    const second = JSON.parse((await receiver.nth('/botsub', 2)).raw);
    expect(second).toMatchObject({ type: 'bot.direct_message', conversation: { kind: 'direct' }, message: { body: 'psst' } });
  });
});

describe('outgoing webhooks across a restart (own server)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'chattrix-webhooks-'));
  // On PostgreSQL a database of its own: sharing the suite's, the shared server's delivery poller could send a retry
  // before this server's backoff (seen once: a retry 338 ms after the failure).
  let db: FreshDatabase = { url: undefined, drop: async () => {} };
  beforeAll(async () => {
    db = await freshDatabase('webhooks');
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  });
  const envOf = () => ({ OUTBOUND_ALLOW: '127.0.0.1', WEBHOOK_RETRY_BASE_MS: '2000', WEBHOOK_POLL_MS: '200', DATABASE_URL: db.url });

  it('a delivery that failed before a restart is retried after it; without the allowance a loopback URL is refused', async () => {
    const t0 = Date.now();
    const step = (what: string) => console.log(`[restart test] ${what} at ${Date.now() - t0} ms`);
    // The first server polls only every two minutes: its own retries must come on time all the same.
    let server = await startServer({ dataDir, env: { ...envOf(), WEBHOOK_POLL_MS: '120000' } });
    step('server up');
    try {
      const s = await setup(server.url);
      const onTime = await subscribe(server.url, s, receiver.url('/ontime'));
      receiver.script('/ontime', { status: 503 }, { status: 200, body: {} });
      await send(server.url, s, 'retried on time');
      const failed = await receiver.nth('/ontime', 1);
      const retried = await receiver.nth('/ontime', 2, 20_000);
      expect(retried.headers['chattrix-delivery']).toBe(failed.headers['chattrix-delivery']);
      expect(retried.at - failed.at, 'the retry waits its backoff (2 s), not the 2-minute poll').toBeGreaterThanOrEqual(1_900);
      await waitDeliveries(server.url, s, onTime.id, (d) => d[0]?.status === 'succeeded');
      step('retried on time without the poll');
      expect((await request(server.url, `/api/v1/outgoing-webhooks/${onTime.id}`, { method: 'DELETE', token: s.owner.token })).status).toBe(204);

      const hook = await subscribe(server.url, s, receiver.url('/restart'));
      receiver.script('/restart', { status: 502 }, { status: 200, body: { text: 'back after the restart' } });
      await send(server.url, s, 'before the restart');
      const first = await receiver.nth('/restart', 1);
      await waitDeliveries(server.url, s, hook.id, (d) => d[0]?.status === 'pending' && d[0].attempts === 1);
      step('first attempt failed (502)');
      expect(await server.stop()).toBe(0);
      step('server stopped');

      server = await startServer({ dataDir, env: envOf() });
      step('server up again');
      const second = await receiver.nth('/restart', 2, 30_000);
      expect(second.headers['chattrix-delivery']).toBe(first.headers['chattrix-delivery']);
      const list = await waitDeliveries(server.url, s, hook.id, (d) => d[0]?.status === 'succeeded');
      expect(list[0]).toMatchObject({ attempts: 2, statusCode: 200 });
      // The receiver's answer is posted as the bot's reply just after the delivery is marked succeeded.
      await expect
        .poll(
          async () => {
            const msgs = await request(server.url, `/api/v1/conversations/${s.conversationId}/messages`, { token: s.owner.token });
            return msgs.body.messages.map((m: { body: string }) => m.body);
          },
          { timeout: 15_000, interval: 200 },
        )
        .toContain('back after the restart');
      step('retried after the restart');
      await server.stop();

      // Without OUTBOUND_ALLOW, a name that resolves to loopback (localhost) is refused up front.
      server = await startServer({ dataDir, env: { ...envOf(), OUTBOUND_ALLOW: undefined } });
      const refused = await request(server.url, `/api/v1/conversations/${s.conversationId}/outgoing-webhooks`, {
        method: 'POST',
        token: s.owner.token,
        body: { url: `https://localhost:${receiver.port}/hook`, botId: s.bot.id },
      });
      expectError(refused, 'bad_request', { issues: true });
      expect(refused.body.error.message).toMatch(/refused address/);
    } finally {
      await server.stop();
    }
  }, 240_000);

  it('a delivery is stored with its message: a server killed the moment the message is acknowledged sends it after a restart', async () => {
    // The runner polls only every two minutes on the first server: what it left is for the second one.
    let server = await startServer({ dataDir, env: { ...envOf(), WEBHOOK_POLL_MS: '120000', WEBHOOK_LEASE_MS: '15000' } });
    try {
      const s = await setup(server.url);
      const hook = await subscribe(server.url, s, receiver.url('/crash'));
      receiver.script('/crash', { status: 200, body: {} });
      const sent = await send(server.url, s, 'stored with its delivery');
      // SIGKILL at once: no shutdown, nothing written after the acknowledgement.
      await server.kill();
      server = await startServer({ dataDir, env: { ...envOf(), WEBHOOK_LEASE_MS: '15000' } });
      const got = await receiver.nth('/crash', 1, 90_000);
      const payload = JSON.parse(got.raw);
      expect(payload).toMatchObject({ type: 'message.created', conversation: { id: s.conversationId }, message: { id: sent.id, body: 'stored with its delivery' } });
      expect(payload.bot).toMatchObject({ id: s.bot.id });
      // An attempt the kill cut short is retried once its lease (15 s here, WEBHOOK_LEASE_MS) has run out.
      const list = await waitDeliveries(server.url, s, hook.id, (d) => d[0]?.status === 'succeeded', 90_000);
      expect(list).toHaveLength(1);
      // Any copy sent again after the crash (at least once) carries the same delivery id, for the receiver to drop.
      expect(new Set(receiver.received.filter((r) => r.path === '/crash').map((r) => r.headers['chattrix-delivery']))).toEqual(new Set([list[0]!.id]));
    } finally {
      await server.stop();
    }
  }, 200_000);
});
