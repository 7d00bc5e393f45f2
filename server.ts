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

  const started = Date.now();
  getAuthSecret(); // generated once into DATA_DIR when not configured
  const db = await initDb();

  let handle: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const httpServer = createServer((req, res) => {
    // Route handlers cannot see the socket; pass its address on (and never trust a client-sent one).
    req.headers['x-chattrix-remote-address'] = req.socket.remoteAddress ?? 'unknown';
    if (!handle) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Starting up' } }));
      return;
    }
    if (req.url?.startsWith('/api/v1')) answer405AsJson(req, res);
    handle(req, res).catch((e) => {
      console.error('[chattrix] request failed:', e);
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
  handle = (req, res) => nextHandler(req, res);

  const shown = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  console.log(
    `Chattrix listening on http://${shown}:${port} (${dev ? 'development' : 'production'}, database: ${db.driver}` +
      `${env.REDIS_URL ? ', redis adapter' : ''}, ready in ${Date.now() - started} ms)`,
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`[chattrix] ${signal}: closing`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      stopMaintenance();
      await realtime.close(); // disconnects sockets and closes the HTTP server
      httpServer.closeAllConnections?.();
      await closeDb();
    } catch (e) {
      console.error('[chattrix] error while closing:', e);
    }
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
