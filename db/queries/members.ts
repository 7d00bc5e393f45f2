import { and, eq, inArray } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { conversationMembers, conversations } from '../schema';

export async function listConversationIdsForUser({ userId }: { userId: string }, ex: Executor = getDb()): Promise<string[]> {
  const rows = await ex
    .select({ id: conversationMembers.conversationId })
    .from(conversationMembers)
    .where(eq(conversationMembers.userId, userId));
  return rows.map((r) => r.id);
}

/** Direct and group conversations of a user: the audience of their presence (never public channels). */
export async function listPrivateConversationIdsForUser({ userId }: { userId: string }, ex: Executor = getDb()): Promise<string[]> {
  const rows = await ex
    .select({ id: conversationMembers.conversationId })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.userId, userId), inArray(conversations.kind, ['direct', 'group'])));
  return rows.map((r) => r.id);
}
