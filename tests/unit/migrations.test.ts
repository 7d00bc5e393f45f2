/**
 * The committed migrations, applied in-process by db/index.ts initDb() to an EMPTY database: PGlite in a fresh
 * temporary folder, and (when DATABASE_URL is set, as in CI) a fresh PostgreSQL database created for this test.
 * The expected tables and columns come from db/schema.ts, so a schema change without a generated migration fails.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { is, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '@/db/schema';

// db/index.ts falls back to env.DATABASE_URL when no URL is passed; the PGlite case must not see CI's database.
const pgUrl = process.env.DATABASE_URL;
delete process.env.DATABASE_URL;
delete process.env.REDIS_URL;

type DbModule = typeof import('@/db');
let dbm: DbModule;

beforeAll(async () => {
  dbm = await import('@/db');
});

afterEach(async () => {
  await dbm.closeDb();
});

const journal = JSON.parse(readFileSync(path.join(process.cwd(), 'db/migrations/meta/_journal.json'), 'utf8')) as {
  entries: { tag: string }[];
};

const schemaTables = (Object.values(schema) as unknown[])
  .filter((t): t is PgTable => is(t, PgTable))
  .map((t) => getTableConfig(t));

async function rows<T = Record<string, unknown>>(query: ReturnType<typeof sql>): Promise<T[]> {
  const r = (await dbm.getDb().execute(query)) as unknown;
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}

/** Every check that must hold after migrating. */
async function expectMigrated(): Promise<void> {
  const tables = await rows<{ table_name: string; column_name: string }>(sql`
    select table_name, column_name from information_schema.columns where table_schema = 'public'`);
  const columns = new Map<string, Set<string>>();
  for (const r of tables) {
    if (!columns.has(r.table_name)) columns.set(r.table_name, new Set());
    columns.get(r.table_name)!.add(r.column_name);
  }
  expect(schemaTables.length).toBeGreaterThanOrEqual(8);
  for (const t of schemaTables) {
    expect(columns.has(t.name), `table ${t.name} missing`).toBe(true);
    for (const c of t.columns) expect(columns.get(t.name)!.has(c.name), `column ${t.name}.${c.name} missing`).toBe(true);
  }
  for (const name of ['users', 'access_tokens', 'conversations', 'conversation_members', 'messages', 'attachments', 'reactions', 'push_subscriptions']) {
    expect(columns.has(name), `table ${name} missing`).toBe(true);
  }

  // Every journal entry applied, once.
  const applied = await rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  expect(applied[0]!.n).toBe(journal.entries.length);

  // The public channel every account joins.
  const general = await rows<{ id: string; kind: string; slug: string }>(sql`select id, kind, slug from conversations where slug = 'general'`);
  expect(general).toEqual([{ id: 'general', kind: 'channel', slug: 'general' }]);

  // Usernames are unique case-insensitively (an index on lower(username)).
  const idx = await rows<{ indexdef: string }>(sql`select indexdef from pg_indexes where tablename = 'users' and indexdef ilike '%unique%lower%'`);
  expect(idx.length).toBe(1);

  // Every foreign key column has an index starting with it (the issue asks for indexes on every foreign key).
  const fks = await rows<{ n: number }>(sql`select count(*)::int as n from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`);
  expect(fks[0]!.n).toBeGreaterThanOrEqual(10);
  const unindexed = await rows<{ tbl: string; col: string }>(sql`
    select c.conrelid::regclass::text as tbl, a.attname as col
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.connamespace = 'public'::regnamespace
      and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])`);
  expect(unindexed).toEqual([]);

  // Messages are indexed on (conversation, created order).
  const order = await rows<{ indexdef: string }>(sql`
    select indexdef from pg_indexes where tablename = 'messages' and indexdef ilike '%(conversation_id, seq)%'`);
  expect(order.length).toBeGreaterThanOrEqual(1);
}

