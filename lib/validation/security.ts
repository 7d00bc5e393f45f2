import { z } from 'zod';
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

export const securityEventTypes = [
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'session_revoked',
  'token_created',
  'token_revoked',
  'password_changed',
  'two_factor_enabled',
  'two_factor_disabled',
  'recovery_code_used',
  'account_deleted',
  // Site administration (issue 15): recorded on the person acted on; detail.by names the admin.
  'admin_user_deactivated',
  'admin_user_reactivated',
  'admin_granted',
  'admin_revoked',
  'admin_account_created',
  'admin_password_reset_issued',
  'password_reset_used',
  // Moderation: recorded on the reported message's author; detail names the admin, report and action.
  'admin_report_resolved',
  'bot_created',
  // Recorded on the admin who changed the site settings; detail.keys names the settings.
  'admin_settings_changed',
] as const;
export type SecurityEventType = (typeof securityEventTypes)[number];

export const securityEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type SecurityEventDto = z.infer<typeof securityEventSchema>;
