import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookie } from 'cookie';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { env } from '../env';
import { AppError } from '../errors';
import { checkRate, limiter, rateLimited, retryAfterSeconds, rules, type LimitRule } from '../rate-limit';
import type { RequestMeta } from './meta';
import { verifyPassword } from './password';
import { clientAddressFrom } from '../security/client-address';
import { publicUrlIsHttps } from '../security/headers';
import { getAuthSecret } from '../secrets';

/**
 * THE password throttle: every way to present a password or a second-factor code (web sign-in, POST /auth/tokens,
 * account deletion, password change, TOTP) goes through `throttledPasswordCheck`. rate-limiter-flexible's
 * login-protection pattern, keyed on the normalised username (trimmed, case-folded) and the client address:
 *
 * - failures per username + address: 10 in a row blocks that pair for 15 minutes (a success resets it);
 * - failures per address: 10 a minute (one address guessing at many accounts);
 * - failures per username, from every address together: 100 an hour, so an attacker spread over any number of
 *   addresses gets at most 100 guesses per account per hour;
 * - a KNOWN DEVICE (a browser that signed in to this account before: a signed `device` cookie set on success) skips
 *   the per-address and per-username limits; only its own failures count against it (10 in a row, 15 minutes).
 *   So the owner is never locked out by someone else's failures, while a guesser never has that cookie.
 *
 * Every attempt reserves its points BEFORE the password is checked (atomic in memory and in Redis), so parallel
 * guesses cannot slip past a limit; a success gives the reservation back. While limited, even the right password is
 * refused: there is no oracle.
 */
export const THROTTLE = {
  consecutivePerUserAddress: { points: 10, durationMs: 3 * 60 * 60_000, blockMs: 15 * 60_000 },
  perAddress: { points: 10, durationMs: 60_000, blockMs: 60_000 },
  perUser: { points: 100, durationMs: 60 * 60_000, blockMs: 0 },
  consecutivePerDevice: { points: 10, durationMs: 3 * 60 * 60_000, blockMs: 15 * 60_000 },
} as const;

export function normaliseUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------------
// The device cookie: `<random id>.<HMAC(secret, username \0 id)>`, bound to one account.

export const DEVICE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

export function deviceCookieName(): string {
  return publicUrlIsHttps(env.NEXTAUTH_URL) ? '__Host-chattrix-device' : 'chattrix-device';
}

function sign(username: string, id: string): string {
  return createHmac('sha256', getAuthSecret()).update(`device\0${normaliseUsername(username)}\0${id}`).digest('base64url');
}

export function issueDeviceToken(username: string): string {
  const id = randomBytes(16).toString('base64url');
  return `${id}.${sign(username, id)}`;
}

/** The device id when `token` is a valid device cookie for this username, else undefined. */
export function verifyDeviceToken(username: string, token: string | undefined): string | undefined {
  if (!token) return undefined;
  const [id, mac] = token.split('.');
  if (!id || !mac || id.length > 64) return undefined;
  const want = Buffer.from(sign(username, id));
  const got = Buffer.from(mac);
  return want.length === got.length && timingSafeEqual(want, got) ? id : undefined;
}

