/**
 * Incoming webhooks (issue 14): owners and admins of a group or channel make a URL with a secret in it
 * (`POST /hooks/{id}/{secret}`); what is posted there becomes a message from the hook's bot, through sendMessage
 * like every other message (ordered; exactly once per `Idempotency-Key`). Slack's format is understood
 * (lib/integrations/slack.ts), so an existing Slack or Mattermost integration can point at it unchanged.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { RateLimiterRes } from 'rate-limiter-flexible';
import * as cq from '../../db/queries/conversations';
import * as wq from '../../db/queries/webhooks';
import type { IncomingWebhook, MessageCard, User } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newId } from '../ids';
import { slackToMarkdown } from '../integrations/slack';
import { limiter, rateLimited, retryAfterSeconds } from '../rate-limit';
import { MAX_BODY } from '../validation/messages';
import type { MessageDto } from '../validation/dto';
import { iso } from '../validation/dto';
import type { IncomingPayload, WebhookDto } from '../validation/webhooks';
import { canManage, addMember } from './conversations';
import { ensureIcon, ensureIconWithin } from './integration-icons';
import { requireOwnedBot } from './bots';
import { requireMembership, sendMessage } from './messages';
import { toUserRef } from './users';

/** Per hook, always on (also with RATE_LIMITS=off): a runaway integration must not flood a conversation. */
export const HOOK_RATE = { limit: 60, windowMs: 60_000 };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function toDto(hook: IncomingWebhook, bot: User | undefined, url?: string): WebhookDto {
  return {
    id: hook.id,
    conversationId: hook.conversationId,
    name: hook.name,
    iconUrl: hook.iconUrl,
    bot: bot ? toUserRef(bot) : null,
    createdAt: iso(hook.createdAt)!,
    ...(url ? { url } : {}),
  };
}

/** Owners and admins of the conversation (site admins too); other members 403, non-members 404. */
async function requireManager(actor: Actor, conversationId: string) {
  const m = await requireMembership(actor, conversationId);
  if (!canManage(m.member.role) && !actor.isAdmin) throw new AppError('forbidden', 'Only owners and admins of this conversation manage its webhooks');
  return m;
}

const hookUrl = (origin: string, id: string, secret: string) => `${origin}/hooks/${id}/${secret}`;

export async function listWebhooks(actor: Actor, conversationId: string): Promise<WebhookDto[]> {
  await requireManager(actor, conversationId);
  return (await wq.listWebhooks({ conversationId })).map((r) => toDto(r.hook, r.bot));
}

export async function createWebhook(actor: Actor, conversationId: string, input: { name: string; botId: string; iconUrl?: string }, origin: string) {
  const { conversation } = await requireManager(actor, conversationId);
  const bot = await requireOwnedBot(actor, input.botId).catch(() => {
    throw new AppError('bad_request', 'Choose one of your bots', { issues: [{ path: ['botId'], message: 'Not one of your bots' }] });
  });
  if (bot.deactivatedAt) throw new AppError('bad_request', 'That bot is disabled', { issues: [{ path: ['botId'], message: 'Disabled' }] });
  if (!(await cq.getMembership({ conversationId, userId: bot.id }))) {
    if (conversation.kind === 'direct') throw new AppError('bad_request', 'A direct conversation takes no one else: make the hook in a group or channel');
    await addMember(actor, conversationId, bot.id);
  }
  const secret = randomBytes(24).toString('base64url');
  const hook = await wq.insertWebhook({
    row: { id: newId(), conversationId, botId: bot.id, name: input.name, iconUrl: input.iconUrl ?? null, secretHash: sha256(secret), createdBy: actor.id },
  });
  // Fetched now, so the first post shows it.
  if (hook.iconUrl) void ensureIcon(hook.iconUrl);
  return toDto(hook, bot, hookUrl(origin, hook.id, secret));
}

async function requireHookOf(actor: Actor, conversationId: string, id: string) {
  await requireManager(actor, conversationId);
  const row = await wq.getWebhookById({ id });
  if (!row || row.hook.conversationId !== conversationId) throw new AppError('not_found', 'No such webhook');
  return row;
}

/** A new secret: the old URL stops working at once. */
export async function regenerateWebhook(actor: Actor, conversationId: string, id: string, origin: string): Promise<WebhookDto> {
  const row = await requireHookOf(actor, conversationId, id);
  const secret = randomBytes(24).toString('base64url');
  const hook = await wq.setWebhookSecret({ id, secretHash: sha256(secret) });
  if (!hook) throw new AppError('not_found', 'No such webhook');
  return toDto(hook, row.bot, hookUrl(origin, id, secret));
}

