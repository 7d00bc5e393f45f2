/**
 * Slash commands (issue 14). Typed in the composer as `/name arguments` and run here instead of being sent:
 * built-ins (/me, /shrug, /topic, /invite, /leave, /mute, /search, /status, /dnd) act through the same services as the REST API;
 * custom ones (registered by site admins) are POSTed through the outbound guard, signed like outgoing webhooks
 * (Chattrix-Signature), and their answer is shown only to the invoker (`ephemeral`, never stored: a
 * `command:ephemeral` event to their sockets) or posted as the command's bot (`in_channel`). The `responseUrl` in
 * each invocation takes up to 5 delayed answers for 30 minutes. Anything that goes wrong is told to the invoker
 * only, in plain words.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as cmq from '../../db/queries/commands';
import * as cq from '../../db/queries/conversations';
import { getUserById, getUserByUsername } from '../../db/queries/users';
import type { Conversation, SlashCommand, User } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { AppError, isAppError } from '../errors';
import { newId } from '../ids';
import { signPayload, newSigningSecret, SIGNATURE_HEADER } from '../integrations/signature';
import { slackToMarkdown } from '../integrations/slack';
import { checkOutboundUrl, OutboundError, outboundFetch } from '../outbound';
import { publishToUsers } from '../realtime/publish';
import { parseWith } from '../validation/parse';
import { iso, type MessageDto } from '../validation/dto';
import { commandAnswerSchema, type CommandDto, type EphemeralDto, type ListedCommand } from '../validation/commands';
import { requireAdmin } from './admin';
import { createCommandBot, requireOwnedBot } from './bots';
import { leaveChannel, patchConversation } from './channels';
import { addMember, removeMember } from './conversations';
import { requireMembership, sendMessage } from './messages';
import { search } from './search';
import { getAttention, setDnd, setStatus } from './attention';
import { setStatusSchema } from '../validation/attention';
import { toUserRef } from './users';

export const COMMAND_TIMEOUT_MS = 5_000;
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

export const builtInCommands: ListedCommand[] = [
  { name: 'me', usageHint: 'action', description: 'Say what you are doing, in italics', builtIn: true },
  { name: 'shrug', usageHint: '[message]', description: 'Add ¯\\_(ツ)_/¯ to your message', builtIn: true },
  { name: 'topic', usageHint: 'text', description: "Set this channel's topic", builtIn: true },
  { name: 'invite', usageHint: '@username', description: 'Add someone to this conversation', builtIn: true },
  { name: 'leave', usageHint: '', description: 'Leave this conversation', builtIn: true },
  { name: 'mute', usageHint: '', description: 'Mute this conversation for yourself (again: unmute)', builtIn: true },
  { name: 'search', usageHint: 'words', description: 'Search your conversations', builtIn: true },
  { name: 'status', usageHint: '[emoji] [text] | clear', description: 'Set your status (no text: clear it)', builtIn: true },
  { name: 'dnd', usageHint: '[30m | 2h | off]', description: 'Do not disturb for a while (default 1 hour); off ends it', builtIn: true },
];
const builtInNames = new Set(builtInCommands.map((c) => c.name));

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface CommandResult {
  ephemeral?: EphemeralDto;
  message?: MessageDto;
}

interface Where {
  userId: string;
  conversationId: string;
  threadId: string | null;
  command: string;
}

/** Shown only to the invoker: to their sockets now (every tab), and in the answer. Never stored. */
function ephemeral(where: Where, text: string): CommandResult {
  const dto: EphemeralDto = { id: newId(), conversationId: where.conversationId, threadId: where.threadId, command: where.command, text };
  publishToUsers([where.userId], 'command:ephemeral', dto);
  return { ephemeral: dto };
}

// ---------------------------------------------------------------------------------------------------------------
// Listing and administration

export async function listCommandsForComposer(): Promise<ListedCommand[]> {
  const custom = (await cmq.listCommands()).map((r) => ({ name: r.command.name, description: r.command.description, usageHint: r.command.usageHint, builtIn: false }));
  return [...builtInCommands, ...custom].sort((a, b) => a.name.localeCompare(b.name));
}

function toCommandDto(c: SlashCommand, bot: User | undefined): CommandDto {
  return {
    id: c.id,
    name: c.name,
    url: c.url,
    description: c.description,
    usageHint: c.usageHint,
    bot: bot ? toUserRef(bot) : null,
    signingSecret: c.signingSecret,
    createdAt: iso(c.createdAt)!,
  };
}

