import { and, asc, desc, eq, inArray, isNotNull, notInArray, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { rowsOf } from './rows';
import { incomingWebhooks, outgoingWebhooks, users, webhookDeliveries, type IncomingWebhook, type OutgoingWebhook, type WebhookDelivery } from '../schema';

export async function insertWebhook({ row }: { row: typeof incomingWebhooks.$inferInsert }, ex: Executor = getDb()): Promise<IncomingWebhook> {
  const [out] = await ex.insert(incomingWebhooks).values(row).returning();
  return out!;
}

export async function getWebhookById({ id }: { id: string }, ex: Executor = getDb()) {
  const [row] = await ex
    .select({ hook: incomingWebhooks, bot: users })
    .from(incomingWebhooks)
    .innerJoin(users, eq(users.id, incomingWebhooks.botId))
    .where(eq(incomingWebhooks.id, id))
    .limit(1);
  return row;
}

export async function listWebhooks({ conversationId }: { conversationId: string }, ex: Executor = getDb()) {
  return ex
    .select({ hook: incomingWebhooks, bot: users })
    .from(incomingWebhooks)
    .innerJoin(users, eq(users.id, incomingWebhooks.botId))
    .where(eq(incomingWebhooks.conversationId, conversationId))
    .orderBy(asc(incomingWebhooks.createdAt), asc(incomingWebhooks.id));
}

export async function updateWebhook({ id, patch }: { id: string; patch: { name?: string; iconUrl?: string | null } }, ex: Executor = getDb()) {
  const [row] = await ex.update(incomingWebhooks).set(patch).where(eq(incomingWebhooks.id, id)).returning();
  return row;
}

export async function setWebhookSecret({ id, secretHash }: { id: string; secretHash: string }, ex: Executor = getDb()) {
  const [row] = await ex.update(incomingWebhooks).set({ secretHash }).where(eq(incomingWebhooks.id, id)).returning();
  return row;
}

export async function deleteWebhook({ id, conversationId }: { id: string; conversationId: string }, ex: Executor = getDb()): Promise<boolean> {
  const rows = await ex
    .delete(incomingWebhooks)
    .where(and(eq(incomingWebhooks.id, id), eq(incomingWebhooks.conversationId, conversationId)))
    .returning({ id: incomingWebhooks.id });
  return rows.length > 0;
}

export type NewOutgoingWebhook = typeof outgoingWebhooks.$inferInsert;

export async function insertOutgoingWebhook({ webhook }: { webhook: NewOutgoingWebhook }, ex: Executor = getDb()): Promise<OutgoingWebhook> {
  const [row] = await ex.insert(outgoingWebhooks).values(webhook).returning();
  return row!;
}

export async function getOutgoingWebhookById({ id }: { id: string }, ex: Executor = getDb()): Promise<OutgoingWebhook | undefined> {
  const [row] = await ex.select().from(outgoingWebhooks).where(eq(outgoingWebhooks.id, id)).limit(1);
  return row;
}

export async function listOutgoingWebhooksByConversation({ conversationId }: { conversationId: string }, ex: Executor = getDb()) {
  return ex.select().from(outgoingWebhooks).where(eq(outgoingWebhooks.conversationId, conversationId)).orderBy(outgoingWebhooks.createdAt);
}

export async function listOutgoingWebhooksByBot({ botId }: { botId: string }, ex: Executor = getDb()) {
  return ex
    .select()
    .from(outgoingWebhooks)
    .where(and(eq(outgoingWebhooks.botId, botId), sql`${outgoingWebhooks.conversationId} is null`))
    .orderBy(outgoingWebhooks.createdAt);
}

/** The enabled subscriptions, in the few columns matching needs (cached briefly by the service). */
export async function listEnabledSubscriptions(ex: Executor = getDb()) {
  return ex
    .select({
      id: outgoingWebhooks.id,
      conversationId: outgoingWebhooks.conversationId,
      botId: outgoingWebhooks.botId,
      events: outgoingWebhooks.events,
      triggerWord: outgoingWebhooks.triggerWord,
    })
    .from(outgoingWebhooks)
    .where(eq(outgoingWebhooks.enabled, true));
}

export async function updateOutgoingWebhook(
  { id, patch }: { id: string; patch: Partial<Pick<OutgoingWebhook, 'url' | 'triggerWord' | 'events' | 'enabled' | 'consecutiveFailures' | 'disabledAt' | 'secret'>> },
  ex: Executor = getDb(),
): Promise<OutgoingWebhook | undefined> {
  const [row] = await ex.update(outgoingWebhooks).set(patch).where(eq(outgoingWebhooks.id, id)).returning();
  return row;
}

export async function deleteOutgoingWebhook({ id }: { id: string }, ex: Executor = getDb()): Promise<void> {
  await ex.delete(outgoingWebhooks).where(eq(outgoingWebhooks.id, id));
}

export type NewDelivery = typeof webhookDeliveries.$inferInsert;

export async function insertDeliveries({ deliveries }: { deliveries: NewDelivery[] }, ex: Executor = getDb()): Promise<void> {
  if (deliveries.length) await ex.insert(webhookDeliveries).values(deliveries);
}

export async function getDeliveryById({ id }: { id: string }, ex: Executor = getDb()): Promise<WebhookDelivery | undefined> {
  const [row] = await ex.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).limit(1);
  return row;
}

