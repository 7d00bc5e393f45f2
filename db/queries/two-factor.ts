import { and, eq, isNull, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { recoveryCodes, users } from '../schema';

export async function setPendingTotpSecret({ userId, secret }: { userId: string; secret: string }, ex: Executor = getDb()): Promise<void> {
  await ex.update(users).set({ totpPendingSecret: secret }).where(eq(users.id, userId));
}

/** Turns two-factor sign-in on with the confirmed secret and replaces the recovery codes, in one transaction. */
export async function enableTotp(
  { userId, secret, step, codeHashes, ids }: { userId: string; secret: string; step: number; codeHashes: string[]; ids: string[] },
  ex: Executor = getDb(),
): Promise<void> {
  await ex.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpSecret: secret, totpEnabledAt: new Date(), totpLastStep: step, totpPendingSecret: null })
      .where(eq(users.id, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.insert(recoveryCodes).values(codeHashes.map((codeHash, i) => ({ id: ids[i]!, userId, codeHash })));
  });
}

export async function disableTotp({ userId }: { userId: string }, ex: Executor = getDb()): Promise<void> {
  await ex.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, totpPendingSecret: null })
      .where(eq(users.id, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  });
}

/**
 * Records a used time step, only if it is later than the last one: false when the code was already used (a
 * replay), atomically, so two sign-ins with one code cannot both pass.
 */
export async function claimTotpStep({ userId, step }: { userId: string; step: number }, ex: Executor = getDb()): Promise<boolean> {
  const rows = await ex
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), sql`coalesce(${users.totpLastStep}, -1) < ${step}`))
    .returning({ id: users.id });
  return rows.length > 0;
}

/** Uses a recovery code once: true only for the request that marked it used. */
export async function useRecoveryCode({ userId, codeHash }: { userId: string; codeHash: string }, ex: Executor = getDb()): Promise<boolean> {
  const rows = await ex
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return rows.length > 0;
}

export async function countUnusedRecoveryCodes({ userId }: { userId: string }, ex: Executor = getDb()): Promise<number> {
  const [row] = await ex
    .select({ n: sql<number>`count(*)::int` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}
