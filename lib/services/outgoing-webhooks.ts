/**
 * Outgoing webhooks: subscriptions (conversation owners/admins, or a bot's owner), the delivery runner and replies.
 *
 * Deliveries are rows of webhook_deliveries, written when the message is stored (webhook-events.ts). Every node runs
 * the runner: it claims due rows with FOR UPDATE SKIP LOCKED under a lease longer than one attempt, so a delivery is
 * sent by one node at a time and, after a crash or restart, by whichever node finds it due again. Each attempt is
 * signed (lib/integrations/signature.ts) and sent through the outbound guard with a 10 s timeout. Timeouts,
 * connection errors and 5xx retry with exponential backoff for 24 hours; 4xx (and a refused URL) is final. After
 * WEBHOOK_DISABLE_AFTER (50) final failures in a row the subscription is disabled and its bot tells the owner in a DM.
 */
import { getConversationById } from '../../db/queries/conversations';
import { getMessageById } from '../../db/queries/messages';
import { getUserById } from '../../db/queries/users';
import * as wq from '../../db/queries/webhooks';
import type { OutgoingWebhook, User, WebhookDelivery } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { env } from '../env';
import { AppError } from '../errors';
import { newId } from '../ids';
import { newSigningSecret, signPayload, SIGNATURE_HEADER } from '../integrations/signature';
import { logger } from '../observability/logger';
import { checkOutboundUrl, OutboundError, outboundFetch } from '../outbound';
import type { OutgoingWebhookDto, WebhookDeliveryDto } from '../validation/webhooks';
import { canManage, createConversation } from './conversations';
import { hydrateMessages, requireMembership, sendMessage } from './messages';
import {
  DELIVERY_TIMEOUT_MS,
  forgetSubscriptions,
  KEEP_DELIVERIES,
  kickWebhookRunner,
  RETRY_WINDOW_MS,
  retryDelayMs,
  setWebhookKick,
  deliveryPayload,
  type DeliveryPayload,
} from './webhook-events';

const CLAIM_BATCH = 10;
const MAX_REPLY_CHARS = 4000;

// ---------------------------------------------------------------------------------------------------------------
// Subscriptions

export function toWebhookDto(w: OutgoingWebhook): OutgoingWebhookDto {
  return {
    id: w.id,
    conversationId: w.conversationId,
    botId: w.botId,
    ownerId: w.ownerId,
    events: w.events as OutgoingWebhookDto['events'],
    triggerWord: w.triggerWord,
    url: w.url,
    enabled: w.enabled,
    consecutiveFailures: w.consecutiveFailures,
    disabledAt: w.disabledAt?.toISOString() ?? null,
    createdAt: w.createdAt.toISOString(),
  };
}

function toDeliveryDto(d: WebhookDelivery): WebhookDeliveryDto {
  return {
    id: d.id,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    statusCode: d.lastStatusCode,
    error: d.lastError,
    durationMs: d.durationMs,
    createdAt: d.createdAt.toISOString(),
    completedAt: d.completedAt?.toISOString() ?? null,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
  };
}

/** A bot the actor may wire to a webhook: their own (site admins: any). Others answer not_found. */
async function requireOwnBot(actor: Actor, botId: string): Promise<User> {
  const bot = await getUserById({ id: botId });
  if (!bot || !bot.isBot || (bot.botOwnerId !== actor.id && !actor.isAdmin)) throw new AppError('not_found', 'No such bot');
  return bot;
}

/**
 * The URL must pass the outbound guard now (https to a public address, or OUTBOUND_ALLOW): else 400. A name that does
 * not resolve at the moment is accepted, as for push endpoints: every delivery checks it again (and retries).
 */
async function checkUrl(url: string): Promise<void> {
  try {
    await checkOutboundUrl(url);
  } catch (e) {
    if (e instanceof OutboundError && e.code === 'dns') return;
    if (e instanceof OutboundError) throw new AppError('bad_request', `This URL cannot be used: ${e.message}`, { issues: [{ path: ['url'], message: e.message }] });
    throw e;
  }
}

async function requireManager(actor: Actor, conversationId: string): Promise<void> {
  const { member } = await requireMembership(actor, conversationId);
  if (!canManage(member.role)) throw new AppError('forbidden', 'Only owners and admins of this conversation manage its webhooks');
}

/** The subscription, if the actor may manage it: its creator, the bot's owner, a manager of its conversation, a site admin. */
async function requireWebhook(actor: Actor, id: string): Promise<OutgoingWebhook> {
  const w = await wq.getOutgoingWebhookById({ id });
  if (!w) throw new AppError('not_found', 'No such webhook');
  if (w.ownerId === actor.id || actor.isAdmin) return w;
  if (w.conversationId) {
    try {
      await requireManager(actor, w.conversationId);
      return w;
    } catch {
      throw new AppError('not_found', 'No such webhook');
    }
  }
  if (w.botId) {
    const bot = await getUserById({ id: w.botId });
    if (bot?.botOwnerId === actor.id) return w;
  }
  throw new AppError('not_found', 'No such webhook');
}

