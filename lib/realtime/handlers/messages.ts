import { z } from 'zod';
import { toAck } from '../../errors';
import { checkRate, rules } from '../../rate-limit';
import { deleteMessage, editMessage, markRead, sendMessage } from '../../services/messages';
import { addReaction, removeReaction } from '../../services/reactions';
import { idSchema } from '../../validation/common';
import { bodySchema, reactionSocketSchema, socketSendSchema } from '../../validation/messages';
import { parseWith } from '../../validation/parse';
import type { Ack } from '../contract';
import type { MessageDto } from '../../validation/dto';
import { handler, type HandlerDeps } from './util';
import { isDraining, trackInflight } from '../../observability/lifecycle';

export function messageHandlers({ actor }: HandlerDeps) {
  return {
    /** validate → sendMessage (stores) → ack → `message:created` to the room, in the conversation's order. */
    'message:send': async (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: Ack<{ message: MessageDto }>) => void) : () => {};
      // Shutting down: not taken and not acknowledged; the client sends it again (same clientId) after reconnecting.
      if (isDraining()) return;
      await trackInflight(async () => {
        try {
          const { conversationId, ...input } = parseWith(socketSendSchema, payload, 'Payload');
          await checkRate(rules.send, `user:${actor.id}`);
          await sendMessage(actor, conversationId, input, { onStored: (message) => reply({ ok: true, data: { message } }) });
        } catch (e) {
          reply(toAck(e));
        }
      });
    },
    'message:edit': handler(z.object({ messageId: idSchema, body: bodySchema }), async ({ messageId, body }) => ({
      message: await editMessage(actor, messageId, body),
    })),
    'message:delete': handler(z.object({ messageId: idSchema }), async ({ messageId }) => {
      await deleteMessage(actor, messageId);
      return {};
    }),
    'reaction:add': handler(reactionSocketSchema, async ({ messageId, emoji }) => {
      await addReaction(actor, messageId, emoji);
      return {};
    }),
    'reaction:remove': handler(reactionSocketSchema, async ({ messageId, emoji }) => {
      await removeReaction(actor, messageId, emoji);
      return {};
    }),
    'conversation:read': handler(z.object({ conversationId: idSchema, messageId: idSchema }), async ({ conversationId, messageId }) => {
      await markRead(actor, conversationId, messageId);
      return {};
    }),
  };
}
