import * as cq from '../../db/queries/conversations';
import * as mq from '../../db/queries/messages';
import type { Message } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newId } from '../ids';
import { publishToConversation } from '../realtime/publish';
import { iso, type MessageDto, type ReactionDto } from '../validation/dto';
import type { SendMessageInput } from '../validation/messages';
import { assertAttachable, attachmentDto } from './attachments-dto';
import { isBlockedBetween } from '../../db/queries/blocks';
import type { Conversation } from '../../db/schema';
import { removeFiles } from '../storage';
import { notifyNewMessage } from './push';
import { toUserRef } from './users';

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
  };
}

export async function hydrateMessages(rows: Message[]): Promise<MessageDto[]> {
  if (rows.length === 0) return [];
  const extras = await mq.loadMessageExtras({ rows });
  return rows.map((m) => toMessageDto(m, extras));
}

// ---------------------------------------------------------------------------------------------------------------
// Membership

/** The caller's membership, or `not_found` (a non-member learns nothing, not even that it exists). */
export async function requireMembership(actor: Pick<Actor, 'id'>, conversationId: string) {
  const row = await cq.getMembership({ conversationId, userId: actor.id });
  if (!row) throw new AppError('not_found', 'No such conversation');
  return row;
}

// ---------------------------------------------------------------------------------------------------------------
// The write path: sendMessage is the only way a message gets stored.

interface Pending {
  row: mq.NewMessageRow;
  onStored?: (message: MessageDto, duplicate: boolean) => void;
  resolve: (r: { message: MessageDto; duplicate: boolean }) => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 500;

/**
 * Coalesces concurrent sends into one transaction. Flushes run one at a time per process, so the order messages
 * are stored in is the order they are announced in. After commit, for each message in order: the sender's ack
 * (onStored), then `message:created` to the conversation's room. Durable before visible.
 */
class WriteBatcher {
  private queue: Pending[] = [];
  private running = false;

  enqueue(p: Pending): void {
    this.queue.push(p);
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        const stored = await mq.insertMessageBatch({ rows: batch.map((p) => p.row) });
        const dtos = await hydrateMessages(stored.map((s) => s.message));
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
            void notifyNewMessage(message).catch((e) => console.error('[chattrix] push failed:', e));
          }
          p.resolve({ message, duplicate });
        });
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
    this.running = false;
  }
}

const g = globalThis as unknown as { __chattrixBatcher?: WriteBatcher };
const batcher = (g.__chattrixBatcher ??= new WriteBatcher());

function store(row: mq.NewMessageRow, onStored?: Pending['onStored']) {
  return new Promise<{ message: MessageDto; duplicate: boolean }>((resolve, reject) => batcher.enqueue({ row, onStored, resolve, reject }));
}

export async function sendMessage(
  actor: Actor,
  conversationId: string,
  input: SendMessageInput,
  hooks: { onStored?: (message: MessageDto, duplicate: boolean) => void } = {},
): Promise<{ message: MessageDto; duplicate: boolean }> {
  const { member, conversation } = await requireMembership(actor, conversationId);
  if (input.replyToId) {
    const target = await mq.getMessageById({ id: input.replyToId });
    if (!target || target.conversationId !== conversationId || target.seq < member.visibleFromSeq) {
      throw new AppError('bad_request', 'The message you reply to is not in this conversation', {
        issues: [{ path: ['replyToId'], message: 'Not a message of this conversation' }],
      });
    }
  }
  await assertNotBlocked(actor, conversation);
  const attachmentIds = [...new Set(input.attachmentIds ?? [])];
  if (attachmentIds.length > 0) {
    await assertAttachable(actor, attachmentIds);
  }
  return store(
    {
      id: newId(),
      conversationId,
      senderId: actor.id,
      kind: 'user',
      body: input.body,
      clientId: input.clientId ?? null,
      replyToId: input.replyToId ?? null,
      attachmentIds,
      mentionUserIds: await resolveMentions(conversationId, input.body, actor.id),
    },
    hooks.onStored,
  );
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
  query: { before?: string; after?: string; limit: number },
): Promise<{ messages: MessageDto[]; hasMore: boolean }> {
  const { member } = await requireMembership(actor, conversationId);
  if (query.before && query.after) throw new AppError('bad_request', 'Use either before or after, not both');
  const beforeSeq = query.before ? await seqOf(conversationId, query.before, 'before') : undefined;
  const afterSeq = query.after ? await seqOf(conversationId, query.after, 'after') : undefined;
  const page = await mq.listMessagesPage({ conversationId, beforeSeq, afterSeq, fromSeq: member.visibleFromSeq, limit: query.limit });
  return { messages: await hydrateMessages(page.rows), hasMore: page.hasMore };
}

