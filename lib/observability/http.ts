import type { IncomingMessage, ServerResponse } from 'node:http';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { pingDb } from '../../db';
import { env } from '../env';
import { lifecycleState, readinessChecks } from './lifecycle';
import { metrics } from './metrics';
import { routeLabel } from './routes';

/**
 * The operational endpoints served by server.ts itself, outside Next (they must answer while Next is still
 * starting and while the process drains): GET /readyz and GET /metrics. Also times every HTTP request by route.
 */

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, JSON.stringify({ error: { code, message } }));
}

/** Parses METRICS_ALLOW (comma-separated CIDRs or addresses) into a BlockList; throws on a malformed entry. */
export function parseAllowList(spec: string | undefined): BlockList | null {
  if (!spec) return null;
  const list = new BlockList();
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [addr, prefixText] = raw.split('/') as [string, string | undefined];
    const type = isIPv4(addr) ? 'ipv4' : isIPv6(addr) ? 'ipv6' : null;
    if (!type) throw new Error(`not an IP address or CIDR: ${raw}`);
    const max = type === 'ipv4' ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`bad prefix length: ${raw}`);
    list.addSubnet(addr, prefix, type);
  }
  return list;
}

let allowList: BlockList | null | undefined;

export function addressAllowed(address: string | undefined): boolean {
  if (allowList === undefined) allowList = parseAllowList(env.METRICS_ALLOW);
  if (!allowList || !address) return false;
  const plain = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (isIPv4(plain)) return allowList.check(plain, 'ipv4');
  if (isIPv6(plain)) return allowList.check(plain, 'ipv6');
  return false;
}

function clientIp(req: IncomingMessage): string | undefined {
  if (env.TRUST_PROXY) {
    const fwd = String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim();
    if (fwd) return fwd;
  }
  return req.socket.remoteAddress;
}

async function readiness(): Promise<{ ready: boolean; body: Record<string, unknown> }> {
  const state = lifecycleState();
  const checks: Record<string, 'ok' | 'failed'> = {};
  const withTimeout = (p: Promise<unknown>) =>
    Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2_000).unref())]).catch(() => false);
  if (state !== 'starting') {
    checks.database = (await withTimeout(pingDb().then((ok) => (ok ? ok : Promise.reject(new Error('down')))))) ? 'ok' : 'failed';
    for (const [name, check] of readinessChecks()) checks[name] = (await withTimeout(check())) ? 'ok' : 'failed';
  }
  const ready = state === 'ready' && Object.values(checks).every((c) => c === 'ok');
  return { ready, body: { status: ready ? 'ready' : state === 'ready' ? 'unavailable' : state, checks } };
}

async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!addressAllowed(clientIp(req))) {
    const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!m) return error(res, 401, 'unauthorized', 'A site admin access token (Bearer) or an address in METRICS_ALLOW is needed');
    const { authenticateToken } = await import('../services/users');
    const actor = await authenticateToken(m[1]!).catch(() => null);
    if (!actor) return error(res, 401, 'unauthorized', 'Invalid or revoked access token');
    if (!actor.isAdmin) return error(res, 403, 'forbidden', 'Only site admins may read metrics');
  }
  const { registry } = metrics();
  send(res, 200, await registry.metrics(), registry.contentType);
}

/**
 * Answers /readyz and /metrics; returns false for every other request (Next handles those). Starts the
 * request's timer either way.
 */
export function handleOpsRequest(req: IncomingMessage, res: ServerResponse): boolean {
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics().httpDuration.observe({ route: routeLabel(req.url), method: req.method ?? 'GET', status: `${Math.floor(res.statusCode / 100)}xx` }, seconds);
  });
  const pathname = (req.url ?? '/').split('?')[0];
  if (pathname !== '/readyz' && pathname !== '/metrics') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    error(res, 405, 'method_not_allowed', `${req.method} is not supported on this path`);
    return true;
  }
  const run = pathname === '/readyz' ? readiness().then(({ ready, body }) => send(res, ready ? 200 : 503, JSON.stringify(body))) : serveMetrics(req, res);
  run.catch((e) => {
    console.error('[chattrix] ops endpoint failed:', e);
    if (!res.headersSent) error(res, 500, 'internal', 'Something went wrong on our side');
    else res.end();
  });
  return true;
}
