'use client';

import { useEffect } from 'react';
import type { UserRefDto } from '@/lib/realtime/contract';
import { markPersonLive } from '@/lib/client/store';
import { applyUserUpdate } from '@/lib/client/user-updates';
import { useChatActions } from './ChatProvider';
import { useRealtime } from './Realtime';

/** Applies `user:updated` events: a new name or photo shows everywhere without a reload. */
export function LiveProfiles() {
  const { socket } = useRealtime();
  const { store } = useChatActions();
  useEffect(() => {
    if (!socket) return;
    const onUpdated = ({ user }: { user: UserRefDto }) => {
      // A conversation list on its way keeps the new name and photo (lib/client/store.ts, withLivePeople).
      markPersonLive(user.id, { displayName: user.displayName, avatarUrl: user.avatarUrl });
      store.set((s) => applyUserUpdate(s, user));
    };
    socket.on('user:updated', onUpdated);
    return () => {
      socket.off('user:updated', onUpdated);
    };
  }, [socket, store]);
  return null;
}
