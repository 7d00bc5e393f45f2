import { NextResponse, type NextRequest } from 'next/server';
import { env } from './lib/env';
import { contentSecurityPolicy, publicUrlIsHttps } from './lib/security/headers';

/**
 * Next.js 16 Proxy (formerly middleware), run by the custom server as part of Next's request handler. For every
 * page request:
 * - a fresh CSP nonce: Next.js reads it from the request's Content-Security-Policy header and puts it on the
 *   scripts it renders; app/layout.tsx reads `x-nonce` for its own;
 * - the requested path (with its query) as `x-chattrix-path`, so a signed-out visit to `/c/{id}` can be sent to
 *   `/login?next=/c/{id}` (layouts do not see the URL). Decides nothing itself: auth stays in layouts and routes.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy(nonce, { dev: env.NODE_ENV === 'development', https: publicUrlIsHttps(env.NEXTAUTH_URL) });
  const headers = new Headers(request.headers);
  headers.set('x-chattrix-path', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  // Pages only: not the REST API or incoming webhooks (their bodies must not pass through here), Next's assets, the service worker or files.
  matcher: ['/((?!api/|hooks/|_next/static|_next/image|socket\\.io|sw\\.js|swe-worker|icons/|favicon\\.ico|manifest\\.webmanifest|healthz).*)'],
};
