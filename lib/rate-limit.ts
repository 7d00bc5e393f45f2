import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { env } from './env';
import { AppError } from './errors';
import { clientAddressFrom } from './security/client-address';
import { metrics } from './observability/metrics';

/**
 * Rate limits, with rate-limiter-flexible: in memory on one node, in Redis (shared by every node, with an in-memory
 * insurance limiter if Redis fails) when REDIS_URL is set; the same API for both. Keyed by user, token or client
 * address. RATE_LIMITS=off disables them (refused in production by lib/env.ts). The password throttle built on the
 * same stores is lib/auth/throttle.ts.
 */
export interface LimitRule {
  name: string;
  limit: number;
  windowMs: number;
  /** Once over the limit, refused for this long (default: until the window ends). */
  blockMs?: number;
}

export const rules = {
  login: { name: 'login', limit: 10, windowMs: 60_000 },
  register: { name: 'register', limit: 20, windowMs: 60 * 60_000 },
  api: { name: 'api', limit: 600, windowMs: 60_000 },
  send: { name: 'send', limit: 300, windowMs: 10_000 },
  upload: { name: 'upload', limit: 60, windowMs: 60_000 },
  // Socket events other than sending (per user and event): generous for people, tight for scripts.
  edit: { name: 'edit', limit: 60, windowMs: 60_000 },
  delete: { name: 'delete', limit: 60, windowMs: 60_000 },
  react: { name: 'react', limit: 120, windowMs: 60_000 },
  typing: { name: 'typing', limit: 60, windowMs: 10_000 },
  read: { name: 'read', limit: 120, windowMs: 10_000 },
  presence: { name: 'presence', limit: 30, windowMs: 10_000 },
  visibility: { name: 'visibility', limit: 60, windowMs: 10_000 },
  // Conversation and member changes over REST (create, rename, add, remove, role): per user.
  conversationChange: { name: 'conv-change', limit: 60, windowMs: 60_000 },
  // A whole-account export is heavy: a few per hour.
  export: { name: 'export', limit: 5, windowMs: 60 * 60_000 },
} satisfies Record<string, LimitRule>;

/** The subset of a node-redis client the Redis store needs. */
export type RedisClientLike = object;

interface Stores {
  redis?: RedisClientLike;
  limiters: Map<string, RateLimiterAbstract>;
}

const g = globalThis as unknown as { __chattrixRateStores?: Stores };
function stores(): Stores {
  return (g.__chattrixRateStores ??= { limiters: new Map() });
}

/** Called once by the realtime bootstrap when REDIS_URL is set: from then on every limiter is shared in Redis. */
export function useRedisRateLimits(client: RedisClientLike): void {
  const s = stores();
  s.redis = client;
  s.limiters.clear();
}

/** A limiter for `points` per `durationMs` (blocked `blockMs` once over), in the configured store. */
export function limiter(name: string, points: number, durationMs: number, blockMs = 0): RateLimiterAbstract {
  const s = stores();
  const id = `${name}:${points}:${durationMs}:${blockMs}`;
  let l = s.limiters.get(id);
  if (!l) {
    const opts = { keyPrefix: `${env.REDIS_PREFIX}:rl:${name}`, points, duration: Math.max(1, Math.ceil(durationMs / 1000)), blockDuration: Math.ceil(blockMs / 1000) };
    l = s.redis
      ? new RateLimiterRedis({ ...opts, storeClient: s.redis, useRedisPackage: true, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(opts) })
      : new RateLimiterMemory(opts);
    s.limiters.set(id, l);
  }
  return l;
}

export function retryAfterSeconds(res: unknown): number {
  return res instanceof RateLimiterRes ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 60;
}

export function rateLimited(retryAfter: number): AppError {
  return new AppError('rate_limited', 'Too many requests; try again shortly', { retryAfter });
}

/** Counts one request against `rule` for `key`; throws `rate_limited` (with Retry-After) when over. */
export async function checkRate(rule: LimitRule, key: string): Promise<void> {
  if (!env.RATE_LIMITS) return;
  try {
    await limiter(rule.name, rule.limit, rule.windowMs, rule.blockMs).consume(key);
  } catch (e) {
    if (e instanceof RateLimiterRes) {
      metrics().rateLimited.inc({ rule: rule.name });
      throw rateLimited(retryAfterSeconds(e));
    }
    throw e;
  }
}

/** The client address (see lib/security/client-address.ts for TRUST_PROXY). */
export function clientAddress(headers: Record<string, string | string[] | undefined> | Headers): string {
  return clientAddressFrom(headers);
}
