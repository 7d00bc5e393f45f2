import { z } from 'zod';
import { commandAnswerSchema, commandResultSchema, commandSchema, createCommandSchema, invokeCommandSchema, listedCommandSchema, updateCommandSchema } from './validation/commands';
import { createWebhookSchema, incomingPayloadSchema, updateWebhookSchema, webhookSchema } from './validation/webhooks';
import { botSchema, createBotSchema, createBotTokenSchema, issuedTokenSchema, listBotsQuery, updateBotSchema } from './validation/bots';
import {
  createScheduledSchema,
  customEmojiSchema,
  draftQuerySchema,
  draftSchema,
  saveDraftSchema,
  scheduledSchema,
  updateScheduledSchema,
} from './validation/compose';
import {
  adminCreateUserSchema,
  adminListUsersQuery,
  adminUpdateUserSchema,
  adminUserSchema,
  adminAuditQuery,
  adminListReportsQuery,
  adminOverviewSchema,
  auditEventSchema,
  adminReportSchema,
  reportMessageSchema,
  reportSchema,
  resolveReportSchema,
  createInvitationSchema,
  invitationSchema,
  passwordResetSchema,
  siteSettingsSchema,
  updateSiteSettingsSchema,
  publicSiteSchema,
} from './validation/admin';
import { dndStateSchema, setDndSchema, setKeywordsSchema, setStatusSchema, statusSchema } from './validation/attention';
import { addMemberSchema, createConversationSchema, listChannelsQuery, listConversationsQuery, listMembersQuery, updateConversationSchema, updateMemberSchema } from './validation/conversations';
import { attachmentSchema, channelSchema, conversationSchema, memberSchema, messageSchema, reactionSchema, userRefSchema } from './validation/dto';
import { editMessageSchema, listMessagesQuery, listThreadsQuery, readSchema, searchQuery, sendMessageSchema, threadQuery } from './validation/messages';
import {
  createTokenSchema,
  deleteMeSchema,
  listUsersQuery,
  meSchema,
  publicUserSchema,
  pushSubscriptionSchema,
  pushUnsubscribeSchema,
  registerSchema,
  tokenSchema,
  updateMeSchema,
} from './validation/users';
import { createBotWebhookSchema, createConversationWebhookSchema, outgoingWebhookSchema, updateOutgoingWebhookSchema, webhookDeliverySchema } from './validation/webhooks';
import {
  changePasswordSchema,
  securityEventSchema,
  sessionSchema,
  twoFactorDisableSchema,
  twoFactorEnableAnswer,
  twoFactorEnableSchema,
  twoFactorSetupAnswer,
  twoFactorSetupSchema,
  twoFactorStatusSchema,
} from './validation/security';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and shape answers.
 */
type Schema = z.ZodType;

function js(schema: Schema, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

const errorSchema = z.object({
  error: z.object({
    code: z.enum(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'payload_too_large', 'unsupported_media_type', 'rate_limited', 'internal']),
    message: z.string().describe("For people, in the asker's language (the `locale` cookie, else Accept-Language, else English); branch on `code`"),
    issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string(), code: z.string().optional() })).optional(),
  }),
});

interface Op {
  summary: string;
  body?: Schema;
  multipart?: true;
  query?: Schema;
  ok: number;
  answer?: Schema | 'binary' | 'zip';
  auth?: false;
  errors?: number[];
  /** Defaults to one derived from the method and path (operationIdFor). */
  operationId?: string;
  /** Served at the site root, outside /api/v1 (the path item gets its own `servers`). */
  root?: true;
  description?: string;
  /** Request headers it reads. */
  headers?: { name: string; schema: Record<string, unknown> }[];
  /** What the success answer means (default "OK", or "No content" for 204). */
  okText?: string;
  /** A second success status with the same answer, and what it means. */
  alsoOk?: { status: number; text: string };
  /** What an error status means here, where it says more than the status's name. */
  errorText?: Partial<Record<number, string>>;
}

/**
 * A stable operationId from the method and path: `GET /conversations/{id}/messages` → `getConversationsByIdMessages`.
 * Generated clients and the docs' deep links use it; a path change changes it on purpose.
 */
export function operationIdFor(method: string, path: string): string {
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  const words = path
    .split('/')
    .filter(Boolean)
    .map((seg) => {
      const param = /^\{(\w+)\}$/.exec(seg);
      return param ? `By${cap(param[1]!)}` : seg.split(/[^A-Za-z0-9]+/).filter(Boolean).map(cap).join('');
    });
  return method.toLowerCase() + words.join('');
}

const wrap = <T extends Record<string, Schema>>(shape: T) => z.object(shape);
const searchResult = z.object({
  message: messageSchema,
  conversationId: z.string(),
  rank: z.number(),
  snippet: z.array(z.object({ text: z.string(), hit: z.boolean() })),
});