/** A new name or icon; the URL (and its secret) and the bot stay. */
export async function updateWebhook(actor: Actor, conversationId: string, id: string, patch: { name?: string; iconUrl?: string | null }): Promise<WebhookDto> {
  const row = await requireHookOf(actor, conversationId, id);
  const hook = await wq.updateWebhook({ id, patch });
  if (!hook) throw new AppError('not_found', 'No such webhook');
  if (hook.iconUrl) void ensureIcon(hook.iconUrl);
  return toDto(hook, row.bot);
}

export async function deleteWebhook(actor: Actor, conversationId: string, id: string): Promise<void> {
  await requireHookOf(actor, conversationId, id);
  await wq.deleteWebhook({ id, conversationId });
}

/** The hook for `id` when `secret` is its secret; otherwise `not_found` (a wrong secret learns nothing). */
export async function authenticateHook(id: string, secret: string) {
  const row = /^[A-Za-z0-9_-]{1,64}$/.test(id) && secret.length <= 128 ? await wq.getWebhookById({ id }) : undefined;
  const given = Buffer.from(sha256(secret), 'hex');
  const stored = Buffer.from(row?.hook.secretHash ?? sha256('no hook: same work'), 'hex');
  if (!row || !timingSafeEqual(given, stored)) throw new AppError('not_found', 'No such webhook');
  return row;
}

async function limitHook(id: string): Promise<void> {
  try {
    await limiter('hook', HOOK_RATE.limit, HOOK_RATE.windowMs).consume(id);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw rateLimited(retryAfterSeconds(e));
    throw e;
  }
}

/** Slack attachments → stored cards (their text in our markdown). */
export function toCards(attachments: NonNullable<IncomingPayload['attachments']>): MessageCard[] {
  return attachments.map((a) => {
    const text = [a.pretext, a.text].filter(Boolean).join('\n');
    const card: MessageCard = {};
    if (a.title) card.title = a.title;
    if (a.title_link) card.titleLink = a.title_link;
    if (text) card.text = slackToMarkdown(text);
    if (a.color) card.color = a.color;
    if (a.fallback) card.fallback = a.fallback;
    if (a.fields?.length) card.fields = a.fields.map((f) => ({ title: f.title, value: slackToMarkdown(f.value), ...(f.short ? { short: true } : {}) }));
    return card;
  });
}

/** The `Idempotency-Key` header as the bot's clientId for this hook (same key, same hook → the same message). */
export function clientIdFor(hookId: string, key: string | null): string | undefined {
  if (!key) return undefined;
  return `hk_${createHash('sha256').update(`${hookId}\u0000${key}`).digest('base64url').slice(0, 40)}`;
}

/** Posts a payload through a hook: sendMessage as its bot. Answers the message and whether it was a repeat. */
export async function postThroughHook(
  row: Awaited<ReturnType<typeof authenticateHook>>,
  payload: IncomingPayload,
  idempotencyKey: string | null,
): Promise<{ message: MessageDto; duplicate: boolean }> {
  await limitHook(row.hook.id);
  const { hook, bot } = row;
  if (bot.deactivatedAt) throw new AppError('forbidden', 'The bot of this webhook is disabled');
  const cards = payload.attachments?.length ? toCards(payload.attachments) : undefined;
  const text = payload.text?.trim() ? slackToMarkdown(payload.text.trim()) : '';
  // A message needs a body: an attachment-only post carries its fallback (or title) as the text, for search and push.
  const body = (text || cards?.map((c) => c.fallback ?? c.title ?? '').filter(Boolean).join('\n') || 'Attachment').slice(0, MAX_BODY);
  const iconUrl = payload.iconUrl ?? payload.icon_url ?? hook.iconUrl ?? undefined;
  const integration = {
    username: payload.username ?? hook.name,
    ...(iconUrl ? { iconUrl } : {}),
    ...(cards ? { cards } : {}),
  };
  const actor: Actor = { id: bot.id, username: bot.username, isAdmin: false, via: 'token' };
  // A post's own icon is fetched the first time it is seen; a slow icon server holds the post up one second at most.
  if (iconUrl) await ensureIconWithin(iconUrl, 1000);
  try {
    return await sendMessage(actor, hook.conversationId, { body, clientId: clientIdFor(hook.id, idempotencyKey) }, {}, { integration });
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') throw new AppError('forbidden', 'The bot of this webhook is no longer in the conversation');
    throw e;
  }
}
