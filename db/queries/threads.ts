import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { rowsOf } from './rows';
import { messages, threadFollows, type Message, type ThreadFollow } from '../schema';

/** A page of a thread's replies, oldest first (the root is not among them). */
export async function listThreadPage(
  { rootId, beforeSeq, afterSeq, limit }: { rootId: string; beforeSeq?: number; afterSeq?: number; limit: number },
  ex: Executor = getDb(),
): Promise<{ rows: Message[]; hasMore: boolean }> {
  if (afterSeq !== undefined) {
    const rows = await ex
      .select()
      .from(messages)
      .where(and(eq(messages.threadId, rootId), gt(messages.seq, afterSeq)))
      .orderBy(asc(messages.seq))
      .limit(limit + 1);
    return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
  }
  const rows = await ex
    .select()
    .from(messages)
    .where(and(eq(messages.threadId, rootId), beforeSeq !== undefined ? lt(messages.seq, beforeSeq) : undefined))
    .orderBy(desc(messages.seq))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
}

export interface ThreadStatsRow {
  rootId: string;
  replyCount: number;
  lastReplyAt: Date | null;
  participantIds: string[];
}

/**
 * Reply count, last reply time and the three most recent distinct repliers of these roots (deleted replies do not
 * count). One statement over the (thread_id, seq) index, whatever the number of roots.
 */
export async function getThreadStats({ rootIds }: { rootIds: string[] }, ex: Executor = getDb()): Promise<Map<string, ThreadStatsRow>> {
  const out = new Map<string, ThreadStatsRow>();
  if (rootIds.length === 0) return out;
  const res = await ex.execute(sql`
    select r.root_id, s.n, s.last_at,
      (select coalesce(json_agg(p.sender_id), '[]'::json) from (
         select m.sender_id, max(m.seq) as last_seq from messages m
         where m.thread_id = r.root_id and m.deleted_at is null and m.sender_id is not null and m.kind = 'user'
         group by m.sender_id order by last_seq desc limit 3) p) as participants
    from (select jsonb_array_elements_text(${JSON.stringify(rootIds)}::jsonb) as root_id) r
    cross join lateral (
      select count(*)::int as n, max(m.created_at) as last_at from messages m
      where m.thread_id = r.root_id and m.deleted_at is null and m.kind = 'user'
    ) s
    where s.n > 0`);
  for (const r of rowsOf<{ root_id: string; n: number | string; last_at: string | Date | null; participants: string[] | string }>(res)) {
    const participants = typeof r.participants === 'string' ? (JSON.parse(r.participants) as string[]) : r.participants;
    out.set(r.root_id, {
      rootId: r.root_id,
      replyCount: Number(r.n),
      lastReplyAt: r.last_at ? new Date(r.last_at) : null,
      participantIds: participants,
    });
  }
  return out;
}

/** Which roots have had replies at all (even deleted ones): a root keeps its thread under a tombstone. */
export async function getFollowRows({ rootIds, userId }: { rootIds: string[]; userId: string }, ex: Executor = getDb()): Promise<Map<string, ThreadFollow>> {
  if (rootIds.length === 0) return new Map();
  const rows = await ex
    .select()
    .from(threadFollows)
    .where(and(eq(threadFollows.userId, userId), inArray(threadFollows.rootId, rootIds)));
  return new Map(rows.map((r) => [r.rootId, r]));
}

/** Unread replies per root for the user: after their read position, not their own, not deleted. */
export async function countUnread({ rootIds, userId }: { rootIds: string[]; userId: string }, ex: Executor = getDb()): Promise<Map<string, number>> {
  if (rootIds.length === 0) return new Map();
  const res = await ex.execute(sql`
    select f.root_id, (
      select count(*)::int from messages m
      where m.thread_id = f.root_id and m.seq > f.last_read_seq and m.deleted_at is null and m.kind = 'user'
        and m.sender_id is distinct from f.user_id) as n
    from thread_follows f
    where f.user_id = ${userId} and f.root_id in (select jsonb_array_elements_text(${JSON.stringify(rootIds)}::jsonb))`);
  return new Map(rowsOf<{ root_id: string; n: number | string }>(res).map((r) => [r.root_id, Number(r.n)]));
}

/**
 * After a reply: the root's author follows (unless they unfollowed on purpose), the replier and the mentioned
 * follow (again, even after unfollowing), and the replier has read up to their own reply.
 */
export async function applyReplyFollows(
  { rootId, conversationId, rootAuthorId, replierId, replySeq, mentionedIds }: {
    rootId: string;
    conversationId: string;
    rootAuthorId: string | null;
    replierId: string;
    replySeq: number;
    mentionedIds: string[];
  },
  ex: Executor = getDb(),
): Promise<void> {
  if (rootAuthorId && rootAuthorId !== replierId) {
    await ex
      .insert(threadFollows)
      .values({ rootId, userId: rootAuthorId, conversationId, following: true })
      .onConflictDoUpdate({ target: [threadFollows.rootId, threadFollows.userId], set: { following: sql`not ${threadFollows.optedOut}` } });
  }
  const forced = [...new Set([replierId, ...mentionedIds])];
  await ex
    .insert(threadFollows)
    .values(forced.map((userId) => ({ rootId, userId, conversationId, following: true, lastReadSeq: userId === replierId ? replySeq : 0 })))
    .onConflictDoUpdate({
      target: [threadFollows.rootId, threadFollows.userId],
      set: {
        following: true,
        optedOut: false,
        lastReadSeq: sql`case when excluded.user_id = ${replierId} then greatest(${threadFollows.lastReadSeq}, excluded.last_read_seq) else ${threadFollows.lastReadSeq} end`,
      },
    });
}

