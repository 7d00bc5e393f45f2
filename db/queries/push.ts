import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { conversationMembers, pushSubscriptions } from '../schema';

/** One row per endpoint (a device's browser); it moves to whoever subscribed last on that device. */
export async function upsertSubscription(
  { id, userId, endpoint, p256dh, auth }: { id: string; userId: string; endpoint: string; p256dh: string; auth: string },
  ex: Executor = getDb(),
) {
  const [row] = await ex
    .insert(pushSubscriptions)
    .values({ id, userId, endpoint, p256dh, auth })
    .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: { userId, p256dh, auth, failures: 0 } })
    .returning();
  return row!;
}

export async function deleteSubscription({ userId, endpoint }: { userId: string; endpoint: string }, ex: Executor = getDb()) {
  const rows = await ex
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}

export async function deleteSubscriptionById({ id }: { id: string }, ex: Executor = getDb()) {
  await ex.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}

export async function listSubscriptionsForUsers({ userIds }: { userIds: string[] }, ex: Executor = getDb()) {
  if (userIds.length === 0) return [];
  return ex.select().from(pushSubscriptions).where(inArray(pushSubscriptions.userId, userIds));
}

export async function recordPushResult({ id, ok }: { id: string; ok: boolean }, ex: Executor = getDb()) {
  await ex
    .update(pushSubscriptions)
    .set(ok ? { lastSuccessAt: new Date(), failures: 0 } : { failures: sql`${pushSubscriptions.failures} + 1` })
    .where(eq(pushSubscriptions.id, id));
}

/**
 * Subscriptions of the members of a conversation who may be notified (not the sender, not muted, i.e. notify is not
 * "none"), each with the member's notify level (null: the default): one query.
 */
export async function listSubscriptionsForConversation(
  { conversationId, excludeUserId }: { conversationId: string; excludeUserId: string },
  ex: Executor = getDb(),
) {
  return ex
    .select({ sub: pushSubscriptions, notify: conversationMembers.notify })
    .from(pushSubscriptions)
    .innerJoin(
      conversationMembers,
      and(eq(conversationMembers.userId, pushSubscriptions.userId), eq(conversationMembers.conversationId, conversationId)),
    )
    .where(and(eq(conversationMembers.muted, false), ne(pushSubscriptions.userId, excludeUserId)))
    .then((rows) => rows.map((r) => ({ ...r.sub, notify: r.notify })));
}

/** Keeps a user's newest `keep` subscriptions; older ones go. */
export async function trimSubscriptions({ userId, keep }: { userId: string; keep: number }, ex: Executor = getDb()) {
  const rows = await ex
    .select({ id: pushSubscriptions.id })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(sql`${pushSubscriptions.createdAt} desc`, sql`${pushSubscriptions.id} desc`)
    .offset(keep);
  if (rows.length) await ex.delete(pushSubscriptions).where(inArray(pushSubscriptions.id, rows.map((r) => r.id)));
  return rows.length;
}

export async function listSubscriptionsOfUser({ userId }: { userId: string }, ex: Executor = getDb()) {
  return ex
    .select({ endpoint: pushSubscriptions.endpoint, createdAt: pushSubscriptions.createdAt, lastSuccessAt: pushSubscriptions.lastSuccessAt })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(sql`${pushSubscriptions.createdAt} desc`, sql`${pushSubscriptions.id} desc`);
}
