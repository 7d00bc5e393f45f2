/**
 * Chattrix: one HTTP server carrying Next.js (pages, REST route handlers) and Socket.IO (/socket.io).
 * Boot order: environment → database + migrations → listen → Next ready → realtime.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import next from 'next';

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  let env: typeof import('./lib/env').env;
  try {
    ({ env } = await import('./lib/env'));
  } catch (e) {
    if ((e as Error).name === 'EnvError') {
      console.error((e as Error).message);
      process.exit(1);
    }
    throw e;
  }
  const { initDb, closeDb } = await import('./db');
  const { attachRealtime } = await import('./lib/realtime/server');
  const { getAuthSecret } = await import('./lib/secrets');
  const { instrumentDbQueries } = await import('./lib/observability/db');
  const { handleOpsRequest, parseAllowList } = await import('./lib/observability/http');
  const lifecycle = await import('./lib/observability/lifecycle');
  try {
    parseAllowList(env.METRICS_ALLOW);
  } catch (e) {
    console.error(`Invalid configuration:\n  METRICS_ALLOW: ${(e as Error).message}`);
    process.exit(1);
  }
  instrumentDbQueries();
  const scheduleError = await (await import('./lib/services/backups')).validateBackupSchedule();
  if (scheduleError) {
    console.error(`Invalid configuration:\n  BACKUP_SCHEDULE: ${scheduleError}`);
    process.exit(1);
  }

  const { logger } = await import('./lib/observability/logger');
  const { randomUUID } = await import('node:crypto');
  const { staticSecurityHeaders, publicUrlIsHttps } = await import('./lib/security/headers');
  const securityHeaders = Object.entries(staticSecurityHeaders({ https: publicUrlIsHttps(env.NEXTAUTH_URL) }));

  const started = Date.now();
  const { secureDataDir } = await import('./lib/security/data-dir');
  secureDataDir(env.DATA_DIR); // umask 077, DATA_DIR 0700, nothing in it readable by others
  getAuthSecret(); // generated once into DATA_DIR when not configured
  const db = await initDb();

  let handle: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const httpServer = createServer((req, res) => {
    // Route handlers cannot see the socket; pass its address on (and never trust a client-sent one).
    req.headers['x-chattrix-remote-address'] = req.socket.remoteAddress ?? 'unknown';
    for (const [name, value] of securityHeaders) res.setHeader(name, value);
    // A request id for the logs of this request (never a client-chosen one: it could forge log lines).
    const requestId = randomUUID();
    req.headers['x-request-id'] = requestId;
    res.setHeader('X-Request-Id', requestId);
    const t0 = performance.now();
    const path = (req.url ?? '').split('?')[0]; // the query can hold search text: not logged
    if (logger.isLevelEnabled('debug')) logger.debug({ reqId: requestId, req: { method: req.method, path, headers: req.headers } }, 'request');
    res.once('finish', () => {
      const status = res.statusCode;
      const fields = { reqId: requestId, method: req.method, path, status, ms: Math.round(performance.now() - t0) };
      if (status >= 500) logger.error(fields, 'request failed');
      else if (status >= 400) logger.info(fields, 'request refused');
      else logger.debug(fields, 'request done');
    });
    if (handleOpsRequest(req, res)) return; // /readyz and /metrics (also times every request by route)
    if (!handle) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Starting up' } }));
      return;
    }
    if (req.url?.startsWith('/api/v1')) answer405AsJson(req, res);
    handle(req, res).catch((e) => {
      logger.error({ err: e, reqId: requestId }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Something went wrong on our side' } }));
    });
  });
  httpServer.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(env.PORT, env.HOST, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;

  const app = next({ dev, dir: process.cwd(), hostname: 'localhost', port, httpServer });
  await app.prepare();
  const nextHandler = app.getRequestHandler();
  const realtime = await attachRealtime(httpServer);
  const { startMaintenance } = await import('./lib/services/maintenance');
  const stopMaintenance = startMaintenance();
  const stopScheduler = (await import('./lib/services/scheduled')).startScheduler();
  handle = (req, res) => nextHandler(req, res);
  const backups = await import('./lib/services/backups');
  const stopControl = await backups.startControlSocket(); // `npm run backup` reaches this process through it
  const stopBackups = await backups.startBackupSchedule();
  const stopWebhooks = (await import('./lib/services/outgoing-webhooks')).startWebhookRunner();
  lifecycle.setLifecycleState('ready');

  // The address actually bound; on every interface (0.0.0.0 / ::) say so, and where to open it on this machine.
  const bound = (httpServer.address() as AddressInfo).address;
  const wildcard = bound === '0.0.0.0' || bound === '::';
  const hostShown = bound.includes(':') ? `[${bound}]` : bound;
  console.log(
    `Chattrix listening on http://${hostShown}:${port} (${dev ? 'development' : 'production'}, database: ${db.driver}` +
      `${env.REDIS_URL ? ', redis adapter' : ''}, ready in ${Date.now() - started} ms)` +
      (wildcard ? ` on every network interface; on this machine open http://localhost:${port}` : ''),
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`[chattrix] ${signal}: draining`);
    const t0 = Date.now();
    // Readiness answers 503 from now on, and new Socket.IO handshakes are refused (see attachRealtime).
    lifecycle.setLifecycleState('draining');
    const force = setTimeout(() => {
      console.error('[chattrix] shutdown took too long: exiting');
      process.exit(1);
    }, 9_500);
    force.unref();
    try {
      stopMaintenance();
      stopScheduler();
      stopBackups();
      const webhooksStopped = stopWebhooks(); // claims no more; attempts in flight finish (10 s at most)
      // 1. Sends already taken are stored and acknowledged (new ones are left unacknowledged: clients resend them).
      if (!(await lifecycle.waitForInflight(4_000))) console.error(`[chattrix] ${lifecycle.inflightCount()} send(s) still in flight`);
      // 2. This node's clients are told to go: their transports close after the acknowledgements are written, which
      //    a Socket.IO client takes as "transport close" and reconnects (through the load balancer, to another node).
      await realtime.drain(2_000);
      // 3. Readiness stays 503 for the grace period (a load balancer notices), then the listener closes.
      const rest = env.SHUTDOWN_GRACE_MS - (Date.now() - t0);
      if (rest > 0) await new Promise((r) => setTimeout(r, rest));
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1_500))]); // in-flight HTTP requests finish
      await realtime.close(); // disconnects anything left and closes the HTTP server
      httpServer.closeAllConnections?.();
      await stopControl();
      await Promise.race([webhooksStopped, new Promise((r) => setTimeout(r, 1_000))]);
      await closeDb();
    } catch (e) {
      console.error('[chattrix] error while closing:', e);
    }
    console.log(`[chattrix] closed in ${Date.now() - t0} ms`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Next answers a method a route does not export with an empty 405; the API answers in its error shape. */
function answer405AsJson(req: IncomingMessage, res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  let replaced = false;
  const replace = () => {
    replaced = true;
    const body = JSON.stringify({ error: { code: 'method_not_allowed', message: `${req.method} is not supported on this path` } });
    res.removeHeader('transfer-encoding');
    writeHead(405, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    end(body);
  };
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    if (status === 405 && !res.headersSent) {
      replace();
      return res;
    }
    return writeHead(status, ...rest);
  }) as ServerResponse['writeHead'];
  res.write = ((...args: unknown[]) => {
    if (!replaced && res.statusCode === 405 && !res.headersSent) replace();
    if (replaced) return true;
    return write(...args);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    if (!replaced && res.statusCode === 405 && !res.headersSent) replace();
    if (replaced) {
      const cb = args.find((a) => typeof a === 'function') as (() => void) | undefined;
      cb?.();
      return res;
    }
    return end(...args);
  }) as ServerResponse['end'];
}

main().catch((e) => {
  console.error('[chattrix] failed to start:', e);
  process.exit(1);
});
