import { PgPreparedQuery } from 'drizzle-orm/pg-core';
import { metrics } from './metrics';

/**
 * Times every statement Drizzle runs, on PGlite and PostgreSQL alike: both drivers' prepared queries go through
 * PgPreparedQuery.queryWithCache. Patched once per process (server.ts calls this before opening the database).
 */
export function instrumentDbQueries(): void {
  const proto = PgPreparedQuery.prototype as unknown as {
    queryWithCache: (...args: unknown[]) => Promise<unknown>;
    __chattrixTimed?: boolean;
  };
  if (proto.__chattrixTimed) return;
  proto.__chattrixTimed = true;
  const original = proto.queryWithCache;
  proto.queryWithCache = async function timed(this: unknown, ...args: unknown[]) {
    const end = metrics().dbQuery.startTimer();
    try {
      const result = await original.apply(this, args);
      end({ outcome: 'ok' });
      return result;
    } catch (e) {
      end({ outcome: 'error' });
      throw e;
    }
  };
}
