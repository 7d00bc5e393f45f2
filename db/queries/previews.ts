import { and, eq, inArray } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { linkPreviews, messagePreviews, type LinkPreview } from '../schema';

export async function getPreviewByUrl({ url }: { url: string }, ex: Executor = getDb()): Promise<LinkPreview | undefined> {
  const [row] = await ex.select().from(linkPreviews).where(eq(linkPreviews.url, url));
  return row;
}

export async function getPreviewById({ id }: { id: string }, ex: Executor = getDb()): Promise<LinkPreview | undefined> {
  const [row] = await ex.select().from(linkPreviews).where(eq(linkPreviews.id, id));
  return row;
}

/** Stores what a URL's page said; a row for the same URL is replaced (a refresh). Answers the stored row. */
export async function upsertPreview({ row }: { row: typeof linkPreviews.$inferInsert }, ex: Executor = getDb()): Promise<LinkPreview> {
  const { id: _id, url: _url, ...rest } = row;
  const [out] = await ex.insert(linkPreviews).values(row).onConflictDoUpdate({ target: linkPreviews.url, set: rest }).returning();
  return out!;
}

export async function attachPreview({ messageId, previewId }: { messageId: string; previewId: string }, ex: Executor = getDb()): Promise<boolean> {
  const rows = await ex.insert(messagePreviews).values({ messageId, previewId }).onConflictDoNothing().returning({ messageId: messagePreviews.messageId });
  return rows.length > 0;
}

export async function removeMessagePreview({ messageId }: { messageId: string }, ex: Executor = getDb()): Promise<boolean> {
  const rows = await ex
    .update(messagePreviews)
    .set({ removed: true })
    .where(and(eq(messagePreviews.messageId, messageId), eq(messagePreviews.removed, false)))
    .returning({ messageId: messagePreviews.messageId });
  return rows.length > 0;
}

/** The shown (not removed, fetched fine) previews of these messages. */
export async function listMessagePreviews({ messageIds }: { messageIds: string[] }, ex: Executor = getDb()) {
  if (messageIds.length === 0) return [];
  return ex
    .select({ messageId: messagePreviews.messageId, preview: linkPreviews })
    .from(messagePreviews)
    .innerJoin(linkPreviews, eq(linkPreviews.id, messagePreviews.previewId))
    .where(and(inArray(messagePreviews.messageId, messageIds), eq(messagePreviews.removed, false), eq(linkPreviews.status, 'ok')));
}
