import { createHash, randomBytes } from 'node:crypto';
import { initDb } from '../../db';
import * as q from '../../db/queries/users';
import { joinPublicChannels } from '../../db/queries/conversations';
import type { User } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { getDummyHash, hashPassword, verifyPassword } from '../auth/password';
import { env } from '../env';
import { AppError } from '../errors';
import { newId } from '../ids';
import { getOnlineUserIds } from '../realtime/presence';
import { iso } from '../validation/dto';
import type { Me, PublicUser, RegisterInput, UpdateMeInput } from '../validation/users';

export function avatarUrl(user: Pick<User, 'id' | 'avatarKey'>): string | null {
  return user.avatarKey ? `/api/v1/users/${user.id}/avatar?v=${encodeURIComponent(user.avatarKey.slice(-8))}` : null;
}

export function toUserRef(user: Pick<User, 'id' | 'username' | 'displayName' | 'avatarKey'>) {
  return { id: user.id, username: user.username, displayName: user.displayName, avatarUrl: avatarUrl(user) };
}

export function toPublicUser(user: User, online: boolean): PublicUser {
  return {
    ...toUserRef(user),
    bio: user.bio,
    online,
    lastSeenAt: iso(user.lastSeenAt),
    createdAt: iso(user.createdAt)!,
  };
}

export function toMe(user: User, online: boolean): Me {
  return { ...toPublicUser(user, online), email: user.email, isAdmin: user.isAdmin };
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === '23505' || err?.cause?.code === '23505';
}

export async function registerUser(input: RegisterInput, opts: { byAdmin?: boolean } = {}): Promise<User> {
  if (env.REGISTRATION === 'closed' && !opts.byAdmin) {
    throw new AppError('forbidden', 'Registration is closed on this server; ask an administrator for an account');
  }
  await initDb();
  if (await q.getUserByUsername({ username: input.username })) {
    throw new AppError('conflict', 'That username is taken', {
      issues: [{ path: ['username'], message: 'That username is taken' }],
    });
  }
  const passwordHash = await hashPassword(input.password);
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
    await joinPublicChannels({ userId: user.id });
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
  if (!user) {
    await verifyPassword(await getDummyHash(), password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? user : null;
}

const TOKEN_PREFIX = 'ctx_';
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createAccessToken(input: { username: string; password: string; name: string }) {
  const user = await verifyCredentials(input.username, input.password);
  if (!user) throw new AppError('unauthorized', 'Wrong username or password');
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await q.insertAccessToken({
    token: { id: newId(), userId: user.id, name: input.name, tokenHash: hashToken(token) },
  });
  return { token, id: row.id, name: row.name, createdAt: iso(row.createdAt)! };
}

export async function authenticateToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  await initDb();
  const row = await q.getAccessTokenByHash({ tokenHash: hashToken(token) });
  if (!row) return null;
  const now = new Date();
  // Touch at most once a minute: no write on every request.
  if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > 60_000) {
    void q.touchAccessToken({ id: row.token.id, at: now }).catch(() => {});
  }
  return { id: row.user.id, username: row.user.username, isAdmin: row.user.isAdmin, via: 'token' };
}

export async function listTokens(actor: Actor) {
  const rows = await q.listAccessTokens({ userId: actor.id });
  return rows.map((t) => ({ id: t.id, name: t.name, createdAt: iso(t.createdAt)!, lastUsedAt: iso(t.lastUsedAt) }));
}

export async function revokeToken(actor: Actor, id: string): Promise<void> {
  if (!(await q.deleteAccessToken({ id, userId: actor.id }))) throw new AppError('not_found', 'No such token');
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
