/**
 * Signatures on what Chattrix sends to integrations (outgoing webhooks, slash commands):
 *   Chattrix-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the subscription's secret>
 * A receiver recomputes the HMAC over the exact bytes it received and rejects a timestamp older than 5 minutes.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Chattrix-Signature';
export const SIGNATURE_TOLERANCE_S = 300;

/** A new signing secret: 32 random bytes, hex. */
export function newSigningSecret(): string {
  return randomBytes(32).toString('hex');
}

export function signPayload(secret: string, body: string, at: Date = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** True when `header` is a valid signature of `body` with `secret`, made within the tolerance of `now`. */
export function verifySignature(secret: string, body: string, header: string | null | undefined, now: Date = new Date()): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_S) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
