import { createHash, randomBytes } from 'node:crypto';
import * as aq from '../../db/queries/admin';
import { getConversationById } from '../../db/queries/conversations';
import { getUserById } from '../../db/queries/users';
import type { User } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { hashPassword } from '../auth/password';
import { AppError } from '../errors';
import { newId } from '../ids';
import { getIo } from '../realtime/io';
import { getOnlineUserIds, socketsPerNode } from '../realtime/presence';
import { rooms } from '../realtime/rooms';
import { iso } from '../validation/dto';
import type { SiteSettings } from '../validation/admin';
import { getSiteSettings } from './settings';
import { recordSecurityEvent } from './security-events';
import { endOtherSessionsOf } from './sessions';
import { registerUser } from './users';

/** Site administration: only site admins (everyone else gets 403 and learns nothing). */
export function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw new AppError('forbidden', 'Only site admins may do this');
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function toAdminUser(u: User, online: boolean) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    isAdmin: u.isAdmin,
    bot: u.isBot,
    deactivatedAt: iso(u.deactivatedAt),
    lastSeenAt: iso(u.lastSeenAt),
    createdAt: iso(u.createdAt)!,
    online,
  };
}

export async function adminListUsers(actor: Actor, query: { q?: string; filter: aq.UserFilter; limit: number }) {
  requireAdmin(actor);
  const rows = await aq.listUsersForAdmin(query);
  const online = await getOnlineUserIds(rows.map((u) => u.id));
  return rows.map((u) => toAdminUser(u, online.has(u.id)));
}

// --- the overview ----------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
export const OVERVIEW_DAYS = 30;

/**
 * The console's first screen: people (and who was active in the last 7 days: seen then, or online now), messages
 * per UTC day over 30 days (zero-filled, oldest first, today last), stored files, and sockets per live node.
 */
export async function adminOverview(actor: Actor, now = new Date()) {
  requireAdmin(actor);
  const activeSince = new Date(now.getTime() - 7 * DAY_MS);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (OVERVIEW_DAYS - 1) * DAY_MS);
  const [counts, dormant, perDay, storage, nodes] = await Promise.all([
    aq.countUsersForOverview({ activeSince }),
    aq.listUserIdsSeenBefore({ before: activeSince }),
    aq.countMessagesPerDay({ since }),
    aq.sumAttachmentStorage(),
    socketsPerNode(),
  ]);
  // Seen is stamped on a first connect and a last disconnect: someone connected all week is online, not "seen" (and
  // one who just connected may not be stamped yet).
  const stillOnline = (await getOnlineUserIds(dormant)).size;
  const byDay = new Map(perDay.map((r) => [r.day, r.count]));
  const messagesPerDay = Array.from({ length: OVERVIEW_DAYS }, (_, i) => {
    const day = new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    return { day, count: byDay.get(day) ?? 0 };
  });
  return {
    users: { total: counts.total, active7d: counts.active + stillOnline, admins: counts.admins, bots: counts.bots, deactivated: counts.deactivated },
    messagesPerDay,
    storage: { files: storage.files, bytes: storage.bytes },
    sockets: { total: nodes.reduce((n, x) => n + x.sockets, 0), nodes },
  };
}

async function targetUser(id: string): Promise<User> {
  const u = await getUserById({ id });
  if (!u) throw new AppError('not_found', 'No such user');
  return u;
}

/** Make or remove admin, deactivate or reactivate. Deactivation ends the person's sockets at once. */
export async function adminUpdateUser(actor: Actor, id: string, input: { isAdmin?: boolean; deactivated?: boolean }) {
  requireAdmin(actor);
  const before = await targetUser(id);
  const losesAdmin = (input.isAdmin === false || input.deactivated === true) && before.isAdmin && !before.deactivatedAt;
  if (losesAdmin && (await aq.countActiveAdmins()) <= 1) {
    throw new AppError('conflict', 'This is the last active site admin: make someone else admin first');
  }
  const deactivatedAt = input.deactivated === undefined ? undefined : input.deactivated ? (before.deactivatedAt ?? new Date()) : null;
  const after = await aq.setUserFlags({ id, isAdmin: input.isAdmin, deactivatedAt });
  if (!after) throw new AppError('not_found', 'No such user');
  if (input.deactivated) {
    // Their sessions end (every node forgets them), every socket of theirs closes (on every node, through the
    // adapter), and tokens, sign-in and new handshakes are refused while deactivated (lib/auth, lib/realtime).
    await endOtherSessionsOf(id, undefined);
    getIo()?.in(rooms.user(id)).disconnectSockets(true);
  }
  const by = { by: actor.id, byUsername: actor.username };
  if (input.deactivated !== undefined && input.deactivated !== !!before.deactivatedAt) {
    await recordSecurityEvent({ userId: id, type: input.deactivated ? 'admin_user_deactivated' : 'admin_user_reactivated', detail: by });
  }
  if (input.isAdmin !== undefined && input.isAdmin !== before.isAdmin) {
    await recordSecurityEvent({ userId: id, type: input.isAdmin ? 'admin_granted' : 'admin_revoked', detail: by });
  }
  const online = await getOnlineUserIds([id]);
  return toAdminUser(after, online.has(id));
}

