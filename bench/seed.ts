/**
 * `npm run bench:seed`: a workspace-sized database in minutes, built inside the database with set-based
 * INSERT … SELECT over generate_series (no row-by-row round trips).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/chattrix_ws npm run bench:seed   # PostgreSQL: 2,000,000 messages
 *   DATA_DIR=/tmp/ws npm run bench:seed                                            # PGlite: 200,000 messages
 *
 * The database must be empty (migrations are applied first). What it makes:
 *   - SEED_USERS (10,000) users `seed_<n>`, all with the password SEED_PASSWORD (one argon2 hash, shared);
 *   - SEED_GROUPS (1,000) group conversations (channels do not exist on this branch: groups stand in);
 *   - SEED_ACTIVE (100) active users `seed_0` … `seed_99`, each a member of SEED_PER_ACTIVE (200) groups, and
 *     every group gets SEED_EXTRA_MEMBERS (30) more members from the other users;
 *   - SEED_MESSAGES messages (2,000,000 on PostgreSQL, 200,000 on PGlite) spread evenly over the groups, with
 *     per-conversation seqs, senders among the members, over the last 90 days; bodies from a word list where
 *     `deploy` is common (~1 in 8 messages) and `zyzzyva` rare (1 in 100,000);
 *   - read positions: members have read up to a few messages before the end (a handful of unread each).
 * Secondary indexes on messages are dropped during the load and built again at the end (much faster).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { closeDb, dbDriver, getDb, initDb } from '../db';
import { hashPassword } from '../lib/auth/password';

const num = (name: string, dflt: number) => {
  const v = process.env[name];
  return v ? Math.max(0, Math.floor(Number(v))) : dflt;
};

const log = (...a: unknown[]) => console.error('[seed]', ...a);
/** An integer inlined into the statement (generate_series cannot pick a signature for untyped parameters). */
const int = (x: number) => sql.raw(String(Math.trunc(x)));

