/**
 * Bots (issue 14): accounts flagged `is_bot` with an owner and a description. Anyone may create one; its owner (or
 * a site admin) manages it. A bot signs in only with its tokens (personal access tokens with scopes): its password
 * is refused (lib/services/users.ts verifyCredentials). It is added to conversations and DM'd like a person.
 */
import { randomBytes } from 'node:crypto';
import { initDb } from '../../db';
import * as bq from '../../db/queries/bots';
import { deleteUserCascade, getUserById, getUserByUsername, getUsersByIds, insertUser } from '../../db/queries/users';
import type { User } from '../../db/schema';
import type { Actor, TokenScope } from '../auth/actor';
import type { RequestMeta } from '../auth/meta';
import { AppError } from '../errors';
import { newId } from '../ids';
import { getIo } from '../realtime/io';
import { rooms } from '../realtime/rooms';
import { removeFiles } from '../storage';
import { iso } from '../validation/dto';
import type { BotDto, CreateBotInput, UpdateBotInput } from '../validation/bots';
import { recordSecurityEvent } from './security-events';
import { announceProfile, avatarUrl, issueToken, listTokens, revokeToken, toUserRef } from './users';

/** Never a valid argon2 hash: nothing verifies against it (and verifyCredentials refuses bots before trying). */
const NO_PASSWORD = '!bot';

export function toBotDto(bot: User, owner: User | undefined): BotDto {
  return {
    id: bot.id,
    username: bot.username,
    displayName: bot.displayName,
    avatarUrl: avatarUrl(bot),
    bot: true,
    description: bot.botDescription,
    owner: owner ? toUserRef(owner) : null,
    disabled: bot.deactivatedAt !== null,
    createdAt: iso(bot.createdAt)!,
  };
}

function refuseBots(actor: Actor): Promise<void> | void {
  return getUserById({ id: actor.id }).then((me) => {
    if (me?.isBot) throw new AppError('forbidden', 'Bots cannot manage bots');
  });
}

/** The bot, to its owner or a site admin; anyone else learns nothing (404). */
export async function requireOwnedBot(actor: Actor, id: string): Promise<User> {
  const bot = await bq.getBotById({ id });
  if (!bot || (bot.botOwnerId !== actor.id && !actor.isAdmin)) throw new AppError('not_found', 'No such bot');
  return bot;
}

function usernameTaken(): AppError {
  return new AppError('conflict', 'That username is taken', { issues: [{ path: ['username'], message: 'That username is taken' }] });
}

/** Creates the account (no password, not in any conversation yet) and its first token (read and write). */
export async function createBot(actor: Actor, input: CreateBotInput, meta?: RequestMeta) {
  await initDb();
  await refuseBots(actor);
  if (await getUserByUsername({ username: input.username })) throw usernameTaken();
  let bot: User;
  try {
    bot = await insertUser({
      user: {
        id: newId(),
        username: input.username,
        displayName: input.displayName,
        passwordHash: NO_PASSWORD,
        isBot: true,
        botOwnerId: actor.id,
        botDescription: input.description ?? '',
      },
    });
  } catch (e) {
    const err = e as { code?: string; cause?: { code?: string } };
    if (err?.code === '23505' || err?.cause?.code === '23505') throw usernameTaken();
    throw e;
  }
  const token = await issueToken(bot.id, { name: 'default' }, meta);
  await recordSecurityEvent({ userId: actor.id, type: 'bot_created', meta, detail: { botId: bot.id, username: bot.username } });
  return { bot: toBotDto(bot, await getUserById({ id: actor.id })), token };
}

/** A bot made for an admin's slash command when none is named: `<name>-bot`, a random suffix when taken. */
export async function createCommandBot(actor: Actor, commandName: string): Promise<User> {
  const base = `${commandName.replace(/[^A-Za-z0-9_.]/g, '_').slice(0, 24)}_bot`;
  for (let attempt = 0; attempt < 5; attempt++) {
    const username = attempt === 0 ? base : `${base.slice(0, 24)}_${randomBytes(3).toString('hex')}`;
    if (await getUserByUsername({ username })) continue;
    try {
      return await insertUser({
        user: { id: newId(), username, displayName: `/${commandName}`, passwordHash: NO_PASSWORD, isBot: true, botOwnerId: actor.id, botDescription: `Answers /${commandName}` },
      });
    } catch {
      // a concurrent taker: try another name
    }
  }
  throw new AppError('conflict', 'Could not find a free username for the command bot');
}

export async function listBots(actor: Actor, opts: { all?: boolean } = {}): Promise<BotDto[]> {
  const rows = await bq.listBots({ ownerId: opts.all && actor.isAdmin ? undefined : actor.id });
  const owners = new Map((await getUsersByIds({ ids: [...new Set(rows.map((b) => b.botOwnerId).filter((x): x is string => !!x))] })).map((u) => [u.id, u]));
  return rows.map((b) => toBotDto(b, b.botOwnerId ? owners.get(b.botOwnerId) : undefined));
}

export async function getBot(actor: Actor, id: string): Promise<BotDto> {
  const bot = await requireOwnedBot(actor, id);
  return toBotDto(bot, bot.botOwnerId ? await getUserById({ id: bot.botOwnerId }) : undefined);
}

export async function updateBot(actor: Actor, id: string, input: UpdateBotInput): Promise<BotDto> {
  const before = await requireOwnedBot(actor, id);
  const deactivatedAt = input.disabled === undefined ? undefined : input.disabled ? (before.deactivatedAt ?? new Date()) : null;
  const bot = await bq.updateBot({ id, patch: { displayName: input.displayName, botDescription: input.description, deactivatedAt } });
  if (!bot) throw new AppError('not_found', 'No such bot');
  // Disabled: every socket of the bot closes on every node; its tokens are refused while disabled.
  if (input.disabled) getIo()?.in(rooms.user(id)).disconnectSockets(true);
  if (input.displayName !== undefined && input.displayName !== before.displayName) await announceProfile(bot);
  return toBotDto(bot, bot.botOwnerId ? await getUserById({ id: bot.botOwnerId }) : undefined);
}

/** Deletes the bot: its tokens, memberships and hooks go; its messages become tombstones (as a deleted account's). */
export async function deleteBot(actor: Actor, id: string): Promise<void> {
  const bot = await requireOwnedBot(actor, id);
  getIo()?.in(rooms.user(id)).disconnectSockets(true);
  await deleteUserCascade({ id });
  await removeFiles([bot.avatarKey]);
}

export async function createBotToken(
  actor: Actor,
  id: string,
  input: { name: string; scopes: TokenScope[]; expiresAt?: string },
  meta?: RequestMeta,
) {
  await requireOwnedBot(actor, id);
  return issueToken(id, input, meta);
}

export async function listBotTokens(actor: Actor, id: string) {
  await requireOwnedBot(actor, id);
  return listTokens({ id } as Actor);
}

export async function revokeBotToken(actor: Actor, id: string, tokenId: string): Promise<void> {
  await requireOwnedBot(actor, id);
  await revokeToken({ id } as Actor, tokenId);
}
