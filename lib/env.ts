import { z } from 'zod';
import { validateAllowList } from './outbound/address';
import { parseTrustProxy } from './security/trust-proxy';

/** The only reader of process.env. Everything else imports `env`. */
const bool = z
  .enum(['on', 'off', '1', '0', 'true', 'false'])
  .transform((v) => v === 'on' || v === '1' || v === 'true');

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
    /** Names every key and channel this install uses in Redis: installs sharing one Redis must each have their own. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1–64 letters, digits, _ . : or -')
      .default('chattrix'),
    AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    NEXTAUTH_URL: z.string().url().optional(),
    VAPID_PUBLIC_KEY: z.string().min(1).optional(),
    VAPID_PRIVATE_KEY: z.string().min(1).optional(),
    VAPID_SUBJECT: z.string().min(1).optional(),
    MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(16 * 1024 * 1024),
    REGISTRATION: z.enum(['open', 'invite', 'closed']).default('open'),
    /** A number of reverse proxies, or a comma list of their addresses / CIDR ranges (lib/security/trust-proxy.ts). */
    TRUST_PROXY: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const parsed = parseTrustProxy(v);
        if (parsed && 'error' in parsed) {
          ctx.addIssue({ code: 'custom', message: `must be ${parsed.error}` });
          return z.NEVER;
        }
        return parsed;
      }),
    RATE_LIMITS: bool.default(true),
    /** Sessions end this many days after sign-in, or after this many days unused. */
    SESSION_MAX_AGE_DAYS: z.coerce.number().positive().max(3650).default(30),
    SESSION_IDLE_DAYS: z.coerce.number().positive().max(3650).default(14),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** Hosts and CIDR ranges the outbound guard (lib/outbound) lets through anyway, comma-separated. */
    OUTBOUND_ALLOW: z.string().optional(),
    /** Outgoing webhooks: first retry delay (doubles each attempt, capped at an hour), how often each node looks for
     * due deliveries, and after how many consecutive failed deliveries a subscription is disabled. Tests lower them. */
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
    WEBHOOK_POLL_MS: z.coerce.number().int().min(50).max(300_000).default(30_000),
    // Longer than an attempt's 10 s timeout, so a live attempt is never taken over by another node.
    WEBHOOK_LEASE_MS: z.coerce.number().int().min(15_000).max(3_600_000).default(60_000),
    WEBHOOK_DISABLE_AFTER: z.coerce.number().int().min(1).max(1000).default(50),
    /** `off`: no link previews at all, whatever the site setting says. */
    LINK_PREVIEWS: z.enum(['on', 'off']).default('on'),
    // Operations (issue 15): who may read /metrics without a token, object storage, scheduled backups, shutdown.
    METRICS_ALLOW: z
      .string()
      .regex(/^\s*[0-9a-fA-F:.]+(\/\d{1,3})?\s*(,\s*[0-9a-fA-F:.]+(\/\d{1,3})?\s*)*$/, 'must be comma-separated IP addresses or CIDRs')
      .optional(),
    STORAGE_URL: z
      .string()
      .regex(/^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^?]*)?(\?.*)?|file:.+)$/, 'must be s3://bucket[/prefix]?endpoint=…&region=…&forcePathStyle=true or file:/path')
      .optional(),
    AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
    AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    BACKUP_SCHEDULE: z.string().min(1).optional(),
    BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(5000).default(1000),
  })
  .superRefine((v, ctx) => {
    if (v.NODE_ENV === 'production' && !v.RATE_LIMITS) {
      ctx.addIssue({ code: 'custom', path: ['RATE_LIMITS'], message: 'RATE_LIMITS=off is refused when NODE_ENV=production' });
    }
    const allowProblem = v.OUTBOUND_ALLOW ? validateAllowList(v.OUTBOUND_ALLOW) : null;
    if (allowProblem) ctx.addIssue({ code: 'custom', path: ['OUTBOUND_ALLOW'], message: allowProblem });
    if (Boolean(v.VAPID_PUBLIC_KEY) !== Boolean(v.VAPID_PRIVATE_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['VAPID_PRIVATE_KEY'], message: 'set both VAPID keys or neither' });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = 'EnvError';
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as a shell `FOO=` usually means.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

const g = globalThis as unknown as { __chattrixEnv?: Env };

/** Parsed once per process (shared by server.ts and Next's bundle). */
export const env: Env = (g.__chattrixEnv ??= parseEnv(process.env));
