import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { blocks, users } from '../schema';

export async function insertBlock({ blockerId, blockedId }: { blockerId: string; blockedId: string }, ex: Executor = getDb()) {
  await ex.insert(blocks).values({ blockerId, blockedId }).onConflictDoNothing();
}

export async function deleteBlock({ blockerId, blockedId }: { blockerId: string; blockedId: string }, ex: Executor = getDb()) {
  await ex.delete(blocks).where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)));
}

/** Whether either of the two blocked the other. */
export async function isBlockedBetween({ a, b }: { a: string; b: string }, ex: Executor = getDb()): Promise<boolean> {
  const rows = await ex
    .select({ x: blocks.blockerId })
    .from(blocks)
    .where(or(and(eq(blocks.blockerId, a), eq(blocks.blockedId, b)), and(eq(blocks.blockerId, b), eq(blocks.blockedId, a))))
    .limit(1);
  return rows.length > 0;
}

export async function listBlocked({ blockerId }: { blockerId: string }, ex: Executor = getDb()) {
  return ex
    .select({ user: users, createdAt: blocks.createdAt })
    .from(blocks)
    .innerJoin(users, eq(users.id, blocks.blockedId))
    .where(eq(blocks.blockerId, blockerId));
}

/** Which of `blockerIds` blocked `blockedId` (one query). */
export async function listWhoBlocked({ blockedId, blockerIds }: { blockedId: string; blockerIds: string[] }, ex: Executor = getDb()): Promise<string[]> {
  if (blockerIds.length === 0) return [];
  const rows = await ex
    .select({ id: blocks.blockerId })
    .from(blocks)
    .where(
      and(
        eq(blocks.blockedId, blockedId),
        // One parameter however long the list (ids are [A-Za-z0-9_-]); a list with anything else falls back to IN.
        blockerIds.every((id) => /^[A-Za-z0-9_-]+$/.test(id))
          ? sql`${blocks.blockerId} = any(string_to_array(${blockerIds.join(',')}, ','))`
          : inArray(blocks.blockerId, blockerIds),
      ),
    );
  return rows.map((r) => r.id);
}
