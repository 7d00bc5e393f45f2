import { env } from './env';
import { AppError } from './errors';

/**
 * Fixed-window counters keyed by user, token or client address. In memory on one node; in Redis (shared by every
 * node) when REDIS_URL is set. RATE_LIMITS=off disables them (refused in production by lib/env.ts).
 */
export interface LimitRule {
  name: string;
  limit: number;
  windowMs: number;
}

export const rules = {
  login: { name: 'login', limit: 10, windowMs: 60_000 },
  register: { name: 'register', limit: 20, windowMs: 60 * 60_000 },
  api: { name: 'api', limit: 600, windowMs: 60_000 },
  send: { name: 'send', limit: 300, windowMs: 10_000 },
  upload: { name: 'upload', limit: 60, windowMs: 60_000 },
} satisfies Record<string, LimitRule>;

interface Store {
  hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
}

class MemoryStore implements Store {
  private windows = new Map<string, { count: number; reset: number }>();
  private sweepAt = 0;
  async hit(key: string, windowMs: number) {
    const now = Date.now();
    if (now > this.sweepAt) {
      for (const [k, w] of this.windows) if (w.reset <= now) this.windows.delete(k);
      this.sweepAt = now + 60_000;
    }
    let w = this.windows.get(key);
    if (!w || w.reset <= now) {
      w = { count: 0, reset: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetMs: w.reset - now };
  }
}

interface RedisMulti {
  incr(k: string): RedisMulti;
  pExpire(k: string, ms: number, mode: 'NX'): RedisMulti;
  pTTL(k: string): RedisMulti;
  exec(): Promise<unknown[]>;
}
type RedisLike = { multi(): RedisMulti };

class RedisStore implements Store {
  constructor(private client: RedisLike) {}
  async hit(key: string, windowMs: number) {
    const k = `chattrix:rl:${key}`;
    const [count, , ttl] = (await this.client.multi().incr(k).pExpire(k, windowMs, 'NX').pTTL(k).exec()) as [number, unknown, number];
    return { count: Number(count), resetMs: Number(ttl) > 0 ? Number(ttl) : windowMs };
  }
}

const g = globalThis as unknown as { __chattrixRateStore?: Store };

export function useRedisRateLimits(client: RedisLike): void {
  g.__chattrixRateStore = new RedisStore(client);
}

function store(): Store {
  return (g.__chattrixRateStore ??= new MemoryStore());
}

export async function checkRate(rule: LimitRule, key: string): Promise<void> {
  if (!env.RATE_LIMITS) return;
  const { count, resetMs } = await store().hit(`${rule.name}:${key}`, rule.windowMs);
  if (count > rule.limit) {
    throw new AppError('rate_limited', 'Too many requests; try again shortly', { retryAfter: resetMs / 1000 });
  }
}

/** The client address: the socket's, or the first X-Forwarded-For hop when TRUST_PROXY=1. */
export function clientAddress(headers: Record<string, string | string[] | undefined> | Headers): string {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (env.TRUST_PROXY) {
    const fwd = get('x-forwarded-for')?.split(',')[0]?.trim();
    if (fwd) return fwd;
  }
  return get('x-chattrix-remote-address') ?? 'unknown';
}

export async function limitLogin(username: string, headers: Record<string, string | string[] | undefined> | Headers): Promise<void> {
  const ip = clientAddress(headers);
  try {
    await checkRate(rules.login, `ip:${ip}`);
    await checkRate(rules.login, `user:${username.toLowerCase()}`);
  } catch (e) {
    // next-auth turns a thrown error into `?error=<message>`; the login form shows it.
    if (e instanceof AppError && e.code === 'rate_limited') throw new Error('rate_limited');
    throw e;
  }
}
