import type { NextConfig } from 'next';

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
  ],
  experimental: {
    serverActions: { bodySizeLimit: '1mb' },
  },
};

export default nextConfig;
