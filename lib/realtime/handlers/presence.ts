import { z } from 'zod';
import { listConversationIdsForUser, listPrivateConversationIdsForUser } from '../../../db/queries/members';
import { getUserById, getUsersByIds, setLastSeen } from '../../../db/queries/users';
import type { User } from '../../../db/schema';
import { publicAttention } from '../../services/attention';
import { idSchema } from '../../validation/common';
import { iso } from '../../validation/dto';
import type { PresenceDto } from '../contract';
import { getIo } from '../io';
import { getOnlineUserIds } from '../presence';
import { rooms } from '../rooms';
import { handler, type HandlerDeps } from './util';

export const MAX_PRESENCE_SUBSCRIPTIONS = 200;

function presenceOf(u: User, online: boolean, away: boolean): PresenceDto {
  return { userId: u.id, online, away: online && away, lastSeenAt: iso(u.lastSeenAt), ...publicAttention(u) };
}

/** Users (of these) all of whose sockets, on every node, said they are away. */
async function awayUsers(userIds: string[]): Promise<Set<string>> {
  const io = getIo();
  const away = new Set<string>();
  if (!io || userIds.length === 0) return away;
  const present = new Set<string>();
  for (const s of await io.in(userIds.map(rooms.user)).fetchSockets()) {
    if (s.data.away) away.add(s.data.userId);
    else present.add(s.data.userId);
  }
  for (const id of present) away.delete(id);
  return away;
}

/**
 * A user's first socket connected or last socket disconnected. The audience is small on purpose: people who share
 * a direct or group conversation with the user, and sockets that subscribed to them; never the public channel.
 */
export async function broadcastPresence(userId: string, online: boolean): Promise<void> {
  const io = getIo();
  const user = await setLastSeen({ id: userId, at: new Date() });
  if (!io || !user) return;
  const conversationIds = await listPrivateConversationIdsForUser({ userId });
  io.to([rooms.presence(userId), rooms.user(userId), ...conversationIds.map(rooms.conversation)]).emit('presence', presenceOf(user, online, false));
}

/**
 * A person's status, do-not-disturb or away state changed. `wide` (a status or do-not-disturb the person set, rare):
 * also every channel they are in, so member lists everywhere show it, as `user:updated` does. Away (automatic, more
 * frequent): the small presence audience only.
 */
export async function announcePresenceChange(userId: string, opts: { wide: boolean }): Promise<void> {
  const io = getIo();
  if (!io) return;
  const user = await getUserById({ id: userId });
  if (!user) return;
  const [online, away, conversationIds] = await Promise.all([
    getOnlineUserIds([userId]),
    awayUsers([userId]),
    (opts.wide ? listConversationIdsForUser : listPrivateConversationIdsForUser)({ userId }),
  ]);
  io.to([rooms.presence(userId), rooms.user(userId), ...conversationIds.map(rooms.conversation)]).emit('presence', presenceOf(user, online.has(userId), away.has(userId)));
}

const subscribeSchema = z.object({ userIds: z.array(idSchema).max(MAX_PRESENCE_SUBSCRIPTIONS) });

export function presenceHandlers({ socket }: HandlerDeps) {
  let subscribed: string[] = [];
  return {
    'client:visibility': handler(z.object({ visible: z.boolean() }), async ({ visible }) => {
      socket.data.visible = visible;
      return {};
    }),
    /** The tab saw no input for 10 minutes while hidden (away: true), or input again (away: false). */
    'client:away': handler(z.object({ away: z.boolean() }), async ({ away }) => {
      const before = (await awayUsers([socket.data.userId])).has(socket.data.userId);
      socket.data.away = away;
      const after = (await awayUsers([socket.data.userId])).has(socket.data.userId);
      if (before !== after) await announcePresenceChange(socket.data.userId, { wide: false });
      return {};
    }),
    'presence:subscribe': handler(subscribeSchema, async ({ userIds }) => {
      const unique = [...new Set(userIds)];
      // Replace the previous set.
      for (const id of subscribed) if (!unique.includes(id)) await socket.leave(rooms.presence(id));
      await socket.join(unique.map(rooms.presence));
      subscribed = unique;
      const [users, online, away] = await Promise.all([getUsersByIds({ ids: unique }), getOnlineUserIds(unique), awayUsers(unique)]);
      const presence: PresenceDto[] = users.map((u) => presenceOf(u, online.has(u.id), away.has(u.id)));
      return { presence };
    }),
  };
}
