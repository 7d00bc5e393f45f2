import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    alias: { '@': root.replace(/\/$/, '') },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/global-setup.ts'],
    // Each file runs in its own child process: in-process database tests keep their globalThis state apart.
    pool: 'forks',
    // Two cores, and the shared server (plus one extra for the rate-limit test) runs beside the workers.
    maxWorkers: 2,
    fileParallelism: true,
    // argon2 at m=19456 and a real server under load: generous, so a slow CI machine is not a failure.
    testTimeout: 90_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});
