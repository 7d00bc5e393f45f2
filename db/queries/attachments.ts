import { and, eq, inArray, isNull, lt } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { attachments, conversationMembers, conversations, messages, type Attachment } from '../schema';

export async function insertAttachment({ attachment }: { attachment: typeof attachments.$inferInsert }, ex: Executor = getDb()): Promise<Attachment> {
  const [row] = await ex.insert(attachments).values(attachment).returning();
  return row!;
}

export async function getAttachmentsByIds({ ids }: { ids: string[] }, ex: Executor = getDb()): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  return ex.select().from(attachments).where(inArray(attachments.id, ids));
}

/**
 * An attachment the user may fetch: their own upload not yet sent, or one on a message of a conversation they are
 * a member of (and whose history they can see).
 */
export async function getReadableAttachment({ id, userId }: { id: string; userId: string }, ex: Executor = getDb()): Promise<Attachment | undefined> {
  const [row] = await ex.select().from(attachments).where(eq(attachments.id, id)).limit(1);
  if (!row) return undefined;
  if (!row.messageId) return row.uploaderId === userId ? row : undefined;
  const [ok] = await ex
    .select({ seq: messages.seq })
    .from(messages)
    .innerJoin(conversationMembers, and(eq(conversationMembers.conversationId, messages.conversationId), eq(conversationMembers.userId, userId)))
    .where(and(eq(messages.id, row.messageId), isNull(messages.deletedAt)))
    .limit(1);
  if (ok) return row;
  // A public channel is readable before joining: so are its files. Never a private channel's.
  const [pub] = await ex
    .select({ id: messages.id })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, row.messageId), isNull(messages.deletedAt), eq(conversations.kind, 'channel'), eq(conversations.private, false)))
    .limit(1);
  return pub ? row : undefined;
}

/** Uploads never attached to a message, older than the cutoff (for cleanup). */
export async function deleteOrphanAttachments({ before }: { before: Date }, ex: Executor = getDb()): Promise<Attachment[]> {
  return ex
    .delete(attachments)
    .where(and(isNull(attachments.messageId), lt(attachments.createdAt, before)))
    .returning();
}

export async function listAttachmentsByUploader({ userId }: { userId: string }, ex: Executor = getDb()): Promise<Attachment[]> {
  return ex.select().from(attachments).where(eq(attachments.uploaderId, userId));
}
