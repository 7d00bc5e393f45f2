import { relations, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  type AnyPgColumn,
  jsonb,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

const id = () => text('id').primaryKey();
const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = pgTable(
  'users',
  {
    id: id(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    email: text('email'),
    passwordHash: text('password_hash').notNull(),
    bio: text('bio').notNull().default(''),
    avatarKey: text('avatar_key'),
    isAdmin: boolean('is_admin').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    lastSeenAt: tstz('last_seen_at'),
    /** Two-factor sign-in (TOTP): the confirmed secret (base32), when it was turned on, the last time step used. */
    totpSecret: text('totp_secret'),
    totpEnabledAt: tstz('totp_enabled_at'),
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    /** A secret shown during set-up, confirmed by one code before it becomes totpSecret. */
    totpPendingSecret: text('totp_pending_secret'),
    /** Set by a site admin: cannot sign in, sessions/tokens/sockets refused; messages stay. */
    deactivatedAt: tstz('deactivated_at'),
    /** A bot account (issue 14): signs in only with tokens; its owner manages it. */
    isBot: boolean('is_bot').notNull().default(false),
    botOwnerId: text('bot_owner_id').references((): AnyPgColumn => users.id, { onDelete: 'cascade' }),
    botDescription: text('bot_description').notNull().default(''),
    /** A status (emoji and text ≤ 100) shown beside the name; cleared by the server at statusClearAt. */
    statusEmoji: text('status_emoji'),
    statusText: text('status_text'),
    statusClearAt: tstz('status_clear_at'),
    /** Do not disturb: on until dndUntil, and/or daily by dndSchedule ({start:"HH:MM", end:"HH:MM", timeZone}). */
    dndUntil: tstz('dnd_until'),
    dndSchedule: jsonb('dnd_schedule').$type<{ start: string; end: string; timeZone: string } | null>(),
    /** Words that count as mentions for this person (matched as whole words, ignoring case). */
    keywords: text('keywords').array().notNull().default(sql`ARRAY[]::text[]`),
  },
  (t) => [
    uniqueIndex('users_username_lower_idx').on(sql`lower(${t.username})`),
    index('users_bot_owner_idx').on(t.botOwnerId).where(sql`${t.botOwnerId} is not null`),
    index('users_status_clear_at_idx').on(t.statusClearAt).where(sql`${t.statusClearAt} is not null`),
  ],
);

export const accessTokens = pgTable(
  'access_tokens',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    lastUsedAt: tstz('last_used_at'),
    /** `read` and/or `write`; a token without `write` cannot change anything. */
    scopes: text('scopes').array().notNull().default(sql`ARRAY['read','write']::text[]`),
    expiresAt: tstz('expires_at'),
  },
  (t) => [uniqueIndex('access_tokens_hash_idx').on(t.tokenHash), index('access_tokens_user_idx').on(t.userId)],
);

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    kind: text('kind', { enum: ['channel', 'direct', 'group'] }).notNull(),
    title: text('title'),
    /** For direct conversations: the two user ids, sorted, joined by ':'. Makes get-or-create race-free. */
    directKey: text('direct_key'),
    /** A public channel everyone joins (e.g. `general`). */
    slug: text('slug'),
    createdById: text('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    /** The per-conversation sequence counter: the last seq handed to a message. */
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    /** Whether members who join later can read what came before they joined. */
    historyVisible: boolean('history_visible').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    /** Channels: a one-line topic (≤ 250) and a description (≤ 1,000). */
    topic: text('topic'),
    description: text('description'),
    /** Channels: private ones are invisible to non-members. */
    private: boolean('private').notNull().default(false),
    /** Channels: an archived one is read-only. */
    archived: boolean('archived').notNull().default(false),
    /** Channels: delete messages older than this many days (0: keep them all); null follows the site's setting. */
    retentionDays: integer('retention_days'),
  },
  (t) => [
    /** Channel names are unique ignoring case; also the keyset order of the channel browser. */
    uniqueIndex('conversations_channel_name_idx').on(sql`lower(${t.title})`).where(sql`${t.kind} = 'channel'`),
    uniqueIndex('conversations_direct_key_idx').on(t.directKey),
    uniqueIndex('conversations_slug_idx').on(t.slug),
    index('conversations_created_by_idx').on(t.createdById),
  ],
);

