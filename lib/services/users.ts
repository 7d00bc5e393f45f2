import { createHash, randomBytes } from 'node:crypto';
import { initDb } from '../../db';
import * as q from '../../db/queries/users';
import { joinPublicChannels } from '../../db/queries/conversations';
import type { User } from '../../db/schema';
import type { Actor, TokenScope } from '../auth/actor';
import type { RequestMeta } from '../auth/meta';
import { throttleCode } from '../auth/throttle';
import { disconnectToken } from '../realtime/revoke';
import { recordSecurityEvent } from './security-events';
import { hasTwoFactor, verifySecondFactor } from './two-factor';
import { getDummyHash, hashPassword, verifyPassword } from '../auth/password';
import { AppError } from '../errors';
import { newId } from '../ids';
import { getOnlineUserIds } from '../realtime/presence';
import { publishUserUpdated } from '../realtime/user-updates';
import { iso } from '../validation/dto';
import type { Me, PublicUser, RegisterInput, UpdateMeInput } from '../validation/users';
import { getSiteSettings } from './settings';
import { dndOf, isDndActive, statusOf } from './attention';
import { joinInvitationConversations, redeemInvitation } from './admin';

export function avatarUrl(user: Pick<User, 'id' | 'avatarKey'>): string | null {
  return user.avatarKey ? `/api/v1/users/${user.id}/avatar?v=${encodeURIComponent(user.avatarKey.slice(-8))}` : null;
}

/** A person or bot as shown beside a name; bots carry `bot: true` (the UI marks them BOT). */
export function toUserRef(user: Pick<User, 'id' | 'username' | 'displayName' | 'avatarKey'> & { isBot?: boolean }) {
  const ref = { id: user.id, username: user.username, displayName: user.displayName, avatarUrl: avatarUrl(user) };
  return user.isBot ? { ...ref, bot: true as const } : ref;
}

export function toPublicUser(user: User, online: boolean): PublicUser {
  return {
    ...toUserRef(user),
    bio: user.bio,
    online,
    lastSeenAt: iso(user.lastSeenAt),
    createdAt: iso(user.createdAt)!,
    status: statusOf(user),
    dnd: isDndActive(user),
  };
}

export function toMe(user: User, online: boolean): Me {
  return { ...toPublicUser(user, online), email: user.email, isAdmin: user.isAdmin, dndState: dndOf(user), keywords: user.keywords };
}

/** Live `user:updated` to everyone who sees this person (after the write is stored); never fails the write. */
export async function announceProfile(user: User): Promise<void> {
  await publishUserUpdated({ ...toUserRef(user), bio: user.bio }).catch((e: unknown) => {
    console.warn('[chattrix] user:updated not published:', (e as Error).message);
  });
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === '23505' || err?.cause?.code === '23505';
}

export async function registerUser(input: RegisterInput, opts: { byAdmin?: boolean } = {}): Promise<User> {
  await initDb();
  // The mode lives in the database (admin console); REGISTRATION is its default. One read serves the whole sign-up.
  const settings = await getSiteSettings();
  const mode = opts.byAdmin ? 'open' : settings.registration;
  if (mode === 'closed') {
    throw new AppError('forbidden', 'Registration is closed on this server; ask an administrator for an account');
  }
  if (mode === 'invite' && !input.invitation) {
    throw new AppError('forbidden', 'Registration on this server needs an invitation link');
  }
  if (await q.getUserByUsername({ username: input.username })) {
    throw new AppError('conflict', 'That username is taken', {
      issues: [{ path: ['username'], message: 'That username is taken' }],
    });
  }
  const passwordHash = await hashPassword(input.password);
  const invited = input.invitation && !opts.byAdmin ? await redeemInvitation(input.invitation) : [];
  try {
    // The first account on a server administers it.
    const isAdmin = (await q.countUsers()) === 0;
    const user = await q.insertUser({
      user: {
        id: newId(),
        username: input.username,
        displayName: input.displayName ?? input.username,
        email: input.email ?? null,
        passwordHash,
        isAdmin,
      },
    });
    await joinPublicChannels({ userId: user.id, defaultIds: settings.defaultChannelIds });
    await joinInvitationConversations(user.id, invited);
    return user;
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new AppError('conflict', 'That username is taken', { issues: [{ path: ['username'], message: 'That username is taken' }] });
    }
    throw e;
  }
}

/**
 * Checks a username and password. An unknown user and a wrong password get the same answer (null) and take
 * the same time: an unknown user is verified against a dummy hash.
 */
