import { AppError, toAck } from '../errors';
import { localeOfHeaders, localizeBody } from '../i18n/api-errors';
import { liveSession } from '../services/sessions';
import type { ChattrixSocket } from './handlers/util';

/** Events a read-only token may send: they change nothing anyone else sees. Every other event needs `write`. */
const READ_EVENTS = new Set<string>(['presence:subscribe', 'client:visibility', 'client:away']);

/**
 * Runs before every event of a socket: a session that ended or expired (or a token past its expiry) disconnects
 * the socket instead of handling the event; a token without the `write` scope gets `forbidden` for any event that
 * changes state. (Revocation disconnects sockets at once through their `session:` / `token:` room; this catches
 * natural expiry and a revocation that raced the handshake.)
 */
export function credentialGuard(socket: ChattrixSocket) {
  return (packet: unknown[], next: (err?: Error) => void): void => {
    const [event, ...args] = packet;
    const ack = args[args.length - 1];
    const refuse = (e: AppError) => {
      if (typeof ack === 'function') (ack as (r: unknown) => void)(toAck(e, (body) => localizeBody(body, localeOfHeaders(socket.handshake.headers))));
    };
    const { sessionId, scopes, expiresAt } = socket.data;
    if (expiresAt !== undefined && Date.now() >= expiresAt) {
      refuse(new AppError('unauthorized', 'This session has expired'));
      socket.disconnect(true);
      return;
    }
    if (scopes && !scopes.includes('write') && !READ_EVENTS.has(String(event))) {
      refuse(new AppError('forbidden', 'This token has the read scope only; it cannot change anything'));
      return;
    }
    if (!sessionId) return next();
    liveSession(sessionId).then(
      (live) => {
        if (live) return next();
        refuse(new AppError('unauthorized', 'This session has ended'));
        socket.disconnect(true);
      },
      () => next(),
    );
  };
}
