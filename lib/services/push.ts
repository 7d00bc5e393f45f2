import * as cq from '../../db/queries/conversations';
import * as pq from '../../db/queries/push';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newId } from '../ids';
import { checkOutboundUrl, OutboundError } from '../outbound';
import { sendPush, type PushTarget } from '../push/sender';
import { vapid } from '../push/vapid';
import { getIo } from '../realtime/io';
import { rooms } from '../realtime/rooms';
import type { MessageDto } from '../validation/dto';
import { getMessageById } from '../../db/queries/messages';
import { getFollowerIds } from '../../db/queries/threads';
import { getUsersByIds } from '../../db/queries/users';
import { claimUrgentPush } from '../../db/queries/attention';
import { effectiveNotify, isDndActive } from './attention';

async function threadAudience(rootId: string): Promise<Set<string>> {
  const [root, followers] = await Promise.all([getMessageById({ id: rootId }), getFollowerIds({ rootId })]);
  const ids = new Set(followers.following);
  if (root?.senderId && !followers.optedOut.includes(root.senderId)) ids.add(root.senderId);
  return ids;
}

export function vapidPublicKey(): string {
  return vapid().publicKey;
}

/**
 * Push endpoints go through the outbound guard (lib/outbound): https to a public address, or a host an admin listed
 * in OUTBOUND_ALLOW. Checked here (400) and again at every delivery (a name may resolve elsewhere later). A name that
 * does not resolve now is accepted (a push service may be unreachable for a moment); delivery refuses it if it
 * later resolves to a refused address.
 */
async function assertEndpoint(endpoint: string): Promise<void> {
  const refuse = (message: string) => new AppError('bad_request', message, { issues: [{ path: ['endpoint'], message }] });
  try {
    await checkOutboundUrl(endpoint, { timeoutMs: 5_000 });
  } catch (e) {
    if (!(e instanceof OutboundError)) throw e;
    if (e.code === 'invalid_url') throw refuse('endpoint is not a URL');
    if (e.code === 'scheme') throw refuse('endpoint must be an https URL');
    if (e.code === 'refused') throw refuse('endpoint points to an address the server does not connect to');
    // dns / timeout: accepted; every delivery re-checks.
  }
}

/** Per user; subscribing beyond it removes the oldest. */
export const MAX_PUSH_SUBSCRIPTIONS = 10;

export async function subscribe(actor: Actor, sub: { endpoint: string; keys: { p256dh: string; auth: string } }) {
  await assertEndpoint(sub.endpoint);
  const row = await pq.upsertSubscription({ id: newId(), userId: actor.id, endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth });
  // A capped list: a script that subscribes endlessly cannot make every message fan out to thousands of endpoints.
  await pq.trimSubscriptions({ userId: actor.id, keep: MAX_PUSH_SUBSCRIPTIONS });
  return { id: row.id };
}

/** The caller's own subscriptions (devices), newest first. */
export async function listSubscriptions(actor: Actor) {
  const rows = await pq.listSubscriptionsOfUser({ userId: actor.id });
  return rows.map((r) => ({ endpoint: r.endpoint, createdAt: r.createdAt.toISOString(), lastSuccessAt: r.lastSuccessAt?.toISOString() ?? null }));
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

/** What the send path knows beyond the message: keyword matches (private to their owners) and the urgent mark. */
export interface PushExtras {
  keywordUserIds: string[];
  urgent: boolean;
}

/**
 * After a message is stored and announced: a push to members with no visible Chattrix tab, by each member's
 * notification level here: "all" every message, "mentions" only @-mentions (and @channel/@here) and keyword matches,
 * "none" nothing. A thread reply goes to the thread's followers (unless "none") and to those it mentions. Never to
 * the sender; never to someone in do-not-disturb, except an urgent direct message (once an hour per sender). Fire
 * and forget: it never delays delivery.
 */
export async function notifyNewMessage(m: MessageDto, extras: PushExtras = { keywordUserIds: [], urgent: false }): Promise<void> {
  if (m.kind !== 'user' || !m.sender) return;
  // The common case (nobody in the conversation has push on) costs one query.
  let subs = await pq.listSubscriptionsForConversation({ conversationId: m.conversationId, excludeUserId: m.sender.id });
  if (subs.length === 0) return;
  const conversation = await cq.getConversationById({ id: m.conversationId });
  if (!conversation) return;
  const mentioned = new Set([...m.mentions, ...extras.keywordUserIds]);
  // The default level of a channel depends on its size: counted only when someone here has no level of their own.
  const memberCount =
    conversation.kind === 'channel' && subs.some((s) => !s.notify) ? ((await cq.countMembers({ conversationIds: [conversation.id] })).get(conversation.id) ?? 0) : 0;
  const followers = m.threadId ? await threadAudience(m.threadId) : undefined;
  subs = subs.filter((s) => {
    if (mentioned.has(s.userId)) return true;
    const level = effectiveNotify(s.notify, conversation.kind, memberCount);
    if (level === 'none') return false;
    // A thread reply: among the thread's followers (and the root's author, who follows it from now).
    if (followers) return followers.has(s.userId);
    return level === 'all';
  });
  if (subs.length === 0) return;
  // Someone looking at Chattrix right now needs no push.
  const visible = await usersWithVisibleTab([...new Set(subs.map((s) => s.userId))]);
  subs = subs.filter((s) => !visible.has(s.userId));
  if (subs.length === 0) return;
  const userIds = [...new Set(subs.map((s) => s.userId))];
  const quiet = new Set((await getUsersByIds({ ids: userIds })).filter((u) => isDndActive(u)).map((u) => u.id));
  if (quiet.size > 0) {
    const now = new Date();
    for (const id of quiet) {
      // An urgent direct message breaks through once an hour per sender.
      if (extras.urgent && conversation.kind === 'direct' && (await claimUrgentPush({ senderId: m.sender.id, recipientId: id, now }))) quiet.delete(id);
    }
    subs = subs.filter((s) => !quiet.has(s.userId));
    if (subs.length === 0) return;
  }
  const title =
    conversation.kind === 'direct'
      ? m.sender.displayName
      : `${m.sender.displayName} in ${conversation.kind === 'channel' ? '#' : ''}${conversation.title ?? 'a group'}`;
  const payload = JSON.stringify({
    conversationId: m.conversationId,
    messageId: m.id,
    title,
    body: preview(m),
    url: `/c/${m.conversationId}`,
    tag: `conversation-${m.conversationId}`,
    ...(extras.urgent && conversation.kind === 'direct' ? { urgent: true } : {}),
  });
  for (const s of subs) deliver(s, payload, m.conversationId);
}
