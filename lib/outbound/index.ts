/**
 * The outbound guard: the ONE way the server makes a request on a user's behalf (web push now; webhooks and link
 * previews later). Nothing else calls `fetch` or `http.request` with a URL a user gave.
 *
 * - https only; plain http only to a host an admin listed in `OUTBOUND_ALLOW` (by name, or an address in a listed
 *   range).
 * - The name is resolved ONCE; every address it resolves to must be public unicast (lib/outbound/address.ts) unless
 *   it is in an `OUTBOUND_ALLOW` range; the connection then goes to exactly that address (a lookup function that
 *   answers with it), so a DNS answer that changes between the check and the connect (rebinding) cannot move it.
 * - No redirects are followed (a 3xx is returned as it is; a caller that wants to follow calls again, re-checked).
 * - One timeout for the whole exchange (DNS, connect, TLS, response) and a cap on the response size.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { env } from '../env';
import { addressAllowed, judgeAddress, parseAllowList, type AllowList } from './address';

export { judgeAddress, parseAllowList } from './address';

export type OutboundErrorCode = 'invalid_url' | 'scheme' | 'refused' | 'dns' | 'timeout' | 'too_large' | 'network';

export class OutboundError extends Error {
  override name = 'OutboundError';
  constructor(
    public code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface OutboundOptions {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer | Uint8Array | null;
  /** The whole exchange, DNS to last byte. Default 10 s. */
  timeoutMs?: number;
  /** The response body is cut off (OutboundError 'too_large') past this. Default 1 MiB. */
  maxBytes?: number;
  /** Overrides OUTBOUND_ALLOW (tests). */
  allow?: AllowList;
  /** Overrides DNS (tests): name → addresses. */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

const g = globalThis as unknown as { __chattrixOutboundAllow?: AllowList };
function defaultAllow(): AllowList {
  return (g.__chattrixOutboundAllow ??= parseAllowList(env.OUTBOUND_ALLOW));
}

async function systemResolve(hostname: string) {
  return dnsLookup(hostname, { all: true, verbatim: true });
}

function withTimeout<T>(p: Promise<T>, deadline: number, what: string): Promise<T> {
  const left = deadline - Date.now();
  if (left <= 0) return Promise.reject(new OutboundError('timeout', `${what} timed out`));
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OutboundError('timeout', `${what} timed out`)), left);
    }),
  ]);
}

/**
 * Parses and judges a URL and resolves its host once: the address to connect to, or an OutboundError.
 * Used before every request, and by services that accept a URL to store (a push endpoint) to refuse it up front.
 */
export async function checkOutboundUrl(
  input: string | URL,
  opts: Pick<OutboundOptions, 'allow' | 'resolve' | 'timeoutMs'> = {},
): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new OutboundError('invalid_url', 'Not a URL');
  }
  if (url.username || url.password) throw new OutboundError('invalid_url', 'URLs with credentials are refused');
  const allow = opts.allow ?? defaultAllow();
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const hostListed = allow.hosts.has(host);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundError('scheme', 'Only https URLs are allowed');
  const plainHttpRefused = () => new OutboundError('scheme', 'Only https URLs are allowed');
  if (url.protocol === 'http:' && !hostListed && allow.ranges.length === 0) throw plainHttpRefused();

  let addresses: { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    try {
      addresses = await withTimeout((opts.resolve ?? systemResolve)(host), deadline, 'DNS lookup');
    } catch (e) {
      if (url.protocol === 'http:' && !hostListed) throw plainHttpRefused();
      if (e instanceof OutboundError) throw e;
      throw new OutboundError('dns', `${host} does not resolve`);
    }
    if (addresses.length === 0) throw new OutboundError('dns', `${host} does not resolve`);
  }
  // Every address must pass: a name that resolves to one public and one private address is refused.
  for (const a of addresses) {
    if (hostListed || addressAllowed(allow, a.address)) continue;
    const verdict = judgeAddress(a.address);
    if (!verdict.ok) throw new OutboundError('refused', `${host} resolves to a refused address (${verdict.range})`);
  }
  if (url.protocol === 'http:' && !hostListed && !addresses.every((a) => addressAllowed(allow, a.address))) {
    throw plainHttpRefused();
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * One request through the guard. Resolves with the status, headers and (capped) body of ANY answer, 3xx and 5xx
 * included; rejects with an OutboundError when the target is refused or the exchange fails.
 */
export async function outboundFetch(input: string | URL, opts: OutboundOptions = {}): Promise<OutboundResponse> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  const deadline = Date.now() + timeoutMs;
  const target = await checkOutboundUrl(input, { allow: opts.allow, resolve: opts.resolve, timeoutMs });
  const { url, address, family } = target;
  // Connect to the checked address and nothing else, whatever the name resolves to now.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const cb = callback as (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void;
    if ((options as { all?: boolean }).all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  };
  const body = opts.body == null ? undefined : typeof opts.body === 'string' ? Buffer.from(opts.body) : Buffer.from(opts.body);
  const headers: Record<string, string | number> = { ...(opts.headers ?? {}) };
  if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = body.length;

  return new Promise<OutboundResponse>((resolve, reject) => {
    const left = deadline - Date.now();
    if (left <= 0) return reject(new OutboundError('timeout', 'Request timed out'));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const fail = (e: OutboundError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const timer = setTimeout(() => fail(new OutboundError('timeout', 'Request timed out')), left);
    const req = send(
      url,
      {
        method: opts.method ?? 'GET',
        headers,
        lookup: pinned,
        // A pinned connection per request: no pooled socket that was opened for another address.
        agent: false,
        ...(url.protocol === 'https:' ? { servername: isIP(url.hostname.replace(/^\[|\]$/g, '')) ? undefined : url.hostname } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            res.destroy();
            fail(new OutboundError('too_large', `Response larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', (e) => fail(new OutboundError('network', e.message)));
      },
    );
    req.on('error', (e) => fail(new OutboundError('network', e.message)));
    req.end(body);
  });
}