/** A URL the outbound guard would refuse is refused when it is registered (400 in plain words). */
async function assertReachable(url: string): Promise<void> {
  try {
    await checkOutboundUrl(url, { timeoutMs: 3000 });
  } catch (e) {
    if (e instanceof OutboundError && (e.code === 'refused' || e.code === 'scheme' || e.code === 'invalid_url')) {
      throw new AppError('bad_request', `This server will not call that URL: ${e.message}`, { issues: [{ path: ['url'], message: e.message }] });
    }
    // A name that does not resolve now may later: invoking it then says so.
  }
}

export async function adminListCommands(actor: Actor): Promise<CommandDto[]> {
  requireAdmin(actor);
  return (await cmq.listCommands()).map((r) => toCommandDto(r.command, r.bot));
}

export async function adminCreateCommand(
  actor: Actor,
  input: { name: string; url: string; description: string; usageHint: string; botId?: string },
): Promise<CommandDto> {
  requireAdmin(actor);
  const taken = () => new AppError('conflict', `/${input.name} already exists`, { issues: [{ path: ['name'], message: 'Taken' }] });
  if (builtInNames.has(input.name) || (await cmq.getCommandByName({ name: input.name }))) throw taken();
  await assertReachable(input.url);
  const bot = input.botId ? await requireOwnedBot(actor, input.botId) : await createCommandBot(actor, input.name);
  try {
    const row = await cmq.insertCommand({
      row: { id: newId(), name: input.name, url: input.url, description: input.description, usageHint: input.usageHint, botId: bot.id, signingSecret: newSigningSecret(), createdBy: actor.id },
    });
    return toCommandDto(row, bot);
  } catch (e) {
    const err = e as { code?: string; cause?: { code?: string } };
    if (err?.code === '23505' || err?.cause?.code === '23505') throw taken();
    throw e;
  }
}

export async function adminUpdateCommand(
  actor: Actor,
  id: string,
  input: { url?: string; description?: string; usageHint?: string; regenerateSecret?: true },
): Promise<CommandDto> {
  requireAdmin(actor);
  const before = await cmq.getCommandById({ id });
  if (!before) throw new AppError('not_found', 'No such command');
  if (input.url) await assertReachable(input.url);
  const row = await cmq.updateCommand({
    id,
    patch: {
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.usageHint !== undefined ? { usageHint: input.usageHint } : {}),
      ...(input.regenerateSecret ? { signingSecret: newSigningSecret() } : {}),
    },
  });
  if (!row) throw new AppError('not_found', 'No such command');
  return toCommandDto(row, before.bot);
}

export async function adminDeleteCommand(actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  if (!(await cmq.deleteCommand({ id }))) throw new AppError('not_found', 'No such command');
}

// ---------------------------------------------------------------------------------------------------------------
// Running a command

const COMMAND_RE = /^\/([A-Za-z0-9_-]{1,32})(?:\s+([\s\S]*))?$/;

export async function runCommand(actor: Actor, conversationId: string, input: { text: string; threadId?: string }, origin: string): Promise<CommandResult> {
  const { conversation, member } = await requireMembership(actor, conversationId);
  const m = COMMAND_RE.exec(input.text.trim());
  const name = m?.[1]?.toLowerCase() ?? input.text.trim().split(/\s/)[0]!.slice(1, 33);
  const args = (m?.[2] ?? '').trim();
  const where: Where = { userId: actor.id, conversationId, threadId: input.threadId ?? null, command: `/${name}` };
  if (!m) return ephemeral(where, `“${input.text.trim().slice(0, 40)}” is not a command. Commands look like /name; type / to see them.`);
  try {
    if (builtInNames.has(name)) return await runBuiltIn(actor, conversation, member.muted, name, args, where);
    const row = await cmq.getCommandByName({ name });
    if (!row) return ephemeral(where, `There is no /${name} command here. Type / to see the commands you can use.`);
    return await invokeCustom(actor, conversation, row, args, where, origin);
  } catch (e) {
    // Refusals (not allowed, bad input, not a member …) go to the invoker only, in the service's own words.
    if (isAppError(e) && e.code !== 'internal') return ephemeral(where, `/${name}: ${e.message}`);
    throw e;
  }
}

