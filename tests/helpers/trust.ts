/**
 * Helpers for the session, two-factor and token tests: signing in through next-auth's credentials callback with a
 * user agent and an optional code, signing out as the browser does, computing TOTP codes with otpauth.
 */
import { Secret, TOTP } from 'otpauth';
import { cookieHeader, cookiesFrom, request, type ClientSocket } from './api';

export const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
export const FIREFOX_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** Signs in; answers the session cookie header, or the next-auth error code (`otp_required`, `CredentialsSignin`, …). */
export async function signIn(
  baseUrl: string,
  user: { username: string; password: string },
  opts: { otp?: string; userAgent?: string } = {},
): Promise<{ cookie?: string; error?: string; status: number }> {
  const headers: Record<string, string> = opts.userAgent ? { 'user-agent': opts.userAgent } : {};
  const csrf = await request<{ csrfToken: string }>(baseUrl, '/api/auth/csrf', { headers });
  const jar = cookiesFrom(csrf.headers);
  const form = new URLSearchParams({ csrfToken: csrf.body.csrfToken, username: user.username, password: user.password, json: 'true' });
  if (opts.otp) form.set('otp', opts.otp);
  const res = await request<{ url: string }>(baseUrl, '/api/auth/callback/credentials', {
    method: 'POST',
    body: form.toString(),
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    origin: new URL(baseUrl).origin,
  });
  const session = cookiesFrom(res.headers)['next-auth.session-token'];
  if (session) return { cookie: `next-auth.session-token=${session}`, status: res.status };
  const url = typeof res.body === 'object' && res.body?.url ? res.body.url : (res.headers.get('location') ?? '');
  const error = new URL(url, baseUrl).searchParams.get('error') ?? undefined;
  return { error, status: res.status };
}

/** next-auth's sign-out, as `signOut()` in the browser does it (CSRF token, then POST /api/auth/signout). */
export async function signOut(baseUrl: string, cookie: string): Promise<number> {
  const csrf = await request<{ csrfToken: string }>(baseUrl, '/api/auth/csrf', { cookie });
  const jar = cookiesFrom(csrf.headers);
  const res = await request(baseUrl, '/api/auth/signout', {
    method: 'POST',
    body: new URLSearchParams({ csrfToken: csrf.body.csrfToken, json: 'true' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${cookie}; ${cookieHeader(jar)}` },
    origin: new URL(baseUrl).origin,
  });
  return res.status;
}

/** The code an authenticator app shows `offsetSeconds` from now. */
export function totpCode(secret: string, offsetSeconds = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + offsetSeconds * 1000 });
}

/** Resolves with the reason when the server disconnects the socket; rejects after a generous timeout. */
export function serverDisconnect(socket: ClientSocket, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (socket.disconnected) return resolve('already disconnected');
    const timer = setTimeout(() => reject(new Error(`the socket was not disconnected within ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
