import { z } from 'zod';
import { listPrivateConversationIdsForUser } from '../../../db/queries/members';
import { getUsersByIds, setLastSeen } from '../../../db/queries/users';
import { idSchema } from '../../validation/common';
import { iso } from '../../validation/dto';
import type { PresenceDto } from '../contract';
import { getIo } from '../io';
import { getOnlineUserIds } from '../presence';
import { rooms } from '../rooms';
import { handler, type HandlerDeps } from './util';

export const MAX_PRESENCE_SUBSCRIPTIONS = 200;

/**
 * A user's first socket connected or last socket disconnected. The audience is small on purpose: people who share
 * a direct or group conversation with the user, and sockets that subscribed to them; never the public channel.
 */
export async function broadcastPresence(userId: string, online: boolean): Promise<void> {
  const io = getIo();
  const now = new Date();
  await setLastSeen({ id: userId, at: now });
  if (!io) return;
  const conversationIds = await listPrivateConversationIdsForUser({ userId });
  const payload: PresenceDto = { userId, online, lastSeenAt: now.toISOString() };
  io.to([rooms.presence(userId), rooms.user(userId), ...conversationIds.map(rooms.conversation)]).emit('presence', payload);
}

const subscribeSchema = z.object({ userIds: z.array(idSchema).max(MAX_PRESENCE_SUBSCRIPTIONS) });

export function presenceHandlers({ socket }: HandlerDeps) {
  let subscribed: string[] = [];
  return {
    'client:visibility': handler(z.object({ visible: z.boolean() }), async ({ visible }) => {
      socket.data.visible = visible;
      return {};
    }),
    'presence:subscribe': handler(subscribeSchema, async ({ userIds }) => {
      const unique = [...new Set(userIds)];
      // Replace the previous set.
      for (const id of subscribed) if (!unique.includes(id)) await socket.leave(rooms.presence(id));
      await socket.join(unique.map(rooms.presence));
      subscribed = unique;
      const [users, online] = await Promise.all([getUsersByIds({ ids: unique }), getOnlineUserIds(unique)]);
      const presence: PresenceDto[] = users.map((u) => ({
        userId: u.id,
        online: online.has(u.id),
        lastSeenAt: iso(u.lastSeenAt),
      }));
      return { presence };
    }),
  };
}
