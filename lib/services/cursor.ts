import { AppError } from '../errors';

/**
 * Opaque keyset cursors for the paged lists (channels, threads, conversations): base64url JSON of the last row's
 * sort key. A cursor the server did not give out answers `bad_request`, never a 500.
 */
const CURSOR_RE = /^[A-Za-z0-9_-]+$/;
const TIMESTAMP_RE = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d(:?\d\d)?|Z)?$/;

export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key's string fields, each checked: `timestamp` ones must be timestamps as PostgreSQL prints them. */
export function decodeCursor<K extends string>(s: string, fields: Record<K, 'string' | 'timestamp'>): Record<K, string> {
  try {
    if (!CURSOR_RE.test(s)) throw new Error('bad');
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
    const out = {} as Record<K, string>;
    for (const [k, kind] of Object.entries(fields) as [K, 'string' | 'timestamp'][]) {
      const x = v?.[k];
      if (typeof x !== 'string' || (kind === 'timestamp' && !TIMESTAMP_RE.test(x))) throw new Error('bad');
      out[k] = x;
    }
    return out;
  } catch {
    throw new AppError('bad_request', 'cursor is not one this server gave out', { issues: [{ path: ['cursor'], message: 'Invalid cursor' }] });
  }
}
