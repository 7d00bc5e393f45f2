import { z } from 'zod';

/** Response shapes (the OpenAPI document is generated from these). */
export const userRefSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
});
export type UserRef = z.infer<typeof userRefSchema>;

export const attachmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number().int(),
  mimeType: z.string(),
  url: z.string(),
  thumbnailUrl: z.string().optional(),
  width: z.number().int().nullable().optional(),
  height: z.number().int().nullable().optional(),
});
export type AttachmentDto = z.infer<typeof attachmentSchema>;

export const reactionSchema = z.object({ emoji: z.string(), count: z.number().int(), userIds: z.array(z.string()) });
export type ReactionDto = z.infer<typeof reactionSchema>;

export const replyRefSchema = z.object({
  id: z.string(),
  sender: userRefSchema.nullable(),
  body: z.string(),
  deleted: z.boolean(),
});

export const messageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  kind: z.enum(['user', 'system']),
  sender: userRefSchema.nullable(),
  body: z.string(),
  clientId: z.string().nullable(),
  replyTo: replyRefSchema.nullable(),
  attachments: z.array(attachmentSchema),
  reactions: z.array(reactionSchema),
  mentions: z.array(z.string()),
  pinnedAt: z.string().nullable(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
});
export type MessageDto = z.infer<typeof messageSchema>;

export const memberSchema = userRefSchema.extend({
  role: z.enum(['owner', 'admin', 'member']),
  online: z.boolean(),
  lastSeenAt: z.string().nullable(),
  lastReadMessageId: z.string().nullable(),
  lastReadSeq: z.number().int(),
});
export type MemberDto = z.infer<typeof memberSchema>;

export const conversationSchema = z.object({
  id: z.string(),
  kind: z.enum(['direct', 'group', 'channel']),
  title: z.string().nullable(),
  members: z.array(memberSchema),
  memberCount: z.number().int(),
  lastMessage: messageSchema.nullable(),
  unreadCount: z.number().int(),
  mentionCount: z.number().int(),
  muted: z.boolean(),
  myRole: z.enum(['owner', 'admin', 'member']),
  updatedAt: z.string(),
  createdAt: z.string(),
});
export type ConversationDto = z.infer<typeof conversationSchema>;

export const iso = (d: Date | string | null | undefined): string | null =>
  d == null ? null : typeof d === 'string' ? new Date(d).toISOString() : d.toISOString();
