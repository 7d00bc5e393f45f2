import { and, asc, desc, eq, gt, gte, ilike, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { idFloor } from '../../lib/ids';
import { getDb, type Executor } from '../index';
import { attachments, conversationMembers, invitations, messages, passwordResets, siteSettings, users } from '../schema';

export type UserFilter = 'all' | 'admins' | 'deactivated' | 'active' | 'bots';

export async function listUsersForAdmin(
  { q, filter, limit }: { q?: string; filter: UserFilter; limit: number },
  ex: Executor = getDb(),
) {
  const conds = [];
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(users.username, like), ilike(users.displayName, like)));
  }
  if (filter === 'admins') conds.push(eq(users.isAdmin, true));
  if (filter === 'deactivated') conds.push(isNotNull(users.deactivatedAt));
  if (filter === 'active') conds.push(isNull(users.deactivatedAt));
  if (filter === 'bots') conds.push(eq(users.isBot, true));
  return ex
    .select()
    .from(users)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(users.lastSeenAt), asc(users.username))
    .limit(limit);
}

export async function setUserFlags(
  { id, isAdmin, deactivatedAt }: { id: string; isAdmin?: boolean; deactivatedAt?: Date | null },
  ex: Executor = getDb(),
) {
  const [row] = await ex
    .update(users)
    .set({ ...(isAdmin !== undefined ? { isAdmin } : {}), ...(deactivatedAt !== undefined ? { deactivatedAt } : {}), updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export async function countActiveAdmins(ex: Executor = getDb()): Promise<number> {
  const [row] = await ex
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.isAdmin, true), isNull(users.deactivatedAt)));
  return row?.n ?? 0;
}

export async function getSettingRows(ex: Executor = getDb()) {
  return ex.select().from(siteSettings);
}

export async function upsertSetting({ key, value }: { key: string; value: string }, ex: Executor = getDb()) {
  await ex
    .insert(siteSettings)
    .values({ key, value, updatedAt: new Date() })
    .onConflictDoUpdate({ target: siteSettings.key, set: { value, updatedAt: new Date() } });
}

export async function insertInvitation({ row }: { row: typeof invitations.$inferInsert }, ex: Executor = getDb()) {
  const [out] = await ex.insert(invitations).values(row).returning();
  return out!;
}

export async function listInvitations(ex: Executor = getDb()) {
  return ex.select().from(invitations).orderBy(desc(invitations.createdAt)).limit(200);
}

export async function revokeInvitation({ id, at }: { id: string; at: Date }, ex: Executor = getDb()) {
  const [row] = await ex.update(invitations).set({ revokedAt: at }).where(and(eq(invitations.id, id), isNull(invitations.revokedAt))).returning();
  return row;
}

/** Takes one use of a valid invitation (not revoked, not expired, uses left), atomically; undefined otherwise. */
export async function useInvitation({ codeHash, at }: { codeHash: string; at: Date }, ex: Executor = getDb()) {
  const [row] = await ex
    .update(invitations)
    .set({ uses: sql`${invitations.uses} + 1` })
    .where(
      and(
        eq(invitations.codeHash, codeHash),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, at),
        sql`${invitations.uses} < ${invitations.maxUses}`,
      ),
    )
    .returning();
  return row;
}

export async function addMemberships({ userId, conversationIds }: { userId: string; conversationIds: string[] }, ex: Executor = getDb()) {
  if (conversationIds.length === 0) return;
  await ex
    .insert(conversationMembers)
    .values(conversationIds.map((conversationId) => ({ conversationId, userId, role: 'member' as const })))
    .onConflictDoNothing();
}

export async function insertPasswordReset({ row }: { row: typeof passwordResets.$inferInsert }, ex: Executor = getDb()) {
  const [out] = await ex.insert(passwordResets).values(row).returning();
  return out!;
}

/** Marks a valid (unused, unexpired) reset used and returns it; undefined when it is not valid. */
export async function consumePasswordReset({ tokenHash, at }: { tokenHash: string; at: Date }, ex: Executor = getDb()) {
  const [row] = await ex
    .update(passwordResets)
    .set({ usedAt: at })
    .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, at)))
    .returning();
  return row;
}

export async function setPasswordHash({ id, passwordHash }: { id: string; passwordHash: string }, ex: Executor = getDb()) {
  await ex.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, id));
}

// --- the overview ----------------------------------------------------------------------------------------------

/** Accounts in all, and those seen since `activeSince` (people only: no bots, no deactivated accounts). */
export async function countUsersForOverview({ activeSince }: { activeSince: Date }, ex: Executor = getDb()) {
  const since = sql`${activeSince.toISOString()}::timestamptz`;
  const [row] = await ex
    .select({
      total: sql<number>`count(*)::int`,
      active: sql<number>`(count(*) filter (where ${users.lastSeenAt} >= ${since} and not ${users.isBot} and ${users.deactivatedAt} is null))::int`,
      admins: sql<number>`(count(*) filter (where ${users.isAdmin}))::int`,
      bots: sql<number>`(count(*) filter (where ${users.isBot}))::int`,
      deactivated: sql<number>`(count(*) filter (where ${users.deactivatedAt} is not null))::int`,
    })
    .from(users);
  return row ?? { total: 0, active: 0, admins: 0, bots: 0, deactivated: 0 };
}

/**
 * People (not bots, not deactivated) not seen since `before` (or never): of these, only the ones online now are
 * active. Seen is stamped on a first connect, after the socket counts, and on a last disconnect.
 */
export async function listUserIdsSeenBefore({ before }: { before: Date }, ex: Executor = getDb()): Promise<string[]> {
  const rows = await ex
    .select({ id: users.id })
    .from(users)
    .where(and(or(isNull(users.lastSeenAt), lt(users.lastSeenAt, before)), eq(users.isBot, false), isNull(users.deactivatedAt)));
  return rows.map((r) => r.id);
}

/**
 * People's messages (not deleted) per UTC day since `since`, days with none left out. Ids sort by creation time, so
 * `id >= idFloor(since)` makes it a range of the primary key: no index on created_at (that would cost every send).
 */
export async function countMessagesPerDay({ since }: { since: Date }, ex: Executor = getDb()) {
  const day = sql<string>`to_char(${messages.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  return ex
    .select({ day, count: sql<number>`count(*)::int` })
    .from(messages)
    .where(and(gte(messages.id, idFloor(since.getTime())), gte(messages.createdAt, since), eq(messages.kind, 'user'), isNull(messages.deletedAt)))
    .groupBy(day);
}

/** Stored files: how many and their bytes. */
export async function sumAttachmentStorage(ex: Executor = getDb()) {
  const [row] = await ex
    .select({ files: sql<number>`count(*)::int`, bytes: sql<number>`coalesce(sum(${attachments.size}), 0)::float8` })
    .from(attachments);
  return row ?? { files: 0, bytes: 0 };
}
