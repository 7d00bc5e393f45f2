import { parse as parseCookie } from 'cookie';
import { decode } from 'next-auth/jwt';
import { initDb } from '../../db';
import { getUserById } from '../../db/queries/users';
import { getAuthSecret } from '../secrets';
import { liveSession } from '../services/sessions';
import type { Actor } from './actor';

export const HOST_SESSION_COOKIE = '__Host-next-auth.session-token';
const COOKIE_NAMES = [HOST_SESSION_COOKIE, '__Secure-next-auth.session-token', 'next-auth.session-token'];

/** The session token from a Cookie header, joining next-auth's chunks (`.0`, `.1`, …) when it was split. */
export function sessionTokenFromCookies(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const cookies = parseCookie(cookieHeader);
  for (const name of COOKIE_NAMES) {
    const whole = cookies[name];
    if (whole) return whole;
    const chunks: string[] = [];
    for (let i = 0; cookies[`${name}.${i}`]; i++) chunks.push(cookies[`${name}.${i}`]!);
    if (chunks.length) return chunks.join('');
  }
  return undefined;
}

/**
 * The actor behind a session cookie, or null: a missing, tampered or expired token, a session that was signed out,
 * revoked, or expired on the server (the cookie carries the session id as `sid`), or a deleted account.
 */
export async function actorFromCookieHeader(cookieHeader: string | null | undefined): Promise<Actor | null> {
  const token = sessionTokenFromCookies(cookieHeader);
  if (!token) return null;
  let sub: string | undefined;
  let sid: unknown;
  try {
    const decoded = await decode({ token, secret: getAuthSecret() });
    sub = decoded?.sub ?? undefined;
    sid = decoded?.sid;
  } catch {
    return null;
  }
  if (!sub || typeof sid !== 'string') return null;
  await initDb();
  const session = await liveSession(sid);
  if (!session || session.userId !== sub) return null;
  const user = await getUserById({ id: sub });
  if (!user || user.deactivatedAt) return null;
  return { id: user.id, username: user.username, isAdmin: user.isAdmin, via: 'session', sessionId: sid, expiresAt: session.expiresAt };
}
