import * as cq from '../../db/queries/conversations';
import * as mq from '../../db/queries/messages';
import type { Message } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newId } from '../ids';
import { iconPath } from '../integrations/icon-path';
import { publishToConversation, publishToUsers } from '../realtime/publish';
import { dbDriver } from '../../db';
import { metrics } from '../observability/metrics';
import { iso, type MessageDto, type ReactionDto } from '../validation/dto';
import type { SendMessageInput } from '../validation/messages';
import { assertAttachable, attachmentDto } from './attachments-dto';
import { isBlockedBetween, listWhoBlocked } from '../../db/queries/blocks';
import type { Conversation, MessageIntegration } from '../../db/schema';
import { removeFiles } from '../storage';
import { notifyNewMessage, type PushExtras } from './push';
import { resolveKeywordMentions } from './attention';
import { insertKeywordMentions } from '../../db/queries/attention';
import { afterThreadReply, assertThreadRoot, broadcastMentions, withThreads } from './threads';
import { kickWebhookRunner, planMessageEvents } from './webhook-events';
import { toUserRef } from './users';
import { clearDraftsAfterSend } from './drafts';
import { firstUrl, loadPreviews, previewMessage } from './previews';

// ---------------------------------------------------------------------------------------------------------------
// DTOs

export function toMessageDto(m: Message, x: mq.MessageExtras): MessageDto {
  const sender = m.senderId ? x.senders.get(m.senderId) : undefined;
  const deleted = m.deletedAt !== null;
  const reply = m.replyToId ? x.replies.get(m.replyToId) : undefined;
  const replySender = reply?.senderId ? x.senders.get(reply.senderId) : undefined;
  const reactionMap = new Map<string, string[]>();
  for (const r of x.reactions.get(m.id) ?? []) {
    const list = reactionMap.get(r.emoji);
    if (list) list.push(r.userId);
    else reactionMap.set(r.emoji, [r.userId]);
  }
  const reactions: ReactionDto[] = deleted ? [] : [...reactionMap].map(([emoji, userIds]) => ({ emoji, count: userIds.length, userIds }));
  return {
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    kind: m.kind,
    sender: sender ? toUserRef(sender) : null,
    body: deleted ? '' : m.body,
    clientId: m.clientId,
    replyTo:
      m.replyToId && !deleted
        ? {
            id: m.replyToId,
            sender: replySender ? toUserRef(replySender) : null,
            body: !reply || reply.deletedAt ? '' : reply.body.slice(0, 200),
            deleted: !reply || reply.deletedAt !== null,
          }
        : null,
    attachments: deleted ? [] : (x.attachments.get(m.id) ?? []).map(attachmentDto),
    reactions,
    mentions: deleted ? [] : (x.mentions.get(m.id) ?? []),
    pinnedAt: iso(m.pinnedAt),
    createdAt: iso(m.createdAt)!,
    editedAt: iso(m.editedAt),
    deletedAt: iso(m.deletedAt),
    threadId: m.threadId ?? null,
    alsoToChannel: m.alsoToChannel ?? false,
    ...(m.integration && !deleted
      ? { integration: m.integration.iconUrl ? { ...m.integration, icon: iconPath(m.integration.iconUrl) } : m.integration }
      : {}),
  };
}

