import { and, asc, eq } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { accessTokens, users } from '../schema';

/** Bots, oldest first: one owner's, or all (site admins). */
export async function listBots({ ownerId }: { ownerId?: string }, ex: Executor = getDb()) {
  return ex
    .select()
    .from(users)
    .where(ownerId ? and(eq(users.isBot, true), eq(users.botOwnerId, ownerId)) : eq(users.isBot, true))
    .orderBy(asc(users.createdAt), asc(users.id));
}

export async function getBotById({ id }: { id: string }, ex: Executor = getDb()) {
  const [row] = await ex
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.isBot, true)))
    .limit(1);
  return row;
}

export async function updateBot(
  { id, patch }: { id: string; patch: { displayName?: string; botDescription?: string; deactivatedAt?: Date | null } },
  ex: Executor = getDb(),
) {
  const [row] = await ex
    .update(users)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(users.id, id), eq(users.isBot, true)))
    .returning();
  return row;
}

export async function listBotTokens({ botId }: { botId: string }, ex: Executor = getDb()) {
  return ex.select().from(accessTokens).where(eq(accessTokens.userId, botId)).orderBy(asc(accessTokens.createdAt));
}
