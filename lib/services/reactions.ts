import * as cq from '../../db/queries/conversations';
import * as mq from '../../db/queries/messages';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { publishToConversation } from '../realtime/publish';
import { assertWritable } from './messages';
import type { ReactionDto } from '../validation/dto';
import { assertReactionEmoji } from './emoji';

const MAX_DISTINCT_EMOJIS = 30;

async function target(actor: Actor, messageId: string) {
  const m = await mq.getMessageById({ id: messageId });
  const membership = m ? await cq.getMembership({ conversationId: m.conversationId, userId: actor.id }) : undefined;
  if (!m || !membership || m.seq < membership.member.visibleFromSeq) throw new AppError('not_found', 'No such message');
  if (m.deletedAt) throw new AppError('conflict', 'This message was deleted');
  assertWritable(membership.conversation);
  return m;
}

async function announce(conversationId: string, messageId: string): Promise<ReactionDto[]> {
  const rows = await mq.listReactions({ messageId });
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.emoji, [...(map.get(r.emoji) ?? []), r.userId]);
  const reactions = [...map].map(([emoji, userIds]) => ({ emoji, count: userIds.length, userIds }));
  publishToConversation(conversationId, 'reaction:updated', { conversationId, messageId, reactions });
  return reactions;
}

/** One reaction per emoji per person: adding twice changes nothing. */
export async function addReaction(actor: Actor, messageId: string, emoji: string): Promise<ReactionDto[]> {
  const m = await target(actor, messageId);
  await assertReactionEmoji(emoji);
  if ((await mq.countDistinctEmojis({ messageId })) >= MAX_DISTINCT_EMOJIS) {
    const existing = await mq.listReactions({ messageId });
    if (!existing.some((r) => r.emoji === emoji)) throw new AppError('conflict', 'This message has too many different reactions');
  }
  const added = await mq.addReaction({ messageId, userId: actor.id, emoji });
  return added ? announce(m.conversationId, messageId) : [];
}

export async function removeReaction(actor: Actor, messageId: string, emoji: string): Promise<ReactionDto[]> {
  const m = await target(actor, messageId);
  const removed = await mq.removeReaction({ messageId, userId: actor.id, emoji });
  return removed ? announce(m.conversationId, messageId) : [];
}
