import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { messageReports } from '../schema';

export type ReportRow = typeof messageReports.$inferSelect;

/** A new report; undefined when this person already reported this message. */
export async function insertReport(row: typeof messageReports.$inferInsert, ex: Executor = getDb()): Promise<ReportRow | undefined> {
  const [r] = await ex.insert(messageReports).values(row).onConflictDoNothing().returning();
  return r;
}

export async function getReport({ id }: { id: string }, ex: Executor = getDb()): Promise<ReportRow | undefined> {
  const [r] = await ex.select().from(messageReports).where(eq(messageReports.id, id)).limit(1);
  return r;
}

export async function listReports({ status, limit }: { status: 'open' | 'closed' | 'all'; limit: number }, ex: Executor = getDb()): Promise<ReportRow[]> {
  const where =
    status === 'open' ? eq(messageReports.status, 'open') : status === 'closed' ? inArray(messageReports.status, ['resolved', 'dismissed']) : undefined;
  return ex.select().from(messageReports).where(where).orderBy(desc(messageReports.createdAt), desc(messageReports.id)).limit(limit);
}

/** How many people reported each message (open reports). */
export async function countOpenReports({ messageIds }: { messageIds: string[] }, ex: Executor = getDb()): Promise<Map<string, number>> {
  if (messageIds.length === 0) return new Map();
  const rows = await ex
    .select({ messageId: messageReports.messageId, n: sql<number>`count(*)::int` })
    .from(messageReports)
    .where(and(inArray(messageReports.messageId, messageIds), eq(messageReports.status, 'open')))
    .groupBy(messageReports.messageId);
  return new Map(rows.map((r) => [r.messageId, Number(r.n)]));
}

/** Closes every open report of the message (one decision answers them all); returns them. */
export async function closeReportsOfMessage(
  { messageId, status, action, by }: { messageId: string; status: 'resolved' | 'dismissed'; action: string; by: string },
  ex: Executor = getDb(),
): Promise<ReportRow[]> {
  return ex
    .update(messageReports)
    .set({ status, action, resolvedBy: by, resolvedAt: new Date() })
    .where(and(eq(messageReports.messageId, messageId), eq(messageReports.status, 'open')))
    .returning();
}
