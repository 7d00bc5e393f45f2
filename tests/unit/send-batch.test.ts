/**
 * The batch insert every send goes through (db/queries/messages.ts `insertMessageBatch`), on a real database with
 * thousands of messages stored: PGlite in a fresh folder, and (when DATABASE_URL is set, as in CI) a fresh
 * PostgreSQL database. Its duplicate check must probe the (sender, clientId) index, whatever the planner's
 * statistics say: a plan that reads every stored message makes each send dearer as the history grows.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { itOnEachDatabase, pgliteFolder, rows, withDb } from '../helpers/each-database';

const STORED = 5_000;

/** Two people in one group with STORED messages, as set-based inserts. */
async function seed(): Promise<void> {
  await rows(sql`insert into users (id, username, display_name, password_hash) values ('sb-a', 'sb_a', 'A', 'x'), ('sb-b', 'sb_b', 'B', 'x')`);
  await rows(sql`insert into conversations (id, kind, title, created_by_id, last_seq) values ('sb-c', 'group', 'Batch', 'sb-a', ${STORED})`);
  await rows(sql`insert into conversation_members (conversation_id, user_id, role) values ('sb-c', 'sb-a', 'owner'), ('sb-c', 'sb-b', 'member')`);
  await rows(sql`insert into messages (id, conversation_id, seq, sender_id, kind, body, client_id)
    select 'sb-m' || g, 'sb-c', g, case when g % 2 = 0 then 'sb-a' else 'sb-b' end, 'user', 'stored ' || g, 'sb-client-' || g
    from generate_series(1, ${STORED}) g`);
}

const row = (id: string, clientId: string | null, senderId = 'sb-a'): import('@/db/queries/messages').NewMessageRow => ({
  id,
  conversationId: 'sb-c',
  senderId,
  kind: 'user',
  body: `body of ${id}`,
  clientId,
  replyToId: null,
  attachmentIds: [],
  mentionUserIds: [],
});

async function expectIndexProbeAndExactlyOnce(): Promise<void> {
  const q = await import('@/db/queries/messages');
  await seed();
  const input = Array.from({ length: 25 }, (_, i) => ({ idx: i, id: `sb-new-${i}`, conversationId: 'sb-c', senderId: 'sb-a', kind: 'user', body: 'x', clientId: `sb-fresh-${i}`, replyToId: null, threadId: null, alsoToChannel: false, integration: null }));
  const plan = (await rows<Record<string, string>>(sql`explain ${q.toSql(q.INSERT_BATCH_SQL, [JSON.stringify(input), new Date().toISOString()])}`))
    .map((r) => Object.values(r)[0])
    .join('\n');
  expect(plan).toContain('messages_sender_client_idx');
  expect(plan).not.toMatch(/Seq Scan on messages/);

  // And it still stores each (sender, clientId) once, numbered after what is stored.
  const first = await q.insertMessageBatch({ rows: [row('sb-x1', 'sb-resent'), row('sb-x2', null), row('sb-x3', 'sb-client-2')] });
  expect(first.map((r) => [r.message.id, r.message.seq, r.duplicate])).toEqual([
    ['sb-x1', STORED + 1, false],
    ['sb-x2', STORED + 2, false],
    ['sb-m2', 2, true], // stored long ago with that clientId
  ]);
  const again = await q.insertMessageBatch({ rows: [row('sb-y1', 'sb-resent'), row('sb-y2', null), row('sb-y3', 'sb-resent', 'sb-b')] });
  expect(again.map((r) => [r.message.id, r.message.seq, r.duplicate])).toEqual([
    ['sb-x1', STORED + 1, true],
    ['sb-y2', STORED + 3, false], // no clientId: never a duplicate
    ['sb-y3', STORED + 4, false], // the same clientId from someone else
  ]);
  expect(await rows(sql`select last_seq::int as last_seq from conversations where id = 'sb-c'`)).toEqual([{ last_seq: STORED + 4 }]);
}

itOnEachDatabase(
  'storing a batch of messages',
  `finds resent messages through the (sender, clientId) index with ${STORED} messages stored, and stores each once`,
  expectIndexProbeAndExactlyOnce,
);

describe('the embedded database upkeep (PGlite has no autovacuum)', () => {
  const dataDir = pgliteFolder('upkeep');

  it('analyzes and vacuums the tables that changed past autovacuum\'s thresholds, and only those', () => withDb({ dataDir }, async () => {
    const { upkeepEmbeddedDb } = await import('@/db/upkeep');
    await upkeepEmbeddedDb(); // whatever the migrations left due
    await seed();
    await rows(sql`update messages set body = body || '!' where seq <= 2000`); // 2,000 dead rows
    const statsOf = async () => {
      await rows(sql`select pg_stat_force_next_flush()`);
      return (await rows<{ analyzed: boolean; dead: number }>(sql`select last_analyze is not null as analyzed, n_dead_tup::int as dead from pg_stat_user_tables where relname = 'messages'`))[0]!;
    };
    expect(await statsOf()).toEqual({ analyzed: false, dead: 2000 });
    expect(await rows(sql`select 1 from pg_stats where tablename = 'messages'`)).toEqual([]);

    const ran = await upkeepEmbeddedDb();
    expect(ran).toContain('vacuum (analyze) public.messages'); // 2,000 dead of 5,000
    expect(ran.some((s) => s.endsWith('public.users'))).toBe(false); // two new rows: under the 50-row floor
    expect(await statsOf()).toEqual({ analyzed: true, dead: 0 });
    expect((await rows(sql`select 1 from pg_stats where tablename = 'messages'`)).length).toBeGreaterThan(0);
    expect(await upkeepEmbeddedDb()).toEqual([]); // nothing changed since
  }), 60_000);
});
