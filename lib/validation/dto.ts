import { z } from 'zod';
import { linkPreviewSchema } from './compose';
import { notifySchema, statusSchema } from './attention';

/** Response shapes (the OpenAPI document is generated from these). */
export const userRefSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  /** Present (true) on bot accounts: shown with a BOT mark. */
  bot: z.literal(true).optional(),
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

/** A Slack-style attachment stored with a message posted by an integration: rendered as a coloured card. */
export const cardSchema = z.object({
  title: z.string().optional(),
  titleLink: z.string().optional(),
  text: z.string().optional(),
  color: z.string().optional(),
  fallback: z.string().optional(),
  fields: z.array(z.object({ title: z.string(), value: z.string(), short: z.boolean().optional() })).optional(),
});
export type CardDto = z.infer<typeof cardSchema>;

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
  /** A thread reply: its root's id; null in the timeline. */
  threadId: z.string().nullable().optional(),
  /** A thread reply also shown in the timeline. */
  alsoToChannel: z.boolean().optional(),
  /** Posted by an incoming webhook or a slash command: the name it asked to show, its icon URL, its cards. */
  integration: z
    .object({
      username: z.string().optional(),
      /** The icon URL as the integration gave it. */
      iconUrl: z.string().optional(),
      /** Where to show that icon from: Chattrix's copy (fetched once through the outbound guard), never the URL itself. */
      icon: z.string().optional(),
      cards: z.array(cardSchema).optional(),
    })
    .optional(),
  /** The first link's preview (added after the message, by `message:updated`); absent when none. */
  preview: linkPreviewSchema.nullable().optional(),
  /** A thread root (a message with replies): its summary, for the caller. */
  thread: z
    .object({
      replyCount: z.number().int(),
      lastReplyAt: z.string().nullable(),
      participantIds: z.array(z.string()),
      following: z.boolean(),
      unreadCount: z.number().int(),
    })
    .nullable()
    .optional(),
});
export type MessageDto = z.infer<typeof messageSchema>;

export const memberSchema = userRefSchema.extend({
  role: z.enum(['owner', 'admin', 'member']),
  online: z.boolean(),
  lastSeenAt: z.string().nullable(),
  lastReadMessageId: z.string().nullable(),
  lastReadSeq: z.number().int(),
  /** Their status, or null; whether do-not-disturb is on now (a moon beside the name). */
  status: statusSchema.nullable().optional(),
  dnd: z.boolean().optional(),
  /** Only from `presence` events (client side): online but away. */
  away: z.boolean().optional(),
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
  /** Mentions (and keyword matches) of the caller not yet read; 0 when notify is "none". */
  mentionCount: z.number().int(),
  /** What the caller's badge, tab title and app icon count here: unreadCount ("all"), mentionCount ("mentions"), 0 ("none"). */
  badgeCount: z.number().int(),
  /** The caller's notification level here (their choice, or the default: "mentions" in channels of more than 50 members, else "all"). */
  notify: notifySchema,
  /** Whether notify is the caller's own choice (false: the default). */
  notifyChosen: z.boolean(),
  /** Old clients: the same as notify = "none". */
  muted: z.boolean(),
  myRole: z.enum(['owner', 'admin', 'member']),
  updatedAt: z.string(),
  createdAt: z.string(),
  /** Channels. */
  topic: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  private: z.boolean().optional(),
  archived: z.boolean().optional(),
  /** Channels: messages here older than this many days are deleted (0: kept); null follows the site's setting. */
  retentionDays: z.number().int().nullable().optional(),
  /** false when the caller reads a public channel they have not joined. */
  joined: z.boolean().optional(),
});
export type ConversationDto = z.infer<typeof conversationSchema>;

export const iso = (d: Date | string | null | undefined): string | null =>
  d == null ? null : typeof d === 'string' ? new Date(d).toISOString() : d.toISOString();

export const threadSummarySchema = z.object({
  replyCount: z.number().int(),
  lastReplyAt: z.string().nullable(),
  participantIds: z.array(z.string()),
  following: z.boolean(),
  unreadCount: z.number().int(),
});
export type ThreadSummaryDto = z.infer<typeof threadSummarySchema>;

export const channelSchema = z.object({
  id: z.string(),
  title: z.string(),
  topic: z.string().nullable(),
  description: z.string().nullable(),
  private: z.boolean(),
  memberCount: z.number().int(),
  lastActivityAt: z.string(),
  joined: z.boolean(),
  archived: z.boolean(),
});
export type ChannelDto = z.infer<typeof channelSchema>;
