import type { FullConfig } from '@playwright/test';
import { startServer } from '../tests/helpers/server';

/** Starts `node --import tsx server.ts` on E2E_PORT (fresh DATA_DIR, RATE_LIMITS=off); the returned function stops it. */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const port = Number(process.env.E2E_PORT ?? 3210);
  // OUTBOUND_ALLOW: the link-preview test (compose.spec.ts) serves its page on loopback.
  const server = await startServer({ port, env: { OUTBOUND_ALLOW: '127.0.0.1' } });
  return async () => {
    const code = await server.stop();
    if (code !== 0 || process.env.CHATTRIX_TEST_LOGS) console.log(`[e2e server, exit ${code}]\n${server.logs()}`);
  };
}
