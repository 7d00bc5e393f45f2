import { requestHost } from './auth/request';
import { env } from './env';

/** The public origin for links the console hands over (NEXTAUTH_URL when set, else the request's host). */
export function publicOrigin(req: Request): string {
  if (env.NEXTAUTH_URL) return env.NEXTAUTH_URL.replace(/\/$/, '');
  const host = requestHost(req.headers) ?? 'localhost';
  const proto = env.TRUST_PROXY ? (req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? 'http') : 'http';
  return `${proto}://${host}`;
}