async function runBuiltIn(actor: Actor, conversation: Conversation, muted: boolean, name: string, args: string, where: Where): Promise<CommandResult> {
  const id = conversation.id;
  const threadId = where.threadId ?? undefined;
  switch (name) {
    case 'me': {
      if (!args) return ephemeral(where, 'Usage: /me action — for example “/me is out for lunch”.');
      return { message: (await sendMessage(actor, id, { body: args.includes('_') && !args.includes('*') ? `*${args}*` : `_${args}_`, threadId })).message };
    }
    case 'shrug':
      return { message: (await sendMessage(actor, id, { body: `${args} ¯\\\\\\_(ツ)\\_/¯`.trim(), threadId })).message };
    case 'topic': {
      if (conversation.kind !== 'channel') return ephemeral(where, 'Only channels have a topic.');
      await patchConversation(actor, id, { topic: args });
      return ephemeral(where, args ? `Topic set: ${args}` : 'Topic cleared.');
    }
    case 'invite': {
      const username = args.replace(/^@/, '').split(/\s/)[0] ?? '';
      if (!username) return ephemeral(where, 'Usage: /invite @username');
      const user = await getUserByUsername({ username });
      if (!user || user.deactivatedAt) return ephemeral(where, `Nobody here is called @${username}.`);
      if (await cq.getMembership({ conversationId: id, userId: user.id })) return ephemeral(where, `@${user.username} is already here.`);
      if (conversation.kind === 'direct') return ephemeral(where, 'A direct conversation is for two: start a group to add someone.');
      await addMember(actor, id, user.id);
      return ephemeral(where, `Added @${user.username}.`);
    }
    case 'leave': {
      if (conversation.kind === 'direct') return ephemeral(where, 'You cannot leave a direct conversation.');
      if (conversation.kind === 'channel') await leaveChannel(actor, id);
      else await removeMember(actor, id, actor.id);
      return ephemeral(where, 'You left.');
    }
    case 'mute': {
      await patchConversation(actor, id, { muted: !muted });
      return ephemeral(where, muted ? 'Unmuted: you will be notified again.' : 'Muted: no notifications from here (type /mute again to unmute).');
    }
    case 'search': {
      if (!args) return ephemeral(where, 'Usage: /search words');
      const results = await search(actor, { q: args, limit: 5 });
      if (results.length === 0) return ephemeral(where, `Nothing found for “${args}”.`);
      const lines = results.map((r) => `- ${r.message.sender?.displayName ?? 'Someone'}: ${r.snippet.map((s) => s.text).join('').replace(/\s+/g, ' ').slice(0, 140)}`);
      return ephemeral(where, `Results for “${args}” (all of them: /search?q=${encodeURIComponent(args)}):\n${lines.join('\n')}`);
    }
    case 'status': {
      if (!args || args.toLowerCase() === 'clear') {
        await setStatus(actor, {});
        return ephemeral(where, 'Status cleared.');
      }
      // A leading emoji (pictographic, with any joiners and modifiers) is the status emoji; the rest is its text.
      const lead = /^(\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*)\s*/u.exec(args);
      const emoji = lead?.[1] ?? null;
      const text = (lead ? args.slice(lead[0].length) : args).trim() || null;
      const input = setStatusSchema.parse({ emoji, text });
      const status = await setStatus(actor, input);
      return ephemeral(where, `Status set: ${[status?.emoji, status?.text].filter(Boolean).join(' ')}`);
    }
    case 'dnd': {
      if (args.toLowerCase() === 'off') {
        await setDnd(actor, { until: null, schedule: (await getAttention(actor)).dnd.schedule ?? null });
        return ephemeral(where, 'Do not disturb is off.');
      }
      const d = /^(\d{1,4})\s*(m|min|minutes?|h|hours?)?$/i.exec(args || '1h');
      if (!d) return ephemeral(where, 'Usage: /dnd 30m, /dnd 2h or /dnd off');
      const minutes = Number(d[1]) * (/^h/i.test(d[2] ?? 'm') ? 60 : 1);
      if (minutes < 1 || minutes > 7 * 24 * 60) return ephemeral(where, 'Do not disturb lasts from a minute to a week.');
      const until = new Date(Date.now() + minutes * 60_000);
      await setDnd(actor, { until: until.toISOString(), schedule: (await getAttention(actor)).dnd.schedule ?? null });
      return ephemeral(where, `Do not disturb until ${until.toISOString().slice(11, 16)} UTC (/dnd off ends it).`);
    }
  }
  return ephemeral(where, `There is no /${name} command here.`);
}

function failureWords(name: string, e: unknown): string {
  if (e instanceof OutboundError) {
    if (e.code === 'refused' || e.code === 'scheme' || e.code === 'invalid_url') return `/${name} cannot be reached from this server: its address is not allowed. Ask an admin to fix the command.`;
    if (e.code === 'timeout') return `/${name} did not answer within ${COMMAND_TIMEOUT_MS / 1000} seconds. Try again later.`;
    if (e.code === 'too_large') return `/${name} answered with more than this server accepts.`;
    return `/${name} could not be reached (${e.code === 'dns' ? 'its address does not resolve' : 'the connection failed'}). Try again later.`;
  }
  return `/${name} failed. Try again later.`;
}

