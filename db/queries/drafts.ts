import { and, desc, eq } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { conversationMembers, drafts, type Draft } from '../schema';
import { rawQuery, toSql } from './messages';
import { rowsOf } from './rows';

type Key = { userId: string; conversationId: string; threadId: string };

export async function upsertDraft({ userId, conversationId, threadId, body, at }: Key & { body: string; at: Date }, ex: Executor = getDb()): Promise<Draft> {
  const [row] = await ex
    .insert(drafts)
    .values({ userId, conversationId, threadId, body, updatedAt: at })
    .onConflictDoUpdate({ target: [drafts.userId, drafts.conversationId, drafts.threadId], set: { body, updatedAt: at } })
    .returning();
  return row!;
}

/** Answers whether a row was deleted. */
export async function deleteDraft({ userId, conversationId, threadId }: Key, ex: Executor = getDb()): Promise<boolean> {
  const rows = await ex
    .delete(drafts)
    .where(and(eq(drafts.userId, userId), eq(drafts.conversationId, conversationId), eq(drafts.threadId, threadId)))
    .returning({ userId: drafts.userId });
  return rows.length > 0;
}

const DELETE_DRAFTS_SQL = `
  delete from drafts
  where (user_id, conversation_id, thread_id) in (select x.u, x.c, x.t from jsonb_to_recordset($1::jsonb) as x(u text, c text, t text))
  returning user_id, conversation_id, thread_id`;

/**
 * Deletes the drafts of many (user, conversation, thread) keys in one statement, run after every batch of sends;
 * answers the keys that had one. Its text never changes: prepared once on either driver (`rawQuery`).
 */
export async function deleteDrafts({ keys }: { keys: Key[] }, ex: Executor = getDb()): Promise<Key[]> {
  if (keys.length === 0) return [];
  const params = [JSON.stringify(keys.map((k) => ({ u: k.userId, c: k.conversationId, t: k.threadId })))];
  const rows = ex === getDb() ? await rawQuery(DELETE_DRAFTS_SQL, params, ['jsonb']) : rowsOf<Record<string, unknown>>(await ex.execute(toSql(DELETE_DRAFTS_SQL, params)));
  return rows.map((r) => ({ userId: r.user_id as string, conversationId: r.conversation_id as string, threadId: r.thread_id as string }));
}

export async function getDraft({ userId, conversationId, threadId }: Key, ex: Executor = getDb()): Promise<Draft | undefined> {
  const [row] = await ex
    .select()
    .from(drafts)
    .where(and(eq(drafts.userId, userId), eq(drafts.conversationId, conversationId), eq(drafts.threadId, threadId)));
  return row;
}

/** A person's drafts in conversations they are still a member of, most recent first. */
export async function listDrafts({ userId }: { userId: string }, ex: Executor = getDb()): Promise<Draft[]> {
  return ex
    .select({ userId: drafts.userId, conversationId: drafts.conversationId, threadId: drafts.threadId, body: drafts.body, updatedAt: drafts.updatedAt })
    .from(drafts)
    .innerJoin(conversationMembers, and(eq(conversationMembers.conversationId, drafts.conversationId), eq(conversationMembers.userId, drafts.userId)))
    .where(eq(drafts.userId, userId))
    .orderBy(desc(drafts.updatedAt))
    .limit(500);
}

