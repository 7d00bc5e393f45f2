import { z } from 'zod';
import { idSchema, limitParam } from './common';
import { notifySchema } from './attention';

export const titleSchema = z.string().trim().min(1, 'Title is empty').max(80, 'Title is longer than 80 characters');

/** A channel's name: 1–80 characters, shown as `#name` (a leading `#` is dropped). */
export const channelNameSchema = z
  .string()
  .transform((s) => s.trim().replace(/^#+/, '').trim())
  .pipe(z.string().min(1, 'Name is empty').max(80, 'Name is longer than 80 characters'));
export const topicSchema = z.string().trim().max(250, 'Topic is longer than 250 characters');
export const descriptionSchema = z.string().trim().max(1000, 'Description is longer than 1,000 characters');

export const createConversationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('direct'), userId: idSchema }),
  z.strictObject({
    kind: z.literal('channel'),
    title: channelNameSchema,
    topic: topicSchema.optional(),
    description: descriptionSchema.optional(),
    private: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('group'), title: titleSchema, memberIds: z.array(idSchema).max(1000).default([]) }),
]);
export type CreateConversationInput = z.infer<typeof createConversationSchema>;

export const updateConversationSchema = z.strictObject({
  title: titleSchema.optional(),
  /** Old clients: true is notify "none", false is the default level. */
  muted: z.boolean().optional(),
  /** Your notification level here; null goes back to the default. */
  notify: notifySchema.nullable().optional(),
  topic: topicSchema.optional(),
  description: descriptionSchema.optional(),
  archived: z.boolean().optional(),
  /** Channels, site admins only: delete messages older than this many days here (0: keep them all); null follows
   * the site's setting. */
  retentionDays: z.number().int().min(0).max(36500).nullable().optional(),
});
export type UpdateConversationInput = z.infer<typeof updateConversationSchema>;

/** `GET /channels`: `cursor` is the opaque `nextCursor` of the previous page. */
export const listChannelsQuery = z.strictObject({
  q: z.string().trim().max(80).optional(),
  limit: limitParam(100, 50),
  cursor: z.string().max(400).optional(),
});

/** `GET /conversations`: no `limit` answers every conversation (as before paging existed); with one, a page. */
export const listConversationsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(400).optional(),
});

export const listMembersQuery = z.strictObject({
  q: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(400).optional(),
});

export const addMemberSchema = z.strictObject({ userId: idSchema });

export const updateMemberSchema = z.strictObject({ role: z.enum(['admin', 'member', 'owner']) });