describe('migrations on an empty PGlite (in-process)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'chattrix-migrate-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates every table of db/schema.ts, the general channel, and the indexes', async () => {
    const handle = await dbm.initDb({ dataDir });
    expect(handle.driver).toBe('pglite');
    await expectMigrated();
  }, 60_000);

  it('is idempotent: migrating the same database again changes nothing and keeps data', async () => {
    await dbm.initDb({ dataDir });
    await rows(sql`insert into users (id, username, display_name, password_hash) values ('keep-me', 'keeper', 'Keeper', 'x')`);
    await dbm.closeDb();
    const handle = await dbm.initDb({ dataDir });
    expect(handle.driver).toBe('pglite');
    await expectMigrated();
    const kept = await rows<{ username: string }>(sql`select username from users where id = 'keep-me'`);
    expect(kept).toEqual([{ username: 'keeper' }]);
  }, 60_000);

  it('stores accounts through the service: argon2id hash, case-insensitive uniqueness, same answer for unknown and wrong', async () => {
    await dbm.initDb({ dataDir });
    const users = await import('@/lib/services/users');
    const user = await users.registerUser({ username: 'Casey.Case', password: 'password-123' });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(user.passwordHash).not.toContain('password-123');
    await expect(users.registerUser({ username: 'casey.CASE', password: 'password-456' })).rejects.toMatchObject({ code: 'conflict' });

    expect((await users.verifyCredentials('CASEY.case', 'password-123'))?.id).toBe(user.id);
    expect(await users.verifyCredentials('Casey.Case', 'wrong-password')).toBeNull();
    expect(await users.verifyCredentials('nobody-here', 'password-123')).toBeNull();

    // Same time: the unknown user is checked against a dummy argon2 hash, so both take an argon2 verification.
    await users.verifyCredentials('nobody-here', 'warm-up'); // the dummy hash is made once
    const time = async (name: string) => {
      const t = performance.now();
      await users.verifyCredentials(name, 'wrong-password');
      return performance.now() - t;
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 5; i++) {
      unknown.push(await time('nobody-here'));
      wrong.push(await time('Casey.Case'));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // argon2id at m=19456,t=2 takes ~13 ms here; a lookup that skipped it takes well under 2 ms.
    expect(median(unknown)).toBeGreaterThan(5);
    expect(median(wrong)).toBeGreaterThan(5);
    expect(median(unknown) / median(wrong)).toBeGreaterThan(1 / 3);
    expect(median(unknown) / median(wrong)).toBeLessThan(3);
  }, 60_000);
});

describe.skipIf(!pgUrl)(`migrations on an empty PostgreSQL database${pgUrl ? '' : ' (skipped: DATABASE_URL is not set; .ci/run sets it)'}`, () => {
  const name = `chattrix_migtest_${randomBytes(6).toString('hex')}`;
  let admin: import('postgres').Sql;
  let url: string;

  beforeAll(async () => {
    const { default: postgres } = await import('postgres');
    admin = postgres(pgUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const u = new URL(pgUrl!);
    u.pathname = `/${name}`;
    url = u.toString();
  });

  afterAll(async () => {
    await dbm?.closeDb();
    if (admin) {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    }
  });

  it('creates every table of db/schema.ts, the general channel, and the indexes', async () => {
    const handle = await dbm.initDb({ databaseUrl: url });
    expect(handle.driver).toBe('postgres');
    await expectMigrated();
  }, 60_000);

  it('is idempotent: migrating the same database again changes nothing and keeps data', async () => {
    await dbm.initDb({ databaseUrl: url });
    await rows(sql`insert into users (id, username, display_name, password_hash) values ('keep-me', 'keeper', 'Keeper', 'x')`);
    await dbm.closeDb();
    const handle = await dbm.initDb({ databaseUrl: url });
    expect(handle.driver).toBe('postgres');
    await expectMigrated();
    expect(await rows(sql`select username from users where id = 'keep-me'`)).toEqual([{ username: 'keeper' }]);
  }, 60_000);
});
