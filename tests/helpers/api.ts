/**
 * Talking to a running Chattrix over HTTP and Socket.IO, as a real client would.
 * Usernames are random: in CI every test file (and Playwright) shares one PostgreSQL database.
 */
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../lib/realtime/contract';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const PASSWORD = 'correct horse battery staple';

/** A username no other test (or earlier run against the same database) uses: `<prefix>_<12 random chars>`. */
export function uniqueUsername(prefix = 'u'): string {
  return `${prefix}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`.slice(0, 32);
}

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text ('' for no body). */
  body: T;
  text: string;
  ms: number;
}

export interface RequestOptions {
  method?: string;
  token?: string;
  cookie?: string;
  origin?: string;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export async function request<T = any>(baseUrl: string, path: string, opts: RequestOptions = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.origin) headers.origin = opts.origin;
  let body: string | undefined;
  if (typeof opts.body === 'string') body = opts.body;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const started = performance.now();
  const res = await fetch(new URL(path, baseUrl), { method: opts.method ?? 'GET', headers, body, redirect: 'manual' });
  const text = await res.text();
  const ms = performance.now() - started;
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text, ms };
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  displayName: string;
}

export async function registerUser(
  baseUrl: string,
  opts: { username?: string; password?: string; displayName?: string; prefix?: string; headers?: Record<string, string> } = {},
): Promise<TestUser> {
  const username = opts.username ?? uniqueUsername(opts.prefix);
  const password = opts.password ?? PASSWORD;
  const displayName = opts.displayName ?? `Test ${username}`;
  const res = await request<{ user: { id: string } }>(baseUrl, '/api/v1/auth/register', {
    method: 'POST',
    body: { username, password, displayName },
    headers: opts.headers,
  });
  if (res.status !== 201) throw new Error(`register ${username} failed: ${res.status} ${res.text}`);
  return { id: res.body.user.id, username, password, displayName };
}

export async function createToken(baseUrl: string, user: { username: string; password: string }, name = 'test') {
  const res = await request<{ token: string; id: string; name: string; createdAt: string }>(baseUrl, '/api/v1/auth/tokens', {
    method: 'POST',
    body: { username: user.username, password: user.password, name },
  });
  if (res.status !== 201) throw new Error(`token for ${user.username} failed: ${res.status} ${res.text}`);
  return res.body;
}

/** Cookies from Set-Cookie headers as `name=value` pairs. */
export function cookiesFrom(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    if (eq > 0) out[pair!.slice(0, eq).trim()] = pair!.slice(eq + 1).trim();
  }
  return out;
}

export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

/**
 * Signs in through next-auth's credentials callback, as the login form does: GET /api/auth/csrf (keeping its
 * cookie), then POST /api/auth/callback/credentials. Returns the raw answer (for the same-answer test).
 */
export async function credentialsCallback(baseUrl: string, username: string, password: string, headers: Record<string, string> = {}) {
  const csrf = await request<{ csrfToken: string }>(baseUrl, '/api/auth/csrf', { headers });
  if (csrf.status !== 200) throw new Error(`csrf failed: ${csrf.status} ${csrf.text}`);
  const jar = cookiesFrom(csrf.headers);
  const form = new URLSearchParams({ csrfToken: csrf.body.csrfToken, username, password, json: 'true' });
  const res = await request<{ url: string }>(baseUrl, '/api/auth/callback/credentials', {
    method: 'POST',
    body: form.toString(),
    // A cookie the caller passes (a device cookie) goes along with next-auth's CSRF cookie.
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie: [headers.cookie, cookieHeader(jar)].filter(Boolean).join('; ') },
    origin: new URL(baseUrl).origin,
  });
  return { res, cookies: { ...jar, ...cookiesFrom(res.headers) } };
}

/** A session cookie header (`next-auth.session-token=…`) for this user. */
export async function login(baseUrl: string, user: { username: string; password: string }): Promise<string> {
  const { res, cookies } = await credentialsCallback(baseUrl, user.username, user.password);
  const session = cookies['next-auth.session-token'];
  if (!session) throw new Error(`login ${user.username} failed: ${res.status} ${res.text}`);
  return `next-auth.session-token=${session}`;
}

export interface SocketOptions {
  token?: string;
  cookie?: string;
  origin?: string;
  transports?: ('websocket' | 'polling')[];
  /** More handshake headers (Accept-Language, say). */
  headers?: Record<string, string>;
}

function socketFor(baseUrl: string, opts: SocketOptions): ClientSocket {
  const extraHeaders: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.cookie) extraHeaders.cookie = opts.cookie;
  if (opts.origin) extraHeaders.origin = opts.origin;
  return io(baseUrl, {
    path: '/socket.io',
    auth: opts.token ? { token: opts.token } : {},
    extraHeaders,
    transports: opts.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
  });
}

/** Connects and resolves with the socket; rejects with the connect_error (its message is the server's reason). */
export function connectSocket(baseUrl: string, opts: SocketOptions = {}): Promise<ClientSocket> {
  const socket = socketFor(baseUrl, opts);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('connect_error');
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** The connect_error a refused handshake gets (fails if the socket connects instead). */
export async function connectError(baseUrl: string, opts: SocketOptions = {}): Promise<Error> {
  try {
    const s = await connectSocket(baseUrl, opts);
    s.close();
  } catch (e) {
    return e as Error;
  }
  throw new Error('the socket connected, but a refusal was expected');
}

/** Emits with an acknowledgement and resolves with the ack. */
export function emitAck<T = any>(socket: ClientSocket, event: keyof ClientToServerEvents, payload: unknown, timeoutMs = 20_000): Promise<T> {
  return (socket.timeout(timeoutMs) as any).emitWithAck(event, payload) as Promise<T>;
}

/** Resolves with the next event that matches, or rejects after `timeoutMs`. */
export function nextEvent<T>(socket: ClientSocket, event: keyof ServerToClientEvents, match: (p: T) => boolean = () => true, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const onEvent = (p: T) => {
      if (!match(p)) return;
      clearTimeout(timer);
      socket.off(event, onEvent as never);
      resolve(p);
    };
    const timer = setTimeout(() => {
      socket.off(event, onEvent as never);
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on(event, onEvent as never);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
