import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';
import { commandResponses, slashCommands, users, type SlashCommand } from '../schema';

export async function insertCommand({ row }: { row: typeof slashCommands.$inferInsert }, ex: Executor = getDb()): Promise<SlashCommand> {
  const [out] = await ex.insert(slashCommands).values(row).returning();
  return out!;
}

export async function listCommands(ex: Executor = getDb()) {
  return ex
    .select({ command: slashCommands, bot: users })
    .from(slashCommands)
    .innerJoin(users, eq(users.id, slashCommands.botId))
    .orderBy(asc(slashCommands.name));
}

export async function getCommandByName({ name }: { name: string }, ex: Executor = getDb()) {
  const [row] = await ex
    .select({ command: slashCommands, bot: users })
    .from(slashCommands)
    .innerJoin(users, eq(users.id, slashCommands.botId))
    .where(sql`lower(${slashCommands.name}) = lower(${name})`)
    .limit(1);
  return row;
}

export async function getCommandById({ id }: { id: string }, ex: Executor = getDb()) {
  const [row] = await ex
    .select({ command: slashCommands, bot: users })
    .from(slashCommands)
    .innerJoin(users, eq(users.id, slashCommands.botId))
    .where(eq(slashCommands.id, id))
    .limit(1);
  return row;
}

export async function updateCommand(
  { id, patch }: { id: string; patch: Partial<Pick<SlashCommand, 'url' | 'description' | 'usageHint' | 'signingSecret'>> },
  ex: Executor = getDb(),
) {
  const [row] = await ex.update(slashCommands).set(patch).where(eq(slashCommands.id, id)).returning();
  return row;
}

export async function deleteCommand({ id }: { id: string }, ex: Executor = getDb()): Promise<boolean> {
  return (await ex.delete(slashCommands).where(eq(slashCommands.id, id)).returning({ id: slashCommands.id })).length > 0;
}

export async function insertCommandResponse({ row }: { row: typeof commandResponses.$inferInsert }, ex: Executor = getDb()) {
  await ex.insert(commandResponses).values(row);
}

/** Takes one use of a response URL (at most `max`, before it expires), atomically; undefined when none is left. */
export async function useCommandResponse({ tokenHash, max, now }: { tokenHash: string; max: number; now: Date }, ex: Executor = getDb()) {
  const [row] = await ex
    .update(commandResponses)
    .set({ uses: sql`${commandResponses.uses} + 1` })
    .where(and(eq(commandResponses.tokenHash, tokenHash), lt(commandResponses.uses, max), gt(commandResponses.expiresAt, now)))
    .returning();
  return row;
}
