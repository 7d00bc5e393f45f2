import type { ChattrixServer } from '../io';
import { messageHandlers } from './messages';
import { presenceHandlers } from './presence';
import { typingHandlers } from './typing';
import { actorOf, type ChattrixSocket, type HandlerDeps } from './util';

/** Registers every client → server event on a connected socket. */
export function registerHandlers(io: ChattrixServer, socket: ChattrixSocket): void {
  const deps: HandlerDeps = { io, socket, actor: actorOf(socket) };
  const all = { ...presenceHandlers(deps), ...messageHandlers(deps), ...typingHandlers(deps) };
  for (const [event, fn] of Object.entries(all)) {
    socket.on(event as 'presence:subscribe', fn as never);
  }
}
