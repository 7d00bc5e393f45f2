/**
 * One real server for every integration and socket test file (boot is ~4 s on a fresh PGlite; once is enough).
 * Test files read its address with `inject('baseUrl')`; the rate-limit test starts its own server.
 */
import type { TestProject } from 'vitest/node';
import { startServer, type RunningServer } from './helpers/server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The shared server's ready line, e.g. `Chattrix listening on … (production, database: pglite, …)`. */
    serverBanner: string;
  }
}

let server: RunningServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  // The loopback push service of tests/integration/push.test.ts is the one receiver the outbound guard lets through.
  // Outgoing webhooks (tests/integration/outgoing-webhooks.test.ts): fast retries, polling and disabling.
  server = await startServer({
    env: { OUTBOUND_ALLOW: '127.0.0.1', WEBHOOK_RETRY_BASE_MS: '300', WEBHOOK_POLL_MS: '200', WEBHOOK_DISABLE_AFTER: '3' },
    timeoutMs: 180_000,
  });
  project.provide('baseUrl', server.url);
  project.provide('serverBanner', server.banner);
}

export async function teardown(): Promise<void> {
  if (!server) return;
  const code = await server.stop();
  if (code !== 0) {
    console.error(`[global-setup] the shared server exited with code ${code}. Its output:\n${server.logs()}`);
  }
  if (process.env.CHATTRIX_TEST_LOGS === 'shared') console.log(server.logs());
}
