import { z } from 'zod';
import { idSchema } from './common';
import { MAX_BODY } from './messages';

// ---------------------------------------------------------------------------------------------------------------
// Drafts

/** A draft may be empty (saving '' deletes it); the same length cap as a message, untrimmed (spaces are kept). */
export const draftBodySchema = z.string().max(MAX_BODY, `A draft is longer than ${MAX_BODY} characters`);

export const saveDraftSchema = z.strictObject({
  body: draftBodySchema,
  threadId: idSchema.optional(),
  /** An id of the saving tab: the `draft:updated` it causes carries it back, so that tab ignores its own echo. */
  origin: z.string().max(64).optional(),
});
export const socketDraftSchema = saveDraftSchema.extend({ conversationId: idSchema });
export const draftQuerySchema = z.strictObject({ threadId: idSchema.optional() });

export const draftSchema = z.object({
  conversationId: z.string(),
  /** null: the conversation's timeline; else the thread root's id. */
  threadId: z.string().nullable(),
  body: z.string(),
  updatedAt: z.string(),
});
export type DraftDto = z.infer<typeof draftSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Scheduled messages

const sendAtSchema = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const scheduledBody = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'Message is empty').max(MAX_BODY, `Message is longer than ${MAX_BODY} characters`));

export const createScheduledSchema = z.strictObject({
  conversationId: idSchema,
  threadId: idSchema.optional(),
  body: scheduledBody,
  /** ISO 8601 with an offset; in the future, at most a year ahead. */
  sendAt: sendAtSchema,
});
export const updateScheduledSchema = z
  .strictObject({ body: scheduledBody.optional(), sendAt: sendAtSchema.optional() })
  .refine((v) => v.body !== undefined || v.sendAt !== undefined, 'Nothing to change');

export const scheduledSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  threadId: z.string().nullable(),
  body: z.string(),
  sendAt: z.string(),
  status: z.enum(['pending', 'sending', 'sent', 'cancelled', 'failed']),
  messageId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type ScheduledDto = z.infer<typeof scheduledSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Link previews

export const linkPreviewSchema = z.object({
  url: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  siteName: z.string().nullable(),
  /** Served by Chattrix (`/api/v1/previews/{id}/image`): the reader's browser never contacts the site. */
  imageUrl: z.string().nullable(),
  imageWidth: z.number().int().nullable(),
  imageHeight: z.number().int().nullable(),
});
export type LinkPreviewDto = z.infer<typeof linkPreviewSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Custom emoji

/** `party-parrot` (written `:party-parrot:`): lowercase letters, digits, `-` and `_`, 2–32. */
export const emojiNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{1,31}$/, 'A name is 2–32 lowercase letters, digits, - or _');

export const customEmojiSchema = z.object({
  name: z.string(),
  url: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type CustomEmojiDto = z.infer<typeof customEmojiSchema>;
