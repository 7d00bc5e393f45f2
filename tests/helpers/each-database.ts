/**
 * Query-level tests on real databases: one test run on PGlite in a fresh folder and, when DATABASE_URL is set (as
 * .ci/run sets it), again on a fresh PostgreSQL database made beside it and dropped after. Importing this module
 * hides DATABASE_URL and REDIS_URL from the process, so `@/db` opens only what the test asks for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SQL } from 'drizzle-orm';
import { afterAll, describe, it } from 'vitest';
import { rowsOf } from '@/db/queries/rows';
import { freshDatabase, type FreshDatabase } from './ops';

/** The PostgreSQL server CI gave, if any. */
export const pgUrl = process.env.DATABASE_URL;
delete process.env.DATABASE_URL;
delete process.env.REDIS_URL;

/** The rows of a statement on the open database, whichever driver answers. */
export async function rows<T = Record<string, unknown>>(query: SQL): Promise<T[]> {
  const { getDb } = await import('@/db');
  return rowsOf<T>(await getDb().execute(query));
}

/** The open database's own PGlite folder, for a test that runs on PGlite only; removed after the file's tests. */
export function pgliteFolder(prefix: string): string {
  const dataDir = mkdtempSync(path.join(tmpdir(), `chattrix-${prefix}-`));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  return dataDir;
}

/** `test` on a fresh PGlite database, then on a fresh PostgreSQL one when CI gives a server. */
export function itOnEachDatabase(subject: string, name: string, test: () => Promise<void>, timeout = 60_000): void {
  const prefix = subject.replace(/[^a-z]/gi, '').slice(0, 12).toLowerCase() || 'db';
  describe(`${subject} on PGlite`, () => {
    const dataDir = pgliteFolder(prefix);
    it(name, async () => withDb({ dataDir }, test), timeout);
  });
  describe.skipIf(!pgUrl)(`${subject} on PostgreSQL${pgUrl ? '' : ' (skipped: DATABASE_URL is not set; .ci/run sets it)'}`, () => {
    let database: FreshDatabase | undefined;
    afterAll(async () => database?.drop());
    it(
      name,
      async () => {
        database = await freshDatabase(prefix, pgUrl);
        await withDb({ databaseUrl: database.url }, test);
      },
      timeout,
    );
  });
}

/** Opens the database, runs `test`, closes it (also when the test fails, so the next one opens its own). */
export async function withDb(where: { dataDir?: string; databaseUrl?: string }, test: () => Promise<void>): Promise<void> {
  const dbm = await import('@/db');
  await dbm.initDb(where);
  try {
    await test();
  } finally {
    await dbm.closeDb();
  }
}
