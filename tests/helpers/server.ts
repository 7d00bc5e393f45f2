/**
 * Starts the REAL Chattrix server (`node --import tsx server.ts`) as a child process on a free port with a fresh
 * DATA_DIR, and resolves once it prints its listening line. Used by vitest (globalSetup and the rate-limit test)
 * and by Playwright's globalSetup. No mocks: Next's production build, Socket.IO, argon2 and the database are real.
 *
 * NODE_ENV: the server refuses RATE_LIMITS=off when NODE_ENV=production (lib/env.ts, CONTRACT.md), so a server with
 * rate limits off runs with NODE_ENV=test. Next treats every NODE_ENV other than `development` as production (it
 * serves the `next build` output with the production runtime); only our own env check sees the difference.
 */
import { createHash } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface StartOptions {
  /** Rate limits on (NODE_ENV=production) or off (NODE_ENV=test, the default). */
  rateLimits?: boolean;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Extra environment for the server (wins over everything else). */
  env?: Record<string, string | undefined>;
  /** Milliseconds to wait for the listening line. */
  timeoutMs?: number;
  /** Use this DATA_DIR (kept on stop) instead of a fresh temporary one (removed on stop). */
  dataDir?: string;
  /** The server's Date.now() runs this far from the real clock (tests/fixtures/clock-offset.mjs): the ids of what it
   * makes, which sort by time, are dated then. */
  clockOffsetMs?: number;
  /** Extra arguments for the server's node (e.g. `--cpu-prof` for a benchmark's profile). */
  nodeArgs?: string[];
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the server printed so far (stdout and stderr). */
  logs: () => string;
  /** The line the server printed when it was ready (names the database driver and the Redis adapter). */
  banner: string;
  /** Milliseconds from spawn to the listening line. */
  startupMs: number;
  /** SIGTERM, wait for a clean exit (SIGKILL after 10 s), remove DATA_DIR. Resolves with the exit code. */
  stop: () => Promise<number | null>;
  /** SIGKILL at once (a crash), remove DATA_DIR. */
  kill: () => Promise<void>;
  child: ChildProcess;
}

const LISTENING = /Chattrix listening on (http:\/\/\S+)/;

/** The environment a spawned server inherits: only what it needs, plus DATABASE_URL / REDIS_URL when set. */
function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL'];
  const out: Record<string, string> = {};
  for (const k of keep) {
    const v = process.env[k];
    if (v) out[k] = v;
  }
  return out;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const rateLimits = opts.rateLimits ?? false;
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'chattrix-test-'));
  const env: Record<string, string> = {
    ...baseEnv(),
    NEXT_TELEMETRY_DISABLED: '1',
    NODE_ENV: rateLimits ? 'production' : 'test',
    RATE_LIMITS: rateLimits ? 'on' : 'off',
    HOST: '127.0.0.1',
    PORT: String(opts.port ?? 0),
    DATA_DIR: dataDir,
  };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // One Redis namespace per database, as one per install in production: servers of the same database form a
  // cluster, and the other test files' servers on the same Redis (other databases) never join it.
  env.REDIS_PREFIX ??= `chattrix-test-${createHash('sha256').update(env.DATABASE_URL ?? path.resolve(dataDir)).digest('hex').slice(0, 12)}`;

  const spawnedAt = performance.now();
  const clock = opts.clockOffsetMs ? ['--import', path.join(repoRoot, 'tests/fixtures/clock-offset.mjs')] : [];
  if (opts.clockOffsetMs) env.CHATTRIX_TEST_CLOCK_OFFSET_MS = String(opts.clockOffsetMs);
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...clock, '--import', 'tsx', 'server.ts'], {
    cwd: repoRoot,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const verbose = process.env.CHATTRIX_TEST_LOGS === '1';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    output += d;
    if (verbose) process.stdout.write(`[server] ${d}`);
  });
  child.stderr!.on('data', (d: string) => {
    output += d;
    if (verbose) process.stderr.write(`[server] ${d}`);
  });

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const cleanup = () => {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };

  let url: string;
  let banner = '';
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server did not start within ${opts.timeoutMs ?? 180_000} ms:\n${output}`)),
        opts.timeoutMs ?? 180_000,
      );
      const onData = () => {
        const m = LISTENING.exec(output);
        if (m) {
          banner = output.slice(m.index).split('\n')[0]!;
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(m[1]!);
        }
      };
      child.stdout!.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with code ${code} before listening:\n${output}`));
      });
    });
  } catch (e) {
    child.kill('SIGKILL');
    cleanup();
    throw e;
  }

  const startupMs = performance.now() - spawnedAt;
  const port = Number(new URL(url).port);
  let stopped: Promise<number | null> | undefined;
  return {
    url,
    port,
    dataDir,
    child,
    banner,
    startupMs,
    logs: () => output,
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
          const code = await exited;
          clearTimeout(force);
          cleanup();
          return code;
        }
        cleanup();
        return child.exitCode;
      })()),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      cleanup();
    },
  };
}
