import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { scheduledMessages, type ScheduledMessage } from '../schema';

export async function insertScheduled({ row }: { row: typeof scheduledMessages.$inferInsert }, ex: Executor = getDb()): Promise<ScheduledMessage> {
  const [out] = await ex.insert(scheduledMessages).values(row).returning();
  return out!;
}

export async function getScheduled({ id }: { id: string }, ex: Executor = getDb()): Promise<ScheduledMessage | undefined> {
  const [row] = await ex.select().from(scheduledMessages).where(eq(scheduledMessages.id, id));
  return row;
}

/** A person's pending (and in-flight or failed) scheduled messages, soonest first. */
export async function listScheduled({ userId }: { userId: string }, ex: Executor = getDb()): Promise<ScheduledMessage[]> {
  return ex
    .select()
    .from(scheduledMessages)
    .where(and(eq(scheduledMessages.userId, userId), inArray(scheduledMessages.status, ['pending', 'sending', 'failed'])))
    .orderBy(asc(scheduledMessages.sendAt))
    .limit(500);
}

/** Changes a pending row only (a row being sent or sent cannot change any more). */
export async function updatePendingScheduled(
  { id, userId, set }: { id: string; userId: string; set: Partial<Pick<ScheduledMessage, 'body' | 'sendAt' | 'status'>> },
  ex: Executor = getDb(),
): Promise<ScheduledMessage | undefined> {
  const [row] = await ex
    .update(scheduledMessages)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(scheduledMessages.id, id), eq(scheduledMessages.userId, userId), eq(scheduledMessages.status, 'pending')))
    .returning();
  return row;
}

/**
 * Claims due rows for this node: pending → sending in one statement. `FOR UPDATE SKIP LOCKED` makes two nodes
 * claiming at once take disjoint rows; the `status = 'pending'` re-check in the UPDATE makes a row claimed once.
 * `id`: claim this one row now, whatever its time ("send now").
 */
export async function claimDue({ now, limit, id }: { now: Date; limit: number; id?: string }, ex: Executor = getDb()): Promise<ScheduledMessage[]> {
  const due = id
    ? sql`${scheduledMessages.id} = ${id}`
    : sql`${scheduledMessages.sendAt} <= ${now.toISOString()}::timestamptz`;
  const picked = ex
    .select({ id: scheduledMessages.id })
    .from(scheduledMessages)
    .where(and(eq(scheduledMessages.status, 'pending'), due))
    .orderBy(asc(scheduledMessages.sendAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return ex
    .update(scheduledMessages)
    .set({ status: 'sending', claimedAt: now, updatedAt: now })
    .where(and(inArray(scheduledMessages.id, picked), eq(scheduledMessages.status, 'pending')))
    .returning();
}

export async function finishScheduled(
  { id, status, messageId, error }: { id: string; status: 'sent' | 'failed'; messageId?: string | null; error?: string | null },
  ex: Executor = getDb(),
): Promise<ScheduledMessage | undefined> {
  const [row] = await ex
    .update(scheduledMessages)
    .set({ status, messageId: messageId ?? null, error: error ?? null, updatedAt: new Date() })
    .where(and(eq(scheduledMessages.id, id), eq(scheduledMessages.status, 'sending')))
    .returning();
  return row;
}

/** Rows a node claimed and never finished (it died): back to pending. The send's clientId keeps them once. */
export async function releaseStale({ before }: { before: Date }, ex: Executor = getDb()): Promise<number> {
  const rows = await ex
    .update(scheduledMessages)
    .set({ status: 'pending', claimedAt: null })
    .where(and(eq(scheduledMessages.status, 'sending'), lt(scheduledMessages.claimedAt, before)))
    .returning({ id: scheduledMessages.id });
  return rows.length;
}

/** When the next pending row is due (null: none). */
export async function nextDueAt(ex: Executor = getDb()): Promise<Date | null> {
  const [row] = await ex
    .select({ sendAt: scheduledMessages.sendAt })
    .from(scheduledMessages)
    .where(eq(scheduledMessages.status, 'pending'))
    .orderBy(asc(scheduledMessages.sendAt))
    .limit(1);
  return row?.sendAt ?? null;
}