export async function listDeliveries({ webhookId, limit }: { webhookId: string; limit: number }, ex: Executor = getDb()): Promise<WebhookDelivery[]> {
  return ex.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).limit(limit);
}

/**
 * Claims up to `limit` due deliveries for this node: each is leased until now + leaseMs (longer than one attempt),
 * so no other node takes it meanwhile; SKIP LOCKED lets nodes claim side by side without waiting on each other.
 * A lease that runs out (the node died mid-attempt) makes the delivery due again.
 */
export async function claimDueDeliveries({ limit, leaseMs }: { limit: number; leaseMs: number }, ex: Executor = getDb()): Promise<WebhookDelivery[]> {
  const now = new Date().toISOString();
  const until = new Date(Date.now() + leaseMs).toISOString();
  const res = await ex.execute(sql`
    update ${webhookDeliveries} set locked_until = ${until}::timestamptz, attempts = attempts + 1
    where id in (
      select id from ${webhookDeliveries}
      where status = 'pending' and next_attempt_at <= ${now}::timestamptz and (locked_until is null or locked_until < ${now}::timestamptz)
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    )
    returning id`);
  const ids = rowsOf<{ id: string }>(res).map((r) => r.id);
  if (ids.length === 0) return [];
  return ex.select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, ids));
}

export async function finishDelivery(
  { id, patch }: { id: string; patch: Partial<Pick<WebhookDelivery, 'status' | 'nextAttemptAt' | 'lockedUntil' | 'lastStatusCode' | 'lastError' | 'durationMs' | 'completedAt' | 'payload'>> },
  ex: Executor = getDb(),
): Promise<void> {
  await ex.update(webhookDeliveries).set(patch).where(eq(webhookDeliveries.id, id));
}

/**
 * After a delivery ends: success resets the failure streak; a final failure adds one. Answers the new streak and
 * whether this call turned the subscription off (only one caller sees `disabledNow`).
 */
export async function recordOutcome(
  { webhookId, ok, disableAfter }: { webhookId: string; ok: boolean; disableAfter: number },
  ex: Executor = getDb(),
): Promise<{ failures: number; disabledNow: boolean } | undefined> {
  if (ok) {
    await ex.update(outgoingWebhooks).set({ consecutiveFailures: 0 }).where(eq(outgoingWebhooks.id, webhookId));
    return { failures: 0, disabledNow: false };
  }
  const [row] = await ex
    .update(outgoingWebhooks)
    .set({ consecutiveFailures: sql`${outgoingWebhooks.consecutiveFailures} + 1` })
    .where(eq(outgoingWebhooks.id, webhookId))
    .returning({ failures: outgoingWebhooks.consecutiveFailures, enabled: outgoingWebhooks.enabled });
  if (!row) return undefined;
  if (row.enabled && row.failures >= disableAfter) {
    const [off] = await ex
      .update(outgoingWebhooks)
      .set({ enabled: false, disabledAt: new Date() })
      .where(and(eq(outgoingWebhooks.id, webhookId), eq(outgoingWebhooks.enabled, true)))
      .returning({ id: outgoingWebhooks.id });
    return { failures: row.failures, disabledNow: !!off };
  }
  return { failures: row.failures, disabledNow: false };
}

/** Keeps the newest `keep` deliveries of a subscription that are finished (pending ones are never dropped). */
export async function pruneDeliveries({ webhookId, keep }: { webhookId: string; keep: number }, ex: Executor = getDb()): Promise<void> {
  const newest = ex
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.webhookId, webhookId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(keep);
  await ex
    .delete(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, webhookId), isNotNull(webhookDeliveries.completedAt), notInArray(webhookDeliveries.id, newest)));
}

