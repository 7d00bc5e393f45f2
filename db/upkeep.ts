import { sql } from 'drizzle-orm';
import { dbDriver, getDb } from './index';
import { rowsOf } from './queries/rows';

/**
 * The embedded database's autovacuum. PGlite runs PostgreSQL in one process with no background workers, so nothing
 * ever ANALYZEs or VACUUMs it: its planner would guess from table sizes alone for ever, the plans of prepared
 * statements would stay those made when the tables were small, and updated rows would never be reclaimed (nor old
 * transaction ids frozen). This does what autovacuum does, with its default thresholds, table by table: ANALYZE when
 * more than 50 + 10 % of a table's rows changed since the last one (which also makes prepared statements plan again),
 * VACUUM when more than 50 + 20 % are dead, or 1,000 + 20 % were inserted since the last vacuum.
 * PostgreSQL has its own autovacuum: there this does nothing.
 */
const DUE_SQL = sql`
  select format('%I.%I', schemaname, relname) as name,
         n_dead_tup > 50 + 0.2 * n_live_tup or n_ins_since_vacuum > 1000 + 0.2 * n_live_tup as vacuum
  from pg_stat_user_tables
  where n_mod_since_analyze > 50 + 0.1 * n_live_tup or n_dead_tup > 50 + 0.2 * n_live_tup or n_ins_since_vacuum > 1000 + 0.2 * n_live_tup
  order by relname`;

/** One pass: answers the statements it ran (`vacuum (analyze) public.messages`, `analyze public.users` …). */
export async function upkeepEmbeddedDb(): Promise<string[]> {
  if (dbDriver() !== 'pglite') return [];
  const db = getDb();
  // The counts of the statements just run reach the statistics views at the next report: now.
  await db.execute(sql`select pg_stat_force_next_flush()`);
  // Due: past ANALYZE's threshold, VACUUM's, or both (a VACUUM here analyzes too).
  const due = rowsOf<{ name: string; vacuum: boolean }>(await db.execute(DUE_SQL));
  const ran: string[] = [];
  for (const t of due) {
    const statement = t.vacuum ? `vacuum (analyze) ${t.name}` : `analyze ${t.name}`;
    await db.execute(sql.raw(statement));
    ran.push(statement);
  }
  return ran;
}

/** Runs a pass a minute after start, then every 10 minutes; returns a stop function. */
export function startEmbeddedDbUpkeep(): () => void {
  if (dbDriver() !== 'pglite') return () => {};
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    const t0 = performance.now();
    void upkeepEmbeddedDb()
      .then((ran) => ran.length > 0 && console.log(`[chattrix] database upkeep: ${ran.join(', ')} (${Math.round(performance.now() - t0)} ms)`))
      .catch((e) => console.error('[chattrix] database upkeep failed:', e))
      .finally(() => (running = false));
  };
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, 600_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
