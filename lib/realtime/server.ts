import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import { getUserById } from '../../db/queries/users';
import { listConversationIdsForUser } from '../../db/queries/members';
import { env } from '../env';
import { registerHandlers } from './handlers';
import { setIo, type ChattrixServer } from './io';
import { broadcastPresence } from './handlers/presence';
import { rooms } from './rooms';
import { socketConnected, socketDisconnected, startPresence, stopPresence, type PresenceRedis } from './presence';
import { userFromHandshake } from './auth';
import { addReadinessCheck, isDraining, removeReadinessCheck } from '../observability/lifecycle';
import { credentialGuard } from './guard';
import type { ChattrixSocket } from './handlers/util';
import { setClustered } from './revoke';
import { forgetSessions, liveSession } from '../services/sessions';
import { isTokenLive } from '../services/users';

/** Sockets one account may hold open at once (all nodes together), when RATE_LIMITS is on. */
export const MAX_SOCKETS_PER_USER = 20;

export interface RealtimeHandle {
  io: ChattrixServer;
  /** Closes this node's client transports (after their pending packets are written): clients reconnect elsewhere. */
  drain: (timeoutMs: number) => Promise<void>;
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
  let presenceRedis: PresenceRedis | undefined;
  if (redisUrl) {
    const { createClient } = await import('redis');
    const { createAdapter } = await import('@socket.io/redis-adapter');
    const { useRedisRateLimits } = await import('../rate-limit');
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    pub.on('error', (e: Error) => console.error('[chattrix] redis:', e.message));
    sub.on('error', (e: Error) => console.error('[chattrix] redis:', e.message));
    await Promise.all([pub.connect(), sub.connect()]);
    adapter = createAdapter(pub, sub, { key: env.REDIS_PREFIX });
    presenceRedis = pub as unknown as PresenceRedis;
    useRedisRateLimits(pub as never);
    addReadinessCheck('redis', () => pub.ping());
    setClustered(true);
    closers.push(
      () => sub.quit().catch(() => {}),
      () => pub.quit().catch(() => {}),
    );
  }

  // Per-node socket counts (shared through Redis): no cluster-wide fetchSockets on connect and disconnect.
  await startPresence({ redis: presenceRedis, onOffline: (userId) => broadcastPresence(userId, false) });

  const io: ChattrixServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 256 * 1024,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    // Short reconnect gaps (a phone changing networks) replay missed packets and keep rooms.
    connectionStateRecovery: undefined,
    perMessageDeflate: false,
    // While draining (SIGTERM) new handshakes are refused at the transport: the client retries elsewhere by itself.
    allowRequest: (_req, callback) => callback(isDraining() ? 'shutting down' : null, !isDraining()),
    ...(adapter ? { adapter } : {}),
  });

  io.use(async (socket, next) => {
    try {
      const actor = await userFromHandshake(socket.handshake);
      if (!actor) return next(new Error('unauthorized'));
      const user = await getUserById({ id: actor.id });
      if (!user || user.deactivatedAt) return next(new Error('unauthorized'));
      // At most MAX_SOCKETS_PER_USER sockets per account, on all nodes together: the next handshake is refused.
      if (env.RATE_LIMITS) {
        const open = await io.in(rooms.user(user.id)).fetchSockets();
        if (open.length >= MAX_SOCKETS_PER_USER) {
          const err = new Error('too_many_connections') as Error & { data?: unknown };
          err.data = { code: 'rate_limited', message: `Too many connections: at most ${MAX_SOCKETS_PER_USER} per account. Close another tab or device.` };
          return next(err);
        }
      }
      socket.data.userId = user.id;
      socket.data.username = user.username;
      socket.data.displayName = user.displayName;
      socket.data.isAdmin = user.isAdmin;
      socket.data.sessionId = actor.sessionId;
      socket.data.tokenId = actor.tokenId;
      socket.data.scopes = actor.scopes;
      socket.data.expiresAt = actor.expiresAt;
      const credentialRoom = actor.sessionId ? rooms.session(actor.sessionId) : actor.tokenId ? rooms.token(actor.tokenId) : undefined;
      // Looked up before the connection is acknowledged, so the rooms can be joined in the same tick as the
      // client's `connect` (see below).
      socket.data.initialRooms = [
        rooms.user(user.id),
        ...(credentialRoom ? [credentialRoom] : []),
        ...(await listConversationIdsForUser({ userId: user.id })).map(rooms.conversation),
      ];
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
    socket.use(credentialGuard(socket));
    registerHandlers(io, socket);
    // Counted in this tick; the disconnect is counted after it (node-redis keeps the order of commands).
    const counted = socketConnected(userId);
    // A session ended (or a token revoked) between the handshake's check and joining its room: close now rather
    // than at the next event (or never, for a token).
    const { sessionId, tokenId } = socket.data;
    if (sessionId) watchSession(socket, sessionId);
    else if (tokenId) {
      void isTokenLive(tokenId).then(
        (live) => {
          if (!live) socket.disconnect(true);
        },
        () => {},
      );
    }
    // A credential that expires while the socket is open closes it then, even if the socket sends nothing.
    const expiresIn = socket.data.expiresAt !== undefined ? socket.data.expiresAt - Date.now() : undefined;
    if (expiresIn !== undefined && expiresIn < 2 ** 31 - 1) {
      const timer = setTimeout(() => socket.disconnect(true), Math.max(0, expiresIn));
      timer.unref();
      socket.once('disconnect', () => clearTimeout(timer));
    }
    socket.on('disconnect', async () => {
      try {
        await counted.catch(() => false);
        if (await socketDisconnected(userId)) await broadcastPresence(userId, false);
      } catch (e) {
        console.error('[chattrix] presence on disconnect failed:', e);
      }
    });
    try {
      if (await counted) await broadcastPresence(userId, true);
    } catch (e) {
      console.error('[chattrix] connection setup failed:', e);
    }
  });

  // Sessions ended on another node (lib/realtime/revoke.ts): forget them here too.
  io.on('sessions:revoked', (ids) => {
    if (Array.isArray(ids)) forgetSessions(ids.filter((x): x is string => typeof x === 'string'));
  });

  setIo(io);
  return {
    io,
    drain: async (timeoutMs) => {
      const sockets = [...io.of('/').sockets.values()];
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, timeoutMs);
              socket.conn.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              socket.conn.close();
            }),
        ),
      );
    },
    close: async () => {
      // This node's sockets only: through the Redis adapter a plain io.disconnectSockets() reaches every node, so
      // one node shutting down would disconnect every client of the whole cluster.
      io.local.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      removeReadinessCheck('redis');
      await stopPresence();
      for (const c of closers) await c();
      setIo(undefined);
      setClustered(false);
    },
  };
}

/**
 * A session checked now (it may have ended between the handshake's check and joining its room) and again when it
 * would go idle: an open socket sends nothing the session counts as use, so without this check an idle session's
 * socket stayed open until its next event. Used meanwhile (a request), it is checked again at its new idle time.
 */
function watchSession(socket: ChattrixSocket, sessionId: string): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () =>
    void liveSession(sessionId).then(
      (live) => {
        if (!live) {
          socket.disconnect(true);
          return;
        }
        const ms = live.idleUntil - Date.now();
        if (!socket.connected || ms >= 2 ** 31 - 1) return;
        timer = setTimeout(check, Math.max(0, ms) + 50);
        timer.unref();
      },
      () => {},
    );
  socket.once('disconnect', () => clearTimeout(timer));
  check();
}
