import { listConversationIdsForUser } from '../../db/queries/members';
import type { UserRefDto } from './contract';
import { publishToRooms } from './publish';
import { rooms } from './rooms';

/**
 * A person's public profile changed (display name, photo, bio): tell everyone who can see them somewhere, so names
 * and photos change without a reload: the person's own sockets, the sockets that subscribed to their presence (the
 * People list) and every conversation they are a member of. Called by the services after the write is stored.
 */
export async function publishUserUpdated(user: UserRefDto): Promise<void> {
  const conversationIds = await listConversationIdsForUser({ userId: user.id });
  publishToRooms([rooms.user(user.id), rooms.presence(user.id), ...conversationIds.map(rooms.conversation)], 'user:updated', { user });
}
