import { sql } from 'drizzle-orm';
import { getDb, type Executor } from '../index';

/** Adds the user to every public channel (on registration). */
export async function joinPublicChannels({ userId }: { userId: string }, ex: Executor = getDb()): Promise<void> {
  await ex.execute(sql`
    insert into conversation_members (conversation_id, user_id, role)
    select id, ${userId}, 'member' from conversations where kind = 'channel'
    on conflict do nothing`);
}
