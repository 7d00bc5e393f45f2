/**
 * Outgoing webhooks, the enqueue side: which subscriptions a message about to be stored concerns. The write path asks
 * before it stores the message and writes the deliveries (webhook_deliveries, durable jobs) in the message's own
 * transaction: a message that is stored has its deliveries, even if the process dies the moment after. The runner
 * (lib/services/outgoing-webhooks.ts) builds each body from the stored message and sends it. Kept apart from that
 * module so the write path does not import sendMessage back.
 */
import { getConversationById } from '../../db/queries/conversations';
import { listEnabledSubscriptions } from '../../db/queries/webhooks';
import type { OutgoingWebhookEvent } from '../../db/schema';
import { env } from '../env';
import { newId } from '../ids';
import type { MessageDto } from '../validation/dto';

/** One attempt: DNS, connect and answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Retries stop this long after the event. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
export const MAX_RETRY_DELAY_MS = 3_600_000;
export const KEEP_DELIVERIES = 50;
export const DISABLE_AFTER_FAILURES = env.WEBHOOK_DISABLE_AFTER;

export interface DeliveryPayload {
  id: string;
  type: OutgoingWebhookEvent;
  createdAt: string;
  conversation: { id: string; kind: 'direct' | 'group' | 'channel'; title: string | null };
  message: MessageDto;
  bot?: { id: string; username: string; displayName: string };
}

/** The delay before attempt `attempts + 1`: base · 2^(attempts−1), capped at an hour. */
export function retryDelayMs(attempts: number, base = env.WEBHOOK_RETRY_BASE_MS): number {
  return Math.min(base * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

type Sub = Awaited<ReturnType<typeof listEnabledSubscriptions>>[number];
const SUBS_TTL_MS = 5_000;
const g = globalThis as unknown as {
  __chattrixWebhookSubs?: { at: number; subs: Promise<Sub[]> };
  /** Wakes this process's delivery runner (set by startWebhookRunner). */
  __chattrixWebhookKick?: () => void;
};

/** The enabled subscriptions, cached for a few seconds per process (another node's change shows within 5 s). */
function subscriptions(): Promise<Sub[]> {
  const c = g.__chattrixWebhookSubs;
  if (c && Date.now() - c.at < SUBS_TTL_MS) return c.subs;
  const subs = listEnabledSubscriptions();
  g.__chattrixWebhookSubs = { at: Date.now(), subs };
  subs.catch(() => (g.__chattrixWebhookSubs = undefined));
  return subs;
}

export function forgetSubscriptions(): void {
  g.__chattrixWebhookSubs = undefined;
}

export function kickWebhookRunner(): void {
  g.__chattrixWebhookKick?.();
}

export function setWebhookKick(fn: (() => void) | undefined): void {
  g.__chattrixWebhookKick = fn;
}

function firstWord(body: string): string {
  return body.trimStart().split(/\s+/, 1)[0] ?? '';
}

/** What the write path knows of a message before it is stored: enough to tell which subscriptions it concerns. */
export interface MessageDraft {
  conversationId: string;
  senderId: string;
  body: string;
  /** The users it mentions (by name, @channel or @here). */
  mentions: string[];
}

/** A delivery the write path stores with its message (the runner builds the body from the stored message). */
export interface PlannedDelivery {
  id: string;
  webhookId: string;
  eventType: OutgoingWebhookEvent;
}

/** The event `message` raises for `sub` (at most one: a mention in a DM to the bot is the DM). */
function matchEvent(sub: Sub, message: MessageDraft, conversation: { kind: string; directKey: string | null }): OutgoingWebhookEvent | undefined {
  // A bot's own messages (its replies) never trigger its subscriptions: no loops.
  if (sub.botId && message.senderId === sub.botId) return undefined;
  const events = sub.events as OutgoingWebhookEvent[];
  if (sub.conversationId) {
    if (sub.conversationId !== message.conversationId || !events.includes('message.created')) return undefined;
    if (sub.triggerWord && firstWord(message.body).toLowerCase() !== sub.triggerWord.toLowerCase()) return undefined;
    return 'message.created';
  }
  if (!sub.botId) return undefined;
  if (events.includes('bot.direct_message') && conversation.kind === 'direct' && conversation.directKey?.split(':').includes(sub.botId)) return 'bot.direct_message';
  if (events.includes('bot.mentioned') && message.mentions.includes(sub.botId)) return 'bot.mentioned';
  return undefined;
}

/**
 * The deliveries a user's message will raise once stored (none, usually: without subscriptions this costs no query
 * beyond the cached list; with some, one conversation lookup when one of them could match).
 */
export async function planMessageEvents(message: MessageDraft): Promise<PlannedDelivery[]> {
  const subs = await subscriptions();
  if (subs.length === 0) return [];
  const candidates = subs.filter((s) => s.conversationId === message.conversationId || (!s.conversationId && s.botId));
  if (candidates.length === 0) return [];
  const conv = await getConversationById({ id: message.conversationId });
  if (!conv) return [];
  return candidates.flatMap((s) => {
    const eventType = matchEvent(s, message, conv);
    return eventType ? [{ id: newId(), webhookId: s.id, eventType }] : [];
  });
}

/** The body of a delivery: its event, the conversation, the message as stored, and the subscription's bot. */
export function deliveryPayload(
  d: { id: string; eventType: string; createdAt: Date },
  conversation: DeliveryPayload['conversation'],
  message: MessageDto,
  bot: DeliveryPayload['bot'] | undefined,
): DeliveryPayload {
  return { id: d.id, type: d.eventType as OutgoingWebhookEvent, createdAt: d.createdAt.toISOString(), conversation, message, ...(bot ? { bot } : {}) };
}

/** What a delivery body looks like (the docs page shows it). */
export function deliveryPayloadExample(): DeliveryPayload {
  const at = '2026-01-01T12:00:00.000Z';
  return {
    id: '0195f3c4a1b2c3d4e5f60718',
    type: 'bot.mentioned',
    createdAt: at,
    conversation: { id: '0195f3c4a1b2c3d4e5f60001', kind: 'channel', title: 'deployments' },
    message: {
      id: '0195f3c4a1b2c3d4e5f60002',
      conversationId: '0195f3c4a1b2c3d4e5f60001',
      seq: 42,
      kind: 'user',
      sender: { id: '0195f3c4a1b2c3d4e5f60003', username: 'ana', displayName: 'Ana', avatarUrl: null },
      body: '@deploybot ship it',
      clientId: null,
      replyTo: null,
      attachments: [],
      reactions: [],
      mentions: ['0195f3c4a1b2c3d4e5f60004'],
      pinnedAt: null,
      createdAt: at,
      editedAt: null,
      deletedAt: null,
      threadId: null,
    },
    bot: { id: '0195f3c4a1b2c3d4e5f60004', username: 'deploybot', displayName: 'Deploy bot' },
  };
}
