import { z } from 'zod';
import { securityEventTypes } from './security-events';
import { passwordSchema } from './users';

/** Sessions, password change, two-factor sign-in and security events: requests and answers. */

export const sessionSchema = z.object({
  id: z.string(),
  current: z.boolean(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
});
export type SessionDto = z.infer<typeof sessionSchema>;

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: passwordSchema,
});

const code = z.string().trim().min(1, 'Enter a code').max(32);

export const twoFactorStatusSchema = z.object({ enabled: z.boolean(), recoveryCodesLeft: z.number().int() });
export const twoFactorSetupSchema = z.strictObject({ password: z.string().min(1).max(128) });
export const twoFactorSetupAnswer = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  /** The otpauth URL as a QR code: an SVG data URL. */
  qrCode: z.string(),
});
export const twoFactorEnableSchema = z.strictObject({ code });
export const twoFactorEnableAnswer = z.object({ recoveryCodes: z.array(z.string()) });
export const twoFactorDisableSchema = z.strictObject({ password: z.string().min(1).max(128), code });

export { securityEventTypes, type SecurityEventType } from './security-events';

export const securityEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type SecurityEventDto = z.infer<typeof securityEventSchema>;
