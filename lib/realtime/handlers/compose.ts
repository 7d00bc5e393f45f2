import { saveDraft } from '../../services/drafts';
import { socketDraftSchema } from '../../validation/compose';
import { handler, type HandlerDeps } from './util';

export function composeHandlers({ actor }: HandlerDeps) {
  return {
    /** validate → saveDraft (stores, tells the person's other sockets) → ack. */
    'draft:save': handler(socketDraftSchema, async ({ conversationId, ...input }) => ({ draft: await saveDraft(actor, conversationId, input) })),
  };
}
