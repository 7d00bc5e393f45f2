import { z } from 'zod';
import { outgoingWebhookEvents } from '../../db/schema';
import { idSchema, trimmed } from './common';
import { userRefSchema } from './dto';

const httpsUrl = z
  .string()
  .trim()
  .max(500)
  .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), 'Give an http(s) URL');

export const createWebhookSchema = z.strictObject({
  name: trimmed(1, 80),
  /** The bot it posts as: one of yours (any, for a site admin). It is added to the conversation if it is not in it. */
  botId: idSchema,
  iconUrl: httpsUrl.optional(),
});

/** Rename a hook, or change or clear its icon; its URL and bot stay. */
export const updateWebhookSchema = z
  .strictObject({ name: trimmed(1, 80).optional(), iconUrl: httpsUrl.nullable().optional() })
  .refine((v) => v.name !== undefined || v.iconUrl !== undefined, { message: 'Give a name or an icon URL' });

export const webhookSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  name: z.string(),
  iconUrl: z.string().nullable(),
  bot: userRefSchema.nullable(),
  createdAt: z.string(),
  /** Only when created or regenerated: the URL to POST to (the secret is in it), shown once. */
  url: z.string().optional(),
});
export type WebhookDto = z.infer<typeof webhookSchema>;

const short = (max: number) => z.string().max(max);

/** A Slack-style attachment as sent (snake_case, as Slack and Mattermost clients send it). */
const incomingAttachment = z.looseObject({
  fallback: short(1000).optional(),
  color: short(32).optional(),
  pretext: short(2000).optional(),
  title: short(300).optional(),
  title_link: httpsUrl.optional(),
  text: short(4000).optional(),
  fields: z
    .array(z.looseObject({ title: short(300).default(''), value: short(2000).default(''), short: z.boolean().optional() }))
    .max(20)
    .optional(),
});

/**
 * What an incoming webhook accepts: `{"text": …}` plus optional `username`, `iconUrl` (or Slack's `icon_url`) and
 * `attachments`; other Slack fields (`channel`, `icon_emoji`, `blocks`, …) are ignored. Text or an attachment is needed.
 */
export const incomingPayloadSchema = z
  .looseObject({
    text: short(4000).optional(),
    username: z.string().trim().min(1).max(50).optional(),
    iconUrl: httpsUrl.optional(),
    icon_url: httpsUrl.optional(),
    attachments: z.array(incomingAttachment).max(10).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.text?.trim() && !v.attachments?.length) ctx.addIssue({ code: 'custom', path: ['text'], message: 'Give text or attachments' });
  });
export type IncomingPayload = z.infer<typeof incomingPayloadSchema>;

const urlSchema = z.string().trim().min(1).max(2000).url('must be an https URL');
const triggerWordSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^\S+$/, 'one word, no spaces');

/** A conversation's subscription: message.created there, replies posted as `botId` (a bot you own, a member). */
export const createConversationWebhookSchema = z.object({
  url: urlSchema,
  botId: idSchema,
  triggerWord: triggerWordSchema.nullish(),
});

/** A bot's subscription: it being mentioned and/or DM'd. */
export const createBotWebhookSchema = z.object({
  url: urlSchema,
  events: z
    .array(z.enum(['bot.mentioned', 'bot.direct_message']))
    .min(1)
    .max(2)
    .default(['bot.mentioned', 'bot.direct_message']),
});

export const updateOutgoingWebhookSchema = z
  .object({
    url: urlSchema.optional(),
    triggerWord: triggerWordSchema.nullable().optional(),
    /** true re-enables a disabled subscription (its failure streak starts again). */
    enabled: z.boolean().optional(),
    events: z.array(z.enum(outgoingWebhookEvents)).min(1).max(3).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'Nothing to change');

export const outgoingWebhookSchema = z.object({
  id: z.string(),
  conversationId: z.string().nullable(),
  botId: z.string().nullable(),
  ownerId: z.string(),
  events: z.array(z.enum(outgoingWebhookEvents)),
  triggerWord: z.string().nullable(),
  url: z.string(),
  enabled: z.boolean(),
  consecutiveFailures: z.number().int(),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
});
export type OutgoingWebhookDto = z.infer<typeof outgoingWebhookSchema>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  eventType: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});
export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;