const paths: Record<string, Record<string, Op>> = {
  '/auth/register': { post: { summary: 'Create an account', body: registerSchema, ok: 201, answer: wrap({ user: meSchema }), auth: false, errors: [400, 403, 409, 429] } },
  '/auth/tokens': {
    post: {
      summary:
        'Create a personal access token (shown once). `scopes` default to read and write (a read token gets 403 on anything that changes state); `expiresAt` is optional. With two-factor sign-in on, `otp` (a code or a recovery code) is required: 401 without it.',
      body: createTokenSchema,
      ok: 201,
      answer: z.object({
        token: z.string(),
        id: z.string(),
        name: z.string(),
        createdAt: z.string(),
        scopes: z.array(z.enum(['read', 'write'])),
        expiresAt: z.string().nullable(),
      }),
      auth: false,
      errors: [400, 401, 429],
    },
  },
  '/me': {
    get: { summary: 'The caller', ok: 200, answer: wrap({ user: meSchema }) },
    patch: { summary: 'Update your profile', body: updateMeSchema, ok: 200, answer: wrap({ user: meSchema }) },
    delete: { summary: 'Delete your account (with your password)', body: deleteMeSchema, ok: 204 },
  },
  '/me/avatar': {
    put: { summary: 'Set your avatar (multipart `file`, an image; resized to 256 px WebP)', multipart: true, ok: 200, answer: wrap({ user: meSchema }), errors: [413, 415] },
    delete: { summary: 'Remove your avatar', ok: 200, answer: wrap({ user: meSchema }) },
  },
  '/me/tokens': { get: { summary: 'Your access tokens', ok: 200, answer: wrap({ tokens: z.array(tokenSchema) }) } },
  '/me/tokens/{id}': { delete: { summary: 'Revoke a token (its sockets are disconnected)', ok: 204 } },
  '/me/sessions': {
    get: { summary: 'Your signed-in sessions (browsers), the current one marked', ok: 200, answer: wrap({ sessions: z.array(sessionSchema) }) },
    delete: { summary: 'Sign out every session but this one', ok: 204, errors: [403] },
  },
  '/me/sessions/{id}': { delete: { summary: 'Sign out a session (its cookie gets 401 at once, its sockets are disconnected)', ok: 204, errors: [403] } },
  '/me/password': {
    put: { summary: 'Change your password; every other session ends', body: changePasswordSchema, ok: 204, errors: [403] },
  },
  '/me/two-factor': {
    get: { summary: 'Whether two-factor sign-in is on, and how many recovery codes are left', ok: 200, answer: twoFactorStatusSchema },
    delete: { summary: 'Turn two-factor sign-in off (password and a code or recovery code)', body: twoFactorDisableSchema, ok: 204, errors: [403, 409] },
  },
  '/me/two-factor/setup': {
    post: {
      summary: 'Start turning two-factor sign-in on (password): a new TOTP secret, its otpauth URL and a QR code',
      body: twoFactorSetupSchema,
      ok: 200,
      answer: twoFactorSetupAnswer,
      errors: [403, 409],
    },
  },
  '/me/two-factor/enable': {
    post: {
      summary: 'Confirm the set-up with one code from the app: two-factor sign-in is on; answers 10 single-use recovery codes (shown once)',
      body: twoFactorEnableSchema,
      ok: 200,
      answer: twoFactorEnableAnswer,
      errors: [409],
    },
  },
  '/me/security-events': {
    get: { summary: 'Your last 50 security events (sign-ins, sessions, tokens, password and two-factor changes), newest first', ok: 200, answer: wrap({ events: z.array(securityEventSchema) }) },
  },
  '/me/status': {
    get: { summary: 'Your status', ok: 200, answer: wrap({ status: statusSchema.nullable() }) },
    put: {
      summary: 'Set your status: emoji, text (≤ 100) and when it clears (ISO time; null: never). No emoji and no text clears it. The server clears it at clearAt (after a restart too); `presence` events carry it',
      body: setStatusSchema,
      ok: 200,
      answer: wrap({ status: statusSchema.nullable() }),
    },
  },
  '/me/dnd': {
    get: { summary: 'Your do-not-disturb', ok: 200, answer: wrap({ dnd: dndStateSchema }) },
    put: {
      summary: 'Set do-not-disturb: on until a time, and/or a daily schedule {start, end, timeZone} (may cross midnight); both replaced, null/absent turns a part off. No web push meanwhile except an urgent direct message (once an hour per sender)',
      body: setDndSchema,
      ok: 200,
      answer: wrap({ dnd: dndStateSchema }),
    },
  },
  '/me/keywords': {
    get: { summary: 'Words that count as mentions for you', ok: 200, answer: wrap({ keywords: z.array(z.string()) }) },
    put: { summary: 'Replace your keywords (≤ 20, 2–40 characters each, whole words, ignoring case)', body: setKeywordsSchema, ok: 200, answer: wrap({ keywords: z.array(z.string()) }) },
  },
  '/me/blocks': { get: { summary: 'People you blocked', ok: 200, answer: wrap({ blocks: z.array(z.object({ user: userRefSchema, blockedAt: z.string() })) }) } },
  '/me/export': {
    get: {
      summary: 'A ZIP (streamed, ZIP64) of your profile, conversations, messages and the files you sent; one export at a time (409 while one runs), 5 an hour',
      ok: 200,
      answer: 'zip',
      errors: [409, 429],
    },
  },
  '/users': { get: { summary: 'People (search by name)', query: listUsersQuery, ok: 200, answer: wrap({ users: z.array(publicUserSchema) }) } },
  '/users/{id}': { get: { summary: 'A person', ok: 200, answer: wrap({ user: publicUserSchema }) } },
  '/users/{id}/avatar': { get: { summary: "A person's avatar (WebP)", ok: 200, answer: 'binary' } },
  '/users/{id}/block': { put: { summary: 'Block a person', ok: 204 }, delete: { summary: 'Unblock a person', ok: 204 } },
  '/conversations': {
    get: {
      summary: 'Your conversations, most recent activity first: all of them, or with `limit` (1–500) a page and `nextCursor` (keyset; a conversation that gets a message while you page moves above the cursor: `message:created` tells of it). `members`: at most 6 of each (you, then the earliest to join; a direct conversation whole): `memberCount` is the total, `GET /conversations/{id}` lists them',
      query: listConversationsQuery,
      ok: 200,
      answer: z.object({ conversations: z.array(conversationSchema), nextCursor: z.string().nullable().optional() }),
    },
    post: {
      summary: 'Start a direct conversation (get-or-create: 200 when it exists), create a group, or create a channel (name unique ignoring case: 409)',
      body: createConversationSchema,
      ok: 201,
      answer: wrap({ conversation: conversationSchema }),
    },
  },
  '/conversations/{id}': {
    get: { summary: 'A conversation with every member of a group and 50 of a channel, you among them (a public channel you have not joined: `joined: false`)', ok: 200, answer: wrap({ conversation: conversationSchema }) },
    patch: { summary: 'Rename a group or channel, set a channel\'s topic, description or archived (owners/admins), or set your notification level (`notify`: all, mentions, none; null: the default; old clients: `muted`)', body: updateConversationSchema, ok: 200, answer: wrap({ conversation: conversationSchema }) },
  },
  '/conversations/{id}/members': {
    get: {
      summary:
        'Its members by username, `limit` (1–200, default 50) at a time with `nextCursor` (null on the last page); `q` keeps those whose username starts with it or whose name holds it. Members, and anyone for a public channel',
      query: listMembersQuery,
      ok: 200,
      answer: z.object({ members: z.array(memberSchema), nextCursor: z.string().nullable() }),
    },
    post: { summary: 'Add a member (owners/admins)', body: addMemberSchema, ok: 200, answer: wrap({ conversation: conversationSchema }) },
  },
  '/conversations/{id}/members/{userId}': {
    delete: { summary: 'Remove a member (owners/admins) or leave (yourself)', ok: 204 },
    patch: { summary: "Change a member's role (owners)", body: updateMemberSchema, ok: 200, answer: wrap({ conversation: conversationSchema }) },
  },
  '/conversations/{id}/messages': {
    get: {
      summary: 'Messages, oldest first (cursor: before / after / around a message id); thread replies only when also sent to the channel',
      query: listMessagesQuery,
      ok: 200,
      answer: z.object({ messages: z.array(messageSchema), hasMore: z.boolean(), hasMoreAfter: z.boolean().optional() }),
    },
    post: { summary: 'Send a message or a thread reply (threadId); the same clientId again answers 200 with the first message', body: sendMessageSchema, ok: 201, answer: wrap({ message: messageSchema }) },
  },
  '/conversations/{id}/read': { post: { summary: 'Move your read position', body: readSchema, ok: 204 } },
  '/conversations/{id}/pins': { get: { summary: 'Pinned messages', ok: 200, answer: wrap({ messages: z.array(messageSchema) }) } },
  '/messages/{id}': {
    get: { summary: 'A message', ok: 200, answer: wrap({ message: messageSchema }) },
    patch: { summary: 'Edit your message', body: editMessageSchema, ok: 200, answer: wrap({ message: messageSchema }) },
    delete: { summary: 'Delete a message (yours; any as group owner/admin or site admin)', ok: 204 },
  },
  '/messages/{id}/reactions/{emoji}': { put: { summary: 'React', ok: 204 }, delete: { summary: 'Remove your reaction', ok: 204 } },
  '/messages/{id}/report': {
    post: { summary: 'Report a message to the site admins (once per message; not your own)', body: reportMessageSchema, ok: 201, answer: wrap({ report: reportSchema }), errors: [409] },
  },
  '/messages/{id}/preview': { delete: { summary: "Remove a message's link preview (its author only; for everyone)", ok: 204, errors: [403] } },
  '/integration-icons/{hash}': {
    get: { summary: "An integration's icon (WebP, 96 px), fetched once by the server through the outbound guard and served from here (a message's integration.icon)", ok: 200, answer: 'binary' },
  },
  '/previews/{id}/image': { get: { summary: "A link preview's image (WebP), fetched once by the server and served from here", ok: 200, answer: 'binary' } },
  '/me/drafts': { get: { summary: 'Your drafts, newest first', ok: 200, answer: wrap({ drafts: z.array(draftSchema) }) } },
  '/conversations/{id}/draft': {
    get: { summary: 'Your draft here (threadId: of that thread); null when none', query: draftQuerySchema, ok: 200, answer: wrap({ draft: draftSchema.nullable() }) },
    put: { summary: 'Save your draft (a blank body removes it); your other sockets get draft:updated', body: saveDraftSchema, ok: 200, answer: wrap({ draft: draftSchema.nullable() }) },
    delete: { summary: 'Remove your draft', query: draftQuerySchema, ok: 204 },
  },
  '/scheduled': {
    get: { summary: 'Your scheduled messages still waiting (or failed), soonest first', ok: 200, answer: wrap({ scheduled: z.array(scheduledSchema) }) },
    post: { summary: 'Send a message later (sent at sendAt through the ordinary write path, by any node, once)', body: createScheduledSchema, ok: 201, answer: wrap({ scheduled: scheduledSchema }) },
  },
  '/scheduled/{id}': {
    get: { summary: 'One of your scheduled messages', ok: 200, answer: wrap({ scheduled: scheduledSchema }) },
    patch: { summary: 'Change its text or time (while pending)', body: updateScheduledSchema, ok: 200, answer: wrap({ scheduled: scheduledSchema }), errors: [409] },
    delete: { summary: 'Cancel it (while pending)', ok: 204, errors: [409] },
  },
  '/scheduled/{id}/send': { post: { summary: 'Send it now (while pending)', ok: 200, answer: wrap({ scheduled: scheduledSchema }), errors: [409] } },
  '/emoji': {
    get: { summary: "The site's custom emoji", ok: 200, answer: wrap({ emoji: z.array(customEmojiSchema) }) },
    post: {
      summary: 'Add a custom emoji (multipart `name`, then `file`: PNG, GIF or WebP ≤ 256 KB; admins, or everyone per the site setting)',
      multipart: true,
      ok: 201,
      answer: wrap({ emoji: customEmojiSchema }),
      errors: [403, 409, 413, 415],
    },
  },
  '/emoji/{name}': { delete: { summary: 'Delete a custom emoji (admins or whoever added it); its uses stay as :name:', ok: 204, errors: [403] } },
  '/emoji/{name}/image': { get: { summary: "A custom emoji's image", ok: 200, answer: 'binary' } },
  '/messages/{id}/pin': {
    put: { summary: 'Pin (owners/admins; either person in a DM)', ok: 200, answer: wrap({ message: messageSchema }) },
    delete: { summary: 'Unpin', ok: 200, answer: wrap({ message: messageSchema }) },
  },
  '/search': { get: { summary: 'Full-text search over your conversations, best matches first (a very common word: the newest matches of each conversation)', query: searchQuery, ok: 200, answer: wrap({ results: z.array(searchResult) }) } },
  '/uploads': { post: { summary: 'Upload a file (multipart `file`, checked by content)', multipart: true, ok: 201, answer: wrap({ attachment: attachmentSchema }), errors: [400, 413, 415] } },
  '/uploads/{id}': { get: { summary: 'A file, to members of a conversation that holds it', ok: 200, answer: 'binary' } },
  '/uploads/{id}/thumbnail': { get: { summary: "An image's thumbnail (WebP)", ok: 200, answer: 'binary' } },
  '/channels': {
    get: {
      summary: 'The channel browser: public channels and the private ones you are in, by name (q matches name or topic; keyset cursor)',
      query: listChannelsQuery,
      ok: 200,
      answer: z.object({ channels: z.array(channelSchema), nextCursor: z.string().nullable() }),
    },
  },
  '/conversations/{id}/join': {
    post: { summary: 'Join a public channel (private ones answer not_found to outsiders; archived ones 403)', ok: 200, answer: wrap({ conversation: conversationSchema }), errors: [403] },
  },
  '/conversations/{id}/leave': { post: { summary: 'Leave a channel', ok: 204 } },
  '/messages/{id}/thread': {
    get: {
      summary: "A thread: its root (a tombstone when deleted) and a page of replies, oldest first (before / after / around a reply)",
      query: threadQuery,
      ok: 200,
      answer: z.object({ root: messageSchema, messages: z.array(messageSchema), hasMore: z.boolean(), hasMoreAfter: z.boolean().optional() }),
    },
  },
  '/messages/{id}/thread/read': { post: { summary: 'Mark a thread read up to a reply', body: readSchema, ok: 204 } },
  '/messages/{id}/follow': { put: { summary: 'Follow a thread', ok: 204, errors: [403] }, delete: { summary: 'Unfollow a thread', ok: 204, errors: [403] } },
  '/threads': {
    get: {
      summary: 'Threads you follow that have replies, newest activity first, with their unread counts and how many of those mention you',
      query: listThreadsQuery,
      ok: 200,
      answer: z.object({
        threads: z.array(z.object({ root: messageSchema, lastReplies: z.array(messageSchema), unreadCount: z.number().int(), mentionCount: z.number().int() })),
        nextCursor: z.string().nullable(),
        unreadTotal: z.number().int(),
      }),
    },
  },
  '/site': {
    get: { summary: "The site's name, registration mode, who may create channels, the upload limit in bytes, message retention and icon", ok: 200, answer: wrap({ site: publicSiteSchema }), auth: false },
  },
  '/site/icon/{size}': {
    get: { summary: "The site's own icon, a PNG at 32, 180, 192 or 512 px (404 when it has none: the Chattrix icons apply)", ok: 200, answer: 'binary', auth: false, errors: [404] },
  },
  '/push/vapid-public-key': { get: { summary: 'The VAPID public key for web push', ok: 200, answer: z.object({ publicKey: z.string() }), auth: false } },
  '/push/subscriptions': {
    get: {
      summary: "The caller's push subscriptions, newest first (at most 10 per user: subscribing beyond removes the oldest)",
      ok: 200,
      answer: z.object({ subscriptions: z.array(z.object({ endpoint: z.string(), createdAt: z.string(), lastSuccessAt: z.string().nullable() })) }),
    },
    post: {
      summary: "Subscribe this device's push endpoint (https to a public address, or a host in OUTBOUND_ALLOW; else 400)",
      body: pushSubscriptionSchema,
      ok: 201,
      answer: z.object({ id: z.string() }),
    },
    delete: { summary: 'Unsubscribe a push endpoint', body: pushUnsubscribeSchema, ok: 204 },
  },
  // Bots (issue 14): accounts that sign in only with tokens; their owner (or a site admin) manages them.
  '/bots': {
    get: { summary: 'Your bots (`all=true`: every bot on the server, site admins only)', query: listBotsQuery, ok: 200, answer: wrap({ bots: z.array(botSchema) }) },
    post: {
      summary: 'Create a bot: an account with no password (password sign-in is refused) and a first token with read and write, shown once',
      body: createBotSchema,
      ok: 201,
      answer: wrap({ bot: botSchema, token: issuedTokenSchema }),
      errors: [403, 409],
    },
  },
  '/bots/{id}': {
    get: { summary: 'A bot (its owner or a site admin; anyone else 404)', ok: 200, answer: wrap({ bot: botSchema }) },
    patch: { summary: "Change a bot's display name or description; `disabled` stops its tokens and sockets", body: updateBotSchema, ok: 200, answer: wrap({ bot: botSchema }) },
    delete: { summary: 'Delete a bot (its tokens, memberships and webhooks go; its messages become tombstones)', ok: 204 },
  },
  '/bots/{id}/avatar': { put: { summary: "Set a bot's avatar (multipart `file`, an image)", multipart: true, ok: 200, answer: wrap({ bot: botSchema }), errors: [413, 415] } },
  '/bots/{id}/tokens': {
    get: { summary: "A bot's tokens", ok: 200, answer: wrap({ tokens: z.array(tokenSchema) }) },
    post: { summary: 'A new token for a bot with the given scopes (shown once)', body: createBotTokenSchema, ok: 201, answer: issuedTokenSchema },
  },
  '/bots/{id}/tokens/{tokenId}': { delete: { summary: "Revoke a bot's token (its sockets are disconnected)", ok: 204 } },
  // Incoming webhooks (owners/admins of the conversation) and slash commands (issue 14).
  '/conversations/{id}/webhooks': {
    get: { summary: "The conversation's incoming webhooks (owners and admins)", ok: 200, answer: wrap({ webhooks: z.array(webhookSchema) }), errors: [403] },
    post: {
      summary: 'Create an incoming webhook posting as one of your bots (added to the conversation if needed); `url` (with its secret) is shown once',
      body: createWebhookSchema,
      ok: 201,
      answer: wrap({ webhook: webhookSchema }),
      errors: [403],
    },
  },
  '/conversations/{id}/webhooks/{hookId}': {
    patch: { summary: 'Rename an incoming webhook, or change or clear its icon (its URL and bot stay)', body: updateWebhookSchema, ok: 200, answer: wrap({ webhook: webhookSchema }), errors: [403] },
    delete: { summary: 'Delete an incoming webhook', ok: 204, errors: [403] },
  },
  '/conversations/{id}/webhooks/{hookId}/regenerate': {
    post: { summary: 'A new secret: the old URL answers 404 from now on; the new `url` is shown once', ok: 200, answer: wrap({ webhook: webhookSchema }), errors: [403] },
  },
  '/commands': { get: { summary: 'Slash commands the composer lists: built-ins and the ones admins registered', ok: 200, answer: wrap({ commands: z.array(listedCommandSchema) }) } },
  '/conversations/{id}/commands': {
    post: {
      summary:
        'Run `/name arguments` here (or in a thread): built-ins act at once; a custom command is POSTed (signed) to its URL. `ephemeral` answers are for you only (also sent to your sockets as `command:ephemeral`, never stored); `message` is what it posted. Unknown commands and failures come back as `ephemeral` text.',
      body: invokeCommandSchema,
      ok: 200,
      answer: commandResultSchema,
    },
  },
  '/admin/commands': {
    get: { summary: 'Registered slash commands, with their signing secrets', ok: 200, answer: wrap({ commands: z.array(commandSchema) }), errors: [403] },
    post: {
      summary: 'Register `/name` with a URL (refused, 400, when the outbound guard would refuse it), a description and a usage hint; `botId` or a new bot answers in channel',
      body: createCommandSchema,
      ok: 201,
      answer: wrap({ command: commandSchema }),
      errors: [403, 409],
    },
  },
  '/admin/commands/{id}': {
    patch: { summary: "Change a command's URL, description or hint, or make a new signing secret", body: updateCommandSchema, ok: 200, answer: wrap({ command: commandSchema }), errors: [403] },
    delete: { summary: 'Remove a command', ok: 204, errors: [403] },
  },
  '/openapi.json': { get: { summary: 'This document', ok: 200, auth: false } },
  // Site administration (site admins only: everyone else 403)
  '/admin/users': {
    get: { summary: 'People: search (q), filter (all, active, admins, deactivated, bots), newest activity first', query: adminListUsersQuery, ok: 200, answer: wrap({ users: z.array(adminUserSchema) }), errors: [403] },
    post: { summary: 'Create an account (any registration mode)', body: adminCreateUserSchema, ok: 201, answer: wrap({ user: adminUserSchema }), errors: [403, 409] },
  },
  '/admin/users/{id}': {
    patch: {
      summary: 'Make or remove admin; deactivate (sessions end, sockets close at once, sign-in and tokens refused; messages stay) or reactivate. The last active admin cannot lose admin.',
      body: adminUpdateUserSchema,
      ok: 200,
      answer: wrap({ user: adminUserSchema }),
      errors: [403, 409],
    },
  },
  '/admin/users/{id}/password-reset': {
    post: { summary: 'A one-time password reset link, valid for an hour, to hand over', ok: 201, answer: wrap({ reset: z.object({ token: z.string(), url: z.string(), expiresAt: z.string() }) }), errors: [403] },
  },
  '/admin/settings': {
    get: { summary: 'Site settings (registration mode, site name, link previews, custom emoji, channel creation, default channels, upload limit, message retention, icon)', ok: 200, answer: wrap({ settings: siteSettingsSchema }), errors: [403] },
    patch: { summary: 'Change site settings (default channels must be public and not archived)', body: updateSiteSettingsSchema, ok: 200, answer: wrap({ settings: siteSettingsSchema }), errors: [400, 403] },
  },
  '/admin/site-icon': {
    post: { summary: "Set the site's icon (multipart `file`: PNG, JPEG or WebP up to 2 MB, cut to a square): the manifest, the tab and home screens use it", multipart: true, ok: 200, answer: wrap({ settings: siteSettingsSchema }), errors: [403, 413, 415] },
    delete: { summary: 'Back to the Chattrix icons', ok: 200, answer: wrap({ settings: siteSettingsSchema }), errors: [403] },
  },
  '/admin/invitations': {
    get: { summary: 'Invitations (codes are shown only at creation)', ok: 200, answer: wrap({ invitations: z.array(invitationSchema) }), errors: [403] },
    post: { summary: 'Create an invitation link (expiry, uses, default conversations)', body: createInvitationSchema, ok: 201, answer: wrap({ invitation: invitationSchema }), errors: [403] },
  },
  '/admin/invitations/{id}': { delete: { summary: 'Revoke an invitation', ok: 204, errors: [403] } },
  '/admin/overview': {
    get: { summary: 'The overview: people (active in 7 days), messages per UTC day over 30 days, stored files, sockets per node', ok: 200, answer: wrap({ overview: adminOverviewSchema }), errors: [403] },
  },
  '/admin/audit': {
    get: { summary: 'The audit log: security and admin events, newest first; filter by type (or prefix*) and person', query: adminAuditQuery, ok: 200, answer: z.object({ events: z.array(auditEventSchema), nextCursor: z.string().nullable() }), errors: [403] },
  },
  '/admin/reports': {
    get: { summary: 'Reported messages, newest first, each with two messages either side', query: adminListReportsQuery, ok: 200, answer: wrap({ reports: z.array(adminReportSchema) }), errors: [403] },
  },
  '/admin/reports/{id}': {
    post: { summary: 'Act on a report: delete the message, warn or deactivate its author, or dismiss (closes every open report of the message)', body: resolveReportSchema, ok: 200, answer: wrap({ report: reportSchema }), errors: [403, 409] },
  },
  '/admin/backups': {
    get: { summary: 'Backups in DATA_DIR/backups', ok: 200, answer: wrap({ backups: z.array(z.object({ name: z.string(), size: z.number(), createdAt: z.string() })) }), errors: [403] },
    post: { summary: 'Take a backup now into DATA_DIR/backups (one at a time: 409 while one is being taken)', ok: 201, answer: wrap({ backup: z.object({ name: z.string(), size: z.number(), createdAt: z.string() }) }), errors: [403, 409] },
  },
  // Outgoing webhooks (deliveries signed with Chattrix-Signature; see /api/docs/webhooks)
  '/conversations/{id}/outgoing-webhooks': {
    get: { summary: "A conversation's outgoing webhooks (owners/admins)", ok: 200, answer: wrap({ webhooks: z.array(outgoingWebhookSchema) }), errors: [403] },
    post: {
      summary:
        'Subscribe a URL to message.created here (owners/admins; optionally only messages whose first word is triggerWord). botId: a bot you own, a member, that posts the replies. The URL must pass the outbound guard (400). The signing secret is shown once.',
      body: createConversationWebhookSchema,
      ok: 201,
      answer: z.object({ webhook: outgoingWebhookSchema, secret: z.string() }),
      errors: [403],
    },
  },
  '/bots/{id}/outgoing-webhooks': {
    get: { summary: "A bot's outgoing webhooks (its owner)", ok: 200, answer: wrap({ webhooks: z.array(outgoingWebhookSchema) }) },
    post: {
      summary: "Subscribe a URL to the bot being mentioned and/or sent a direct message (its owner). The signing secret is shown once.",
      body: createBotWebhookSchema,
      ok: 201,
      answer: z.object({ webhook: outgoingWebhookSchema, secret: z.string() }),
    },
  },
  '/outgoing-webhooks/{id}': {
    get: { summary: 'An outgoing webhook', ok: 200, answer: wrap({ webhook: outgoingWebhookSchema }) },
    patch: { summary: 'Change its URL, trigger word or events; enable (the failure streak restarts) or disable it', body: updateOutgoingWebhookSchema, ok: 200, answer: wrap({ webhook: outgoingWebhookSchema }) },
    delete: { summary: 'Delete an outgoing webhook and its deliveries', ok: 204 },
  },
  '/outgoing-webhooks/{id}/deliveries': {
    get: { summary: 'Its last 50 deliveries, newest first (status, HTTP status, duration, attempts)', ok: 200, answer: wrap({ deliveries: z.array(webhookDeliverySchema) }) },
  },
  '/outgoing-webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    post: { summary: 'Send a delivery again (a new delivery of the same event)', ok: 201, answer: wrap({ delivery: webhookDeliverySchema }) },
  },
  '/auth/password-reset': { post: { summary: 'Set a new password with a one-time reset link token (once, within the hour)', body: passwordResetSchema, ok: 204, auth: false, errors: [404, 429] } },
  // Integration endpoints at the site root (their own authentication: the secret in the URL).
  '/hooks/{id}/{secret}': {
    post: {
      root: true,
      auth: false,
      operationId: 'postIncomingWebhook',
      summary: 'Post to an incoming webhook',
      description:
        '`{"text": …}` plus optional `username`, `iconUrl` (or `icon_url`) and Slack-style `attachments` (title, title_link, text, color, fields, fallback); Slack\'s message format in `text` is converted (`<url|label>`, `<!channel>`, `*bold*`). JSON, or a form with a JSON `payload` field. `Idempotency-Key` makes a retried post land once (201 first, 200 with the same message after). 60 posts a minute per hook (429 with Retry-After beyond). A wrong secret answers 404.',
      headers: [{ name: 'Idempotency-Key', schema: { type: 'string', maxLength: 200 } }],
      body: incomingPayloadSchema,
      ok: 201,
      okText: 'Posted',
      alsoOk: { status: 200, text: 'Already posted with this Idempotency-Key: the same message' },
      answer: z.object({ ok: z.literal(true), message: messageSchema }),
      errors: [403, 404, 413, 429],
      errorText: { 400: 'Bad payload', 403: "The hook's bot is disabled or no longer in the conversation", 404: 'No such hook, or a wrong secret' },
    },
  },
  '/hooks/commands/{token}': {
    post: {
      root: true,
      auth: false,
      operationId: 'postCommandResponse',
      summary: "A slash command's delayed answer (its responseUrl)",
      description: '`{text, responseType: "ephemeral"|"in_channel"}` (Slack\'s `response_type` too): up to 5 answers within 30 minutes of the invocation; after that, 404.',
      body: commandAnswerSchema,
      ok: 200,
      okText: 'Delivered',
      answer: commandResultSchema.extend({ ok: z.literal(true) }),
      errors: [404],
      errorText: { 400: 'Bad answer', 404: 'Unknown, expired or used up' },
    },
  },
};

