import { listWhoBlocked } from '../../db/queries/blocks';
import * as cq from '../../db/queries/conversations';
import * as mq from '../../db/queries/messages';
import * as tq from '../../db/queries/threads';
import type { Conversation, ConversationMember } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { getOnlineUserIds } from '../realtime/presence';
import { publishToConversation, publishToUsers } from '../realtime/publish';
import { iso, type MessageDto, type ThreadSummaryDto } from '../validation/dto';
import { decodeCursor, encodeCursor } from './cursor';
import { hydrateMessages, requireReader } from './messages';

// ---------------------------------------------------------------------------------------------------------------
// Thread summaries on roots

/** Adds `thread` (counts, participants, the viewer's follow state and unread count) to the roots among these. */
export async function withThreads(list: MessageDto[], viewerId: string): Promise<MessageDto[]> {
  const candidates = list.filter((m) => !m.threadId && m.kind === 'user').map((m) => m.id);
  if (candidates.length === 0) return list;
  const stats = await tq.getThreadStats({ rootIds: candidates });
  if (stats.size === 0) return list;
  const roots = [...stats.keys()];
  const [follows, unread] = await Promise.all([tq.getFollowRows({ rootIds: roots, userId: viewerId }), tq.countUnread({ rootIds: roots, userId: viewerId })]);
  return list.map((m) => {
    const s = stats.get(m.id);
    if (!s) return m;
    const following = follows.get(m.id)?.following ?? false;
    return {
      ...m,
      thread: {
        replyCount: s.replyCount,
        lastReplyAt: iso(s.lastReplyAt),
        participantIds: s.participantIds,
        following,
        unreadCount: following ? (unread.get(m.id) ?? 0) : 0,
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/** A reply's root: a user message of this conversation, itself not a reply, visible to the sender. */
export async function assertThreadRoot(conversationId: string, rootId: string, visibleFromSeq: number): Promise<void> {
  const root = await mq.getMessageById({ id: rootId });
  if (!root || root.conversationId !== conversationId || root.seq < visibleFromSeq || root.kind !== 'user') {
    throw new AppError('bad_request', 'threadId is not a message of this conversation', { issues: [{ path: ['threadId'], message: 'Unknown message' }] });
  }
  if (root.threadId) {
    throw new AppError('bad_request', 'Reply to the thread itself, not to a reply', { issues: [{ path: ['threadId'], message: 'That message is a reply' }] });
  }
}

/**
 * After a reply is stored and announced (or deleted): the follow rules, then `thread:updated` (the shared summary)
 * to the conversation's room and `thread:unread` (follow state and unread count) to each follower.
 */
export async function afterThreadReply(reply: MessageDto, opts: { deleted?: boolean } = {}): Promise<void> {
  const rootId = reply.threadId;
  if (!rootId) return;
  if (!opts.deleted && reply.sender) {
    const root = await mq.getMessageById({ id: rootId });
    await tq.applyReplyFollows({
      rootId,
      conversationId: reply.conversationId,
      rootAuthorId: root?.senderId ?? null,
      replierId: reply.sender.id,
      replySeq: reply.seq,
      mentionedIds: reply.mentions,
    });
  }
  await announceThread(reply.conversationId, rootId);
}

async function announceThread(conversationId: string, rootId: string): Promise<void> {
  const [stats, followers] = await Promise.all([tq.getThreadStats({ rootIds: [rootId] }), tq.listFollowersWithUnread({ rootId })]);
  const s = stats.get(rootId);
  const thread: ThreadSummaryDto = {
    replyCount: s?.replyCount ?? 0,
    lastReplyAt: iso(s?.lastReplyAt ?? null),
    participantIds: s?.participantIds ?? [],
    // Per person: see thread:unread.
    following: false,
    unreadCount: 0,
  };
  publishToConversation(conversationId, 'thread:updated', { conversationId, rootId, thread });
  for (const f of followers) publishToUsers([f.userId], 'thread:unread', { conversationId, rootId, following: true, unreadCount: f.unread });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

async function loadRoot(actor: Actor, rootId: string) {
  const root = await mq.getMessageById({ id: rootId });
  if (!root) throw new AppError('not_found', 'No such message');
  const access = await requireReader(actor, root.conversationId).catch(() => {
    throw new AppError('not_found', 'No such message');
  });
  if (root.seq < (access.member?.visibleFromSeq ?? 0)) throw new AppError('not_found', 'No such message');
  if (root.threadId) throw new AppError('bad_request', 'That message is a reply; open its thread', { issues: [{ path: ['id'], message: 'A reply' }] });
  return { root, ...access };
}

async function seqInThread(rootId: string, messageId: string, field: string): Promise<number> {
  const m = await mq.getMessageById({ id: messageId });
  if (!m || (m.threadId !== rootId && m.id !== rootId)) {
    throw new AppError('bad_request', `${field} is not a message of this thread`, { issues: [{ path: [field], message: 'Unknown message' }] });
  }
  return m.seq;
}

/** `GET /messages/{id}/thread`: the root (a tombstone when deleted) and a page of replies, oldest first. */
export async function getThread(
  actor: Actor,
  rootId: string,
  query: { before?: string; after?: string; around?: string; limit: number },
): Promise<{ root: MessageDto; messages: MessageDto[]; hasMore: boolean; hasMoreAfter?: boolean }> {
  const { root } = await loadRoot(actor, rootId);
  if ([query.before, query.after, query.around].filter(Boolean).length > 1) throw new AppError('bad_request', 'Use one of before, after and around');
  const [rootDto] = await withThreads(await hydrateMessages([root]), actor.id);
  if (query.around) {
    const seq = await seqInThread(rootId, query.around, 'around');
    const half = Math.max(1, Math.floor(query.limit / 2));
    const [older, newer] = await Promise.all([
      tq.listThreadPage({ rootId, beforeSeq: seq + 1, limit: query.limit - half }),
      tq.listThreadPage({ rootId, afterSeq: seq, limit: half }),
    ]);
    return { root: rootDto!, messages: await hydrateMessages([...older.rows, ...newer.rows]), hasMore: older.hasMore, hasMoreAfter: newer.hasMore };
  }
  const beforeSeq = query.before ? await seqInThread(rootId, query.before, 'before') : undefined;
  const afterSeq = query.after ? await seqInThread(rootId, query.after, 'after') : undefined;
  const page = await tq.listThreadPage({ rootId, beforeSeq, afterSeq, limit: query.limit });
  return { root: rootDto!, messages: await hydrateMessages(page.rows), hasMore: page.hasMore };
}

export async function setFollow(actor: Actor, rootId: string, following: boolean): Promise<void> {
  const { root, member } = await loadRoot(actor, rootId);
  if (!member) throw new AppError('forbidden', 'Join the channel to follow its threads');
  await tq.setFollowing({ rootId, userId: actor.id, conversationId: root.conversationId, following });
  const unread = following ? ((await tq.countUnread({ rootIds: [rootId], userId: actor.id })).get(rootId) ?? 0) : 0;
  publishToUsers([actor.id], 'thread:unread', { conversationId: root.conversationId, rootId, following, unreadCount: unread });
}

/** `POST /messages/{id}/thread/read {messageId}`: the caller read the thread up to that reply (or the root). */
export async function markThreadRead(actor: Actor, rootId: string, messageId: string): Promise<void> {
  const { root, member } = await loadRoot(actor, rootId);
  if (!member) return; // a reader who has not joined keeps no read state
  const seq = await seqInThread(rootId, messageId, 'messageId');
  await tq.markThreadRead({ rootId, userId: actor.id, conversationId: root.conversationId, seq });
  const row = (await tq.getFollowRows({ rootIds: [rootId], userId: actor.id })).get(rootId);
  const unread = row?.following ? ((await tq.countUnread({ rootIds: [rootId], userId: actor.id })).get(rootId) ?? 0) : 0;
  publishToUsers([actor.id], 'thread:unread', { conversationId: root.conversationId, rootId, following: row?.following ?? false, unreadCount: unread });
}

/** `GET /threads`: the caller's followed threads with replies, newest activity first. */
export async function listThreads(
  actor: Actor,
  query: { limit: number; cursor?: string },
): Promise<{ threads: { root: MessageDto; lastReplies: MessageDto[]; unreadCount: number; mentionCount: number }[]; nextCursor: string | null; unreadTotal: number }> {
  const after = query.cursor ? decodeCursor(query.cursor, { at: 'timestamp', rootId: 'string' }) : undefined;
  const page = await tq.listFollowedThreads({ userId: actor.id, after, limit: query.limit });
  const rootIds = page.rows.map((r) => r.root_id);
  const [roots, last] = await Promise.all([mq.getMessagesByIds({ ids: rootIds }), tq.listLastReplies({ rootIds, per: 2 })]);
  const rootDtos = new Map((await withThreads(await hydrateMessages(roots), actor.id)).map((m) => [m.id, m]));
  const lastDtos = await hydrateMessages(last);
  const threads = page.rows.flatMap((r) => {
    const root = rootDtos.get(r.root_id);
    if (!root) return [];
    return [{ root, lastReplies: lastDtos.filter((m) => m.threadId === r.root_id), unreadCount: Number(r.unread), mentionCount: Number(r.mentions) }];
  });
  const lastRow = page.rows[page.rows.length - 1];
  return {
    threads,
    nextCursor: page.hasMore && lastRow ? encodeCursor({ at: lastRow.last_at_text, rootId: lastRow.root_id }) : null,
    unreadTotal: after ? 0 : threads.reduce((n, t) => n + (t.unreadCount > 0 ? 1 : 0), 0),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// @channel and @here

/** Channels bigger than this: only owners and admins may notify everyone. */
export const BROADCAST_LIMIT = 50;
const BROADCAST_RE = /(^|[^A-Za-z0-9_.@])@(channel|here|everyone)\b/gi;

export function broadcastKinds(body: string): Set<'channel' | 'here'> {
  const kinds = new Set<'channel' | 'here'>();
  for (const m of body.matchAll(BROADCAST_RE)) kinds.add(m[2]!.toLowerCase() === 'here' ? 'here' : 'channel');
  return kinds;
}

/**
 * `@channel` / `@everyone` (every member) and `@here` (members online now) in a channel or group: the members they
 * notify (as mentions). In a channel of more than 50 members only owners and admins may use them: anyone else's
 * message is refused with `forbidden` (not silently downgraded: the sender learns why nobody was notified).
 */
export async function broadcastMentions(
  actor: Actor,
  member: Pick<ConversationMember, 'role'>,
  conversation: Pick<Conversation, 'id' | 'kind'>,
  body: string,
): Promise<string[]> {
  const kinds = broadcastKinds(body);
  if (kinds.size === 0 || conversation.kind === 'direct') return [];
  const ids = (await cq.listMemberIds({ conversationId: conversation.id })).filter((id) => id !== actor.id);
  const privileged = member.role === 'owner' || member.role === 'admin' || actor.isAdmin;
  if (conversation.kind === 'channel' && ids.length + 1 > BROADCAST_LIMIT && !privileged) {
    throw new AppError('forbidden', `Only owners and admins can use @channel or @here in channels of more than ${BROADCAST_LIMIT} members`);
  }
  // Someone who blocked the author is not notified by their @channel / @here either.
  const blockedBy = new Set(await listWhoBlocked({ blockedId: actor.id, blockerIds: ids }));
  const reachable = ids.filter((id) => !blockedBy.has(id));
  if (kinds.has('channel')) return reachable;
  const online = await getOnlineUserIds(reachable);
  return reachable.filter((id) => online.has(id));
}