export async function createConversationWebhook(
  actor: Actor,
  conversationId: string,
  input: { url: string; botId: string; triggerWord?: string | null },
): Promise<{ webhook: OutgoingWebhookDto; secret: string }> {
  await requireManager(actor, conversationId);
  const bot = await requireOwnBot(actor, input.botId);
  try {
    await requireMembership({ id: bot.id }, conversationId);
  } catch {
    throw new AppError('bad_request', 'Add the bot to this conversation first: it posts the replies', { issues: [{ path: ['botId'], message: 'Not a member of this conversation' }] });
  }
  await checkUrl(input.url);
  const secret = newSigningSecret();
  const row = await wq.insertOutgoingWebhook({
    webhook: { id: newId(), ownerId: actor.id, conversationId, botId: bot.id, events: ['message.created'], triggerWord: input.triggerWord ?? null, url: input.url, secret },
  });
  forgetSubscriptions();
  return { webhook: toWebhookDto(row), secret };
}

export async function createBotWebhook(actor: Actor, botId: string, input: { url: string; events: ('bot.mentioned' | 'bot.direct_message')[] }) {
  const bot = await requireOwnBot(actor, botId);
  await checkUrl(input.url);
  const secret = newSigningSecret();
  const row = await wq.insertOutgoingWebhook({
    webhook: { id: newId(), ownerId: actor.id, conversationId: null, botId: bot.id, events: [...new Set(input.events)], url: input.url, secret },
  });
  forgetSubscriptions();
  return { webhook: toWebhookDto(row), secret };
}

export async function listConversationWebhooks(actor: Actor, conversationId: string): Promise<OutgoingWebhookDto[]> {
  await requireManager(actor, conversationId);
  return (await wq.listOutgoingWebhooksByConversation({ conversationId })).map(toWebhookDto);
}

export async function listBotWebhooks(actor: Actor, botId: string): Promise<OutgoingWebhookDto[]> {
  await requireOwnBot(actor, botId);
  return (await wq.listOutgoingWebhooksByBot({ botId })).map(toWebhookDto);
}

export async function getWebhook(actor: Actor, id: string): Promise<OutgoingWebhookDto> {
  return toWebhookDto(await requireWebhook(actor, id));
}

export async function updateWebhook(
  actor: Actor,
  id: string,
  patch: { url?: string; triggerWord?: string | null; enabled?: boolean; events?: OutgoingWebhookDto['events'] },
): Promise<OutgoingWebhookDto> {
  const w = await requireWebhook(actor, id);
  if (patch.url) await checkUrl(patch.url);
  if (patch.events) {
    const allowed = w.conversationId ? ['message.created'] : ['bot.mentioned', 'bot.direct_message'];
    if (!patch.events.every((e) => allowed.includes(e))) {
      throw new AppError('bad_request', `This subscription takes ${allowed.join(', ')}`, { issues: [{ path: ['events'], message: `One of ${allowed.join(', ')}` }] });
    }
  }
  if (patch.triggerWord !== undefined && !w.conversationId) {
    throw new AppError('bad_request', 'A trigger word is for conversation subscriptions', { issues: [{ path: ['triggerWord'], message: 'Not for a bot subscription' }] });
  }
  const row = await wq.updateOutgoingWebhook({
    id,
    patch: {
      ...(patch.url ? { url: patch.url } : {}),
      ...(patch.triggerWord !== undefined ? { triggerWord: patch.triggerWord } : {}),
      ...(patch.events ? { events: [...new Set(patch.events)] } : {}),
      ...(patch.enabled === true ? { enabled: true, disabledAt: null, consecutiveFailures: 0 } : {}),
      ...(patch.enabled === false ? { enabled: false, disabledAt: new Date() } : {}),
    },
  });
  forgetSubscriptions();
  if (!row) throw new AppError('not_found', 'No such webhook');
  return toWebhookDto(row);
}

export async function deleteWebhook(actor: Actor, id: string): Promise<void> {
  await requireWebhook(actor, id);
  await wq.deleteOutgoingWebhook({ id });
  forgetSubscriptions();
}

export async function listWebhookDeliveries(actor: Actor, id: string): Promise<WebhookDeliveryDto[]> {
  await requireWebhook(actor, id);
  return (await wq.listDeliveries({ webhookId: id, limit: KEEP_DELIVERIES })).map(toDeliveryDto);
}

