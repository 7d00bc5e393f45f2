import { z } from 'zod';
import { limitParam, trimmed } from './common';
import { dndStateSchema, statusSchema } from './attention';

export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'Username must be 3–32 characters')
  .max(32, 'Username must be 3–32 characters')
  .regex(/^[A-Za-z0-9_.]+$/, 'Use only letters, digits, _ and .');

export const passwordSchema = z
  .string()
  .min(8, 'Password must be at least 8 characters')
  .max(128, 'Password must be at most 128 characters');

export const displayNameSchema = trimmed(1, 50);

export const registerSchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  displayName: displayNameSchema.optional(),
  email: z.email('Enter a valid e-mail address').max(254).optional(),
  /** An invitation code (registration mode `invite`; in `open` mode it adds the invitation's conversations). */
  invitation: z.string().min(8).max(200).optional(),
});
export type RegisterInput = z.infer<typeof registerSchema>;

export const credentialsSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(128),
});

export const createTokenSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(128),
  name: trimmed(1, 64),
  /** A code from the authenticator app (or a recovery code) when the account uses two-factor sign-in. */
  otp: z.string().trim().min(1).max(32).optional(),
  /** Default: both. A token without `write` cannot change anything (403 `forbidden`). */
  scopes: z
    .array(z.enum(['read', 'write']))
    .min(1)
    .max(2)
    .transform((v) => [...new Set(v)])
    .optional(),
  /** When the token stops working (ISO 8601, in the future); absent: never. */
  expiresAt: z.iso
    .datetime({ offset: true })
    .refine((v) => Date.parse(v) > Date.now(), 'expiresAt must be in the future')
    .optional(),
});

export const updateMeSchema = z.strictObject({
  displayName: displayNameSchema.optional(),
  bio: z.string().trim().max(300).optional(),
});
export type UpdateMeInput = z.infer<typeof updateMeSchema>;

export const listUsersQuery = z.strictObject({
  q: z.string().trim().max(64).optional(),
  limit: limitParam(100, 50),
});

export const deleteMeSchema = z.strictObject({ password: z.string().min(1).max(128) });

export const publicUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  /** Present (true) on bot accounts. */
  bot: z.literal(true).optional(),
  bio: z.string(),
  online: z.boolean(),
  lastSeenAt: z.string().nullable(),
  createdAt: z.string(),
  /** Their status (emoji, text ≤ 100, when it clears), or null. */
  status: statusSchema.nullable(),
  /** Do-not-disturb is on now (a moon beside the name). */
  dnd: z.boolean(),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

export const meSchema = publicUserSchema.extend({
  email: z.string().nullable(),
  isAdmin: z.boolean(),
  /** Your do-not-disturb in full (until, schedule) and your keywords. */
  dndState: dndStateSchema,
  keywords: z.array(z.string()),
});
export type Me = z.infer<typeof meSchema>;

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  scopes: z.array(z.enum(['read', 'write'])),
  expiresAt: z.string().nullable(),
});

export const pushSubscriptionSchema = z.strictObject({
  endpoint: z.string().min(1).max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({ p256dh: z.string().min(1).max(256), auth: z.string().min(1).max(256) }),
});

export const pushUnsubscribeSchema = z.strictObject({ endpoint: z.string().min(1).max(2048) });
