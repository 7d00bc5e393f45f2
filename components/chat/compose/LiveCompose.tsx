'use client';

import { useEffect } from 'react';
import { api } from '@/lib/client/api';
import { applyEmojiUpdate, draftSnapshot, emojiStore, loadLocalDrafts, mergeServerDrafts, putDraft, TAB_ORIGIN } from '@/lib/client/compose';
import type { CustomEmojiDto, DraftDto } from '@/lib/validation/compose';
import { useRealtime } from '../Realtime';

/**
 * Keeps drafts and custom emoji current: this device's copy of the drafts at once, the server's on every
 * (re)connect, then `draft:updated` (ignoring this tab's own saves) and `emoji:updated`.
 */
export function LiveCompose({ userId }: { userId: string }) {
  const { socket } = useRealtime();
  useEffect(() => loadLocalDrafts(userId), [userId]);
  useEffect(() => {
    if (!socket) return;
    const refresh = () => {
      const snapshot = draftSnapshot();
      api<{ drafts: DraftDto[] }>('/me/drafts').then((r) => mergeServerDrafts(r.drafts, snapshot), () => {});
      api<{ emoji: CustomEmojiDto[] }>('/emoji').then((r) => emojiStore.set(r.emoji), () => {});
    };
    const onDraft = ({ draft, origin }: { draft: DraftDto; origin?: string }) => {
      if (origin !== TAB_ORIGIN) putDraft(draft);
    };
    socket.on('connect', refresh);
    socket.on('draft:updated', onDraft);
    socket.on('emoji:updated', applyEmojiUpdate);
    if (socket.connected) refresh();
    return () => {
      socket.off('connect', refresh);
      socket.off('draft:updated', onDraft);
      socket.off('emoji:updated', applyEmojiUpdate);
    };
  }, [socket]);
  return null;
}