export async function setFollowing(
  { rootId, userId, conversationId, following }: { rootId: string; userId: string; conversationId: string; following: boolean },
  ex: Executor = getDb(),
): Promise<void> {
  await ex
    .insert(threadFollows)
    .values({ rootId, userId, conversationId, following, optedOut: !following })
    .onConflictDoUpdate({ target: [threadFollows.rootId, threadFollows.userId], set: { following, optedOut: !following } });
}

/** Moves the read position forward (never back); a reader who does not follow gets a row that does not follow. */
export async function markThreadRead(
  { rootId, userId, conversationId, seq }: { rootId: string; userId: string; conversationId: string; seq: number },
  ex: Executor = getDb(),
): Promise<void> {
  await ex
    .insert(threadFollows)
    .values({ rootId, userId, conversationId, following: false, lastReadSeq: seq })
    .onConflictDoUpdate({
      target: [threadFollows.rootId, threadFollows.userId],
      set: { lastReadSeq: sql`greatest(${threadFollows.lastReadSeq}, excluded.last_read_seq)` },
    });
}

/** Followers of a thread with their unread counts (for their personal `thread:unread`). */
export async function listFollowersWithUnread({ rootId }: { rootId: string }, ex: Executor = getDb()): Promise<{ userId: string; unread: number }[]> {
  const res = await ex.execute(sql`
    select f.user_id, (
      select count(*)::int from messages m
      where m.thread_id = f.root_id and m.seq > f.last_read_seq and m.deleted_at is null and m.kind = 'user'
        and m.sender_id is distinct from f.user_id) as n
    from thread_follows f
    where f.root_id = ${rootId} and f.following`);
  return rowsOf<{ user_id: string; n: number | string }>(res).map((r) => ({ userId: r.user_id, unread: Number(r.n) }));
}

export interface FollowedThreadRow {
  root_id: string;
  last_at: string | Date;
  /** Exact (microseconds): the cursor. */
  last_at_text: string;
  last_seq: number | string;
  unread: number | string;
  /** Unread replies that mention the user (by name, @channel/@here, or a keyword of theirs). */
  mentions: number | string;
}

/**
 * The user's followed threads that have replies, newest reply first, keyset after (lastAt, rootId). Only threads
 * in conversations the user is still a member of.
 */
export async function listFollowedThreads(
  { userId, after, limit }: { userId: string; after?: { at: string; rootId: string }; limit: number },
  ex: Executor = getDb(),
): Promise<{ rows: FollowedThreadRow[]; hasMore: boolean }> {
  const res = await ex.execute(sql`
    select * from (
      select f.root_id, l.last_at, l.last_at::text as last_at_text, l.last_seq, (
        select count(*)::int from messages m
        where m.thread_id = f.root_id and m.seq > f.last_read_seq and m.deleted_at is null and m.kind = 'user'
          and m.sender_id is distinct from f.user_id) as unread, (
        select count(*)::int from messages m
        where m.thread_id = f.root_id and m.seq > f.last_read_seq and m.deleted_at is null and m.kind = 'user'
          and m.sender_id is distinct from f.user_id
          and (exists (select 1 from mentions x where x.message_id = m.id and x.user_id = f.user_id)
            or exists (select 1 from keyword_mentions k where k.message_id = m.id and k.user_id = f.user_id))) as mentions
      from thread_follows f
      join conversation_members cm on cm.conversation_id = f.conversation_id and cm.user_id = f.user_id
      cross join lateral (
        select m.created_at as last_at, m.seq as last_seq from messages m
        where m.thread_id = f.root_id and m.deleted_at is null and m.kind = 'user'
        order by m.seq desc limit 1
      ) l
      where f.user_id = ${userId} and f.following
    ) t
    ${after ? sql`where (t.last_at, t.root_id) < (${after.at}::timestamptz, ${after.rootId})` : sql``}
    order by t.last_at desc, t.root_id desc
    limit ${limit + 1}`);
  const rows = rowsOf<FollowedThreadRow>(res);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** The newest replies of several threads (for the Threads view), up to `per` each, oldest first. */
export async function listLastReplies({ rootIds, per }: { rootIds: string[]; per: number }, ex: Executor = getDb()): Promise<Message[]> {
  if (rootIds.length === 0) return [];
  const res = await ex.execute(sql`
    select l.id from (select jsonb_array_elements_text(${JSON.stringify(rootIds)}::jsonb) as root_id) r
    cross join lateral (
      select m.id from messages m where m.thread_id = r.root_id order by m.seq desc limit ${per}
    ) l`);
  const ids = rowsOf<{ id: string }>(res).map((r) => r.id);
  if (ids.length === 0) return [];
  const rows = await ex.select().from(messages).where(inArray(messages.id, ids));
  return rows.sort((a, b) => a.seq - b.seq);
}

/** Who follows a thread, and who unfollowed it on purpose. */
export async function getFollowerIds({ rootId }: { rootId: string }, ex: Executor = getDb()): Promise<{ following: string[]; optedOut: string[] }> {
  const rows = await ex
    .select({ userId: threadFollows.userId, following: threadFollows.following, optedOut: threadFollows.optedOut })
    .from(threadFollows)
    .where(eq(threadFollows.rootId, rootId));
  return { following: rows.filter((r) => r.following).map((r) => r.userId), optedOut: rows.filter((r) => r.optedOut).map((r) => r.userId) };
}