/** Sends a past delivery again: a new delivery with the same event (a new id, signed afresh). */
export async function redeliver(actor: Actor, id: string, deliveryId: string): Promise<WebhookDeliveryDto> {
  const w = await requireWebhook(actor, id);
  const found = await wq.getDeliveryById({ id: deliveryId });
  if (!found || found.webhookId !== id) throw new AppError('not_found', 'No such delivery');
  const d = await withPayload(found, w);
  if (!d) throw new AppError('not_found', 'The message of that delivery is gone');
  const newDeliveryId = newId();
  const payload = { ...(JSON.parse(d.payload) as DeliveryPayload), id: newDeliveryId, createdAt: new Date().toISOString() };
  const now = new Date();
  await wq.insertDeliveries({
    deliveries: [{ id: newDeliveryId, webhookId: id, eventType: d.eventType, payload: JSON.stringify(payload), messageId: d.messageId, nextAttemptAt: now }],
  });
  kickWebhookRunner();
  const row = await wq.getDeliveryById({ id: newDeliveryId });
  return toDeliveryDto(row!);
}

// ---------------------------------------------------------------------------------------------------------------
// Delivery

type Outcome = { kind: 'ok'; status: number; body: Buffer } | { kind: 'retry' | 'final'; status: number | null; error: string };