export const memberRoles = ['owner', 'admin', 'member'] as const;
export type MemberRole = (typeof memberRoles)[number];

export const conversationMembers = pgTable(
  'conversation_members',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: memberRoles }).notNull().default('member'),
    joinedAt: tstz('joined_at').notNull().defaultNow(),
    /** seq of the first message this member may read (history hidden) — 0 means everything. */
    visibleFromSeq: bigint('visible_from_seq', { mode: 'number' }).notNull().default(0),
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
    lastReadMessageId: text('last_read_message_id'),
    muted: boolean('muted').notNull().default(false),
    /** 'all' | 'mentions' | 'none'; null: the default (mentions in channels of more than 50 members, else all).
     * 'none' is kept in step with `muted` (muted = notify is 'none'). */
    notify: text('notify', { enum: ['all', 'mentions', 'none'] }),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index('conversation_members_user_idx').on(t.userId)],
);

/** A Slack-style attachment, stored with the message and rendered as a coloured card. */
export interface MessageCard {
  title?: string;
  titleLink?: string;
  text?: string;
  color?: string;
  fallback?: string;
  fields?: { title: string; value: string; short?: boolean }[];
}
export interface MessageIntegration {
  username?: string;
  iconUrl?: string;
  cards?: MessageCard[];
}

export const messages = pgTable(
  'messages',
  {
    id: id(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** Position in the conversation's total order. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    senderId: text('sender_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: ['user', 'system'] }).notNull().default('user'),
    body: text('body').notNull(),
    clientId: text('client_id'),
    replyToId: text('reply_to_id'),
    createdAt: createdAt(),
    editedAt: tstz('edited_at'),
    deletedAt: tstz('deleted_at'),
    pinnedAt: tstz('pinned_at'),
    pinnedById: text('pinned_by_id').references(() => users.id, { onDelete: 'set null' }),
    /** A thread reply: the root message's id (null for the timeline). */
    threadId: text('thread_id'),
    /** A thread reply also shown in the conversation's timeline ("Also send to the channel"). */
    alsoToChannel: boolean('also_to_channel').notNull().default(false),
    /** Posted by an integration (incoming webhook, slash command): a display name override, an icon, cards. */
    integration: jsonb('integration').$type<MessageIntegration>(),
    search: tsvector('search').generatedAlwaysAs(sql`to_tsvector('simple', coalesce(body, ''))`),
  },
  (t) => [
    uniqueIndex('messages_conversation_seq_idx').on(t.conversationId, t.seq),
    uniqueIndex('messages_sender_client_idx').on(t.senderId, t.clientId),
    // Lookups by sender use messages_sender_client_idx (sender_id first). Replies and pins are rare: partial
    // indexes, so storing an ordinary message touches neither (migration 0006).
    index('messages_reply_to_idx').on(t.replyToId).where(sql`${t.replyToId} is not null`),
    index('messages_pinned_by_idx').on(t.pinnedById).where(sql`${t.pinnedById} is not null`),
    index('messages_search_idx').using('gin', t.search),
    index('messages_thread_idx').on(t.threadId, t.seq).where(sql`${t.threadId} is not null`),
  ],
);

/** Who follows a thread, and how far they read it. */
export const threadFollows = pgTable(
  'thread_follows',
  {
    rootId: text('root_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    following: boolean('following').notNull().default(true),
    /** Unfollowed on purpose: being the root's author no longer follows them (replying or a mention does). */
    optedOut: boolean('opted_out').notNull().default(false),
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.rootId, t.userId] }),
    index('thread_follows_user_idx').on(t.userId, t.following),
    index('thread_follows_conversation_idx').on(t.conversationId),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    uploaderId: text('uploader_id').references(() => users.id, { onDelete: 'set null' }),
    messageId: text('message_id').references(() => messages.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    size: integer('size').notNull(),
    mimeType: text('mime_type').notNull(),
    storageKey: text('storage_key').notNull(),
    thumbnailKey: text('thumbnail_key'),
    width: integer('width'),
    height: integer('height'),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_uploader_idx').on(t.uploaderId), index('attachments_message_idx').on(t.messageId)],
);

