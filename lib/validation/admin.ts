import { z } from 'zod';
import { idSchema } from './common';
import { messageSchema, userRefSchema } from './dto';
import { displayNameSchema, passwordSchema, usernameSchema } from './users';

export const registrationModes = ['open', 'invite', 'closed'] as const;

export const adminListUsersQuery = z.strictObject({
  q: z.string().trim().max(64).optional(),
  filter: z.enum(['all', 'admins', 'deactivated', 'active', 'bots']).default('all'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const adminUpdateUserSchema = z
  .strictObject({ isAdmin: z.boolean().optional(), deactivated: z.boolean().optional() })
  .refine((v) => v.isAdmin !== undefined || v.deactivated !== undefined, { message: 'Give isAdmin or deactivated' });

export const adminCreateUserSchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  displayName: displayNameSchema.optional(),
  isAdmin: z.boolean().default(false),
});

export const siteSettingsSchema = z.strictObject({
  registration: z.enum(registrationModes),
  siteName: z.string().trim().min(1).max(60),
  /** Previews of the first link of a message (LINK_PREVIEWS=off turns them off whatever this says). */
  linkPreviews: z.boolean(),
  /** Who may add custom emoji. */
  customEmoji: z.enum(['admins', 'everyone']),
  /** Who may create channels (public or private). Groups and direct conversations are always open to everyone. */
  channelCreation: z.enum(['everyone', 'admins']),
  /** Public channels every new account joins, beside #general. */
  defaultChannelIds: z.array(idSchema).max(20),
  /** The largest file a person may upload, in MiB; MAX_UPLOAD_BYTES in the environment is the ceiling. */
  maxUploadMB: z.number().int().min(1).max(1024),
  /** Messages (and their files) older than this many days are deleted by a background job; null keeps them all. A
   * channel may have its own (conversations.retentionDays). */
  retentionDays: z.number().int().min(1).max(36500).nullable(),
  /** The site's own icon (set with POST /admin/site-icon, not here); null: the Chattrix icons. */
  iconId: z.string().nullable(),
});
export const updateSiteSettingsSchema = siteSettingsSchema
  .omit({ iconId: true })
  .partial()
  .strict()
  .refine((v) => v.defaultChannelIds === undefined || new Set(v.defaultChannelIds).size === v.defaultChannelIds.length, {
    message: 'A channel is listed twice',
    path: ['defaultChannelIds'],
  });
/** What every signed-in client (and the sign-in page) may know of the settings. */
export const publicSiteSchema = z.strictObject({
  siteName: z.string(),
  registration: z.enum(registrationModes),
  channelCreation: z.enum(['everyone', 'admins']),
  /** The effective upload limit (the setting within the environment's ceiling), in bytes. */
  maxUploadBytes: z.number().int(),
  /** Messages older than this many days are deleted (null: kept), unless a channel has its own period. */
  retentionDays: z.number().int().nullable(),
  /** The site's own icon at 192 px (null: the Chattrix icons); /api/v1/site/icon/{32|180|192|512}. */
  iconUrl: z.string().nullable(),
});
export type PublicSite = z.infer<typeof publicSiteSchema>;
export type SiteSettings = z.infer<typeof siteSettingsSchema>;

export const createInvitationSchema = z.strictObject({
  expiresInHours: z.number().int().min(1).max(24 * 90).default(24 * 7),
  maxUses: z.number().int().min(1).max(1000).default(1),
  defaultConversationIds: z.array(idSchema).max(20).default([]),
  note: z.string().trim().max(200).default(''),
});

export const passwordResetSchema = z.strictObject({ token: z.string().min(10).max(200), password: passwordSchema });

export const adminUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  /** A bot account (its owner manages it; admins can deactivate it here like anyone). */
  bot: z.boolean(),
  deactivatedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  createdAt: z.string(),
  online: z.boolean(),
});

export const invitationSchema = z.object({
  id: z.string(),
  note: z.string(),
  maxUses: z.number(),
  uses: z.number(),
  defaultConversationIds: z.array(z.string()),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
  /** Only in the answer that creates it (shown once). */
  code: z.string().optional(),
  url: z.string().optional(),
});

export const reportMessageSchema = z.strictObject({ reason: z.string().trim().min(1, 'Say what is wrong').max(500) });
export const adminListReportsQuery = z.strictObject({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const reportActions = ['delete', 'warn', 'deactivate', 'dismiss'] as const;
export const resolveReportSchema = z.strictObject({
  action: z.enum(reportActions),
  /** With warn: the words the author receives (a default is used without them). */
  note: z.string().trim().max(1000).optional(),
});

export const reportSchema = z.object({
  id: z.string(),
  messageId: z.string(),
  reason: z.string(),
  status: z.enum(['open', 'resolved', 'dismissed']),
  action: z.enum(reportActions).nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const adminReportSchema = reportSchema.extend({
  reporter: userRefSchema.nullable(),
  resolvedBy: userRefSchema.nullable(),
  /** Open reports of the same message. */
  reportCount: z.number().int(),
  message: messageSchema.nullable(),
  before: z.array(messageSchema),
  after: z.array(messageSchema),
  conversation: z.object({ id: z.string(), kind: z.string(), title: z.string().nullable() }).nullable(),
});

export const adminAuditQuery = z.strictObject({
  /** One event type, or a prefix ending in `*` (`admin_*`, `sign_in*`). */
  type: z.string().trim().regex(/^[a-z_]+\*?$/, 'an event type, or a prefix ending in *').max(64).optional(),
  userId: idSchema.optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const auditEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  user: z.object({ id: z.string(), username: z.string(), displayName: z.string() }).nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

/** GET /admin/overview: the console's first screen. */
export const adminOverviewSchema = z.object({
  users: z.object({
    total: z.number().int(),
    /** People (no bots, no deactivated accounts) seen in the last 7 days or online now. */
    active7d: z.number().int(),
    admins: z.number().int(),
    bots: z.number().int(),
    deactivated: z.number().int(),
  }),
  /** 30 UTC days, oldest first, today last, days with none as 0: people's messages, deleted ones not counted. */
  messagesPerDay: z.array(z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), count: z.number().int() })).length(30),
  /** Every stored attachment: how many, and their bytes. */
  storage: z.object({ files: z.number().int(), bytes: z.number().int() }),
  /** Sockets connected now, per live node (`self`: the node that answered; others as of their last heartbeat). */
  sockets: z.object({
    total: z.number().int(),
    nodes: z.array(z.object({ nodeId: z.string(), sockets: z.number().int(), self: z.boolean() })),
  }),
});
export type AdminOverview = z.infer<typeof adminOverviewSchema>;
