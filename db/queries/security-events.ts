import { and, desc, eq, like, lt, or } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { securityEvents, users, type SecurityEvent } from '../schema';

export async function insertSecurityEvent({ event }: { event: typeof securityEvents.$inferInsert }, ex: Executor = getDb()): Promise<void> {
  await ex.insert(securityEvents).values(event);
}

export async function listSecurityEvents({ userId, limit }: { userId: string; limit: number }, ex: Executor = getDb()): Promise<SecurityEvent[]> {
  return ex
    .select()
    .from(securityEvents)
    .where(eq(securityEvents.userId, userId))
    .orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
    .limit(limit);
}

export async function deleteSecurityEventsBefore({ before }: { before: Date }, ex: Executor = getDb()): Promise<void> {
  await ex.delete(securityEvents).where(lt(securityEvents.createdAt, before));
}

/** The admin console's audit log: newest first, by type and/or person, before a time (keyset on created_at, id). */
export async function listAuditEvents(
  { type, userId, before, limit }: { type?: string; userId?: string; before?: { at: Date; id: string }; limit: number },
  ex: Executor = getDb(),
) {
  const conds = [];
  if (type) conds.push(type.endsWith('*') ? like(securityEvents.type, `${type.slice(0, -1)}%`) : eq(securityEvents.type, type));
  if (userId) conds.push(eq(securityEvents.userId, userId));
  if (before) conds.push(or(lt(securityEvents.createdAt, before.at), and(eq(securityEvents.createdAt, before.at), lt(securityEvents.id, before.id))));
  return ex
    .select({ event: securityEvents, username: users.username, displayName: users.displayName })
    .from(securityEvents)
    .leftJoin(users, eq(users.id, securityEvents.userId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
    .limit(limit);
}
