import { env } from '../env';
import { AppError } from '../errors';
import { checkRate, clientAddress, rules } from '../rate-limit';
import { authenticateToken } from '../services/users';
import { canWrite, type Actor } from './actor';
import { actorFromCookieHeader } from './session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The host the browser talked to (X-Forwarded-Host is trusted only behind a proxy). */
export function requestHost(headers: Headers): string | undefined {
  if (env.TRUST_PROXY) {
    const fwd = headers.get('x-forwarded-host')?.split(',')[0]?.trim();
    if (fwd) return fwd;
  }
  return headers.get('host') ?? undefined;
}

/** A cookie-authenticated request that changes state must come from our own origin. */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.get('origin');
  const host = requestHost(req.headers);
  if (origin) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost && host && originHost === host) return;
  } else if (req.headers.get('sec-fetch-site') === 'same-origin') {
    return;
  }
  throw new AppError('forbidden', 'Cross-site request refused');
}

/** The caller, from `Authorization: Bearer <token>` or the session cookie. Throws `unauthorized`. */
export async function requireUser(req: Request): Promise<Actor> {
  const authz = req.headers.get('authorization');
  let actor: Actor | null;
  if (authz) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    actor = m ? await authenticateToken(m[1]!) : null;
    if (!actor) throw new AppError('unauthorized', 'Invalid, expired or revoked access token');
    if (!SAFE_METHODS.has(req.method) && !canWrite(actor)) {
      throw new AppError('forbidden', 'This token has the read scope only; it cannot change anything');
    }
  } else {
    actor = await actorFromCookieHeader(req.headers.get('cookie'));
    if (!actor) throw new AppError('unauthorized', 'Sign in first');
    assertSameOrigin(req);
  }
  await checkRate(rules.api, `user:${actor.id}`);
  return actor;
}

export async function limitByAddress(req: Request, rule: (typeof rules)[keyof typeof rules]): Promise<void> {
  await checkRate(rule, `ip:${clientAddress(req.headers)}`);
}
