import { z } from 'zod';
import { AppError } from '../../errors';
import { idSchema } from '../../validation/common';
import { rooms } from '../rooms';
import { handler, type HandlerDeps } from './util';

const schema = z.object({ conversationId: idSchema });
/** A typist is announced at most once per this interval (the client throttles too). */
const MIN_INTERVAL_MS = 1500;

/**
 * Typing indicators go to the other sockets in the conversation's room. Membership is the socket's room
 * membership (kept in step with the database on join, add and remove), so no query per keystroke.
 */
export function typingHandlers({ socket }: HandlerDeps) {
  const last = new Map<string, number>();
  const emit = (conversationId: string, isTyping: boolean) => {
    const room = rooms.conversation(conversationId);
    if (!socket.rooms.has(room)) throw new AppError('not_found', 'No such conversation');
    const now = Date.now();
    if (isTyping) {
      if (now - (last.get(conversationId) ?? 0) < MIN_INTERVAL_MS) return {};
      last.set(conversationId, now);
    } else {
      last.delete(conversationId);
    }
    socket.to(room).emit('typing', { conversationId, userId: socket.data.userId, displayName: socket.data.displayName, isTyping });
    return {};
  };
  return {
    'typing:start': handler(schema, async ({ conversationId }) => emit(conversationId, true)),
    'typing:stop': handler(schema, async ({ conversationId }) => emit(conversationId, false)),
  };
}
