import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { initDb } from '../../db';
import * as q from '../../db/queries/two-factor';
import { getUserById } from '../../db/queries/users';
import type { User } from '../../db/schema';
import type { Actor } from '../auth/actor';
import type { RequestMeta } from '../auth/meta';
import { throttleCode, verifyPasswordThrottled } from '../auth/throttle';
import { AppError } from '../errors';
import { seal, unseal } from '../security/seal';
import { newId } from '../ids';
import { recordSecurityEvent } from './security-events';

/**
 * Two-factor sign-in with TOTP (RFC 6238: SHA-1, 6 digits, 30 s, one step of clock drift either way), plus 10
 * single-use recovery codes stored as SHA-256 hashes (80 random bits each). A code's time step can be used once.
 */
const ISSUER = 'Chattrix';
const RECOVERY_CODES = 10;

function totp(secret: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

/** TOTP seeds are stored sealed (lib/security/seal.ts), never as plain base32. */
const SEAL_PURPOSE = 'totp-secret';

/** The time step a 6-digit code belongs to (now or one step either side), or null. `stored` is the sealed seed. */
function matchStep(stored: string, code: string): number | null {
  let secret: string;
  try {
    secret = unseal(stored, SEAL_PURPOSE);
  } catch {
    // Sealed under another AUTH_SECRET (a restore without --with-secrets): no code can match.
    return null;
  }
  const delta = totp(secret, 'x').validate({ token: code, window: 1 });
  if (delta === null) return null;
  return Math.floor(Date.now() / 1000 / 30) + delta;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) out += RECOVERY_ALPHABET[bytes[i]! % RECOVERY_ALPHABET.length];
  return out.match(/.{4}/g)!.join('-');
}
const normaliseRecovery = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');
const hashRecovery = (code: string) => createHash('sha256').update(`chattrix-recovery:${normaliseRecovery(code)}`).digest('hex');

export function hasTwoFactor(user: Pick<User, 'totpSecret' | 'totpEnabledAt'>): boolean {
  return Boolean(user.totpSecret && user.totpEnabledAt);
}

async function requireUserRow(actor: Actor): Promise<User> {
  await initDb();
  const user = await getUserById({ id: actor.id });
  if (!user) throw new AppError('unauthorized', 'This account no longer exists');
  return user;
}

async function checkPassword(user: User, password: string, meta: RequestMeta): Promise<void> {
  // The shared password throttle (lib/auth/throttle.ts).
  if (!(await verifyPasswordThrottled(user.username, meta, user.passwordHash, password))) throw new AppError('forbidden', 'Wrong password');
}

/**
 * Checks a second factor for a user who has it on: a current 6-digit code (each time step once) or an unused
 * recovery code (then used up). Throttled per user and address like passwords.
 */
export async function verifySecondFactor(user: User, code: string, meta: RequestMeta): Promise<boolean> {
  if (!hasTwoFactor(user)) return false;
  await throttleCode(user.id, meta);
  const trimmed = code.trim().replace(/\s+/g, '');
  if (/^\d{6}$/.test(trimmed)) {
    const step = matchStep(user.totpSecret!, trimmed);
    return step !== null && (await q.claimTotpStep({ userId: user.id, step }));
  }
  if (normaliseRecovery(trimmed).length !== 16) return false;
  const used = await q.useRecoveryCode({ userId: user.id, codeHash: hashRecovery(trimmed) });
  if (used) {
    const left = await q.countUnusedRecoveryCodes({ userId: user.id });
    await recordSecurityEvent({ userId: user.id, type: 'recovery_code_used', meta, detail: { recoveryCodesLeft: left } });
  }
  return used;
}

export async function twoFactorStatus(actor: Actor): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
  const user = await requireUserRow(actor);
  const enabled = hasTwoFactor(user);
  return { enabled, recoveryCodesLeft: enabled ? await q.countUnusedRecoveryCodes({ userId: user.id }) : 0 };
}

/** Step 1: a new secret (kept pending until confirmed), its otpauth URL and that URL as a QR code (SVG data URL). */
export async function beginTwoFactorSetup(actor: Actor, password: string, meta: RequestMeta) {
  const user = await requireUserRow(actor);
  if (hasTwoFactor(user)) throw new AppError('conflict', 'Two-factor sign-in is already on');
  await checkPassword(user, password, meta);
  const secret = new Secret({ size: 20 }).base32;
  await q.setPendingTotpSecret({ userId: user.id, secret: seal(secret, SEAL_PURPOSE) });
  const otpauthUrl = totp(secret, user.username).toString();
  const svg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, otpauthUrl, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** Step 2: one code from the app confirms the secret; answers the recovery codes (shown once). */
export async function enableTwoFactor(actor: Actor, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  const user = await requireUserRow(actor);
  if (hasTwoFactor(user)) throw new AppError('conflict', 'Two-factor sign-in is already on');
  if (!user.totpPendingSecret) throw new AppError('bad_request', 'Start the set-up first');
  await throttleCode(user.id, meta);
  const step = /^\d{6}$/.test(code.trim()) ? matchStep(user.totpPendingSecret, code.trim()) : null;
  if (step === null) {
    throw new AppError('bad_request', 'That code is not right; check the time on your device and try the current code', {
      issues: [{ path: ['code'], message: 'That code is not right' }],
    });
  }
  const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  await q.enableTotp({
    userId: user.id,
    secret: user.totpPendingSecret,
    step,
    codeHashes: recoveryCodes.map(hashRecovery),
    ids: recoveryCodes.map(() => newId()),
  });
  await recordSecurityEvent({ userId: user.id, type: 'two_factor_enabled', meta });
  return { recoveryCodes };
}

/** Turning it off needs the password and a code (or a recovery code). */
export async function disableTwoFactor(actor: Actor, input: { password: string; code: string }, meta: RequestMeta): Promise<void> {
  const user = await requireUserRow(actor);
  if (!hasTwoFactor(user)) throw new AppError('conflict', 'Two-factor sign-in is not on');
  await checkPassword(user, input.password, meta);
  if (!(await verifySecondFactor(user, input.code, meta))) {
    throw new AppError('forbidden', 'Wrong two-factor code');
  }
  await q.disableTotp({ userId: user.id });
  await recordSecurityEvent({ userId: user.id, type: 'two_factor_disabled', meta });
}
