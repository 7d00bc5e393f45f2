/**
 * Outgoing webhooks, the enqueue side: which subscriptions a stored message concerns, and their deliveries written
 * as durable jobs (webhook_deliveries). Called by the message write path after a message is stored; the runner
 * (lib/services/outgoing-webhooks.ts) sends them. Kept apart from that module so the write path does not import
 * sendMessage back.
 */
import { getConversationById } from '../../db/queries/conversations';
import { getUsersByIds } from '../../db/queries/users';
import { insertDeliveries, listEnabledSubscriptions } from '../../db/queries/webhooks';
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

/** The events `message` raises for `sub` (at most one: a mention in a DM to the bot is the DM). */
function matchEvent(sub: Sub, message: MessageDto, conversation: { kind: string; directKey: string | null }): OutgoingWebhookEvent | undefined {
  const sender = message.sender?.id;
  // A bot's own messages (its replies) never trigger its subscriptions: no loops.
  if (sub.botId && sender === sub.botId) return undefined;
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
 * Writes the deliveries a newly stored message raises (none, usually: without subscriptions this costs no query
 * beyond the cached list). Ordinary user messages only; system lines and deleted messages raise nothing.
 */
export async function enqueueMessageEvents(message: MessageDto): Promise<number> {
  if (message.kind !== 'user' || message.deletedAt) return 0;
  const subs = await subscriptions();
  if (subs.length === 0) return 0;
  const candidates = subs.filter((s) => s.conversationId === message.conversationId || (!s.conversationId && s.botId));
  if (candidates.length === 0) return 0;
  const conv = await getConversationById({ id: message.conversationId });
  if (!conv) return 0;
  const matched = candidates.flatMap((s) => {
    const type = matchEvent(s, message, conv);
    return type ? [{ sub: s, type }] : [];
  });
  if (matched.length === 0) return 0;
  const botInfo = await botSummaries([...new Set(matched.flatMap((m) => (m.sub.botId ? [m.sub.botId] : [])))]);
  const conversation = { id: conv.id, kind: conv.kind, title: conv.title };
  const now = new Date();
  await insertDeliveries({
    deliveries: matched.map(({ sub, type }) => {
      const id = newId();
      const bot = sub.botId ? botInfo.get(sub.botId) : undefined;
      const payload: DeliveryPayload = { id, type, createdAt: now.toISOString(), conversation, message, ...(bot ? { bot } : {}) };
      return { id, webhookId: sub.id, eventType: type, payload: JSON.stringify(payload), nextAttemptAt: now };
    }),
  });
  kickWebhookRunner();
  return matched.length;
}

async function botSummaries(ids: string[]): Promise<Map<string, DeliveryPayload['bot']>> {
  if (ids.length === 0) return new Map();
  const rows = await getUsersByIds({ ids });
  return new Map(rows.map((u) => [u.id, { id: u.id, username: u.username, displayName: u.displayName }]));
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
