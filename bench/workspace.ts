/**
 * `npm run bench:workspace`: the hot requests of a person in a workspace-sized database made by bench/seed.ts.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/chattrix_ws npm run bench:workspace
 *   DATA_DIR=/tmp/ws npm run bench:workspace
 *
 * Starts the built server on that database (RATE_LIMITS=off, loopback, free port), signs in as active users
 * (`seed_0` … `seed_99`, password SEED_PASSWORD) and measures, sequentially, p50/p99 of: sign-in (POST
 * /auth/tokens: argon2 verify included), the conversation list (whole, and its first page of 50), opening a
 * conversation (first page of 50), paging back (the next 5 pages), search (a common and a rare word, and the common
 * word in one conversation), unread counts (one conversation's summary)
 * and sending. Prints one JSON line on stdout. With WS_EXPLAIN=1 it first prints EXPLAIN ANALYZE of each hot
 * query (stderr), run in-process on the same database before the server starts (WS_EXPLAIN=only: just that).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { closeDb, dbDriver, getDb, initDb } from '../db';
import { recentMatchesSql, SEND_CONTEXT_SQL } from '../db/queries/messages';

const log = (...a: unknown[]) => console.error('[workspace]', ...a);
const PASSWORD = process.env.SEED_PASSWORD ?? 'seed-password-1';
const N = Number(process.env.WS_SAMPLES ?? 60);
const round = (n: number) => Math.round(n * 100) / 100;

function pct(values: number[]) {
  const a = [...values].sort((x, y) => x - y);
  const at = (q: number) => a[Math.min(a.length - 1, Math.max(0, Math.ceil(q * a.length) - 1))]!;
  return { n: a.length, p50_ms: round(at(0.5)), p99_ms: round(at(0.99)), max_ms: round(a[a.length - 1]!) };
}

async function explain(): Promise<void> {
  await initDb();
  const db = getDb();
  const rows = async (q: ReturnType<typeof sql>) => {
    const r = await db.execute(q);
    return (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
  };
  const u = 'seedu7';
  const [conv] = await rows(sql`select conversation_id as c from conversation_members where user_id = ${u} limit 1`);
  const c = String(conv!.c);
  const queries: [string, string][] = [
    [
      'conversation list (listConversationSummaries)',
      `select c.id, (select m.id from messages m where m.conversation_id = c.id and m.seq >= cm.visible_from_seq order by m.seq desc limit 1),
        (select count(*)::int from messages m where m.conversation_id = c.id and m.seq > cm.last_read_seq and m.seq >= cm.visible_from_seq
           and m.kind = 'user' and m.deleted_at is null and m.sender_id is distinct from '${u}'),
        (select count(*)::int from mentions mn join messages m on m.id = mn.message_id where mn.user_id = '${u}' and m.conversation_id = c.id
           and m.seq > cm.last_read_seq and m.deleted_at is null)
       from conversation_members cm join conversations c on c.id = cm.conversation_id where cm.user_id = '${u}' order by c.updated_at desc, c.id`,
    ],
    ['members of the listed conversations (listMembers)', `select * from conversation_members cm join users u on u.id = cm.user_id where cm.conversation_id in (select conversation_id from conversation_members where user_id = '${u}') order by cm.joined_at, u.id`],
    ['first page (listMessagesPage)', `select * from messages where conversation_id = '${c}' and seq >= 0 order by seq desc limit 51`],
    ['paging back (listMessagesPage, before)', `select * from messages where conversation_id = '${c}' and seq >= 0 and seq < 1000 order by seq desc limit 51`],
    [
      'search, rare word (searchMessages)',
      `select m.id, ts_rank(m.search, to_tsquery('simple', 'zyzzyva:*')) from messages m join conversation_members cm on cm.conversation_id = m.conversation_id and cm.user_id = '${u}'
       where m.search @@ to_tsquery('simple', 'zyzzyva:*') and m.deleted_at is null and m.kind = 'user' and m.seq >= cm.visible_from_seq
       order by ts_rank(m.search, to_tsquery('simple', 'zyzzyva:*')) desc, m.created_at desc limit 20`,
    ],
    ['send checks (SEND_CONTEXT_SQL)', SEND_CONTEXT_SQL.replace('$1::jsonb', `'[{"c":"${c}","u":"${u}"}]'::jsonb`)],
  ];
  const explained: [string, ReturnType<typeof sql>][] = [
    ...queries.map(([label, q]): [string, ReturnType<typeof sql>] => [label, sql.raw(q)]),
    ['search, common word: the newest matches of each conversation (searchMessages)', recentMatchesSql({ userId: u, tsquery: 'deploy:*', limit: 20 })],
  ];
  for (const [label, q] of explained) {
    const plan = await rows(sql`explain (analyze, costs off, timing on) ${q}`);
    console.error(`\n### ${label}\n\`\`\`\n${plan.map((r) => String(Object.values(r)[0])).join('\n')}\n\`\`\``);
  }
  await closeDb();
}

async function startServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const env: Record<string, string | undefined> = { ...process.env, PORT: '0', HOST: '127.0.0.1', RATE_LIMITS: 'off', NEXT_TELEMETRY_DISABLED: '1' };
  delete env.NODE_ENV; // RATE_LIMITS=off is refused in production; the server runs the production build anyway
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      buf += d;
      const m = /listening on (http:\/\/[^\s]+?:\d+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error('server exited')));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function main() {
  if (process.env.WS_EXPLAIN) await explain();
  if (process.env.WS_EXPLAIN === 'only') return;
  await initDb();
  const db = dbDriver();
  await closeDb();
  const server = await startServer();
  const base = `${server.url}/api/v1`;
  try {
    const call = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<{ ms: number; data: T }> => {
      const t0 = performance.now();
      const res = await fetch(base + path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      return { ms, data: JSON.parse(text) as T };
    };
    const users = Array.from({ length: 20 }, (_, i) => `seed_${i * 5}`);
    const signIn: number[] = [];
    const tokens: string[] = [];
    for (let i = 0; i < Math.min(N, 40); i++) {
      const r = await call<{ token: string }>('POST', '/auth/tokens', undefined, { username: users[i % users.length], password: PASSWORD, name: 'ws' });
      signIn.push(r.ms);
      if (tokens.length < users.length) tokens.push(r.data.token);
    }
    const t = (i: number) => tokens[i % tokens.length]!;
    const list: number[] = [];
    const convsOf: string[][] = [];
    let listed = 0;
    for (let i = 0; i < N; i++) {
      const r = await call<{ conversations: { id: string }[] }>('GET', '/conversations', t(i));
      list.push(r.ms);
      listed = r.data.conversations.length;
      convsOf[i % tokens.length] = r.data.conversations.map((c) => c.id);
    }
    // What the sidebar reads first: the newest 50 (the whole list follows from the socket's catch-up).
    const listPage: number[] = [];
    for (let i = 0; i < N; i++) listPage.push((await call('GET', '/conversations?limit=50', t(i))).ms);
    const first: number[] = [];
    const back: number[] = [];
    const unread: number[] = [];
    const send: number[] = [];
    for (let i = 0; i < N; i++) {
      const convs = convsOf[i % tokens.length]!;
      const conv = convs[(i * 37) % convs.length]!;
      const r = await call<{ messages: { id: string }[] }>('GET', `/conversations/${conv}/messages?limit=50`, t(i));
      first.push(r.ms);
      let before = r.data.messages[0]?.id;
      for (let p = 0; p < 5 && before; p++) {
        const b = await call<{ messages: { id: string }[] }>('GET', `/conversations/${conv}/messages?limit=50&before=${before}`, t(i));
        back.push(b.ms);
        before = b.data.messages[0]?.id;
      }
      unread.push((await call('GET', `/conversations/${conv}`, t(i))).ms);
      send.push((await call('POST', `/conversations/${conv}/messages`, t(i), { body: `workspace bench ${i}`, clientId: `ws${Date.now()}x${i}` })).ms);
    }
    const common: number[] = [];
    const rare: number[] = [];
    const commonInOne: number[] = [];
    let commonHits = 0;
    let rareHits = 0;
    for (let i = 0; i < Math.min(N, 40); i++) {
      const c = await call<{ results: unknown[] }>('GET', `/search?q=deploy`, t(i));
      common.push(c.ms);
      commonHits = c.data.results.length;
      const r = await call<{ results: unknown[] }>('GET', `/search?q=zyzzyva`, t(i));
      rare.push(r.ms);
      rareHits = Math.max(rareHits, r.data.results.length);
      const convs = convsOf[i % tokens.length]!;
      commonInOne.push((await call('GET', `/search?q=deploy&conversationId=${convs[(i * 13) % convs.length]}`, t(i))).ms);
    }
    const out = {
      workload: 'WORKSPACE',
      db,
      conversations_per_user: listed,
      sign_in: pct(signIn),
      conversation_list: pct(list),
      conversation_list_first_50: pct(listPage),
      first_page: pct(first),
      paging_back: pct(back),
      search_common: { ...pct(common), hits: commonHits },
      search_rare: { ...pct(rare), hits: rareHits },
      search_common_one_conversation: pct(commonInOne),
      unread_counts: pct(unread),
      send: pct(send),
      machine: { loadavg_1m: round(os.loadavg()[0]!), cpus: os.cpus().length },
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