export const reactions = pgTable(
  'reactions',
  {
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    emoji: text('emoji').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId, t.emoji] }), index('reactions_user_idx').on(t.userId)],
);

export const mentions = pgTable(
  'mentions',
  {
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId] }), index('mentions_user_idx').on(t.userId)],
);

/** A message matched one of this person's keywords: a mention only they know of (not in the message's DTO). */
export const keywordMentions = pgTable(
  'keyword_mentions',
  {
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId] }), index('keyword_mentions_user_idx').on(t.userId)],
);

/** The last urgent DM push that broke through someone's do-not-disturb, per sender and recipient (1 per hour). */
export const urgentPushes = pgTable(
  'urgent_pushes',
  {
    senderId: text('sender_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    recipientId: text('recipient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.senderId, t.recipientId] }), index('urgent_pushes_recipient_idx').on(t.recipientId)],
);

export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    createdAt: createdAt(),
    lastSuccessAt: tstz('last_success_at'),
    failures: integer('failures').notNull().default(0),
  },
  (t) => [uniqueIndex('push_subscriptions_endpoint_idx').on(t.endpoint), index('push_subscriptions_user_idx').on(t.userId)],
);

export const blocks = pgTable(
  'blocks',
  {
    blockerId: text('blocker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    blockedId: text('blocked_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] }), index('blocks_blocked_idx').on(t.blockedId)],
);

/** A signed-in browser: the session cookie (a next-auth JWT) carries its id; sign-out and revocation end it here. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
    userAgent: text('user_agent'),
    ip: text('ip'),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Single-use two-factor recovery codes, stored hashed. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
    usedAt: tstz('used_at'),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** What happened to an account (sign-ins, sessions, tokens, password and 2FA changes); a person sees their own. */
export const securityEvents = pgTable(
  'security_events',
  {
    id: id(),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    type: text('type').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('security_events_user_created_idx').on(t.userId, t.createdAt),
    // The admin console's audit log: newest first, optionally one type.
    index('security_events_created_idx').on(t.createdAt),
    index('security_events_type_created_idx').on(t.type, t.createdAt),
  ],
);

export const usersRelations = relations(users, ({ many }) => ({
  memberships: many(conversationMembers),
  tokens: many(accessTokens),
}));

export const conversationsRelations = relations(conversations, ({ many }) => ({
  members: many(conversationMembers),
  messages: many(messages),
}));

export const conversationMembersRelations = relations(conversationMembers, ({ one }) => ({
  conversation: one(conversations, { fields: [conversationMembers.conversationId], references: [conversations.id] }),
  user: one(users, { fields: [conversationMembers.userId], references: [users.id] }),
}));

export const messagesRelations = relations(messages, ({ one, many }) => ({
  conversation: one(conversations, { fields: [messages.conversationId], references: [conversations.id] }),
  sender: one(users, { fields: [messages.senderId], references: [users.id] }),
  attachments: many(attachments),
  reactions: many(reactions),
}));

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type AccessToken = typeof accessTokens.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type SecurityEvent = typeof securityEvents.$inferSelect;
export type Conversation = typeof conversations.$inferSelect;
export type ConversationMember = typeof conversationMembers.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type Attachment = typeof attachments.$inferSelect;
export type Reaction = typeof reactions.$inferSelect;
export type ThreadFollow = typeof threadFollows.$inferSelect;

// ---------------------------------------------------------------------------------------------------------------
// Site administration (issue 15): settings editable in the console, invitations, one-time password reset links.

/** One row per setting; `value` is JSON. Missing rows fall back to the environment's defaults. */
export const siteSettings = pgTable('site_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    codeHash: text('code_hash').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    note: text('note').notNull().default(''),
    maxUses: integer('max_uses').notNull().default(1),
    uses: integer('uses').notNull().default(0),
    /** Conversation ids (channels or groups) the invited person joins. */
    defaultConversationIds: text('default_conversation_ids').array().notNull().default(sql`'{}'::text[]`),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invitations_code_hash_idx').on(t.codeHash), index('invitations_created_by_idx').on(t.createdBy)],
);