export async function adminCreateUser(actor: Actor, input: { username: string; password: string; displayName?: string; isAdmin: boolean }) {
  requireAdmin(actor);
  const user = await registerUser({ username: input.username, password: input.password, displayName: input.displayName }, { byAdmin: true });
  const out = input.isAdmin ? await aq.setUserFlags({ id: user.id, isAdmin: true }) : user;
  await recordSecurityEvent({ userId: user.id, type: 'admin_account_created', detail: { by: actor.id, byUsername: actor.username, isAdmin: input.isAdmin } });
  return toAdminUser(out ?? user, false);
}

// --- password reset links --------------------------------------------------------------------------------------

export const RESET_TTL_MS = 3600_000;

export async function adminIssuePasswordReset(actor: Actor, id: string, origin: string) {
  requireAdmin(actor);
  await targetUser(id);
  const token = `rst_${randomBytes(24).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + RESET_TTL_MS);
  await aq.insertPasswordReset({ row: { id: newId(), userId: id, tokenHash: sha256(token), createdBy: actor.id, expiresAt } });
  await recordSecurityEvent({ userId: id, type: 'admin_password_reset_issued', detail: { by: actor.id, byUsername: actor.username } });
  return { token, url: `${origin}/reset-password/${token}`, expiresAt: expiresAt.toISOString() };
}

/** Sets a new password with a one-time link (once, within the hour). */
export async function resetPasswordWithToken(token: string, password: string): Promise<void> {
  const reset = await aq.consumePasswordReset({ tokenHash: sha256(token), at: new Date() });
  if (!reset) throw new AppError('not_found', 'This link is invalid, used or expired: ask an administrator for a new one');
  await aq.setPasswordHash({ id: reset.userId, passwordHash: await hashPassword(password) });
  // A new password ends the sessions signed in with the old one.
  await endOtherSessionsOf(reset.userId, undefined);
  await recordSecurityEvent({ userId: reset.userId, type: 'password_reset_used' });
}

// --- site settings ---------------------------------------------------------------------------------------------

export async function adminGetSettings(actor: Actor) {
  requireAdmin(actor);
  return getSiteSettings();
}

export async function adminUpdateSettings(actor: Actor, input: Partial<SiteSettings>) {
  requireAdmin(actor);
  // Default channels: public, not archived channels that exist now (each one wrong is named).
  const issues: { path: (string | number)[]; message: string }[] = [];
  for (const [i, id] of (input.defaultChannelIds ?? []).entries()) {
    const c = await getConversationById({ id });
    if (!c || c.kind !== 'channel' || c.private) issues.push({ path: ['defaultChannelIds', i], message: 'Not a public channel' });
    else if (c.archived) issues.push({ path: ['defaultChannelIds', i], message: 'This channel is archived' });
  }
  if (issues.length > 0) throw new AppError('bad_request', 'Default channels must be public channels that are not archived', { issues });
  for (const [key, value] of Object.entries(input)) if (value !== undefined) await aq.upsertSetting({ key, value: JSON.stringify(value) });
  await recordSecurityEvent({ userId: actor.id, type: 'admin_settings_changed', detail: { keys: Object.keys(input) } });
  return getSiteSettings();
}

// --- invitations -----------------------------------------------------------------------------------------------

function toInvitation(r: Awaited<ReturnType<typeof aq.listInvitations>>[number]) {
  return {
    id: r.id,
    note: r.note,
    maxUses: r.maxUses,
    uses: r.uses,
    defaultConversationIds: r.defaultConversationIds,
    expiresAt: iso(r.expiresAt)!,
    revokedAt: iso(r.revokedAt),
    createdAt: iso(r.createdAt)!,
  };
}

export async function adminCreateInvitation(
  actor: Actor,
  input: { expiresInHours: number; maxUses: number; defaultConversationIds: string[]; note: string },
  origin: string,
) {
  requireAdmin(actor);
  for (const cid of input.defaultConversationIds) {
    if (!(await getConversationById({ id: cid }))) {
      throw new AppError('bad_request', 'Unknown conversation', { issues: [{ path: ['defaultConversationIds'], message: `No conversation ${cid}` }] });
    }
  }
  const code = `inv_${randomBytes(18).toString('base64url')}`;
  const row = await aq.insertInvitation({
    row: {
      id: newId(),
      codeHash: sha256(code),
      createdBy: actor.id,
      note: input.note,
      maxUses: input.maxUses,
      defaultConversationIds: input.defaultConversationIds,
      expiresAt: new Date(Date.now() + input.expiresInHours * 3600_000),
    },
  });
  return { ...toInvitation(row), code, url: `${origin}/register?invite=${code}` };
}

export async function adminListInvitations(actor: Actor) {
  requireAdmin(actor);
  return (await aq.listInvitations()).map(toInvitation);
}

export async function adminRevokeInvitation(actor: Actor, id: string) {
  requireAdmin(actor);
  if (!(await aq.revokeInvitation({ id, at: new Date() }))) throw new AppError('not_found', 'No such open invitation');
}

/** Takes one use of an invitation (registration in `invite` mode); its default conversations to join. */
export async function redeemInvitation(code: string): Promise<string[]> {
  const row = await aq.useInvitation({ codeHash: sha256(code), at: new Date() });
  if (!row) throw new AppError('forbidden', 'This invitation is invalid, used up, revoked or expired');
  return row.defaultConversationIds;
}

export async function joinInvitationConversations(userId: string, conversationIds: string[]): Promise<void> {
  await aq.addMemberships({ userId, conversationIds });
}
