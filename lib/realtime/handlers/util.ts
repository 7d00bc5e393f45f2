import type { z } from 'zod';
import type { Socket } from 'socket.io';
import type { Actor } from '../../auth/actor';
import { toAck } from '../../errors';
import { parseWith } from '../../validation/parse';
import type { Ack, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../contract';
import type { ChattrixServer } from '../io';

export type ChattrixSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface HandlerDeps {
  io: ChattrixServer;
  socket: ChattrixSocket;
  actor: Actor;
}

/**
 * Builds a socket handler: validate → run (service) → ack. A missing ack function or a malformed payload never
 * throws out of the handler.
 */
export function handler<S extends z.ZodType, T>(schema: S, run: (input: z.infer<S>) => Promise<T>) {
  return async (payload: unknown, ack?: unknown): Promise<void> => {
    const reply = typeof ack === 'function' ? (ack as (r: Ack<T>) => void) : () => {};
    try {
      const data = await run(parseWith(schema, payload, 'Payload'));
      reply({ ok: true, data });
    } catch (e) {
      reply(toAck(e));
    }
  };
}

export function actorOf(socket: ChattrixSocket): Actor {
  return { id: socket.data.userId, username: socket.data.username, isAdmin: socket.data.isAdmin, via: 'session' };
}
