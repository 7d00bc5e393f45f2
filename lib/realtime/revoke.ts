import { getIo } from './io';
import { rooms } from './rooms';

/**
 * Ending sessions and tokens, for sockets: every socket opened with them is disconnected, on every node (through
 * the Redis adapter when there is one), and every node drops its cached copy of the sessions at once.
 */
const g = globalThis as unknown as { __chattrixCluster?: boolean };

/** Set by attachRealtime when the Redis adapter is in use (the in-memory adapter has no serverSideEmit). */
export function setClustered(on: boolean): void {
  g.__chattrixCluster = on;
}

export function disconnectSessions(ids: string[]): void {
  const io = getIo();
  if (!io || ids.length === 0) return;
  if (g.__chattrixCluster) io.serverSideEmit('sessions:revoked', ids);
  io.in(ids.map(rooms.session)).disconnectSockets(true);
}

export function disconnectToken(id: string): void {
  getIo()?.in(rooms.token(id)).disconnectSockets(true);
}
