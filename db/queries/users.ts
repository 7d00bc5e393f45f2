import { and, asc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { accessTokens, attachments, messages, users, type NewUser, type User } from '../schema';

export async function insertUser({ user }: { user: NewUser }, ex: Executor = getDb()): Promise<User> {
  const [row] = await ex.insert(users).values(user).returning();
  return row!;
}

export async function getUserById({ id }: { id: string }, ex: Executor = getDb()): Promise<User | undefined> {
  const [row] = await ex.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function getUsersByIds({ ids }: { ids: string[] }, ex: Executor = getDb()): Promise<User[]> {
  if (ids.length === 0) return [];
  return ex.select().from(users).where(inArray(users.id, ids));
}

export async function getUserByUsername({ username }: { username: string }, ex: Executor = getDb()): Promise<User | undefined> {
  const [row] = await ex
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`)
    .limit(1);
  return row;
}

export async function countUsers(ex: Executor = getDb()): Promise<number> {
  const [row] = await ex.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

export async function searchUsers({ q, limit }: { q?: string; limit: number }, ex: Executor = getDb()): Promise<User[]> {
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%` : undefined;
  return ex
    .select()
    .from(users)
    .where(pattern ? or(ilike(users.username, pattern), ilike(users.displayName, pattern)) : undefined)
    .orderBy(asc(sql`lower(${users.displayName})`), asc(users.id))
    .limit(limit);
}

export async function updateUser(
  { id, patch }: { id: string; patch: Partial<Pick<User, 'displayName' | 'bio' | 'avatarKey' | 'lastSeenAt'>> },
  ex: Executor = getDb(),
): Promise<User | undefined> {
  const [row] = await ex
    .update(users)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export async function setLastSeen({ id, at }: { id: string; at: Date }, ex: Executor = getDb()): Promise<User | undefined> {
  const [row] = await ex.update(users).set({ lastSeenAt: at }).where(eq(users.id, id)).returning();
  return row;
}

export async function setPasswordHash({ id, passwordHash }: { id: string; passwordHash: string }, ex: Executor = getDb()): Promise<void> {
  await ex.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, id));
}

export async function insertAccessToken(
  { token }: { token: typeof accessTokens.$inferInsert },
  ex: Executor = getDb(),
): Promise<typeof accessTokens.$inferSelect> {
  const [row] = await ex.insert(accessTokens).values(token).returning();
  return row!;
}

export async function getAccessTokenByHash({ tokenHash }: { tokenHash: string }, ex: Executor = getDb()) {
  const [row] = await ex
    .select({ token: accessTokens, user: users })
    .from(accessTokens)
    .innerJoin(users, eq(users.id, accessTokens.userId))
    .where(eq(accessTokens.tokenHash, tokenHash))
    .limit(1);
  return row;
}

export async function getAccessTokenById({ id }: { id: string }, ex: Executor = getDb()) {
  const [row] = await ex.select().from(accessTokens).where(eq(accessTokens.id, id)).limit(1);
  return row;
}

export async function touchAccessToken({ id, at }: { id: string; at: Date }, ex: Executor = getDb()): Promise<void> {
  await ex.update(accessTokens).set({ lastUsedAt: at }).where(eq(accessTokens.id, id));
}

export async function listAccessTokens({ userId }: { userId: string }, ex: Executor = getDb()) {
  return ex.select().from(accessTokens).where(eq(accessTokens.userId, userId)).orderBy(asc(accessTokens.createdAt));
}

export async function deleteAccessToken({ id, userId }: { id: string; userId: string }, ex: Executor = getDb()): Promise<boolean> {
  const rows = await ex
    .delete(accessTokens)
    .where(and(eq(accessTokens.id, id), eq(accessTokens.userId, userId)))
    .returning({ id: accessTokens.id });
  return rows.length > 0;
}

/**
 * Deletes an account: their messages become tombstones (text erased), their reactions, mentions, memberships,
 * tokens, push subscriptions and blocks go (cascade), and the uploads they made are returned for file removal.
 */
export async function deleteUserCascade({ id }: { id: string }, ex: Executor = getDb()) {
  return ex.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({ body: '', deletedAt: new Date(), pinnedAt: null, pinnedById: null })
      .where(and(eq(messages.senderId, id), isNull(messages.deletedAt)));
    const files = await tx.delete(attachments).where(eq(attachments.uploaderId, id)).returning();
    const [user] = await tx.delete(users).where(eq(users.id, id)).returning();
    return { user, files };
  });
}

/** How many of these ids are accounts (one short query, one parameter; ids are [A-Za-z0-9_-]). */
export async function countExistingUsers({ ids }: { ids: string[] }, ex: Executor = getDb()): Promise<number> {
  if (ids.length === 0) return 0;
  if (ids.some((id) => !/^[A-Za-z0-9_-]+$/.test(id))) return -1;
  const rows = await ex.select({ n: sql<number>`count(*)::int` }).from(users).where(sql`${users.id} = any(string_to_array(${ids.join(',')}, ','))`);
  return Number(rows[0]?.n ?? 0);
}
