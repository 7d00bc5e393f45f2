import type { Socket } from 'socket.io';
import { actorFromCookieHeader } from '../auth/session';
import type { Actor } from '../auth/actor';
import { authenticateToken } from '../services/users';
import { env } from '../env';

/**
 * Authenticates a handshake: `auth.token` (a personal access token; no Origin needed), or the session cookie,
 * which must come from the app's own Origin.
 */
export async function userFromHandshake(handshake: Socket['handshake']): Promise<Actor | null> {
  const token = (handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof token === 'string' && token.length > 0) return authenticateToken(token);
  const cookie = handshake.headers.cookie;
  if (!cookie) return null;
  const origin = handshake.headers.origin;
  const host = (env.TRUST_PROXY ? handshake.headers['x-forwarded-host'] : undefined) ?? handshake.headers.host;
  if (!origin || !host) return null;
  try {
    if (new URL(origin).host !== String(host).split(',')[0]!.trim()) return null;
  } catch {
    return null;
  }
  return actorFromCookieHeader(cookie);
}
