/**
 * `node --import tsx bench/channels.ts`: read-path figures for channels and threads against the built server.
 *
 * Seeds (straight into the database, in batches) a person in 500 conversations (each with a message), 10,000
 * channels, and one thread of 1,000 replies; then measures over HTTP on loopback, with the person's token:
 *   - GET /conversations (the 500-conversation list in one answer), 50 times; its first page (limit=50), 50 times;
 *     and every page of 100 walked with the cursor, 10 times (BENCH_LIST_RUNS scales all three)
 *   - the channel browser paged through all 10,000 channels (limit 50, keyset cursor)
 *   - GET /messages/{root}/thread?limit=50 (opening the 1,000-reply thread), 100 times, and paging it to its start
 * Prints one JSON line. With DATABASE_URL (a PostgreSQL server), a fresh database `bench_ch_<random>` is created
 * and dropped at the end. PostgreSQL only: the seeding writes through a second connection, which PGlite cannot have.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { SUMMARIES_PAGE_SQL } from '../db/queries/conversations';
import { startServer } from '../tests/helpers/server';
import { cpuSeconds, round } from './lib';

const base = process.env.DATABASE_URL;
if (!base) {
  console.error('bench/channels.ts needs DATABASE_URL (a PostgreSQL server); it makes and drops its own database there.');
  process.exit(2);
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
}

async function main() {
  const dbName = `bench_ch_${randomBytes(4).toString('hex')}`;
  const admin = postgres(base!, { max: 1 });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(base!);
  url.pathname = `/${dbName}`;
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server (as in bench/run.ts).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const server = await startServer({ env: { DATABASE_URL: url.toString(), REDIS_URL: undefined }, nodeArgs });
  const sql = postgres(url.toString(), { max: 4 });
  try {
    const api = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/v1${path}`, {
        method: init.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
      const json = (await res.json()) as any;
      if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
      return { json, ms: performance.now() - t0 };
    };
    const username = `bench_${randomBytes(4).toString('hex')}`;
    await api('/auth/register', { method: 'POST', body: { username, password: 'correct horse battery staple', displayName: 'Bench' } });
    const { json: tok } = await api('/auth/tokens', { method: 'POST', body: { username, password: 'correct horse battery staple', name: 'bench' } });
    const token = tok.token as string;
    const userId = (await sql<{ id: string }[]>`select id from users where username = ${username}`)[0]!.id;

    console.error('seeding 10,000 channels, 500 memberships with a message each, a 1,000-reply thread…');
    await sql.unsafe(`
      insert into conversations (id, kind, title, topic, last_seq, updated_at)
      select 'bch' || i, 'channel', 'bench-channel-' || lpad(i::text, 5, '0'), 'topic ' || i, case when i <= 500 then 1 else 0 end,
             now() - (i || ' seconds')::interval
      from generate_series(1, 10000) i`);
    await sql.unsafe(`insert into conversation_members (conversation_id, user_id, role) select 'bch' || i, '${userId}', 'member' from generate_series(1, 499) i`);
    await sql.unsafe(`
      insert into messages (id, conversation_id, seq, sender_id, kind, body)
      select 'bm' || i, 'bch' || i, 1, '${userId}', 'user', 'hello ' || i from generate_series(1, 499) i`);
    // The thread lives in channel bch500 (the user's 500th conversation).
    await sql.unsafe(`insert into conversation_members (conversation_id, user_id, role) values ('bch500', '${userId}', 'owner')`);
    await sql.unsafe(`update conversations set last_seq = 1001 where id = 'bch500'`);
    await sql.unsafe(`insert into messages (id, conversation_id, seq, sender_id, kind, body) values ('broot', 'bch500', 1, '${userId}', 'user', 'the root')`);
    await sql.unsafe(`
      insert into messages (id, conversation_id, seq, sender_id, kind, body, thread_id, created_at)
      select 'br' || i, 'bch500', 1 + i, '${userId}', 'user', 'reply ' || i, 'broot', now() - ((1000 - i) || ' seconds')::interval
      from generate_series(1, 1000) i`);
    await sql.unsafe(`insert into thread_follows (root_id, user_id, conversation_id, following) values ('broot', '${userId}', 'bch500', true)`);
    await sql.unsafe('analyze');

    // Warm up.
    for (let i = 0; i < 5; i++) {
      await api('/conversations', { token });
      await api('/conversations?limit=50', { token });
      await api('/messages/broot/thread?limit=50', { token });
      await api('/channels?limit=50', { token });
    }

    // CPU per request, the server's and the database's (its backends for this database): a figure the machine's
    // load does not inflate the way it does wall-clock latency.
    const backends = async () => (await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${dbName}`).map((r) => r.pid);
    const cpuOf = async () => ({ server: cpuSeconds(server.child.pid!), db: (await backends()).reduce((t, pid) => t + cpuSeconds(pid), 0) });
    /** `runs` times `one()` (each returning how many conversations it read): wall-clock p50/p99 and CPU per run. */
    const timed = async (runs: number, one: () => Promise<number>) => {
      const ms: number[] = [];
      let conversations = 0;
      const cpu0 = await cpuOf();
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        conversations = await one();
        ms.push(performance.now() - t0);
      }
      const cpu1 = await cpuOf();
      return {
        conversations,
        runs,
        p50Ms: pct(ms, 50),
        p99Ms: pct(ms, 99),
        serverCpuMsPerRequest: round(((cpu1.server - cpu0.server) * 1000) / runs, 1),
        dbCpuMsPerRequest: round(((cpu1.db - cpu0.db) * 1000) / runs, 1),
        loadAverage: round(os.loadavg()[0]!, 1),
      };
    };
    // BENCH_LIST_RUNS (default 50): more list requests, so that a profile of the server is mostly them.
    const listRuns = Number(process.env.BENCH_LIST_RUNS ?? 50);
    // The whole list in one answer (no limit), as integrations and older clients ask for it.
    const conversationList = await timed(listRuns, async () => (await api('/conversations', { token })).json.conversations.length);
    // The client's first page (what the sidebar shows first), and every page of 100 walked with the cursor.
    const firstPage = await timed(listRuns, async () => (await api('/conversations?limit=50', { token })).json.conversations.length);
    /** Every page of `path` (which has a query already) walked with its cursor: each page's time into `ms`; how many items. */
    const walk = async (path: string, key: string, ms: number[]): Promise<number> => {
      let n = 0;
      let cursor: string | null = null;
      do {
        const r = await api(`${path}${cursor ? `&cursor=${cursor}` : ''}`, { token });
        ms.push(r.ms);
        n += r.json[key].length;
        cursor = r.json.nextCursor;
      } while (cursor);
      return n;
    };
    const pageMs: number[] = [];
    const allPages = await timed(Math.max(10, listRuns / 5), () => walk('/conversations?limit=100', 'conversations', pageMs));
    if (process.env.BENCH_EXPLAIN) {
      const plan = await sql.unsafe(`explain (analyze, costs off) ${SUMMARIES_PAGE_SQL}`, [userId, 'infinity', '', 51]);
      console.error(plan.map((r) => r['QUERY PLAN']).join('\n'));
    }

    const pages: number[] = [];
    const seen = await walk('/channels?limit=50', 'channels', pages);
    const search: number[] = [];
    for (let i = 0; i < 20; i++) search.push((await api(`/channels?limit=50&q=channel-0${i % 10}`, { token })).ms);

    const open: number[] = [];
    for (let i = 0; i < 100; i++) open.push((await api('/messages/broot/thread?limit=50', { token })).ms);
    const paging: number[] = [];
    let before: string | null = null;
    let replies = 0;
    for (;;) {
      const r = await api(`/messages/broot/thread?limit=50${before ? `&before=${before}` : ''}`, { token });
      paging.push(r.ms);
      replies += r.json.messages.length;
      if (!r.json.hasMore) break;
      before = r.json.messages[0].id;
    }
    const timeline: number[] = [];
    for (let i = 0; i < 50; i++) timeline.push((await api('/conversations/bch500/messages?limit=100', { token })).ms);
    const threadsList: number[] = [];
    for (let i = 0; i < 50; i++) threadsList.push((await api('/threads?limit=20', { token })).ms);

    console.log(
      JSON.stringify({
        database: 'postgresql',
        conversationList,
        conversationListFirstPage: { limit: 50, ...firstPage },
        conversationListAllPages: { limit: 100, ...allPages, pageP50Ms: pct(pageMs, 50), pageP99Ms: pct(pageMs, 99) },
        channelBrowser: { channels: seen, pages: pages.length, pageP50Ms: pct(pages, 50), pageP99Ms: pct(pages, 99), searchP50Ms: pct(search, 50), searchP99Ms: pct(search, 99) },
        thread1000: {
          replies,
          openRuns: open.length,
          openP50Ms: pct(open, 50),
          openP99Ms: pct(open, 99),
          pageP50Ms: pct(paging, 50),
          pageP99Ms: pct(paging, 99),
          timelineWithThreadRootP99Ms: pct(timeline, 99),
          threadsListP99Ms: pct(threadsList, 99),
        },
      }),
    );
  } finally {
    await sql.end();
    await server.stop();
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
