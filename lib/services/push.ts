import * as cq from '../../db/queries/conversations';
import * as pq from '../../db/queries/push';
import type { Actor } from '../auth/actor';
import { env } from '../env';
import { AppError } from '../errors';
import { newId } from '../ids';
import { sendPush, type PushTarget } from '../push/sender';
import { vapid } from '../push/vapid';
import { getIo } from '../realtime/io';
import { rooms } from '../realtime/rooms';
import type { MessageDto } from '../validation/dto';

export function vapidPublicKey(): string {
  return vapid().publicKey;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Push endpoints are https; plain http only to loopback outside production (a test push service). */
function assertEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new AppError('bad_request', 'endpoint is not a URL', { issues: [{ path: ['endpoint'], message: 'Not a URL' }] });
  }
  const ok = url.protocol === 'https:' || (url.protocol === 'http:' && env.NODE_ENV !== 'production' && LOOPBACK.has(url.hostname));
  if (!ok) throw new AppError('bad_request', 'endpoint must be an https URL', { issues: [{ path: ['endpoint'], message: 'Must be https' }] });
}

export async function subscribe(actor: Actor, sub: { endpoint: string; keys: { p256dh: string; auth: string } }) {
  assertEndpoint(sub.endpoint);
  const row = await pq.upsertSubscription({ id: newId(), userId: actor.id, endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth });
  return { id: row.id };
}

export async function unsubscribe(actor: Actor, endpoint: string): Promise<void> {
  await pq.deleteSubscription({ userId: actor.id, endpoint });
}

/** Users with at least one socket whose tab is visible (on any node). */
async function usersWithVisibleTab(userIds: string[]): Promise<Set<string>> {
  const io = getIo();
  const visible = new Set<string>();
  if (!io || userIds.length === 0) return visible;
  const sockets = await io.in(userIds.map(rooms.user)).fetchSockets();
  for (const s of sockets) if (s.data.visible) visible.add(s.data.userId);
  return visible;
}

const RETRY_DELAYS_MS = [2_000, 15_000, 60_000];

function deliver(sub: PushTarget & { id: string }, payload: string, topic: string, attempt = 0): void {
  void sendPush(sub, payload, { topic }).then(async (r) => {
    if (r.ok) return pq.recordPushResult({ id: sub.id, ok: true }).catch(() => {});
    if (r.gone) return pq.deleteSubscriptionById({ id: sub.id }).catch(() => {});
    await pq.recordPushResult({ id: sub.id, ok: false }).catch(() => {});
    const delay = RETRY_DELAYS_MS[attempt];
    if (delay !== undefined) setTimeout(() => deliver(sub, payload, topic, attempt + 1), delay).unref();
  });
}

function preview(m: MessageDto): string {
  // Markdown markers go; an underscore inside a word (snake_case, @user_name) is part of it and stays.
  const text = m.body
    .replace(/```[\s\S]*?```/g, '[code]')
    .replace(/[*`]+/g, '')
    .replace(/(^|[^\p{L}\p{N}_])_+|_+(?=[^\p{L}\p{N}_]|$)/gu, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  const files = m.attachments.length ? `📎 ${m.attachments.length === 1 ? m.attachments[0]!.name : `${m.attachments.length} files`}` : '';
  const body = text || files;
  return body.length > 140 ? body.slice(0, 137) + '…' : body;
}

/**
 * After a message is stored and announced: a push to members with no visible Chattrix tab, for every message in
 * DMs and groups and for mentions in channels; never to the sender or for muted conversations. Fire and forget:
 * it never delays delivery.
 */
export async function notifyNewMessage(m: MessageDto): Promise<void> {
  if (m.kind !== 'user' || !m.sender) return;
  // The common case (nobody in the conversation has push on) costs one query.
  let subs = await pq.listSubscriptionsForConversation({ conversationId: m.conversationId, excludeUserId: m.sender.id });
  if (subs.length === 0) return;
  const conversation = await cq.getConversationById({ id: m.conversationId });
  if (!conversation) return;
  if (conversation.kind === 'channel') subs = subs.filter((s) => m.mentions.includes(s.userId));
  if (subs.length === 0) return;
  const visible = await usersWithVisibleTab([...new Set(subs.map((s) => s.userId))]);
  const title =
    conversation.kind === 'direct'
      ? m.sender.displayName
      : `${m.sender.displayName} in ${conversation.kind === 'channel' ? '#' : ''}${conversation.title ?? 'a group'}`;
  const payload = JSON.stringify({ conversationId: m.conversationId, title, body: preview(m), url: `/c/${m.conversationId}`, tag: `conversation-${m.conversationId}` });
  for (const s of subs) if (!visible.has(s.userId)) deliver(s, payload, m.conversationId);
}