/** Operational endpoints outside /api/v1 (served by server.ts itself): listed with their own `servers`. */
const rootPaths: Record<string, { summary: string; description: string; ok: number; type: string; errors: number[]; security?: boolean }> = {
  '/readyz': {
    summary: 'Readiness: the database (and Redis, when configured) answer',
    description: '200 `{status:"ready", checks}`; 503 `{status:"starting"|"draining"|"unavailable", checks}` while starting, while shutting down (SIGTERM) or when a dependency is down. No authentication.',
    ok: 200,
    type: 'application/json',
    // 400: Node's HTTP parser answers a malformed request before the handler sees it.
    errors: [400, 503],
  },
  '/metrics': {
    summary: 'Prometheus metrics (text exposition format)',
    description: 'Only with a site admin\'s personal access token (Bearer) or from an address in METRICS_ALLOW. 401 without either, 403 for a token of someone who is not a site admin.',
    ok: 200,
    type: 'text/plain; version=0.0.4',
    errors: [401, 403],
    security: true,
  },
};

const statusText: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Rate limited (see Retry-After)',
};

/** Named schemas: wherever one appears whole in an operation, it becomes a `$ref` to it. */
const namedSchemas: Record<string, Schema> = { Message: messageSchema, Conversation: conversationSchema, Reaction: reactionSchema, Attachment: attachmentSchema, UserRef: userRefSchema };

