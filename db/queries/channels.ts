import { and, eq, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { rowsOf } from './rows';
import { conversations, type Conversation } from '../schema';

export interface ChannelRow {
  id: string;
  title: string;
  name_key: string;
  topic: string | null;
  description: string | null;
  private: boolean;
  archived: boolean;
  updated_at: string | Date;
  member_count: number | string;
  joined: boolean;
}

/**
 * One page of the channel browser: public channels and the private ones the user is in, by name (case-insensitive),
 * after `afterKey` (keyset on the unique `lower(title)` index: page N costs what page 1 costs, at any size).
 * `q` matches name or topic, ignoring case.
 */
export async function listChannelsPage(
  { userId, q, afterKey, limit }: { userId: string; q?: string; afterKey?: string; limit: number },
  ex: Executor = getDb(),
): Promise<{ rows: ChannelRow[]; hasMore: boolean }> {
  const like = q ? `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const res = await ex.execute(sql`
    select c.id, c.title, lower(c.title) as name_key, c.topic, c.description, c.private, c.archived, c.updated_at,
      (select count(*)::int from conversation_members cm where cm.conversation_id = c.id) as member_count,
      exists (select 1 from conversation_members me where me.conversation_id = c.id and me.user_id = ${userId}) as joined
    from conversations c
    where c.kind = 'channel'
      and (not c.private or exists (select 1 from conversation_members me where me.conversation_id = c.id and me.user_id = ${userId}))
      ${afterKey !== undefined ? sql`and lower(c.title) > ${afterKey}` : sql``}
      ${like ? sql`and (lower(c.title) like ${like} or lower(coalesce(c.topic, '')) like ${like})` : sql``}
    order by lower(c.title)
    limit ${limit + 1}`);
  const rows = rowsOf<ChannelRow>(res);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** A channel by name, ignoring case. */
export async function getChannelByName({ name }: { name: string }, ex: Executor = getDb()): Promise<Conversation | undefined> {
  const [row] = await ex
    .select()
    .from(conversations)
    .where(and(eq(conversations.kind, 'channel'), sql`lower(${conversations.title}) = ${name.toLowerCase()}`))
    .limit(1);
  return row;
}

export async function updateChannel(
  { id, patch }: { id: string; patch: Partial<Pick<Conversation, 'title' | 'topic' | 'description' | 'archived' | 'retentionDays' | 'updatedAt'>> },
  ex: Executor = getDb(),
): Promise<Conversation | undefined> {
  const [row] = await ex.update(conversations).set(patch).where(eq(conversations.id, id)).returning();
  return row;
}

/** Postgres' unique violation (both drivers expose the SQLSTATE as `code`, sometimes on `cause`). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string } } | null;
  return err?.code === '23505' || err?.cause?.code === '23505';
}