/** A Set-Cookie header value that remembers this browser as a device of this account. */
export function deviceSetCookie(username: string): string {
  const secure = publicUrlIsHttps(env.NEXTAUTH_URL);
  return `${deviceCookieName()}=${issueDeviceToken(username)}; Path=/; Max-Age=${DEVICE_COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name];
  return Array.isArray(v) ? v.join('; ') : v;
}

export interface PasswordAttempt {
  username: string;
  address: string;
  /** The device cookie's value, if the request had one. */
  device?: string;
}

/** Username, client address and device cookie of a request. */
export function attemptFrom(username: string, headers: HeaderBag): PasswordAttempt {
  const cookies = parseCookie(header(headers, 'cookie') ?? '');
  return { username, address: clientAddressFrom(headers), device: cookies[deviceCookieName()] };
}

// ---------------------------------------------------------------------------------------------------------------

function limiters() {
  const t = THROTTLE;
  return {
    pair: limiter('pw-user-ip', t.consecutivePerUserAddress.points, t.consecutivePerUserAddress.durationMs, t.consecutivePerUserAddress.blockMs),
    address: limiter('pw-ip', t.perAddress.points, t.perAddress.durationMs, t.perAddress.blockMs),
    user: limiter('pw-user', t.perUser.points, t.perUser.durationMs, t.perUser.blockMs),
    device: limiter('pw-device', t.consecutivePerDevice.points, t.consecutivePerDevice.durationMs, t.consecutivePerDevice.blockMs),
  };
}

/**
 * Runs `verify` (the password or code check) under the throttle. Resolves with its result; throws AppError
 * `rate_limited` (with Retry-After) without calling it when a limit is reached.
 */
export async function throttledPasswordCheck<T>(attempt: PasswordAttempt, verify: () => Promise<T | null | false>): Promise<T | null | false> {
  if (!env.RATE_LIMITS) return verify();
  const l = limiters();
  const user = normaliseUsername(attempt.username).slice(0, 200);
  const deviceId = verifyDeviceToken(attempt.username, attempt.device);
  const reservations: [typeof l.pair, string][] = deviceId
    ? [[l.device, `${user}\0${deviceId}`]]
    : [
        [l.pair, `${user}\0${attempt.address}`],
        [l.address, attempt.address],
        [l.user, user],
      ];
  const taken: [typeof l.pair, string][] = [];
  for (const [lim, key] of reservations) {
    try {
      await lim.consume(key);
      taken.push([lim, key]);
    } catch (e) {
      // Over a limit: hand back what this attempt reserved on the others (it was never tried).
      await Promise.all(taken.map(([tl, tk]) => tl.reward(tk, 1).catch(() => {})));
      if (e instanceof RateLimiterRes) throw rateLimited(retryAfterSeconds(e));
      throw e;
    }
  }
  const result = await verify();
  if (result) {
    // Success: the consecutive counters start again; the volume counters get this attempt back.
    await Promise.all(
      taken.map(([lim, key]) => (lim === l.pair || lim === l.device ? lim.delete(key) : lim.reward(key, 1)).catch(() => {})),
    );
  }
  return result;
}

/** For callers that only need the refusal: throws `rate_limited` or AppError(code) when verify fails. */
export async function requirePassword(attempt: PasswordAttempt, verify: () => Promise<boolean>, onWrong: () => AppError): Promise<void> {
  const ok = await throttledPasswordCheck(attempt, async () => ((await verify()) ? true : null));
  if (!ok) throw onWrong();
}

/**
 * A password check for a signed-in caller (password change, 2FA set-up and turning it off): argon2 verification
 * under the shared throttle, keyed on the account's username and the caller's address.
 */
export async function verifyPasswordThrottled(username: string, meta: RequestMeta, passwordHash: string, password: string): Promise<boolean> {
  const ok = await throttledPasswordCheck({ username, address: meta.ip ?? 'unknown' }, async () => ((await verifyPassword(passwordHash, password)) ? true : null));
  return ok === true;
}

// ---------------------------------------------------------------------------------------------------------------
// Second-factor codes (lib/services/two-factor.ts, POST /auth/tokens with `otp`): per user and per address.

const codeRule: LimitRule = { name: 'otp', limit: 5, windowMs: 5 * 60_000 };

export async function throttleCode(userId: string, meta: RequestMeta): Promise<void> {
  await checkRate(codeRule, `ip:${meta.ip ?? 'unknown'}`);
  await checkRate(codeRule, `user:${userId}`);
}

/** next-auth puts a thrown message into the error URL: a rate limit becomes the plain code `rate_limited`. */
export async function forSignIn<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError && e.code === 'rate_limited') throw new Error('rate_limited');
    throw e;
  }
}

/** @deprecated kept for callers not yet moved: counts one attempt per account and address (use verifyPasswordThrottled). */
export async function throttlePassword(username: string, meta: RequestMeta): Promise<void> {
  await checkRate(rules.login, `ip:${meta.ip ?? 'unknown'}`);
  await checkRate(rules.login, `user:${normaliseUsername(username)}`);
}
