import { z } from 'zod';
import { trimmed } from './common';
import { userRefSchema } from './dto';
import { displayNameSchema, usernameSchema } from './users';

export const botDescriptionSchema = z.string().trim().max(300, 'Description is longer than 300 characters');

export const createBotSchema = z.strictObject({
  username: usernameSchema,
  displayName: displayNameSchema,
  description: botDescriptionSchema.optional(),
});
export type CreateBotInput = z.infer<typeof createBotSchema>;

export const updateBotSchema = z
  .strictObject({
    displayName: displayNameSchema.optional(),
    description: botDescriptionSchema.optional(),
    /** Disabled: its tokens and sockets stop working (like a deactivated account); false turns it back on. */
    disabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Give displayName, description or disabled' });
export type UpdateBotInput = z.infer<typeof updateBotSchema>;

export const tokenScopesSchema = z
  .array(z.enum(['read', 'write']))
  .min(1)
  .max(2)
  .transform((v) => [...new Set(v)]);

export const createBotTokenSchema = z.strictObject({
  name: trimmed(1, 64),
  scopes: tokenScopesSchema,
  expiresAt: z.iso
    .datetime({ offset: true })
    .refine((v) => Date.parse(v) > Date.now(), 'expiresAt must be in the future')
    .optional(),
});

export const botSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  bot: z.literal(true),
  description: z.string(),
  owner: userRefSchema.nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type BotDto = z.infer<typeof botSchema>;

export const issuedTokenSchema = z.object({
  token: z.string(),
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  scopes: z.array(z.enum(['read', 'write'])),
  expiresAt: z.string().nullable(),
});

/** `GET /bots?all=true`: every bot on the server (site admins); otherwise your own. */
export const listBotsQuery = z.strictObject({ all: z.enum(['true', 'false']).optional().transform((v) => v === 'true') });
