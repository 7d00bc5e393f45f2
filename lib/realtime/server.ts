import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import { getUserById } from '../../db/queries/users';
import { listConversationIdsForUser } from '../../db/queries/members';
import { env } from '../env';
import { registerHandlers } from './handlers';
import { setIo, type ChattrixServer } from './io';
import { broadcastPresence } from './handlers/presence';
import { rooms } from './rooms';
import { userFromHandshake } from './auth';

export interface RealtimeHandle {
  io: ChattrixServer;
  close: () => Promise<void>;
}

/** Attaches Socket.IO (path /socket.io) to the HTTP server; with REDIS_URL, through the Redis adapter. */
export async function attachRealtime(httpServer: HttpServer, opts: { redisUrl?: string } = {}): Promise<RealtimeHandle> {
  // Redis first: Socket.IO starts accepting connections the moment it is attached to the (already listening) HTTP
  // server, so the adapter, the auth middleware and the handlers must all be in place in that same tick. Awaiting
  // Redis after attaching let a client that reconnected during start-up in unauthenticated and without handlers
  // (its sends were never acknowledged).
  const closers: (() => Promise<unknown>)[] = [];
  const redisUrl = opts.redisUrl ?? env.REDIS_URL;
  let adapter: ServerOptions['adapter'] | undefined;
  if (redisUrl) {
    const { createClient } = await import('redis');
    const { createAdapter } = await import('@socket.io/redis-adapter');
    const { useRedisRateLimits } = await import('../rate-limit');
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    pub.on('error', (e: Error) => console.error('[chattrix] redis:', e.message));
    sub.on('error', (e: Error) => console.error('[chattrix] redis:', e.message));
    await Promise.all([pub.connect(), sub.connect()]);
    adapter = createAdapter(pub, sub, { key: 'chattrix' });
    useRedisRateLimits(pub as never);
    closers.push(
      () => sub.quit().catch(() => {}),
      () => pub.quit().catch(() => {}),
    );
  }

  const io: ChattrixServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 256 * 1024,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    // Short reconnect gaps (a phone changing networks) replay missed packets and keep rooms.
    connectionStateRecovery: undefined,
    perMessageDeflate: false,
    ...(adapter ? { adapter } : {}),
  });

  io.use(async (socket, next) => {
    try {
      const actor = await userFromHandshake(socket.handshake);
      if (!actor) return next(new Error('unauthorized'));
      const user = await getUserById({ id: actor.id });
      if (!user) return next(new Error('unauthorized'));
      socket.data.userId = user.id;
      socket.data.username = user.username;
      socket.data.displayName = user.displayName;
      socket.data.isAdmin = user.isAdmin;
      // Looked up before the connection is acknowledged, so the rooms can be joined in the same tick as the
      // client's `connect` (see below).
      socket.data.initialRooms = [rooms.user(user.id), ...(await listConversationIdsForUser({ userId: user.id })).map(rooms.conversation)];
      next();
    } catch (e) {
      console.error('[chattrix] handshake failed:', e);
      next(new Error('unauthorized'));
    }
  });

  io.on('connection', async (socket) => {
    const userId = socket.data.userId;
    // Joined synchronously, in the tick the server acknowledged the connection: a client that fetches `after=` on
    // `connect` gets by REST everything stored before, and by the rooms everything emitted after. (Awaiting the
    // lookup here left a gap in which events, even `conversation:created`, never reached the socket.)
    void socket.join(socket.data.initialRooms ?? [rooms.user(userId)]);
    delete socket.data.initialRooms;
    registerHandlers(io, socket);
    socket.on('disconnect', async () => {
      try {
        const left = await io.in(rooms.user(userId)).fetchSockets();
        if (left.length === 0) await broadcastPresence(userId, false);
      } catch (e) {
        console.error('[chattrix] presence on disconnect failed:', e);
      }
    });
    try {
      if (socket.disconnected) return;
      const mine = await io.in(rooms.user(userId)).fetchSockets();
      if (mine.length === 1 && mine[0]?.id === socket.id) await broadcastPresence(userId, true);
    } catch (e) {
      console.error('[chattrix] connection setup failed:', e);
    }
  });

  setIo(io);
  return {
    io,
    close: async () => {
      // This node's sockets only: through the Redis adapter a plain io.disconnectSockets() reaches every node, so
      // one node shutting down would disconnect every client of the whole cluster.
      io.local.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      for (const c of closers) await c();
      setIo(undefined);
    },
  };
}
