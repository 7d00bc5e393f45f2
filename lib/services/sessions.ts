import { initDb } from '../../db';
import * as q from '../../db/queries/sessions';
import type { Session } from '../../db/schema';
import type { Actor } from '../auth/actor';
import type { RequestMeta } from '../auth/meta';
import { env } from '../env';
import { AppError } from '../errors';
import { newId } from '../ids';
import { disconnectSessions } from '../realtime/revoke';
import { iso } from '../validation/dto';
import type { SessionDto } from '../validation/security';
import { recordSecurityEvent } from './security-events';

/**
 * Server-side sessions. The session cookie (a next-auth JWT) carries the session id; every request, page and
 * socket handshake asks `liveSession(id)`. Answers are cached for a few seconds per node; ending a session drops
 * it from this node's cache at once and, with REDIS_URL, from every other node's (lib/realtime/revoke.ts).
 * last_seen_at is written at most once a minute per session, never on every request.
 */
const CACHE_MS = 5_000;
const TOUCH_MS = 60_000;
/** How long a node remembers that a session ended, so a lookup racing the revocation cannot cache it as live. */
const ENDED_MS = 120_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export const sessionMaxAgeMs = () => env.SESSION_MAX_AGE_DAYS * DAY_MS;
export const sessionIdleMs = () => env.SESSION_IDLE_DAYS * DAY_MS;

export interface LiveSession {
  id: string;
  userId: string;
  expiresAt: number;
  /** When it ends if unused until then (ms since the epoch). */
  idleUntil: number;
}

interface Cached {
  session: { userId: string; expiresAt: number; lastSeenAt: number } | null;
  at: number;
}

const g = globalThis as unknown as { __chattrixSessions?: { cache: Map<string, Cached>; ended: Map<string, number>; sweptAt: number } };
const state = () => (g.__chattrixSessions ??= { cache: new Map(), ended: new Map(), sweptAt: 0 });

function sweep(now: number): void {
  const s = state();
  if (now - s.sweptAt < 30_000) return;
  s.sweptAt = now;
  for (const [id, c] of s.cache) if (now - c.at > CACHE_MS) s.cache.delete(id);
  for (const [id, at] of s.ended) if (now - at > ENDED_MS) s.ended.delete(id);
}

/** This node forgets these sessions (called for local revocations and for those announced by other nodes). */
export function forgetSessions(ids: string[]): void {
  const s = state();
  const now = Date.now();
  for (const id of ids) {
    s.cache.delete(id);
    s.ended.set(id, now);
  }
}

function alive(sess: { expiresAt: number; lastSeenAt: number }, now: number): boolean {
  return now < sess.expiresAt && now < sess.lastSeenAt + sessionIdleMs();
}

/** The session if it is live (not revoked, not past its expiry, used within the idle limit), else null. */
export async function liveSession(id: string): Promise<LiveSession | null> {
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
  const s = state();
  const now = Date.now();
  sweep(now);
  if (s.ended.has(id)) return null;
  let cached = s.cache.get(id);
  if (!cached || now - cached.at > CACHE_MS) {
    await initDb();
    const row = await q.getSessionById({ id });
    // A revocation may have been announced while the row was being read.
    if (s.ended.has(id)) return null;
    cached = {
      session: row && !row.revokedAt ? { userId: row.userId, expiresAt: row.expiresAt.getTime(), lastSeenAt: row.lastSeenAt.getTime() } : null,
      at: now,
    };
    s.cache.set(id, cached);
  }
  const sess = cached.session;
  if (!sess || !alive(sess, now)) return null;
  if (now - sess.lastSeenAt > TOUCH_MS) {
    sess.lastSeenAt = now;
    void q.touchSession({ id, at: new Date(now) }).catch((e) => console.error('[chattrix] session touch failed:', e));
  }
  return { id, userId: sess.userId, expiresAt: sess.expiresAt, idleUntil: sess.lastSeenAt + sessionIdleMs() };
}

export async function createSession(userId: string, meta: RequestMeta): Promise<Session> {
  await initDb();
  const now = new Date();
  return q.insertSession({
    session: {
      id: newId(),
      userId,
      createdAt: now,
      lastSeenAt: now,
      userAgent: meta.userAgent,
      ip: meta.ip,
      expiresAt: new Date(now.getTime() + sessionMaxAgeMs()),
    },
  });
}

/** Ends sessions in the database, in every node's cache, and disconnects their sockets. */
async function endSessions(userId: string, which: { ids?: string[]; exceptId?: string }): Promise<string[]> {
  const ended = await q.revokeSessions({ userId, ...which, at: new Date() });
  forgetSessions(ended);
  disconnectSessions(ended);
  return ended;
}

function toDto(s: Session, currentId: string | undefined): SessionDto {
  return { id: s.id, current: s.id === currentId, userAgent: s.userAgent, createdAt: iso(s.createdAt)!, lastSeenAt: iso(s.lastSeenAt)! };
}

export async function listSessions(actor: Actor): Promise<SessionDto[]> {
  const now = Date.now();
  const rows = await q.listOpenSessions({ userId: actor.id, now: new Date(now) });
  return rows.filter((r) => alive({ expiresAt: r.expiresAt.getTime(), lastSeenAt: r.lastSeenAt.getTime() }, now)).map((r) => toDto(r, actor.sessionId));
}

export async function revokeSession(actor: Actor, id: string, meta: RequestMeta): Promise<void> {
  const ended = await endSessions(actor.id, { ids: [id] });
  if (ended.length === 0) throw new AppError('not_found', 'No such session');
  await recordSecurityEvent({ userId: actor.id, type: 'session_revoked', meta, detail: { sessionId: id, current: id === actor.sessionId } });
}

/** Every session of the caller but the one making the request. */
export async function revokeOtherSessions(actor: Actor, meta: RequestMeta): Promise<number> {
  const ended = await endSessions(actor.id, { exceptId: actor.sessionId });
  if (ended.length > 0) {
    await recordSecurityEvent({ userId: actor.id, type: 'session_revoked', meta, detail: { sessionIds: ended, others: true } });
  }
  return ended.length;
}

/** Ends every session of a user but `exceptId` (password change), without its own event. */
export function endOtherSessionsOf(userId: string, exceptId: string | undefined): Promise<string[]> {
  return endSessions(userId, { exceptId });
}

/** Sign-out: the session the cookie carried ends on the server. */
export async function signOutSession(sessionId: string, userId: string, meta: RequestMeta): Promise<void> {
  await initDb();
  const ended = await endSessions(userId, { ids: [sessionId] });
  if (ended.length > 0) await recordSecurityEvent({ userId, type: 'sign_out', meta, detail: { sessionId } });
}

/** Drops sessions that ended more than a day ago (called by the hourly maintenance). */
export async function pruneSessions(now = new Date()): Promise<void> {
  const before = new Date(now.getTime() - DAY_MS);
  await q.deleteEndedSessions({ before, unusedSince: new Date(before.getTime() - sessionIdleMs()) });
}
