import type { ServerToClientEvents } from './contract';
import { getIo } from './io';
import { rooms } from './rooms';

/**
 * Emitting from anywhere (services, route handlers in Next's bundle) through the one io on globalThis. With the
 * Redis adapter, an emit reaches the sockets on every node.
 */
type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

export function publishToConversation<E extends EventName>(conversationId: string, event: E, payload: Payload<E>): void {
  const io = getIo();
  if (!io) return;
  (io.to([rooms.conversation(conversationId), rooms.watch(conversationId)]).emit as (e: E, p: Payload<E>) => void)(event, payload);
}

export function publishToUsers<E extends EventName>(userIds: string[], event: E, payload: Payload<E>): void {
  const io = getIo();
  if (!io || userIds.length === 0) return;
  (io.to(userIds.map(rooms.user)).emit as (e: E, p: Payload<E>) => void)(event, payload);
}

export function publishToRooms<E extends EventName>(roomNames: string[], event: E, payload: Payload<E>): void {
  const io = getIo();
  if (!io || roomNames.length === 0) return;
  (io.to(roomNames).emit as (e: E, p: Payload<E>) => void)(event, payload);
}

/** Makes every socket of these users join (or leave) a conversation's room, on every node. */
export function joinConversationRoom(userIds: string[], conversationId: string): void {
  const io = getIo();
  if (!io || userIds.length === 0) return;
  io.in(userIds.map(rooms.user)).socketsJoin(rooms.conversation(conversationId));
}

export function leaveConversationRoom(userIds: string[], conversationId: string): void {
  const io = getIo();
  if (!io || userIds.length === 0) return;
  io.in(userIds.map(rooms.user)).socketsLeave(rooms.conversation(conversationId));
}