function refNamed(node: unknown, byText: Map<string, string>, top = true): unknown {
  if (Array.isArray(node)) return node.map((n) => refNamed(n, byText, false));
  if (!node || typeof node !== 'object') return node;
  const name = top ? undefined : byText.get(JSON.stringify(node));
  if (name) return { $ref: `#/components/schemas/${name}` };
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, refNamed(v, byText, false)]));
}

let documentText: string | undefined;

/** The document as served: built once per process (it only depends on the code), ~120 ms that each request paid. */
export function openApiText(): string {
  return (documentText ??= JSON.stringify(openApiDocument()));
}

export function openApiDocument(): Record<string, unknown> {
  const components = Object.fromEntries(Object.entries(namedSchemas).map(([name, schema]) => [name, js(schema)]));
  const byText = new Map(Object.entries(components).map(([name, schema]) => [JSON.stringify(schema), name]));
  const outPaths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(paths)) {
    const item: Record<string, unknown> = Object.values(ops).some((op) => op.root) ? { servers: [{ url: '/' }] } : {};
    const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    for (const [method, op] of Object.entries(ops)) {
      const parameters: unknown[] = [...pathParams, ...(op.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: false, schema: h.schema }))];
      if (op.query) {
        const q = js(op.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, schema] of Object.entries(q.properties ?? {})) parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
      const responses: Record<string, unknown> = {};
      responses[String(op.ok)] =
        op.answer === 'binary'
          ? { description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }
          : op.answer === 'zip'
            ? { description: 'A ZIP archive', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } }
            : op.answer
              ? { description: op.okText ?? 'OK', content: { 'application/json': { schema: js(op.answer) } } }
              : { description: op.okText ?? (op.ok === 204 ? 'No content' : 'OK') };
      if (op.alsoOk) responses[String(op.alsoOk.status)] = { ...(responses[String(op.ok)] as object), description: op.alsoOk.text };
      const errs = new Set([400, ...(op.auth === false ? [] : [401, 404, 429]), ...(op.errors ?? [])]);
      for (const code of [...errs].sort()) responses[String(code)] = { description: op.errorText?.[code] ?? statusText[code], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
      item[method] = {
        operationId: op.operationId ?? operationIdFor(method, path),
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: js(op.body, 'input') } } } } : {}),
        ...(op.multipart
          ? {
              requestBody: {
                required: true,
                content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } },
              },
            }
          : {}),
        responses,
        ...(op.auth === false ? { security: [] } : {}),
      };
    }
    outPaths[path] = refNamed(item, byText) as Record<string, unknown>;
  }
  for (const [path, op] of Object.entries(rootPaths)) {
    const responses: Record<string, unknown> = { [String(op.ok)]: { description: 'OK', content: { [op.type]: { schema: op.type.startsWith('text') ? { type: 'string' } : { type: 'object' } } } } };
    for (const code of op.errors) responses[String(code)] = { description: statusText[code] ?? 'Service unavailable', content: { 'application/json': { schema: code === 503 ? { type: 'object' } : { $ref: '#/components/schemas/Error' } } } };
    outPaths[path] = { servers: [{ url: '/' }], get: { operationId: operationIdFor('get', path), summary: op.summary, description: op.description, responses, ...(op.security ? { security: [{ bearer: [] }] } : { security: [] }) } };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chattrix API',
      version: '1',
      // The package is private (package.json has no license field): say so rather than invent one.
      license: { name: 'UNLICENSED (private; all rights reserved)', url: '/api/docs' },
      description:
        [
          'JSON in and out; ids are opaque strings, times ISO 8601 UTC. Errors always look like `{"error":{"code","message","issues?"}}`.',
          '',
          '## Authentication',
          '- **Personal access token** (scripts, bots, servers): `Authorization: Bearer ctx_…`. Create one in Settings → Access tokens, or with `POST /auth/tokens` (username, password, and a code when two-factor sign-in is on). A bot gets its first token when it is created (`POST /bots`). Tokens have scopes: `read` and/or `write`; a read-only token gets 403 on anything that changes state. Tokens are shown once; revoke them with `DELETE /me/tokens/{id}`.',
          "- **Session cookie** (the browser app): `next-auth.session-token`. A cookie request that changes state must come from the app's own origin (CSRF).",
          '- **Socket.IO** uses the same token: `io(url, { auth: { token } })`.',
          '',
          'Real-time events: [Socket.IO events](/api/docs/realtime). Outgoing webhooks, incoming webhooks and slash commands: [Webhooks](/api/docs/webhooks).',
        ].join('\n'),
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }, { cookie: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal access token (ctx_…)' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token' },
      },
      // Named schemas inside named schemas are referenced too (a conversation's lastMessage is a Message).
      schemas: { Error: js(errorSchema), ...Object.fromEntries(Object.entries(components).map(([name, schema]) => [name, refNamed(schema, byText, true)])) },
    },
    paths: outPaths,
  };
}
