'use client';

import { useCallback, useEffect, useRef } from 'react';
import { draftKey, draftStore, putDraft, TAB_ORIGIN, useDraftOf } from '@/lib/client/compose';
import { useRealtime } from '../Realtime';

const SAVE_AFTER_MS = 800;

export interface DraftTarget {
  conversationId: string;
  threadId?: string;
}

/**
 * Keeps a composer's text as the draft of its conversation/thread: shown again when it opens (this device's copy,
 * then the server's), kept locally at every change, saved to the server (`draft:save`) once typing pauses, and
 * replaced by another device's draft when there is nothing unsaved here. A save happens only when the text differs
 * from what the server last had, so an acknowledgement or an echo never causes another save; nothing is sent
 * while nothing is typed.
 */
export function useDraftSync(target: DraftTarget | undefined, text: string, setText: (t: string) => void) {
  const { socket } = useRealtime();
  const key = target ? draftKey(target.conversationId, target.threadId) : null;
  const stored = useDraftOf(target?.conversationId ?? '', target?.threadId);
  /** The body the server has (as far as this tab knows). */
  const synced = useRef('');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef<(() => void) | null>(null);
  /**
   * A text this hook has set and the composer has not rendered yet. Until it lands, the text seen by the typing
   * effect is the one from before (the old conversation's, or empty on mount): it is not typing, and saving it would
   * erase the draft being restored (the thread panel went into an update loop that way).
   */
  const restoring = useRef<string | null>(null);
  const restore = (body: string, current: string) => {
    synced.current = body;
    if (body === current) return;
    restoring.current = body;
    setText(body);
  };
  const socketRef = useRef(socket);
  socketRef.current = socket;

  // Opening a conversation (or thread): its draft.
  useEffect(() => {
    if (!key) return;
    restore(draftStore.get()[key]?.body ?? '', text);
    return () => {
      // Leaving with a save still waiting: save now.
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      pending.current?.();
      pending.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // Another device's draft (or the server's answer after opening): taken when nothing here is unsaved.
  useEffect(() => {
    if (!key) return;
    const body = stored?.body ?? '';
    if (restoring.current === null && body !== text && text === synced.current) restore(body, text);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stored?.body, stored?.updatedAt, key]);

  // Typing: kept locally at once, saved to the server when typing pauses.
  useEffect(() => {
    if (restoring.current !== null) {
      if (text === restoring.current) restoring.current = null;
      return;
    }
    if (!target || text === synced.current) return;
    const { conversationId, threadId } = target;
    putDraft({ conversationId, threadId: threadId ?? null, body: text, updatedAt: new Date().toISOString() });
    const save = () => {
      pending.current = null;
      const s = socketRef.current;
      const send = () =>
        s?.emit('draft:save', { conversationId, body: text, origin: TAB_ORIGIN, ...(threadId ? { threadId } : {}) }, (res) => {
          if (res.ok) synced.current = text;
        });
      if (s?.connected) send();
      else s?.once('connect', send);
    };
    pending.current = save;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      save();
    }, SAVE_AFTER_MS);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  /** After sending: the server clears the draft itself (for every device); here it is gone at once. */
  const clearDraft = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    pending.current = null;
    synced.current = '';
    if (target) putDraft({ conversationId: target.conversationId, threadId: target.threadId ?? null, body: '', updatedAt: new Date().toISOString() });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return { clearDraft };
}
