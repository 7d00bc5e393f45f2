import { getIo } from './io';
import { rooms } from './rooms';

/**
 * Which of these users have at least one connected socket, on any node (through the adapter when Redis is on).
 */
export async function getOnlineUserIds(userIds: string[]): Promise<Set<string>> {
  const io = getIo();
  const online = new Set<string>();
  if (!io || userIds.length === 0) return online;
  try {
    const sockets = await io.in(userIds.map(rooms.user)).fetchSockets();
    for (const s of sockets) if (s.data.userId) online.add(s.data.userId);
  } catch (e) {
    console.warn('[chattrix] presence lookup failed:', (e as Error).message);
  }
  return online;
}
