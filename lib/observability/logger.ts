import pino, { type Logger } from 'pino';
import { env } from '../env';

/**
 * Structured JSON logs (pino) at LOG_LEVEL, one line per event on stdout. Secrets and people's words never reach
 * them: any key that looks like a cookie, an authorization header, a password, a token, a secret or message text
 * (`body`, `text`, `message` objects' body) is replaced by "[redacted]", at any depth.
 */
const SENSITIVE_KEY = /^(cookie|set-cookie|authorization|proxy-authorization|x-api-key|password|currentpassword|newpassword|passwordhash|token|accesstoken|refreshtoken|sessiontoken|secret|otp|code|recoverycode|body|text|p256dh|auth)$/i;
const REDACTED = '[redacted]';

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: value.message, stack: value.stack, ...(redact({ ...(value as object) }, depth + 1) as object) };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE_KEY.test(k) ? REDACTED : redact(v, depth + 1);
  return out;
}

const g = globalThis as unknown as { __chattrixLogger?: Logger };

export const logger: Logger = (g.__chattrixLogger ??= pino(
  {
    level: env.LOG_LEVEL,
    base: { service: 'chattrix' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (obj) => redact(obj) as Record<string, unknown>,
    },
    // The well-known paths too (cheap, and a second line of defence).
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'headers.cookie', 'headers.authorization'], censor: REDACTED },
  },
  pino.destination({ dest: 1, sync: true }),
));

/** The request id of an incoming request (set by server.ts), for logs written inside route handlers. */
export function requestIdOf(headers: Headers | Record<string, string | string[] | undefined>): string | undefined {
  const v = headers instanceof Headers ? headers.get('x-request-id') : headers['x-request-id'];
  return (Array.isArray(v) ? v[0] : v) ?? undefined;
}