export async function hydrateMessages(rows: Message[], knownSenders?: Map<string, mq.SenderRow>, opts: { fresh?: boolean } = {}): Promise<MessageDto[]> {
  if (rows.length === 0) return [];
  // Just stored (the write path): no preview exists yet, so no query for one.
  const [extras, previews] = await Promise.all([mq.loadMessageExtras({ rows, knownSenders }), opts.fresh ? new Map<string, never>() : loadPreviews(rows)]);
  return rows.map((m) => {
    const dto = toMessageDto(m, extras);
    const preview = previews.get(m.id);
    return preview ? { ...dto, preview } : dto;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Membership

/** The caller's membership, or `not_found` (a non-member learns nothing, not even that it exists). */
export async function requireMembership(actor: Pick<Actor, 'id'>, conversationId: string) {
  const row = await cq.getMembership({ conversationId, userId: actor.id });
  if (!row) throw new AppError('not_found', 'No such conversation');
  return row;
}

/**
 * Who may read a conversation: its members, and anyone signed in for a public channel (read before joining;
 * `member` is then null). Private channels, groups and DMs answer `not_found` to everyone else.
 */
export async function requireReader(actor: Pick<Actor, 'id'>, conversationId: string) {
  const row = await cq.getMembership({ conversationId, userId: actor.id });
  if (row) return row;
  const conversation = await cq.getConversationById({ id: conversationId });
  if (!conversation || conversation.kind !== 'channel' || conversation.private) throw new AppError('not_found', 'No such conversation');
  return { member: null, conversation };
}

/** An archived channel is read-only. */
export function assertWritable(conversation: { archived: boolean }): void {
  if (conversation.archived) throw new AppError('forbidden', 'This channel is archived: it is read-only until an owner or admin unarchives it');
}

// ---------------------------------------------------------------------------------------------------------------
// The write path: sendMessage is the only way a message gets stored.

interface Pending {
  row: mq.NewMessageRow;
  /** What the checks already loaded: the sender's profile (the DTO needs no query) and whether push may apply. */
  known?: { sender: mq.SenderRow; hasPush: boolean; push?: PushExtras };
  /** When sendMessage took it (metrics: store→emit latency). */
  at?: bigint;
  onStored?: (message: MessageDto, duplicate: boolean) => void;
  resolve: (r: { message: MessageDto; duplicate: boolean }) => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 500;
/** Batches stored at once on PostgreSQL (disjoint conversations). */
const MAX_IN_FLIGHT = 4;

/**
 * Coalesces concurrent sends into one statement. After commit, for each message in order: the sender's ack
 * (onStored), then `message:created` to the conversation's room. Durable before visible.
 *
 * Pipelined: on PostgreSQL up to MAX_IN_FLIGHT batches are stored at once, but never two that share a
 * conversation: a conversation is in at most one batch in flight, and its later sends wait in the queue in order.
 * So within a conversation the order messages are stored in (their seq) is the order they were sent and the
 * order they are announced in, while a send to another conversation does not wait for a flush it is not part of.
 * PGlite is one connection: one batch at a time there.
 */
class WriteBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;
  private busy = new Set<string>();

  enqueue(p: Pending): void {
    this.queue.push(p);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const max = dbDriver() === 'postgres' ? MAX_IN_FLIGHT : 1;
    while (this.inFlight < max && this.queue.length > 0) {
      const batch: Pending[] = [];
      const rest: Pending[] = [];
      const taken = new Set<string>();
      for (const p of this.queue) {
        const c = p.row.conversationId;
        if (batch.length < MAX_BATCH && !this.busy.has(c)) {
          batch.push(p);
          taken.add(c);
        } else rest.push(p);
      }
      if (batch.length === 0) return;
      // A conversation left in the queue because the batch is full stays behind its earlier sends: mark the
      // batch's conversations busy before the next selection.
      this.queue = rest;
      for (const c of taken) this.busy.add(c);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        for (const c of taken) this.busy.delete(c);
        this.inFlight--;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const stored = await mq.insertMessageBatch({ rows: batch.map((p) => p.row) });
      const knownSenders = new Map<string, mq.SenderRow>();
      for (const p of batch) if (p.known) knownSenders.set(p.known.sender.id, p.known.sender);
      const dtos = await hydrateMessages(
        stored.map((s) => s.message),
        knownSenders,
        { fresh: true },
      );
      batch.forEach((p, i) => {
        const message = dtos[i]!;
        const duplicate = stored[i]!.duplicate;
        try {
          p.onStored?.(message, duplicate);
        } catch (e) {
          console.error('[chattrix] ack failed:', e);
        }
        if (!duplicate) {
          publishToConversation(message.conversationId, 'message:created', { message });
          observeStored(message.kind, p.at);
          // Nobody else in the conversation had a push subscription when the send was checked: nothing to decide.
          if (p.known?.hasPush !== false) void notifyNewMessage(message, p.known?.push).catch((e) => console.error('[chattrix] push failed:', e));
        }
        p.resolve({ message, duplicate });
      });
      // Outgoing webhooks: the deliveries were stored with their messages; this node's runner sends them now.
      if (batch.some((p, i) => (p.row.deliveries?.length ?? 0) > 0 && !stored[i]!.duplicate)) kickWebhookRunner();
      // The authors' drafts where they just wrote: one statement for the whole batch, not awaited by the acks.
      const drafts = dtos.flatMap((m, i) => (m.kind === 'user' && m.sender && !stored[i]!.duplicate ? [{ userId: m.sender.id, conversationId: m.conversationId, threadId: m.threadId }] : []));
      if (drafts.length > 0) void clearDraftsAfterSend(drafts).catch((e) => console.error('[chattrix] draft clear failed:', e));
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }
}

function observeStored(kind: string, at: bigint | undefined): void {
  const m = metrics();
  m.messagesStored.inc({ kind });
  if (at !== undefined) m.storeToEmit.observe(Number(process.hrtime.bigint() - at) / 1e9);
}

const g = globalThis as unknown as { __chattrixBatcher?: WriteBatcher };
const batcher = (g.__chattrixBatcher ??= new WriteBatcher());

function store(row: mq.NewMessageRow, onStored?: Pending['onStored'], known?: Pending['known']) {
  const at = process.hrtime.bigint();
  return new Promise<{ message: MessageDto; duplicate: boolean }>((resolve, reject) => batcher.enqueue({ row, onStored, known, resolve, reject, at }));
}

export async function sendMessage(
  actor: Actor,
  conversationId: string,
  input: SendMessageInput,
  hooks: { onStored?: (message: MessageDto, duplicate: boolean) => void } = {},
  /** Set by integrations (incoming webhooks, slash commands): a name override, an icon, cards. */
  extra: { integration?: MessageIntegration } = {},
): Promise<{ message: MessageDto; duplicate: boolean }> {
  // Membership, conversation, block state, the sender's profile and "may push apply" in one coalesced statement.
  const ctx = await mq.loadSendContext({ conversationId, userId: actor.id });
  if (!ctx) throw new AppError('not_found', 'No such conversation');
  assertWritable(ctx.conversation);
  if (input.threadId) await assertThreadRoot(conversationId, input.threadId, ctx.member.visibleFromSeq);
  else if (input.alsoToChannel) throw new AppError('bad_request', 'alsoToChannel goes with threadId', { issues: [{ path: ['alsoToChannel'], message: 'Only for thread replies' }] });
  if (input.replyToId) {
    const target = await mq.getMessageById({ id: input.replyToId });
    if (!target || target.conversationId !== conversationId || target.seq < ctx.member.visibleFromSeq) {
      throw new AppError('bad_request', 'The message you reply to is not in this conversation', {
        issues: [{ path: ['replyToId'], message: 'Not a message of this conversation' }],
      });
    }
  }
  // In a direct conversation, a block either way stops messages.
  if (ctx.blocked) throw new AppError('forbidden', 'You cannot message this person');
  if (input.urgent && ctx.conversation.kind !== 'direct') {
    throw new AppError('bad_request', 'Only direct messages can be urgent', { issues: [{ path: ['urgent'], message: 'Only in direct conversations' }] });
  }
  const attachmentIds = [...new Set(input.attachmentIds ?? [])];
  if (attachmentIds.length > 0) {
    await assertAttachable(actor, attachmentIds);
  }
  // Mentions (and @channel / @here) only cost a query when the body has an '@'.
  const hasAt = input.body.includes('@');
  const mentioned = hasAt ? await resolveMentions(conversationId, input.body, actor.id) : [];
  const everyone = hasAt ? await broadcastMentions(actor, ctx.member, ctx.conversation, input.body) : [];
  const mentionUserIds = everyone.length ? [...new Set([...mentioned, ...everyone])] : mentioned;
  // Keywords: mentions only their owner knows of (kept apart from the message's public `mentions`).
  const keywordUserIds = input.body ? await resolveKeywordMentions(conversationId, input.body, actor.id, mentionUserIds) : [];
  // Outgoing webhooks this message concerns (usually none): stored in the message's transaction.
  const deliveries = await planMessageEvents({ conversationId, senderId: actor.id, body: input.body, mentions: mentionUserIds });
  const result = await store(
    {
      id: newId(),
      conversationId,
      senderId: actor.id,
      kind: 'user',
      body: input.body,
      clientId: input.clientId ?? null,
      replyToId: input.replyToId ?? null,
      attachmentIds,
      mentionUserIds,
      threadId: input.threadId ?? null,
      alsoToChannel: input.threadId ? (input.alsoToChannel ?? false) : false,
      integration: extra.integration ?? null,
      ...(deliveries.length > 0 ? { deliveries } : {}),
    },
    hooks.onStored,
    { sender: ctx.sender, hasPush: ctx.hasPush, push: { keywordUserIds, urgent: input.urgent === true } },
  );
  if (keywordUserIds.length > 0 && !result.duplicate) {
    await insertKeywordMentions({ messageId: result.message.id, userIds: keywordUserIds });
    publishToUsers(keywordUserIds, 'mention:keyword', { conversationId, messageId: result.message.id });
  }
  if (input.threadId && !result.duplicate) await afterThreadReply(result.message);
  if (!result.duplicate) afterSend(result.message);
  return result;
}

/** What a stored message sets off, not awaited: a link gets its preview (the author's draft is cleared by the batch). */
function afterSend(message: MessageDto): void {
  if (!message.sender) return;
  if (message.kind === 'user' && /https?:\/\//i.test(message.body)) void previewMessage(message).catch((e) => console.error('[chattrix] link preview failed:', e));
}

/** A system line ("Ana added Ben") in the conversation's order, through the same write path. */
export async function postSystemMessage(conversationId: string, actorId: string | null, body: string): Promise<MessageDto> {
  const { message } = await store({
    id: newId(),
    conversationId,
    senderId: actorId,
    kind: 'system',
    body,
    clientId: null,
    replyToId: null,
    attachmentIds: [],
    mentionUserIds: [],
  });
  return message;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

async function seqOf(conversationId: string, messageId: string, field: string): Promise<number> {
  const m = await mq.getMessageById({ id: messageId });
  if (!m || m.conversationId !== conversationId) {
    throw new AppError('bad_request', `${field} is not a message of this conversation`, { issues: [{ path: [field], message: 'Unknown message' }] });
  }
  return m.seq;
}

export async function listMessages(
  actor: Actor,
  conversationId: string,
  query: { before?: string; after?: string; around?: string; limit: number },
): Promise<{ messages: MessageDto[]; hasMore: boolean; hasMoreAfter?: boolean }> {
  const { member } = await requireReader(actor, conversationId);
  const fromSeq = member?.visibleFromSeq ?? 0;
  if ([query.before, query.after, query.around].filter(Boolean).length > 1) throw new AppError('bad_request', 'Use one of before, after and around');
  if (query.around) {
    // A permalink: the message and what surrounds it (hasMore: older ones exist; hasMoreAfter: newer ones do).
    const seq = await seqOf(conversationId, query.around, 'around');
    if (seq < fromSeq) throw new AppError('not_found', 'No such message');
    const half = Math.max(1, Math.floor(query.limit / 2));
    const [older, newer] = await Promise.all([
      mq.listMessagesPage({ conversationId, beforeSeq: seq + 1, fromSeq, limit: query.limit - half }),
      mq.listMessagesPage({ conversationId, afterSeq: seq, fromSeq, limit: half }),
    ]);
    const rows = [...older.rows, ...newer.rows];
    return { messages: await withThreads(await hydrateMessages(rows), actor.id), hasMore: older.hasMore, hasMoreAfter: newer.hasMore };
  }
  const beforeSeq = query.before ? await seqOf(conversationId, query.before, 'before') : undefined;
  const afterSeq = query.after ? await seqOf(conversationId, query.after, 'after') : undefined;
  const page = await mq.listMessagesPage({ conversationId, beforeSeq, afterSeq, fromSeq, limit: query.limit });
  return { messages: await withThreads(await hydrateMessages(page.rows), actor.id), hasMore: page.hasMore };
}

export async function getMessage(actor: Actor, messageId: string): Promise<MessageDto> {
  const m = await mq.getMessageById({ id: messageId });
  if (!m) throw new AppError('not_found', 'No such message');
  const { member } = await requireReader(actor, m.conversationId).catch(() => {
    throw new AppError('not_found', 'No such message');
  });
  if (m.seq < (member?.visibleFromSeq ?? 0)) throw new AppError('not_found', 'No such message');
  return (await withThreads(await hydrateMessages([m]), actor.id))[0]!;
}

/** Moves the caller's read position forward (never back) and tells the conversation. */
export async function markRead(actor: Actor, conversationId: string, messageId: string): Promise<void> {
  await requireMembership(actor, conversationId);
  const seq = await seqOf(conversationId, messageId, 'messageId');
  const moved = await cq.updateReadPosition({ conversationId, userId: actor.id, seq, messageId });
  if (moved) publishToConversation(conversationId, 'conversation:read', { conversationId, userId: actor.id, messageId, seq });
}

// ---------------------------------------------------------------------------------------------------------------
// Mentions

const MENTION_RE = /(^|[^A-Za-z0-9_.@])@([A-Za-z0-9_.]{3,32})/g;

/** `@username` tokens that name members of the conversation (never the author). */
export async function resolveMentions(conversationId: string, body: string, authorId: string): Promise<string[]> {
  const names = new Set<string>();
  for (const m of body.matchAll(MENTION_RE)) names.add(m[2]!.replace(/\.+$/, '').toLowerCase());
  if (names.size === 0) return [];
  const ids = (await cq.findMembersByUsernames({ conversationId, usernames: [...names].slice(0, 50) })).filter((id) => id !== authorId);
  // Someone who blocked the author is not notified by their mentions.
  const blockedBy = new Set(await listWhoBlocked({ blockedId: authorId, blockerIds: ids }));
  return ids.filter((id) => !blockedBy.has(id));
}


// ---------------------------------------------------------------------------------------------------------------
// Edit, delete, pin

async function loadForAction(actor: Actor, messageId: string) {
  const m = await mq.getMessageById({ id: messageId });
  if (!m) throw new AppError('not_found', 'No such message');
  const membership = await cq.getMembership({ conversationId: m.conversationId, userId: actor.id });
  if (!membership || m.seq < membership.member.visibleFromSeq) throw new AppError('not_found', 'No such message');
  return { message: m, ...membership };
}

export async function editMessage(actor: Actor, messageId: string, body: string): Promise<MessageDto> {
  const { message, conversation } = await loadForAction(actor, messageId);
  if (message.senderId !== actor.id || message.kind !== 'user') throw new AppError('forbidden', 'You can edit only your own messages');
  assertWritable(conversation);
  if (message.deletedAt) throw new AppError('conflict', 'This message was deleted');
  if (body === message.body) return (await hydrateMessages([message]))[0]!;
  // Mentions and keywords are those of the new text (a keyword newly matched lights its owner's badge, as a new
  // message would; an edit pushes nothing). A changed first link gets its own preview; a removed one loses it.
  const mentionUserIds = body.includes('@') ? await resolveMentions(message.conversationId, body, actor.id) : [];
  const keywordUserIds = await resolveKeywordMentions(message.conversationId, body, actor.id, mentionUserIds);
  const linkChanged = firstUrl(body) !== firstUrl(message.body);
  const result = await mq.updateMessageBody({ id: messageId, body, mentionUserIds, keywordUserIds, dropPreview: linkChanged });
  if (!result) throw new AppError('conflict', 'This message was deleted');
  const dto = (await hydrateMessages([result.row]))[0]!;
  publishToConversation(dto.conversationId, 'message:updated', { message: dto });
  if (result.newKeywordUserIds.length) publishToUsers(result.newKeywordUserIds, 'mention:keyword', { conversationId: dto.conversationId, messageId });
  if (linkChanged) afterSend(dto);
  return dto;
}

/** Your own message, or any as a group owner/admin or a site admin: it becomes a tombstone for everyone. */
export async function deleteMessage(actor: Actor, messageId: string): Promise<void> {
  const { message, member, conversation } = await loadForAction(actor, messageId);
  if (message.deletedAt) return;
  const own = message.senderId === actor.id && message.kind === 'user';
  const moderator = actor.isAdmin || (conversation.kind !== 'direct' && (member.role === 'owner' || member.role === 'admin'));
  if (!own && !moderator) throw new AppError('forbidden', 'You can delete only your own messages');
  await tombstone(message);
}

/** The message becomes a tombstone for everyone: its files go, readers are told, its thread's summary follows. */
export async function tombstone(message: Message): Promise<void> {
  const { message: row, removed } = await mq.tombstoneMessage({ id: message.id });
  if (!row) return;
  await removeFiles(removed.flatMap((a) => [a.storageKey, a.thumbnailKey]));
  publishToConversation(message.conversationId, 'message:deleted', { conversationId: message.conversationId, messageId: message.id });
  if (message.threadId) await afterThreadReply({ ...(await hydrateMessages([row]))[0]!, threadId: message.threadId }, { deleted: true });
}

export async function setMessagePinned(actor: Actor, messageId: string, pinned: boolean): Promise<MessageDto> {
  const { message, member, conversation } = await loadForAction(actor, messageId);
  if (message.deletedAt) throw new AppError('conflict', 'This message was deleted');
  const allowed =
    actor.isAdmin ||
    conversation.kind === 'direct' ||
    member.role === 'owner' ||
    member.role === 'admin';
  if (!allowed) throw new AppError('forbidden', 'Only owners and admins can pin messages');
  assertWritable(conversation);
  const row = await mq.setPinned({ id: messageId, byId: pinned ? actor.id : null });
  if (!row) throw new AppError('conflict', 'This message was deleted');
  const dto = (await hydrateMessages([row]))[0]!;
  publishToConversation(dto.conversationId, 'message:updated', { message: dto });
  return dto;
}

export async function listPins(actor: Actor, conversationId: string): Promise<MessageDto[]> {
  const { member } = await requireMembership(actor, conversationId);
  return hydrateMessages(await mq.listPinned({ conversationId, fromSeq: member.visibleFromSeq }));
}
