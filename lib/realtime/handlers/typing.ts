import { z } from 'zod';
import { AppError } from '../../errors';
import { idSchema } from '../../validation/common';
import { rooms } from '../rooms';
import { handler, type HandlerDeps } from './util';

const schema = z.object({ conversationId: idSchema, threadId: idSchema.optional() });
/** A typist is announced at most once per this interval (the client throttles too). */
const MIN_INTERVAL_MS = 1500;

/**
 * Typing indicators go to the other sockets in the conversation's room. Membership is the socket's room
 * membership (kept in step with the database on join, add and remove), so no query per keystroke.
 */
export function typingHandlers({ socket }: HandlerDeps) {
  const last = new Map<string, number>();
  const emit = (conversationId: string, isTyping: boolean, threadId?: string) => {
    const room = rooms.conversation(conversationId);
    if (!socket.rooms.has(room)) throw new AppError('not_found', 'No such conversation');
    const now = Date.now();
    const key = threadId ? `${conversationId}:${threadId}` : conversationId;
    if (isTyping) {
      if (now - (last.get(key) ?? 0) < MIN_INTERVAL_MS) return {};
      last.set(key, now);
    } else {
      last.delete(key);
    }
    socket
      .to([room, rooms.watch(conversationId)])
      .emit('typing', { conversationId, userId: socket.data.userId, displayName: socket.data.displayName, isTyping, ...(threadId ? { threadId } : {}) });
    return {};
  };
  return {
    'typing:start': handler(schema, async ({ conversationId, threadId }) => emit(conversationId, true, threadId)),
    'typing:stop': handler(schema, async ({ conversationId, threadId }) => emit(conversationId, false, threadId)),
  };
}
