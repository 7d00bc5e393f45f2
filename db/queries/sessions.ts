import { and, desc, eq, gt, inArray, isNull, lt, ne, or } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { sessions, type Session } from '../schema';

export async function insertSession({ session }: { session: typeof sessions.$inferInsert }, ex: Executor = getDb()): Promise<Session> {
  const [row] = await ex.insert(sessions).values(session).returning();
  return row!;
}

export async function getSessionById({ id }: { id: string }, ex: Executor = getDb()): Promise<Session | undefined> {
  const [row] = await ex.select().from(sessions).where(eq(sessions.id, id)).limit(1);
  return row;
}

/** Sessions not revoked and not past their absolute expiry (the idle rule is applied by the caller). */
export async function listOpenSessions({ userId, now }: { userId: string; now: Date }, ex: Executor = getDb()): Promise<Session[]> {
  return ex
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
}

export async function touchSession({ id, at }: { id: string; at: Date }, ex: Executor = getDb()): Promise<void> {
  await ex.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id));
}

/** Revokes sessions of one user: the given ids, or every open one except `exceptId`. Returns the ids it ended. */
export async function revokeSessions(
  { userId, ids, exceptId, at }: { userId: string; ids?: string[]; exceptId?: string; at: Date },
  ex: Executor = getDb(),
): Promise<string[]> {
  if (ids && ids.length === 0) return [];
  const rows = await ex
    .update(sessions)
    .set({ revokedAt: at })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        ids ? inArray(sessions.id, ids) : undefined,
        exceptId ? ne(sessions.id, exceptId) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return rows.map((r) => r.id);
}

/** Removes sessions revoked or expired before `before`, or unused since `unusedSince`. */
export async function deleteEndedSessions({ before, unusedSince }: { before: Date; unusedSince: Date }, ex: Executor = getDb()): Promise<void> {
  await ex.delete(sessions).where(or(lt(sessions.revokedAt, before), lt(sessions.expiresAt, before), lt(sessions.lastSeenAt, unusedSince)));
}
