import { z } from 'zod';
import { idSchema } from './common';
import { messageSchema, userRefSchema } from './dto';

/** `/name`: 1–32 lower-case letters, digits, `-` and `_` (a leading `/` is dropped). */
export const commandNameSchema = z
  .string()
  .transform((s) => s.trim().replace(/^\/+/, '').toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'Use 1–32 letters, digits, - and _'));

const commandUrl = z
  .string()
  .trim()
  .max(500)
  .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), 'Give an http(s) URL');

export const createCommandSchema = z.strictObject({
  name: commandNameSchema,
  url: commandUrl,
  description: z.string().trim().max(200).default(''),
  usageHint: z.string().trim().max(100).default(''),
  /** The bot in-channel answers post as (yours, or any for a site admin); absent: a bot is made for the command. */
  botId: idSchema.optional(),
});

export const updateCommandSchema = z
  .strictObject({
    url: commandUrl.optional(),
    description: z.string().trim().max(200).optional(),
    usageHint: z.string().trim().max(100).optional(),
    /** true: a new signing secret. */
    regenerateSecret: z.literal(true).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change' });

export const commandSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  description: z.string(),
  usageHint: z.string(),
  bot: userRefSchema.nullable(),
  /** Verifies the Chattrix-Signature header of each invocation. */
  signingSecret: z.string(),
  createdAt: z.string(),
});
export type CommandDto = z.infer<typeof commandSchema>;

/** What the composer lists as you type `/`. */
export const listedCommandSchema = z.object({ name: z.string(), description: z.string(), usageHint: z.string(), builtIn: z.boolean() });
export type ListedCommand = z.infer<typeof listedCommandSchema>;

export const invokeCommandSchema = z.strictObject({
  /** The whole line as typed: `/name arguments`. */
  text: z.string().trim().min(2).max(4000).regex(/^\//, 'A command starts with /'),
  threadId: idSchema.optional(),
});

export const ephemeralSchema = z.object({ id: z.string(), conversationId: z.string(), threadId: z.string().nullable(), command: z.string(), text: z.string() });
export type EphemeralDto = z.infer<typeof ephemeralSchema>;

export const commandResultSchema = z.object({
  /** Shown only to you (also sent to your sockets as `command:ephemeral`). */
  ephemeral: ephemeralSchema.optional(),
  /** A message the command posted (yours for /me and /shrug, its bot's for an in-channel answer). */
  message: messageSchema.optional(),
});

/** A command service's answer (in time, or later to responseUrl); Slack's `response_type` is understood too. */
export const commandAnswerSchema = z
  .looseObject({
    text: z.string().max(4000).default(''),
    responseType: z.enum(['ephemeral', 'in_channel']).optional(),
    response_type: z.enum(['ephemeral', 'in_channel']).optional(),
  })
  .refine((v) => v.text.trim().length > 0, { message: 'Give text', path: ['text'] });