export async function getMessage(actor: Actor, messageId: string): Promise<MessageDto> {
  const m = await mq.getMessageById({ id: messageId });
  if (!m) throw new AppError('not_found', 'No such message');
  const { member } = await requireMembership(actor, m.conversationId).catch(() => {
    throw new AppError('not_found', 'No such message');
  });
  if (m.seq < member.visibleFromSeq) throw new AppError('not_found', 'No such message');
  return (await hydrateMessages([m]))[0]!;
}

/** Moves the caller's read position forward (never back) and tells the conversation. */
export async function markRead(actor: Actor, conversationId: string, messageId: string): Promise<void> {
  await requireMembership(actor, conversationId);
  const seq = await seqOf(conversationId, messageId, 'messageId');
  const moved = await cq.updateReadPosition({ conversationId, userId: actor.id, seq, messageId });
  if (moved) publishToConversation(conversationId, 'conversation:read', { conversationId, userId: actor.id, messageId, seq });
}

// ---------------------------------------------------------------------------------------------------------------
// Mentions, blocks

const MENTION_RE = /(^|[^A-Za-z0-9_.@])@([A-Za-z0-9_.]{3,32})/g;

/** `@username` tokens that name members of the conversation (never the author). */
export async function resolveMentions(conversationId: string, body: string, authorId: string): Promise<string[]> {
  const names = new Set<string>();
  for (const m of body.matchAll(MENTION_RE)) names.add(m[2]!.replace(/\.+$/, '').toLowerCase());
  if (names.size === 0) return [];
  const ids = await cq.findMembersByUsernames({ conversationId, usernames: [...names].slice(0, 50) });
  return ids.filter((id) => id !== authorId);
}

/** In a direct conversation, a block either way stops messages. */
async function assertNotBlocked(actor: Actor, conversation: Conversation): Promise<void> {
  if (conversation.kind !== 'direct') return;
  const other = await cq.otherDirectMember({ conversationId: conversation.id, userId: actor.id });
  if (other && (await isBlockedBetween({ a: actor.id, b: other }))) {
    throw new AppError('forbidden', 'You cannot message this person');
  }
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
  const { message } = await loadForAction(actor, messageId);
  if (message.senderId !== actor.id || message.kind !== 'user') throw new AppError('forbidden', 'You can edit only your own messages');
  if (message.deletedAt) throw new AppError('conflict', 'This message was deleted');
  if (body === message.body) return (await hydrateMessages([message]))[0]!;
  const updated = await mq.updateMessageBody({ id: messageId, body, mentionUserIds: await resolveMentions(message.conversationId, body, actor.id) });
  if (!updated) throw new AppError('conflict', 'This message was deleted');
  const dto = (await hydrateMessages([updated]))[0]!;
  publishToConversation(dto.conversationId, 'message:updated', { message: dto });
  return dto;
}

/** Your own message, or any as a group owner/admin or a site admin: it becomes a tombstone for everyone. */
export async function deleteMessage(actor: Actor, messageId: string): Promise<void> {
  const { message, member, conversation } = await loadForAction(actor, messageId);
  if (message.deletedAt) return;
  const own = message.senderId === actor.id && message.kind === 'user';
  const moderator = actor.isAdmin || (conversation.kind === 'group' && (member.role === 'owner' || member.role === 'admin'));
  if (!own && !moderator) throw new AppError('forbidden', 'You can delete only your own messages');
  const { message: row, removed } = await mq.tombstoneMessage({ id: messageId });
  if (!row) return;
  await removeFiles(removed.flatMap((a) => [a.storageKey, a.thumbnailKey]));
  publishToConversation(message.conversationId, 'message:deleted', { conversationId: message.conversationId, messageId });
}

export async function setMessagePinned(actor: Actor, messageId: string, pinned: boolean): Promise<MessageDto> {
  const { message, member, conversation } = await loadForAction(actor, messageId);
  if (message.deletedAt) throw new AppError('conflict', 'This message was deleted');
  const allowed =
    actor.isAdmin ||
    conversation.kind === 'direct' ||
    (conversation.kind === 'group' && (member.role === 'owner' || member.role === 'admin'));
  if (!allowed) throw new AppError('forbidden', 'Only owners and admins can pin messages');
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
