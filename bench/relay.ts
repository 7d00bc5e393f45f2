/**
 * The stack's own limit: a bare Socket.IO relay with no auth and no database, started by bench/run.ts in a child
 * process. Same transport options as Chattrix (lib/realtime/server.ts). A client names its rooms at the handshake
 * (`auth.rooms`); `message:send {conversationId, body, clientId}` is acked with a message carrying a per-room
 * `seq` and broadcast as `message:created {message}` to the room: the shape of the real write path minus
 * authentication, validation, storage and hydration.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const httpServer = createServer((_req, res) => {
  res.writeHead(404);
  res.end();
});
const io = new Server(httpServer, {
  path: '/socket.io',
  serveClient: false,
  maxHttpBufferSize: 256 * 1024,
  pingInterval: 25_000,
  pingTimeout: 20_000,
  perMessageDeflate: false,
});

const seqs = new Map<string, number>();
let nextId = 0;

io.on('connection', (socket) => {
  const wanted = (socket.handshake.auth as { rooms?: unknown }).rooms;
  if (Array.isArray(wanted)) socket.join(wanted.filter((r): r is string => typeof r === 'string').slice(0, 16));
  socket.on('message:send', (payload: { conversationId?: unknown; body?: unknown; clientId?: unknown }, ack?: unknown) => {
    const reply = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => {};
    const { conversationId, body, clientId } = payload ?? {};
    if (typeof conversationId !== 'string' || typeof body !== 'string' || typeof clientId !== 'string') {
      reply({ ok: false, error: { code: 'bad_request', message: 'Invalid payload' } });
      return;
    }
    const seq = (seqs.get(conversationId) ?? 0) + 1;
    seqs.set(conversationId, seq);
    const message = {
      id: `r${++nextId}`,
      conversationId,
      seq,
      kind: 'user',
      sender: { id: socket.id, username: 'relay', displayName: 'relay', avatarUrl: null },
      body,
      clientId,
      replyTo: null,
      attachments: [],
      reactions: [],
      mentions: [],
      pinnedAt: null,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
    };
    reply({ ok: true, data: { message } });
    io.to(conversationId).emit('message:created', { message });
  });
});

httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`relay listening on http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
});
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    io.close();
    process.exit(0);
  });
}
