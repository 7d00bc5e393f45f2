/**
 * Security headers. The Content-Security-Policy carries a fresh nonce per request (set by proxy.ts; Next.js puts
 * the nonce on its own scripts when it finds it in the request's CSP header, and app/layout.tsx on ours). The rest
 * are the same on every answer (server.ts sets them, so route handlers, pages and static files all carry them).
 */
export function contentSecurityPolicy(nonce: string, opts: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    // Only scripts carrying this response's nonce, and what they load ('strict-dynamic'); no inline handlers, no eval.
    `script-src 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    // A worker's script is judged by worker-src (falling back to script-src would refuse /sw.js under 'strict-dynamic').
    "worker-src 'self'",
    // React writes style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    // 'self' covers the same host's ws:/wss: (Socket.IO).
    "connect-src 'self'",
    "manifest-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    ...(opts.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Headers for every answer; HSTS only when the public URL is https. */
export function staticSecurityHeaders(opts: { https: boolean }): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()',
    ...(opts.https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Whether the configured public URL is https (then cookies are Secure / __Host- and HSTS is sent). */
export function publicUrlIsHttps(publicUrl: string | undefined): boolean {
  return !!publicUrl && publicUrl.startsWith('https://');
}
