/**
 * A webhook receiver on loopback (the shared test server lets 127.0.0.1 through OUTBOUND_ALLOW): records every
 * request with its raw body, and answers from a queue of scripted responses (default 200 `{}`).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  at: number;
}

export interface Scripted {
  status: number;
  body?: unknown;
  /** Answer after this many ms (a slow receiver). */
  delayMs?: number;
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  private server: Server | undefined;
  private scripts = new Map<string, Scripted[]>();
  private waiters: { match: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  port = 0;

  /** Queue answers for requests to `path` (in order; after the queue runs out, 200 `{}`). */
  script(path: string, ...answers: Scripted[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...answers]);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: Received = { path: req.url ?? '/', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        this.received.push(r);
        const answer = this.scripts.get(r.path)?.shift() ?? { status: 200, body: {} };
        setTimeout(() => {
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
          for (const w of this.waiters.splice(0)) {
            if (w.match(r)) w.resolve(r);
            else this.waiters.push(w);
          }
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  /** The n-th (1-based) request to `path`, once it has been answered. */
  nth(path: string, n: number, timeoutMs = 20_000): Promise<Received> {
    const have = this.received.filter((r) => r.path === path);
    if (have.length >= n) return Promise.resolve(have[n - 1]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`request #${n} to ${path} did not come within ${timeoutMs} ms (got ${have.length})`)), timeoutMs);
      const match = () => this.received.filter((r) => r.path === path).length >= n;
      this.waiters.push({
        match,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.received.filter((r) => r.path === path)[n - 1]!);
        },
      });
    });
  }

  count(path: string): number {
    return this.received.filter((r) => r.path === path).length;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
