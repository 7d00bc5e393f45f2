import type { Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './contract';

export type ChattrixServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The one Socket.IO server of this process, shared with Next's bundle through globalThis. */
const g = globalThis as unknown as { __chattrixIo?: ChattrixServer };

export function setIo(io: ChattrixServer | undefined): void {
  g.__chattrixIo = io;
}

export function getIo(): ChattrixServer | undefined {
  return g.__chattrixIo;
}