async function main() {
  const t0 = performance.now();
  await initDb();
  const db = getDb();
  const pg = dbDriver() === 'postgres';
  const cfg = {
    users: num('SEED_USERS', 10_000),
    groups: num('SEED_GROUPS', 1_000),
    active: num('SEED_ACTIVE', 100),
    perActive: num('SEED_PER_ACTIVE', 200),
    extra: num('SEED_EXTRA_MEMBERS', 30),
    messages: num('SEED_MESSAGES', pg ? 2_000_000 : 200_000),
    chunk: num('SEED_CHUNK', pg ? 200_000 : 20_000),
  };
  const password = process.env.SEED_PASSWORD ?? 'seed-password-1';
  log(`database: ${pg ? 'postgres' : 'pglite'}`, cfg);
  const run = (q: ReturnType<typeof sql>) => db.execute(q);
  const step = async (label: string, q: ReturnType<typeof sql>) => {
    const t = performance.now();
    await run(q);
    log(`${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };

  const [{ n } = { n: 0 }] = (await db.execute(sql`select count(*)::int as n from messages`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows))) as { n: number }[];
  if (Number(n) > 0) throw new Error('the database already has messages: seed an empty one');

  const hash = await hashPassword(password);
  await step(
    'users',
    sql`insert into users (id, username, display_name, password_hash, created_at, updated_at)
        select 'seedu' || g, 'seed_' || g, 'Seed ' || g, ${hash}, now() - interval '100 days', now() - interval '100 days'
        from generate_series(0, ${cfg.users - 1}) g`,
  );
  await step(
    'groups',
    sql`insert into conversations (id, kind, title, created_by_id, created_at, updated_at)
        select 'seedc' || g, 'group', 'Group ' || g, 'seedu' || (g % ${Math.max(1, cfg.active)}), now() - interval '95 days', now() - interval '95 days'
        from generate_series(0, ${cfg.groups - 1}) g`,
  );
  // Active user a is in the perActive groups a, a+1, … (mod groups): every group gets about active*perActive/groups
  // active members. Then `extra` more members per group among the others (deterministic spread).
  await step(
    'members (active users)',
    sql`insert into conversation_members (conversation_id, user_id, role, joined_at)
        select 'seedc' || ((a * 7 + k) % ${cfg.groups}), 'seedu' || a, case when k = 0 then 'owner' else 'member' end, now() - interval '95 days'
        from generate_series(0, ${cfg.active - 1}) a, generate_series(0, ${Math.min(cfg.perActive, cfg.groups) - 1}) k
        on conflict do nothing`,
  );
  await step(
    'members (others)',
    sql`insert into conversation_members (conversation_id, user_id, role, joined_at)
        select 'seedc' || g, 'seedu' || (${cfg.active} + ((g * 131 + j * 977) % ${Math.max(1, cfg.users - cfg.active)})), 'member', now() - interval '95 days'
        from generate_series(0, ${cfg.groups - 1}) g, generate_series(0, ${cfg.extra - 1}) j
        on conflict do nothing`,
  );
  // Members of each group in a numbered table, for picking senders.
  await run(sql`drop table if exists seed_members`);
  await step(
    'sender table',
    sql`create table seed_members as
        select conversation_id as c, user_id as u, (row_number() over (partition by conversation_id order by user_id)) - 1 as i,
               count(*) over (partition by conversation_id) as n
        from conversation_members where conversation_id like 'seedc%'`,
  );
  await run(sql`create index on seed_members (c, i)`);

  // Load without the secondary indexes of messages; build them once at the end.
  const dropped = ['messages_sender_idx', 'messages_reply_to_idx', 'messages_pinned_by_idx', 'messages_search_idx'];
  const indexDefs = (await db
    .execute(sql`select indexname, indexdef from pg_indexes where tablename = 'messages'`)
    .then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows))) as { indexname: string; indexdef: string }[];
  const toRebuild = indexDefs.filter((d) => dropped.includes(d.indexname) || /messages_\d+_idx|search/.test(d.indexname));
  for (const d of toRebuild) await run(sql.raw(`drop index if exists "${d.indexname}"`));
  log(`dropped ${toRebuild.length} secondary indexes of messages for the load`);

  const perGroup = Math.max(1, Math.floor(cfg.messages / cfg.groups));
  const words = [
    'the', 'team', 'meeting', 'today', 'release', 'review', 'lunch', 'please', 'thanks', 'update', 'build', 'test',
    'ship', 'docs', 'bug', 'fix', 'ticket', 'design', 'call', 'later', 'tomorrow', 'client', 'report', 'idea',
    'coffee', 'weekend', 'plan', 'budget', 'launch', 'metrics', 'server', 'issue', 'merge', 'branch', 'draft',
  ];
  const wordArr = `(array[${words.map((w) => `'${w}'`).join(',')}])`;
  const W = words.length;
  // Message m of group g has seq m+1; created_at spreads the group's messages over the last 90 days.
  const groupsPerChunk = Math.max(1, Math.floor(cfg.chunk / perGroup));
  for (let g0 = 0; g0 < cfg.groups; g0 += groupsPerChunk) {
    const g1 = Math.min(cfg.groups, g0 + groupsPerChunk) - 1;
    await step(
      `messages of groups ${g0}-${g1}`,
      sql`insert into messages (id, conversation_id, seq, sender_id, kind, body, client_id, created_at)
          select 'seedm' || g || '_' || m, 'seedc' || g, m + 1, sm.u, 'user',
                 ${sql.raw(wordArr)}[1 + (h % ${int(W)})] || ' ' || ${sql.raw(wordArr)}[1 + ((h / 7) % ${int(W)})] || ' ' ||
                 case when (g * 7919 + m) % 100000 = 4242 then 'zyzzyva ' else '' end ||
                 case when h % 8 = 0 then 'deploy ' else '' end ||
                 ${sql.raw(wordArr)}[1 + ((h / 53) % ${int(W)})] || ' message ' || m || ' ' || ${sql.raw(wordArr)}[1 + ((h / 401) % ${int(W)})],
                 null,
                 now() - interval '90 days' + (m::float8 / ${int(perGroup)}) * interval '90 days'
          from generate_series(${int(g0)}, ${int(g1)}) g
          cross join generate_series(0, ${int(perGroup - 1)}) m
          cross join lateral (select ((g::bigint * 2654435761 + m::bigint * 40503) % 1000003) as h) hh
          join seed_members sm on sm.c = 'seedc' || g and sm.i = (h % sm.n)`,
    );
  }
  await step(
    'conversation counters and activity',
    sql`update conversations c set last_seq = ${int(perGroup)}, updated_at = now() - interval '90 days' + ((${int(perGroup)} - 1)::float8 / ${int(perGroup)}) * interval '90 days' - (random() * interval '1 hour')
        where c.id like 'seedc%'`,
  );
  await step(
    'read positions',
    sql`update conversation_members cm set last_read_seq = greatest(0, ${int(perGroup)} - ((hashtext(cm.user_id || cm.conversation_id) & 7)))
        where cm.conversation_id like 'seedc%'`,
  );
  await run(sql`drop table seed_members`);
  for (const d of toRebuild) {
    const t = performance.now();
    await run(sql.raw(d.indexdef));
    log(`index ${d.indexname}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  await step('vacuum analyze', sql`vacuum analyze`);
  log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${cfg.users} users, ${cfg.groups} groups, ${perGroup * cfg.groups} messages`);
  await closeDb();
}

main().catch(async (e) => {
  console.error('[seed] failed:', e);
  await closeDb().catch(() => {});
  process.exit(1);
});
