import { and, eq, inArray, isNotNull, lte, min, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { conversationMembers, keywordMentions, urgentPushes, users, type User } from '../schema';

export async function setMemberNotify(
  { conversationId, userId, notify }: { conversationId: string; userId: string; notify: 'all' | 'mentions' | 'none' | null },
  ex: Executor = getDb(),
) {
  await ex
    .update(conversationMembers)
    .set({ notify, muted: notify === 'none' })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)));
}

export async function updateAttention(
  { id, patch }: { id: string; patch: Partial<Pick<User, 'statusEmoji' | 'statusText' | 'statusClearAt' | 'dndUntil' | 'dndSchedule' | 'keywords'>> },
  ex: Executor = getDb(),
): Promise<User | undefined> {
  const [row] = await ex.update(users).set(patch).where(eq(users.id, id)).returning();
  return row;
}

/** Statuses whose time has come: cleared in one statement (on several nodes, each row is cleared by one of them). */
export async function clearDueStatuses({ now }: { now: Date }, ex: Executor = getDb()): Promise<string[]> {
  const rows = await ex
    .update(users)
    .set({ statusEmoji: null, statusText: null, statusClearAt: null })
    .where(and(isNotNull(users.statusClearAt), lte(users.statusClearAt, now)))
    .returning({ id: users.id });
  return rows.map((r) => r.id);
}

/** Do-not-disturb periods that ended: cleared in one statement. */
export async function clearDueDnd({ now }: { now: Date }, ex: Executor = getDb()): Promise<string[]> {
  const rows = await ex
    .update(users)
    .set({ dndUntil: null })
    .where(and(isNotNull(users.dndUntil), lte(users.dndUntil, now)))
    .returning({ id: users.id });
  return rows.map((r) => r.id);
}

/** The next time a status clears or a do-not-disturb ends, if any. */
export async function nextAttentionDue(ex: Executor = getDb()): Promise<Date | null> {
  const [a] = await ex.select({ at: min(users.statusClearAt) }).from(users).where(isNotNull(users.statusClearAt));
  const [b] = await ex.select({ at: min(users.dndUntil) }).from(users).where(isNotNull(users.dndUntil));
  const all = [a?.at, b?.at].filter((d): d is Date => d instanceof Date || typeof d === 'string').map((d) => new Date(d));
  return all.length ? new Date(Math.min(...all.map((d) => d.getTime()))) : null;
}

export async function listUsersWithSchedules(ex: Executor = getDb()): Promise<User[]> {
  return ex.select().from(users).where(isNotNull(users.dndSchedule));
}

export async function listKeywordOwners(ex: Executor = getDb()): Promise<{ id: string; keywords: string[] }[]> {
  return ex.select({ id: users.id, keywords: users.keywords }).from(users).where(sql`cardinality(${users.keywords}) > 0`);
}

/** Which of these users are members of the conversation. */
export async function filterMembers({ conversationId, userIds }: { conversationId: string; userIds: string[] }, ex: Executor = getDb()) {
  if (userIds.length === 0) return [];
  const rows = await ex
    .select({ id: conversationMembers.userId })
    .from(conversationMembers)
    .where(and(eq(conversationMembers.conversationId, conversationId), inArray(conversationMembers.userId, userIds)));
  return rows.map((r) => r.id);
}

export async function insertKeywordMentions({ messageId, userIds }: { messageId: string; userIds: string[] }, ex: Executor = getDb()) {
  if (userIds.length === 0) return;
  await ex.insert(keywordMentions).values(userIds.map((userId) => ({ messageId, userId }))).onConflictDoNothing();
}

/**
 * An urgent DM may break through the recipient's do-not-disturb once an hour per sender: true when this one may
 * (and records it), false when one already did within the hour. One statement, race-free.
 */
export async function claimUrgentPush({ senderId, recipientId, now }: { senderId: string; recipientId: string; now: Date }, ex: Executor = getDb()) {
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  const rows = await ex
    .insert(urgentPushes)
    .values({ senderId, recipientId, at: now })
    .onConflictDoUpdate({ target: [urgentPushes.senderId, urgentPushes.recipientId], set: { at: now }, setWhere: sql`${urgentPushes.at} <= ${hourAgo}::timestamptz` })
    .returning({ at: urgentPushes.at });
  return rows.length > 0;
}
