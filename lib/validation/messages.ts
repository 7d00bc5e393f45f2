import { z } from 'zod';
import { idSchema, limitParam } from './common';
import { MAX_BODY } from './limits';

export { MAX_BODY };

/** 1–4000 characters after trimming. */
export const bodySchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'Message is empty').max(MAX_BODY, `Message is longer than ${MAX_BODY} characters`));

export const clientIdSchema = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'clientId must be a UUID or similar token');

/** A caption may be empty when files go with it. */
const captionSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().max(MAX_BODY, `Message is longer than ${MAX_BODY} characters`));

const sendBase = z.strictObject({
  body: captionSchema.default(''),
  clientId: clientIdSchema.optional(),
  replyToId: idSchema.optional(),
  attachmentIds: z.array(idSchema).max(10).optional(),
  /** A thread reply: the root message's id. */
  threadId: idSchema.optional(),
  /** With threadId: the reply also appears in the conversation's timeline. */
  alsoToChannel: z.boolean().optional(),
  /** Direct messages only: pushes through the recipient's do-not-disturb (at most once an hour per sender). */
  urgent: z.boolean().optional(),
});

const notEmpty = (v: { body: string; attachmentIds?: string[] }, ctx: z.RefinementCtx) => {
  if (!v.body && !v.attachmentIds?.length) ctx.addIssue({ code: 'custom', path: ['body'], message: 'Message is empty' });
};

export const sendMessageSchema = sendBase.superRefine(notEmpty);
export type SendMessageInput = z.infer<typeof sendMessageSchema>;

export const socketSendSchema = sendBase.extend({ conversationId: idSchema, clientId: clientIdSchema }).superRefine(notEmpty);

export const editMessageSchema = z.strictObject({ body: bodySchema });

export const listMessagesQuery = z.strictObject({
  before: idSchema.optional(),
  after: idSchema.optional(),
  /** A permalink: the page around this message (it included), half before and half after. */
  around: idSchema.optional(),
  limit: limitParam(100, 50),
});

export const readSchema = z.strictObject({ messageId: idSchema });

/** One emoji (with skin tones, ZWJ sequences, flags), or a custom emoji `:name:`; nothing else. */
export const emojiSchema = z
  .string()
  .min(1)
  .max(34)
  .refine(
    (s) =>
      /^:[a-z0-9][a-z0-9_-]{1,31}:$/.test(s) ||
      (s.length <= 32 &&
        /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u200d|\ufe0f|\u20e3|[#*0-9])+$/u.test(s) &&
        /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(s)),
    'Not an emoji',
  );

export const reactionSocketSchema = z.object({ messageId: idSchema, emoji: emojiSchema });

export const searchQuery = z.strictObject({
  q: z.string().trim().min(1, 'Type something to search for').max(200),
  conversationId: idSchema.optional(),
  senderId: idSchema.optional(),
  limit: limitParam(50, 20),
});

export const threadQuery = z.strictObject({
  before: idSchema.optional(),
  after: idSchema.optional(),
  around: idSchema.optional(),
  limit: limitParam(100, 50),
});

export const listThreadsQuery = z.strictObject({
  limit: limitParam(50, 20),
  cursor: z.string().max(400).optional(),
});
