import { initDb } from '../../db';
import * as q from '../../db/queries/security-events';
import type { Actor } from '../auth/actor';
import type { RequestMeta } from '../auth/meta';
import { AppError } from '../errors';
import { newId } from '../ids';
import { logger } from '../observability/logger';
import { iso } from '../validation/dto';
import type { SecurityEventDto, SecurityEventType } from '../validation/security';

export interface SecurityEventInput {
  userId: string | null;
  type: SecurityEventType;
  meta?: Partial<RequestMeta>;
  /** Never a password, code or token: ids, names and reasons only. */
  detail?: Record<string, unknown>;
}

/**
 * The one place security events are recorded: sign-in (ok and failed), sign-out, sessions and tokens created
 * and revoked, password and two-factor changes, account deletion. A failure to record never fails the action.
 */
export async function recordSecurityEvent(input: SecurityEventInput): Promise<void> {
  const row = {
    id: newId(),
    userId: input.userId,
    type: input.type,
    ip: input.meta?.ip ?? null,
    userAgent: input.meta?.userAgent ?? null,
    detail: input.detail ?? {},
  };
  // Every security event is also a structured log line (pino redacts anything that looks like a secret).
  logger.info({ securityEvent: row.type, eventId: row.id, userId: row.userId, ip: row.ip, userAgent: row.userAgent, detail: row.detail }, 'security event');
  try {
    await initDb();
    await q.insertSecurityEvent({ event: row });
  } catch (e) {
    console.error('[chattrix] could not record a security event:', e);
  }
}

export async function listSecurityEvents(actor: Actor): Promise<SecurityEventDto[]> {
  const rows = await q.listSecurityEvents({ userId: actor.id, limit: 50 });
  return rows.map((r) => ({ id: r.id, type: r.type, ip: r.ip, userAgent: r.userAgent, detail: r.detail ?? {}, createdAt: iso(r.createdAt)! }));
}

/** Events are kept for a year (called by the hourly maintenance). */
export async function pruneSecurityEvents(now = new Date()): Promise<void> {
  await q.deleteSecurityEventsBefore({ before: new Date(now.getTime() - 365 * 24 * 3600_000) });
}

/** The admin console's audit log (site admins only; the route checks). Keyset pages: `nextCursor` is opaque. */
export async function listAuditLog(query: { type?: string; userId?: string; cursor?: string; limit: number }) {
  let before: { at: Date; id: string } | undefined;
  if (query.cursor) {
    const [at, id] = Buffer.from(query.cursor, 'base64url').toString('utf8').split('|');
    const when = new Date(at ?? '');
    if (!id || Number.isNaN(when.getTime())) throw new AppError('bad_request', 'Not a valid cursor', { issues: [{ path: ['cursor'], message: 'Not a valid cursor' }] });
    before = { at: when, id };
  }
  const rows = await q.listAuditEvents({ type: query.type, userId: query.userId, before, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    events: page.map(({ event: r, username, displayName }) => ({
      id: r.id,
      type: r.type,
      user: r.userId && username ? { id: r.userId, username, displayName: displayName ?? username } : null,
      ip: r.ip,
      userAgent: r.userAgent,
      detail: r.detail ?? {},
      createdAt: iso(r.createdAt)!,
    })),
    nextCursor: rows.length > query.limit && last ? Buffer.from(`${last.event.createdAt.toISOString()}|${last.event.id}`).toString('base64url') : null,
  };
}
