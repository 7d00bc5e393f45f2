import { z } from 'zod';
import { requireReader } from '../../services/messages';
import { idSchema } from '../../validation/common';
import { rooms } from '../rooms';
import { handler, type HandlerDeps } from './util';

const schema = z.object({ conversationId: idSchema });

/**
 * Reading a public channel before joining it: the socket joins the channel's watch room (publishToConversation
 * emits there too) and so hears its messages, edits, reactions and typing live. It is not the conversation's room:
 * a watcher is no member (typing, reads and sends still check membership). One channel at a time per socket.
 */
export function watchHandlers({ socket, actor }: HandlerDeps) {
  let watching: string | null = null;
  return {
    'conversation:watch': handler(schema, async ({ conversationId }) => {
      // Public channels and your own conversations; anything else is not_found, as for its history.
      await requireReader(actor, conversationId);
      if (watching && watching !== conversationId) await socket.leave(rooms.watch(watching));
      watching = conversationId;
      await socket.join(rooms.watch(conversationId));
      return {};
    }),
    'conversation:unwatch': handler(schema, async ({ conversationId }) => {
      if (watching === conversationId) watching = null;
      await socket.leave(rooms.watch(conversationId));
      return {};
    }),
  };
}
