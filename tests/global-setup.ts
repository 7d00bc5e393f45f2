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
  server = await startServer();
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
