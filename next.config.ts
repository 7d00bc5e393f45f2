import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

// next-intl without locale-prefixed URLs: the language comes from a cookie or Accept-Language (lib/i18n/request.ts).
// The message catalogs are precompiled at build time: the browser gets them parsed and needs no ICU parser
// (intl-messageformat, some 13 KB of the chat page's compressed JavaScript).
const withNextIntl = createNextIntlPlugin({
  requestConfig: './lib/i18n/request.ts',
  experimental: { messages: { path: './messages', format: 'json', locales: 'infer', precompile: true } },
});

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native or WASM packages, and the ones whose single instance lives on globalThis, stay outside the bundle.
  serverExternalPackages: [
    '@electric-sql/pglite',
    '@node-rs/argon2',
    'postgres',
    'socket.io',
    '@socket.io/redis-adapter',
    'redis',
    'web-push',
    'sharp',
    'file-type',
    'busboy',
    'pino',
    'rate-limiter-flexible',
    'yazl',
    'prom-client',
    '@aws-sdk/client-s3',
    '@aws-sdk/lib-storage',
    'croner',
  ],
  async headers() {
    return [
      { source: '/sw.js', headers: [{ key: 'Cache-Control', value: 'no-cache' }, { key: 'Content-Type', value: 'application/javascript; charset=utf-8' }] },
      // The other security headers (lib/security/headers.ts) are set by server.ts on every answer, at run time.
    ];
  },
  experimental: {
    serverActions: { bodySizeLimit: '1mb' },
  },
};

export default withNextIntl(nextConfig);