async function attempt(w: OutgoingWebhook, d: WebhookDelivery): Promise<Outcome> {
  try {
    const res = await outboundFetch(w.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Chattrix-Webhooks/1',
        [SIGNATURE_HEADER]: signPayload(w.secret, d.payload),
        'Chattrix-Delivery': d.id,
        'Chattrix-Event': d.eventType,
      },
      body: d.payload,
      timeoutMs: DELIVERY_TIMEOUT_MS,
      maxBytes: 64 * 1024,
    });
    if (res.status >= 200 && res.status < 300) return { kind: 'ok', status: res.status, body: res.body };
    if (res.status >= 500) return { kind: 'retry', status: res.status, error: `HTTP ${res.status}` };
    return { kind: 'final', status: res.status, error: `HTTP ${res.status}` };
  } catch (e) {
    if (e instanceof OutboundError) {
      const retry = e.code === 'timeout' || e.code === 'network' || e.code === 'dns';
      return { kind: retry ? 'retry' : 'final', status: null, error: `${e.code}: ${e.message}` };
    }
    return { kind: 'retry', status: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** A 2xx answer `{"text": "…"}` is posted as the bot, in the same conversation (and thread). */
async function postReply(w: OutgoingWebhook, d: WebhookDelivery, body: Buffer): Promise<void> {
  if (!w.botId || body.length === 0) return;
  let text: unknown;
  try {
    text = (JSON.parse(body.toString('utf8')) as { text?: unknown })?.text;
  } catch {
    return; // any 2xx is a success; only a JSON {text} is a reply
  }
  if (typeof text !== 'string' || text.trim() === '') return;
  const bot = await getUserById({ id: w.botId });
  if (!bot || bot.deactivatedAt) return;
  const payload = JSON.parse(d.payload) as DeliveryPayload;
  const actor: Actor = { id: bot.id, username: bot.username, isAdmin: false, via: 'token' };
  await sendMessage(actor, payload.conversation.id, {
    body: text.trim().slice(0, MAX_REPLY_CHARS),
    clientId: `webhook-${d.id}`,
    ...(payload.message.threadId ? { threadId: payload.message.threadId } : {}),
  });
}

async function tellOwnerDisabled(w: OutgoingWebhook): Promise<void> {
  if (!w.botId) return;
  const bot = await getUserById({ id: w.botId });
  if (!bot) return;
  const actor: Actor = { id: bot.id, username: bot.username, isAdmin: false, via: 'token' };
  const where = w.conversationId ? 'a conversation webhook' : 'an outgoing webhook';
  const { conversation } = await createConversation(actor, { kind: 'direct', userId: w.ownerId });
  await sendMessage(actor, conversation.id, {
    body: `I disabled ${where} (\`${w.url}\`) after ${w.consecutiveFailures + 1} failed deliveries in a row. Fix the receiver, then enable it again in its settings.`,
  });
}

/**
 * A delivery written with its message has no body yet (payload ''): it is built here, once, from the message as
 * stored, and kept, so every attempt sends (and signs) the same bytes. Undefined when the message is gone or deleted.
 */
async function withPayload(d: WebhookDelivery, w: OutgoingWebhook): Promise<WebhookDelivery | undefined> {
  if (d.payload !== '') return d;
  const row = d.messageId ? await getMessageById({ id: d.messageId }) : undefined;
  const conversation = row && !row.deletedAt ? await getConversationById({ id: row.conversationId }) : undefined;
  if (!row || !conversation) return undefined;
  const [[message], bot] = await Promise.all([hydrateMessages([row]), w.botId ? getUserById({ id: w.botId }) : undefined]);
  const payload = JSON.stringify(
    deliveryPayload(
      d,
      { id: conversation.id, kind: conversation.kind, title: conversation.title },
      message!,
      bot ? { id: bot.id, username: bot.username, displayName: bot.displayName } : undefined,
    ),
  );
  await wq.finishDelivery({ id: d.id, patch: { payload } });
  return { ...d, payload };
}

async function deliver(claimed: WebhookDelivery): Promise<void> {
  const w = await wq.getOutgoingWebhookById({ id: claimed.webhookId });
  if (!w) return; // deleted: its deliveries went with it
  if (!w.enabled) {
    await wq.finishDelivery({ id: claimed.id, patch: { status: 'failed', lastError: 'The subscription is disabled', completedAt: new Date(), lockedUntil: null } });
    return;
  }
  const d = await withPayload(claimed, w);
  if (!d) {
    await wq.finishDelivery({ id: claimed.id, patch: { status: 'failed', lastError: 'The message was deleted before it was sent', completedAt: new Date(), lockedUntil: null } });
    return;
  }
  const t0 = Date.now();
  const outcome = await attempt(w, d);
  const durationMs = Date.now() - t0;
  if (outcome.kind === 'ok') {
    await wq.finishDelivery({ id: d.id, patch: { status: 'succeeded', lastStatusCode: outcome.status, lastError: null, durationMs, completedAt: new Date(), lockedUntil: null } });
    await wq.recordOutcome({ webhookId: w.id, ok: true, disableAfter: env.WEBHOOK_DISABLE_AFTER });
    await postReply(w, d, outcome.body).catch((e) => logger.warn({ err: e, deliveryId: d.id }, 'webhook reply not posted'));
  } else {
    const delay = retryDelayMs(d.attempts);
    const retry = outcome.kind === 'retry' && Date.now() + delay - d.createdAt.getTime() <= RETRY_WINDOW_MS;
    if (retry) {
      await wq.finishDelivery({
        id: d.id,
        patch: { status: 'pending', lastStatusCode: outcome.status, lastError: outcome.error, durationMs, nextAttemptAt: new Date(Date.now() + delay), lockedUntil: null },
      });
      // This node tries again on time (the poll is only the net for other nodes' leftovers).
      setTimeout(kickWebhookRunner, delay + 5).unref();
      return;
    }
    await wq.finishDelivery({ id: d.id, patch: { status: 'failed', lastStatusCode: outcome.status, lastError: outcome.error, durationMs, completedAt: new Date(), lockedUntil: null } });
    const r = await wq.recordOutcome({ webhookId: w.id, ok: false, disableAfter: env.WEBHOOK_DISABLE_AFTER });
    if (r?.disabledNow) {
      forgetSubscriptions();
      await tellOwnerDisabled({ ...w, consecutiveFailures: r.failures - 1 }).catch((e) => logger.warn({ err: e, webhookId: w.id }, 'could not tell the owner'));
    }
  }
  await wq.pruneDeliveries({ webhookId: w.id, keep: KEEP_DELIVERIES });
}

/**
 * Starts this node's runner: at once when this process enqueues a delivery, when one of its retries comes due, and
 * every WEBHOOK_POLL_MS for what other nodes left (a node that died mid-attempt). An idle server asks the
 * database nothing more often than that. Answers a stop function that waits for the attempts in flight.
 */
export function startWebhookRunner(): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  const inflight = new Set<Promise<void>>();

  const tick = async () => {
    for (;;) {
      again = false;
      const due = await wq.claimDueDeliveries({ limit: CLAIM_BATCH, leaseMs: env.WEBHOOK_LEASE_MS });
      for (const d of due) {
        const p = deliver(d)
          .catch((e) => logger.error({ err: e, deliveryId: d.id }, 'webhook delivery failed'))
          .finally(() => inflight.delete(p));
        inflight.add(p);
      }
      if (stopped || (due.length < CLAIM_BATCH && !again)) return;
    }
  };
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = tick()
      .catch((e) => logger.error({ err: e }, 'webhook runner'))
      .finally(() => {
        running = undefined;
        if (again) run();
      });
  };
  const timer = setInterval(run, env.WEBHOOK_POLL_MS);
  timer.unref();
  setWebhookKick(run);
  run();
  return async () => {
    stopped = true;
    clearInterval(timer);
    setWebhookKick(undefined);
    await running;
    await Promise.allSettled([...inflight]);
  };
}
