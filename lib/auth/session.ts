import { parse as parseCookie } from 'cookie';
import { decode } from 'next-auth/jwt';
import { initDb } from '../../db';
import { getUserById } from '../../db/queries/users';
import { getAuthSecret } from '../secrets';
import type { Actor } from './actor';

const COOKIE_NAMES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

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

/** The actor behind a session cookie, or null (missing, tampered or expired token, or a deleted account). */
export async function actorFromCookieHeader(cookieHeader: string | null | undefined): Promise<Actor | null> {
  const token = sessionTokenFromCookies(cookieHeader);
  if (!token) return null;
  let sub: string | undefined;
  try {
    const decoded = await decode({ token, secret: getAuthSecret() });
    sub = decoded?.sub ?? undefined;
  } catch {
    return null;
  }
  if (!sub) return null;
  await initDb();
  const user = await getUserById({ id: sub });
  if (!user) return null;
  return { id: user.id, username: user.username, isAdmin: user.isAdmin, via: 'session' };
}
