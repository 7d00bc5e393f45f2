/**
 * Search of a common word (db/queries/messages.ts `searchMessages`) on a real database with tens of thousands of
 * stored messages: PGlite in a fresh folder, and (when DATABASE_URL is set, as in CI) a fresh PostgreSQL database.
 * A word the statistics say matches more than COMMON_WORD_MATCHES messages is ranked among the newest matches of each
 * conversation (its cost bounded whatever the history); a person whose recent history has too few matches gets every
 * match ranked after all; membership, hidden history and deletions hold on both paths.
 */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { itOnEachDatabase, rows } from '../helpers/each-database';

const PER = 8_000; // messages in each of sr-c1..sr-c3
const LAST_DEPLOY = 7_700; // the newest message that says "deploy"; after it, chatter

/**
 * sr-a is in sr-c1..sr-c3 (sr-c3's history visible from seq 7,695); sr-b in sr-c1 and 250 empty groups (so each
 * conversation's share of the recent walk is its floor, 200 messages: none of sr-c1's newest 200 says "deploy");
 * sr-out alone in sr-c4, where every message says "deploy secret". Old messages (seq < 100) say "deploy" four
 * times: they rank above every newer one. Every message also has two of 280 everyday words, as chat has: with
 * fewer than 100 frequent words the planner does not trust its statistics for a prefix and guesses 2 %.
 */
async function seed(): Promise<void> {
  await rows(sql`insert into users (id, username, display_name, password_hash)
    values ('sr-a', 'sr_a', 'A', 'x'), ('sr-b', 'sr_b', 'B', 'x'), ('sr-out', 'sr_out', 'Out', 'x')`);
  await rows(sql`insert into conversations (id, kind, title, created_by_id, last_seq)
    select 'sr-c' || g, 'group', 'Search ' || g, 'sr-a', case when g = 4 then 2000 else ${PER} end from generate_series(1, 4) g`);
  await rows(sql`insert into conversations (id, kind, title, created_by_id) select 'sr-empty' || g, 'group', 'Empty', 'sr-b' from generate_series(1, 250) g`);
  await rows(sql`insert into conversation_members (conversation_id, user_id, role, visible_from_seq)
    values ('sr-c1', 'sr-a', 'owner', 0), ('sr-c2', 'sr-a', 'owner', 0), ('sr-c3', 'sr-a', 'owner', 7695),
           ('sr-c1', 'sr-b', 'member', 0), ('sr-c4', 'sr-out', 'owner', 0)`);
  await rows(sql`insert into conversation_members (conversation_id, user_id, role) select 'sr-empty' || g, 'sr-b', 'owner' from generate_series(1, 250) g`);
  await rows(sql`insert into messages (id, conversation_id, seq, sender_id, kind, body)
    select 'sr-m' || c || '-' || g, 'sr-c' || c, g, 'sr-a', 'user', 'w' || (g % 150) || ' v' || (g % 130) || ' ' ||
      case when c = 2 and g = 50 then 'zyzzyva deploy deploy deploy deploy'
           when g < 100 then 'deploy deploy deploy deploy old ' || g
           when g <= ${LAST_DEPLOY} then 'deploy number ' || g
           else 'chatter ' || g end
    from generate_series(1, 3) c, generate_series(1, ${PER}) g`);
  await rows(sql`insert into messages (id, conversation_id, seq, sender_id, kind, body)
    select 'sr-m4-' || g, 'sr-c4', g, 'sr-out', 'user', 'deploy secret ' || g from generate_series(1, 2000) g`);
  await rows(sql`update messages set deleted_at = now(), body = '' where id = 'sr-m1-${sql.raw(String(LAST_DEPLOY))}'`);
  await rows(sql`analyze`);
}

async function expectRecentThenEverything(): Promise<void> {
  const q = await import('@/db/queries/messages');
  await seed();
  expect(await q.estimateMatches('deploy:*')).toBeGreaterThan(q.COMMON_WORD_MATCHES);
  expect(await q.estimateMatches('zyzzyva:*')).toBeLessThan(q.COMMON_WORD_MATCHES);

  // A common word: the newest matches of each conversation, never the old (higher-ranked) ones, never another's
  // conversation, a deleted message or one before the visible history.
  const recent = await q.searchMessages({ userId: 'sr-a', tsquery: 'deploy:*', limit: 20 });
  expect(recent).toHaveLength(20);
  for (const r of recent) {
    expect(['sr-c1', 'sr-c2', 'sr-c3']).toContain(r.message.conversationId);
    expect(r.message.seq).toBeGreaterThanOrEqual(LAST_DEPLOY - 20); // sr-c1's newest (less the deleted one)
    expect(r.message.seq).toBeLessThanOrEqual(LAST_DEPLOY);
    expect(r.message.id).not.toBe(`sr-m1-${LAST_DEPLOY}`);
    if (r.message.conversationId === 'sr-c3') expect(r.message.seq).toBeGreaterThanOrEqual(7695);
    expect(r.snippet).toContain('deploy');
  }
  const ranks = recent.map((r) => r.rank);
  expect([...ranks].sort((x, y) => y - x)).toEqual(ranks);

  // Within one conversation: its newest matches.
  const inOne = await q.searchMessages({ userId: 'sr-a', tsquery: 'deploy:*', conversationId: 'sr-c2', limit: 5 });
  expect(inOne.map((r) => r.message.seq).sort()).toEqual([7696, 7697, 7698, 7699, 7700]);

  // sr-b's recent history (200 messages of sr-c1, the floor of the share) has no match: every match is ranked, so
  // the old messages that say it four times come first.
  const everything = await q.searchMessages({ userId: 'sr-b', tsquery: 'deploy:*', limit: 20 });
  expect(everything).toHaveLength(20);
  for (const r of everything) {
    expect(r.message.conversationId).toBe('sr-c1');
    expect(r.message.seq).toBeLessThan(100);
  }

  // A rare word ranks every match directly.
  const rare = await q.searchMessages({ userId: 'sr-a', tsquery: 'zyzzyva:*', limit: 20 });
  expect(rare.map((r) => r.message.id)).toEqual(['sr-m2-50']);
  expect(await q.searchMessages({ userId: 'sr-a', tsquery: 'secret:*', limit: 20 })).toEqual([]);
  expect(await q.searchMessages({ userId: 'sr-out', tsquery: 'zyzzyva:*', limit: 20 })).toEqual([]);
}

itOnEachDatabase(
  'searching a common word',
  'ranks the newest matches of each conversation, and every match when recent history has too few',
  expectRecentThenEverything,
  120_000,
);