export async function verifyCredentials(username: string, password: string): Promise<User | null> {
  await initDb();
  const user = await q.getUserByUsername({ username: username.trim() });
  // A bot signs in only with its tokens: its password is refused like an unknown user's.
  if (!user || user.isBot) {
    await verifyPassword(await getDummyHash(), password);
    return null;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  // A deactivated account cannot sign in or make tokens (the same answer as a wrong password).
  return ok && !user.deactivatedAt ? user : null;
}

const TOKEN_PREFIX = 'ctx_';
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createAccessToken(
  input: { username: string; password: string; name: string; otp?: string; scopes?: TokenScope[]; expiresAt?: string },
  meta: RequestMeta = { ip: null, userAgent: null },
) {
  const user = await verifyCredentials(input.username, input.password);
  if (!user) throw new AppError('unauthorized', 'Wrong username or password');
  if (hasTwoFactor(user)) {
    if (!input.otp) {
      await throttleCode(user.id, meta);
      throw new AppError('unauthorized', 'This account uses two-factor sign-in: send "otp" with a code from your authenticator app (or a recovery code)');
    }
    if (!(await verifySecondFactor(user, input.otp, meta))) throw new AppError('unauthorized', 'Wrong two-factor code');
  }
  return issueToken(user.id, input, meta);
}

/** Makes a personal access token for an account (a person's, or a bot's by its owner): shown once. */
export async function issueToken(
  userId: string,
  input: { name: string; scopes?: TokenScope[]; expiresAt?: string },
  meta: RequestMeta = { ip: null, userAgent: null },
) {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const scopes: TokenScope[] = input.scopes ? (['read', 'write'] as const).filter((s) => input.scopes!.includes(s)) : ['read', 'write'];
  const row = await q.insertAccessToken({
    token: {
      id: newId(),
      userId,
      name: input.name,
      tokenHash: hashToken(token),
      scopes,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    },
  });
  await recordSecurityEvent({ userId, type: 'token_created', meta, detail: { tokenId: row.id, name: row.name, scopes } });
  return { token, id: row.id, name: row.name, createdAt: iso(row.createdAt)!, scopes: row.scopes as TokenScope[], expiresAt: iso(row.expiresAt) };
}

export async function authenticateToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  await initDb();
  const row = await q.getAccessTokenByHash({ tokenHash: hashToken(token) });
  if (!row || row.user.deactivatedAt) return null;
  const now = new Date();
  if (row.token.expiresAt && row.token.expiresAt.getTime() <= now.getTime()) return null;
  // Touch at most once a minute: no write on every request.
  if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > 60_000) {
    void q.touchAccessToken({ id: row.token.id, at: now }).catch(() => {});
  }
  return {
    id: row.user.id,
    username: row.user.username,
    isAdmin: row.user.isAdmin,
    via: 'token',
    tokenId: row.token.id,
    scopes: row.token.scopes as TokenScope[],
    expiresAt: row.token.expiresAt?.getTime(),
  };
}

/** Whether a token still exists and has not expired (for a socket that raced its revocation). */
export async function isTokenLive(id: string): Promise<boolean> {
  const row = await q.getAccessTokenById({ id });
  return Boolean(row && (!row.expiresAt || row.expiresAt.getTime() > Date.now()));
}

export async function listTokens(actor: Actor) {
  const rows = await q.listAccessTokens({ userId: actor.id });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    createdAt: iso(t.createdAt)!,
    lastUsedAt: iso(t.lastUsedAt),
    scopes: t.scopes as TokenScope[],
    expiresAt: iso(t.expiresAt),
  }));
}

/** Revokes a token: it stops working at once and its sockets are disconnected on every node. */
export async function revokeToken(actor: Actor, id: string, meta: RequestMeta = { ip: null, userAgent: null }): Promise<void> {
  if (!(await q.deleteAccessToken({ id, userId: actor.id }))) throw new AppError('not_found', 'No such token');
  disconnectToken(id);
  await recordSecurityEvent({ userId: actor.id, type: 'token_revoked', meta, detail: { tokenId: id } });
}

/** A fresh server: no account yet. The sign-in page shows registration instead, and that first account is the admin. */
export async function isFirstRun(): Promise<boolean> {
  await initDb();
  return (await q.countUsers()) === 0;
}

export async function getMe(actor: Actor): Promise<Me> {
  const user = await q.getUserById({ id: actor.id });
  if (!user) throw new AppError('unauthorized', 'This account no longer exists');
  const online = await getOnlineUserIds([user.id]);
  return toMe(user, online.has(user.id));
}

export async function updateMe(actor: Actor, patch: UpdateMeInput): Promise<Me> {
  const user = await q.updateUser({ id: actor.id, patch });
  if (!user) throw new AppError('unauthorized', 'This account no longer exists');
  await announceProfile(user);
  const online = await getOnlineUserIds([user.id]);
  return toMe(user, online.has(user.id));
}

export async function listUsers(_actor: Actor, query: { q?: string; limit: number }): Promise<PublicUser[]> {
  const rows = await q.searchUsers(query);
  const online = await getOnlineUserIds(rows.map((u) => u.id));
  return rows.map((u) => toPublicUser(u, online.has(u.id)));
}

export async function getUser(_actor: Actor, id: string): Promise<PublicUser> {
  const user = await q.getUserById({ id });
  if (!user) throw new AppError('not_found', 'No such user');
  const online = await getOnlineUserIds([id]);
  return toPublicUser(user, online.has(id));
}
