import { asc, eq } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { customEmoji, type CustomEmoji } from '../schema';

export async function listCustomEmoji(ex: Executor = getDb()): Promise<CustomEmoji[]> {
  return ex.select().from(customEmoji).orderBy(asc(customEmoji.name)).limit(2000);
}

export async function getCustomEmoji({ name }: { name: string }, ex: Executor = getDb()): Promise<CustomEmoji | undefined> {
  const [row] = await ex.select().from(customEmoji).where(eq(customEmoji.name, name));
  return row;
}

/** Answers undefined when the name is taken. */
export async function insertCustomEmoji({ row }: { row: typeof customEmoji.$inferInsert }, ex: Executor = getDb()): Promise<CustomEmoji | undefined> {
  const [out] = await ex.insert(customEmoji).values(row).onConflictDoNothing().returning();
  return out;
}

export async function deleteCustomEmoji({ name }: { name: string }, ex: Executor = getDb()): Promise<CustomEmoji | undefined> {
  const [row] = await ex.delete(customEmoji).where(eq(customEmoji.name, name)).returning();
  return row;
}