export const passwordResets = pgTable(
  'password_resets',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('password_resets_token_hash_idx').on(t.tokenHash),
    index('password_resets_user_idx').on(t.userId),
    index('password_resets_created_by_idx').on(t.createdBy),
  ],
);

/** Reports of messages (moderation, issue 15): one per person per message; an admin resolves or dismisses them. */
export const messageReports = pgTable(
  'message_reports',
  {
    id: id(),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    reporterId: text('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    /** open | resolved | dismissed */
    status: text('status').notNull().default('open'),
    /** What the admin did: delete | warn | deactivate | dismiss */
    action: text('action'),
    resolvedBy: text('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: tstz('resolved_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('message_reports_message_reporter_idx').on(t.messageId, t.reporterId),
    index('message_reports_status_created_idx').on(t.status, t.createdAt),
    index('message_reports_reporter_idx').on(t.reporterId),
    index('message_reports_resolved_by_idx').on(t.resolvedBy),
  ],
);
// ---------------------------------------------------------------------------------------------------------------
// Integrations (issue 14): incoming webhooks and slash commands (bots are users with is_bot).

export const incomingWebhooks = pgTable(
  'incoming_webhooks',
  {
    id: id(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** The bot it posts as (a member of the conversation). */
    botId: text('bot_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    iconUrl: text('icon_url'),
    /** sha256 of the secret in the URL; the secret itself is shown once (and on regenerate). */
    secretHash: text('secret_hash').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('incoming_webhooks_conversation_idx').on(t.conversationId),
    index('incoming_webhooks_bot_idx').on(t.botId),
    index('incoming_webhooks_created_by_idx').on(t.createdBy),
  ],
);

export const slashCommands = pgTable(
  'slash_commands',
  {
    id: id(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    usageHint: text('usage_hint').notNull().default(''),
    /** in_channel answers post as this bot. */
    botId: text('bot_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Signs each invocation (Chattrix-Signature); shown to admins. */
    signingSecret: text('signing_secret').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('slash_commands_name_idx').on(sql`lower(${t.name})`),
    index('slash_commands_bot_idx').on(t.botId),
    index('slash_commands_created_by_idx').on(t.createdBy),
  ],
);

/** A command invocation's responseUrl: up to 5 delayed answers within 30 minutes. */
export const commandResponses = pgTable(
  'command_responses',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    commandId: text('command_id')
      .notNull()
      .references(() => slashCommands.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    threadId: text('thread_id'),
    uses: integer('uses').notNull().default(0),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('command_responses_token_hash_idx').on(t.tokenHash),
    index('command_responses_command_idx').on(t.commandId),
    index('command_responses_user_idx').on(t.userId),
    index('command_responses_conversation_idx').on(t.conversationId),
  ],
);

export type IncomingWebhook = typeof incomingWebhooks.$inferSelect;
export type SlashCommand = typeof slashCommands.$inferSelect;

// Outgoing webhooks (issue 14): subscriptions, and their deliveries — both the durable job queue (claimed with
// FOR UPDATE SKIP LOCKED) and the history shown in settings (the last 50 per subscription are kept).

export const outgoingWebhookEvents = ['message.created', 'bot.mentioned', 'bot.direct_message'] as const;
export type OutgoingWebhookEvent = (typeof outgoingWebhookEvents)[number];

export const outgoingWebhooks = pgTable(
  'outgoing_webhooks',
  {
    id: id(),
    /** Who subscribed: gets the direct message when it is disabled. */
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** message.created: the conversation watched (null for a bot's subscription). */
    conversationId: text('conversation_id').references(() => conversations.id, { onDelete: 'cascade' }),
    /** The bot a reply is posted as; bot.mentioned / bot.direct_message: the bot watched. */
    botId: text('bot_id').references(() => users.id, { onDelete: 'cascade' }),
    events: text('events').array().notNull(),
    /** message.created: only messages whose first word is this. */
    triggerWord: text('trigger_word'),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    disabledAt: tstz('disabled_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('outgoing_webhooks_conversation_idx').on(t.conversationId),
    index('outgoing_webhooks_bot_idx').on(t.botId),
    index('outgoing_webhooks_owner_idx').on(t.ownerId),
  ],
);

export const deliveryStatuses = ['pending', 'succeeded', 'failed'] as const;

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => outgoingWebhooks.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    /**
     * The exact JSON body sent (and signed) on every attempt. '' until the runner builds it from `messageId`: the
     * row is written in the message's own transaction, before the message has the DTO the body holds.
     */
    payload: text('payload').notNull(),
    /** The message that raised this event (none for a row written before 0014; a redelivery copies it). */
    messageId: text('message_id'),
    status: text('status', { enum: deliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    /** A node that claimed it holds it until then (longer than the 10 s timeout); after a crash it is retried. */
    lockedUntil: tstz('locked_until'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    durationMs: integer('duration_ms'),
    createdAt: createdAt(),
    completedAt: tstz('completed_at'),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt),
  ],
);

export type OutgoingWebhook = typeof outgoingWebhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

// ---------------------------------------------------------------------------------------------------------------
// Composing (issue 13): drafts, scheduled messages, link previews, custom emoji.

/** What a person typed and did not send, per conversation and thread (`threadId` '' = the timeline). */
export const drafts = pgTable(
  'drafts',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    threadId: text('thread_id').notNull().default(''),
    body: text('body').notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.conversationId, t.threadId] }),
    index('drafts_user_idx').on(t.userId, t.updatedAt),
    index('drafts_conversation_idx').on(t.conversationId),
  ],
);

export const scheduledStatuses = ['pending', 'sending', 'sent', 'cancelled', 'failed'] as const;

/** A message to send later; a runner on any node claims due rows (`status` pending → sending → sent). */
export const scheduledMessages = pgTable(
  'scheduled_messages',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    threadId: text('thread_id'),
    body: text('body').notNull(),
    sendAt: tstz('send_at').notNull(),
    status: text('status', { enum: scheduledStatuses }).notNull().default('pending'),
    claimedAt: tstz('claimed_at'),
    messageId: text('message_id'),
    error: text('error'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('scheduled_messages_due_idx').on(t.sendAt).where(sql`${t.status} = 'pending'`),
    index('scheduled_messages_user_idx').on(t.userId, t.sendAt),
    index('scheduled_messages_conversation_idx').on(t.conversationId),
  ],
);

/** What a page says about itself (Open Graph, Twitter card, <title>), cached per URL; `status` ok or failed. */
export const linkPreviews = pgTable(
  'link_previews',
  {
    id: id(),
    url: text('url').notNull(),
    status: text('status', { enum: ['ok', 'failed'] }).notNull(),
    title: text('title'),
    description: text('description'),
    siteName: text('site_name'),
    /** The page's image, fetched once, re-encoded, stored like uploads. */
    imageKey: text('image_key'),
    imageWidth: integer('image_width'),
    imageHeight: integer('image_height'),
    fetchedAt: tstz('fetched_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('link_previews_url_idx').on(t.url)],
);

/** The preview shown under a message; its author can remove it. */
export const messagePreviews = pgTable(
  'message_previews',
  {
    messageId: text('message_id')
      .primaryKey()
      .references(() => messages.id, { onDelete: 'cascade' }),
    previewId: text('preview_id')
      .notNull()
      .references(() => linkPreviews.id, { onDelete: 'cascade' }),
    removed: boolean('removed').notNull().default(false),
  },
  (t) => [index('message_previews_preview_idx').on(t.previewId)],
);

/** Site-wide custom emoji, used as `:name:` in messages and reactions. */
export const customEmoji = pgTable(
  'custom_emoji',
  {
    id: id(),
    name: text('name').notNull(),
    storageKey: text('storage_key').notNull(),
    mimeType: text('mime_type').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('custom_emoji_name_idx').on(t.name), index('custom_emoji_created_by_idx').on(t.createdBy)],
);

export type Draft = typeof drafts.$inferSelect;
export type ScheduledMessage = typeof scheduledMessages.$inferSelect;
export type LinkPreview = typeof linkPreviews.$inferSelect;
export type CustomEmoji = typeof customEmoji.$inferSelect;