async function invokeCustom(
  actor: Actor,
  conversation: Conversation,
  row: { command: SlashCommand; bot: User },
  text: string,
  where: Where,
  origin: string,
): Promise<CommandResult> {
  const { command } = row;
  const token = randomBytes(24).toString('base64url');
  await cmq.insertCommandResponse({
    row: {
      id: newId(),
      tokenHash: sha256(token),
      commandId: command.id,
      userId: actor.id,
      conversationId: conversation.id,
      threadId: where.threadId,
      expiresAt: new Date(Date.now() + RESPONSE_URL_TTL_MS),
    },
  });
  const me = await getUserById({ id: actor.id });
  const body = JSON.stringify({
    command: `/${command.name}`,
    text,
    user: { id: actor.id, username: actor.username, displayName: me?.displayName ?? actor.username },
    conversation: { id: conversation.id, kind: conversation.kind, title: conversation.title },
    ...(where.threadId ? { thread: { id: where.threadId } } : {}),
    responseUrl: `${origin}/hooks/commands/${token}`,
    triggerId: newId(),
  });
  let res;
  try {
    res = await outboundFetch(command.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Chattrix-Commands/1', [SIGNATURE_HEADER]: signPayload(command.signingSecret, body) },
      body,
      timeoutMs: COMMAND_TIMEOUT_MS,
      maxBytes: 64 * 1024,
    });
  } catch (e) {
    return ephemeral(where, failureWords(command.name, e));
  }
  if (res.status < 200 || res.status >= 300) return ephemeral(where, `/${command.name} failed: its service answered with an error (HTTP ${res.status}).`);
  const raw = res.body.toString('utf8').trim();
  // An empty 2xx: acknowledged; the answer (if any) comes later to responseUrl.
  if (!raw) return {};
  let data: unknown = raw;
  if (/json/i.test(String(res.headers['content-type'] ?? '')) || raw.startsWith('{')) {
    try {
      data = JSON.parse(raw);
    } catch {
      return ephemeral(where, `/${command.name} answered with something this server cannot read.`);
    }
  }
  // A plain-text answer is shown to the invoker.
  const answer = typeof data === 'string' ? { text: data, responseType: 'ephemeral' as const } : data;
  return deliverAnswer(row, where, answer).catch((e: unknown) => {
    if (isAppError(e) && e.code === 'bad_request') return ephemeral(where, `/${command.name} answered with something this server cannot read.`);
    throw e;
  });
}

/** An answer, in time or delayed: to the invoker only, or posted as the command's bot. */
async function deliverAnswer(row: { command: SlashCommand; bot: User }, where: Where, raw: unknown): Promise<CommandResult> {
  const answer = parseWith(commandAnswerSchema, raw);
  const type = answer.responseType ?? answer.response_type ?? 'ephemeral';
  const text = slackToMarkdown(answer.text.trim());
  if (type === 'ephemeral') return ephemeral(where, text);
  const { bot } = row;
  if (bot.deactivatedAt) return ephemeral(where, `/${row.command.name}: its bot is disabled, so it cannot post. Its answer: ${text}`);
  if (!(await cq.getMembership({ conversationId: where.conversationId, userId: bot.id }))) {
    const conversation = await cq.getConversationById({ id: where.conversationId });
    if (!conversation || conversation.kind === 'direct') return ephemeral(where, text);
    await cq.insertMembers({ members: [{ conversationId: where.conversationId, userId: bot.id, role: 'member', lastReadSeq: conversation.lastSeq }] });
  }
  const botActor: Actor = { id: bot.id, username: bot.username, isAdmin: false, via: 'token' };
  const { message } = await sendMessage(botActor, where.conversationId, { body: text.slice(0, 4000), threadId: where.threadId ?? undefined });
  return { message };
}

/** `POST /hooks/commands/{token}`: a delayed answer (at most 5, within 30 minutes). */
export async function respondLater(token: string, payload: unknown): Promise<CommandResult> {
  const use = token.length <= 128 ? await cmq.useCommandResponse({ tokenHash: sha256(token), max: RESPONSE_URL_USES, now: new Date() }) : undefined;
  if (!use) throw new AppError('not_found', 'No such response URL, or it expired (30 minutes) or took its 5 answers');
  const row = await cmq.getCommandById({ id: use.commandId });
  if (!row) throw new AppError('not_found', 'The command was removed');
  return deliverAnswer(row, { userId: use.userId, conversationId: use.conversationId, threadId: use.threadId, command: `/${row.command.name}` }, payload);
}
