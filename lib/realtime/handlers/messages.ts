import { z } from 'zod';
import { AppError, toAck } from '../../errors';
import { checkRate, rules } from '../../rate-limit';
import { markRead, sendMessage } from '../../services/messages';
import { idSchema } from '../../validation/common';
import { socketSendSchema } from '../../validation/messages';
import { zodIssues } from '../../validation/zod';
import type { Ack } from '../contract';
import type { MessageDto } from '../../validation/dto';
import { handler, type HandlerDeps } from './util';

export function messageHandlers({ actor }: HandlerDeps) {
  return {
    /** validate → sendMessage (stores) → ack → `message:created` to the room, in the conversation's order. */
    'message:send': async (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: Ack<{ message: MessageDto }>) => void) : () => {};
      try {
        const parsed = socketSendSchema.safeParse(payload);
        if (!parsed.success) throw new AppError('bad_request', 'Invalid payload', { issues: zodIssues(parsed.error) });
        await checkRate(rules.send, `user:${actor.id}`);
        const { conversationId, ...input } = parsed.data;
        await sendMessage(actor, conversationId, input, { onStored: (message) => reply({ ok: true, data: { message } }) });
      } catch (e) {
        reply(toAck(e));
      }
    },
    'conversation:read': handler(z.object({ conversationId: idSchema, messageId: idSchema }), async ({ conversationId, messageId }) => {
      await markRead(actor, conversationId, messageId);
      return {};
    }),
  };
}
