import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { env } from '../lib/env';
import * as schema from './schema';

/**
 * One drizzle client per process, kept on globalThis: server.ts (tsx) and Next's bundled route handlers each load
 * their own copy of this module, and both must talk through the same connection (PGlite is one connection).
 * Both drivers expose the same query builder; the type below is the postgres-js one.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Data-access functions accept either the client or an open transaction. */
export type Executor = Db | Tx;

interface DbHandle {
  db: Db;
  driver: 'pglite' | 'postgres';
  close: () => Promise<void>;
  ready: Promise<void>;
}

const g = globalThis as unknown as { __chattrixDb?: DbHandle };

export const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');
const MIGRATION_LOCK = 74_112_001;

async function open(databaseUrl: string | undefined, dataDir: string): Promise<Omit<DbHandle, 'ready'>> {
  if (databaseUrl) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    // Migrate on one dedicated connection under an advisory lock, so several nodes starting at once don't race.
    const lockClient = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await lockClient`select pg_advisory_lock(${MIGRATION_LOCK})`;
      await migrate(drizzle(lockClient), { migrationsFolder });
      await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    } finally {
      await lockClient.end({ timeout: 5 });
    }
    const client = postgres(databaseUrl, { max: 20, onnotice: () => {} });
    return { db: drizzle(client, { schema }), driver: 'postgres', close: () => client.end({ timeout: 5 }) };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const dir = path.resolve(dataDir, 'db');
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Db, driver: 'pglite', close: () => client.close() };
}

/** Opens (once) and migrates the database. Safe to call from anywhere; later calls share the first. */
export function initDb(opts: { databaseUrl?: string; dataDir?: string } = {}): Promise<DbHandle> {
  if (!g.__chattrixDb) {
    const pending = open(opts.databaseUrl ?? env.DATABASE_URL, opts.dataDir ?? env.DATA_DIR);
    const handle = {} as DbHandle;
    handle.ready = pending.then((h) => {
      Object.assign(handle, h);
    });
    handle.ready.catch(() => {
      if (g.__chattrixDb === handle) g.__chattrixDb = undefined;
    });
    g.__chattrixDb = handle;
  }
  const handle = g.__chattrixDb;
  return handle.ready.then(() => handle);
}

/** The shared client. Throws if the database was not initialised (server.ts does it before listening). */
export function getDb(): Db {
  const h = g.__chattrixDb;
  if (!h?.db) throw new Error('database not initialised: call initDb() first');
  return h.db;
}

export async function closeDb(): Promise<void> {
  const h = g.__chattrixDb;
  g.__chattrixDb = undefined;
  if (h) {
    await h.ready.catch(() => {});
    if (h.close) await h.close();
  }
}

export async function pingDb(): Promise<boolean> {
  try {
    await getDb().execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

export function dbDriver(): 'pglite' | 'postgres' | undefined {
  return g.__chattrixDb?.driver;
}

export { schema };
