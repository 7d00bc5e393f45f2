'use client';

import { useCallback, useEffect, useMemo } from 'react';
import { api } from '@/lib/client/api';
import { fetchStamp, loadOlderPage, markDeleted, markLive, mergeMessages, tombstone, withFirstPage } from '@/lib/client/store';
import { emptySummary, patchRoot } from '@/lib/client/threads';
import { AppError } from '@/lib/errors';
import type { MessageDto, ThreadSummaryDto } from '@/lib/validation/dto';
import { useChatActions } from './ChatProvider';
import { useRealtime } from './Realtime';

interface ThreadPage {
  root: MessageDto;
  messages: MessageDto[];
  hasMore: boolean;
  /** Only with `around=`: replies after the page. */
  hasMoreAfter?: boolean;
}

interface ThreadsPage {
  threads: { root: MessageDto; lastReplies: MessageDto[]; unreadCount: number }[];
  nextCursor: string | null;
}

const PAGE = 50;
/** The most replies `GET /messages/{id}/thread` gives at once. */
const MAX_PAGE = 100;

/**
 * The replies after `afterId`, page by page (the largest page the server gives) up to the newest, each with the
 * stamp taken before it was asked for (mergeMessages keeps what changed live since).
 */
async function* newerReplies(rootId: string, afterId: string): AsyncGenerator<{ page: ThreadPage; fetchedAt: number }> {
  for (let after = afterId; ; ) {
    const fetchedAt = fetchStamp();
    const page = await api<ThreadPage>(`/messages/${rootId}/thread?limit=${MAX_PAGE}&after=${after}`);
    yield { page, fetchedAt };
    const last = page.messages[page.messages.length - 1];
    if (!page.hasMore || !last) return;
    after = last.id;
  }
}

/**
 * Live thread state for the whole shell: `thread:updated` (the shared summary on roots), `thread:unread` (this
 * person's follow state and unread count), the Threads unread counts after every (re)connect, and catch-up of the
 * threads open in this tab (replies share the conversation's seq, so `after=` the newest reply held is enough).
 */
export function ThreadEvents() {
  const { socket } = useRealtime();
  const { store } = useChatActions();

  useEffect(() => {
    if (!socket) return;
    const onUpdated = ({ conversationId, rootId, thread }: { conversationId: string; rootId: string; thread: ThreadSummaryDto }) =>
      store.set((s) =>
        patchRoot(s, conversationId, rootId, (t) => ({ ...(t ?? emptySummary), replyCount: thread.replyCount, lastReplyAt: thread.lastReplyAt, participantIds: thread.participantIds })),
      );
    const onUnread = ({ conversationId, rootId, following, unreadCount }: { conversationId: string; rootId: string; following: boolean; unreadCount: number }) =>
      store.set((s) => ({
        ...patchRoot(s, conversationId, rootId, (t) => ({ ...(t ?? emptySummary), following, unreadCount: following ? unreadCount : 0 })),
        threadUnread: { ...s.threadUnread, [rootId]: following ? unreadCount : 0 },
      }));
    const onDeleted = ({ messageId }: { conversationId: string; messageId: string }) =>
      store.set((s) => {
        const at = markDeleted(messageId);
        let changed = false;
        const threads = { ...s.threads };
        for (const [rootId, t] of Object.entries(s.threads)) {
          if (t.root?.id === messageId) {
            threads[rootId] = { ...t, root: tombstone(t.root, at) };
            changed = true;
          } else if (t.items.some((m) => m.id === messageId)) {
            threads[rootId] = { ...t, items: t.items.map((m) => (m.id === messageId ? tombstone(m, at) : m)) };
            changed = true;
          }
        }
        return changed ? { threads } : {};
      });
    const onReactions = ({ messageId, reactions }: { conversationId: string; messageId: string; reactions: MessageDto['reactions'] }) =>
      store.set((s) => {
        markLive([messageId]);
        const entry = Object.entries(s.threads).find(([, t]) => t.items.some((m) => m.id === messageId));
        if (!entry) return {};
        const [rootId, t] = entry;
        return { threads: { ...s.threads, [rootId]: { ...t, items: t.items.map((m) => (m.id === messageId ? { ...m, reactions } : m)) } } };
      });
    const onConnect = async () => {
      try {
        const page = await api<ThreadsPage>('/threads?limit=50');
        store.set({ threadUnread: Object.fromEntries(page.threads.map((t) => [t.root.id, t.unreadCount])) });
        for (const [rootId, t] of Object.entries(store.get().threads)) {
          if (!t.loaded) continue;
          const merge = ({ page, fetchedAt }: { page: ThreadPage; fetchedAt: number }) =>
            store.set((s) => ({ threads: { ...s.threads, [rootId]: { ...s.threads[rootId]!, root: page.root, items: mergeMessages(s.threads[rootId]!.items, page.messages, fetchedAt) } } }));
          const newest = t.items[t.items.length - 1];
          if (!newest) {
            // No reply held: the newest page is all there is to catch up on.
            const fetchedAt = fetchStamp();
            merge({ page: await api<ThreadPage>(`/messages/${rootId}/thread?limit=${MAX_PAGE}`), fetchedAt });
            continue;
          }
          // Page by page until the newest (more than a page may have come while this tab was away).
          for await (const answer of newerReplies(rootId, newest.id)) merge(answer);
        }
      } catch {
        /* offline or restarting: the next connect tries again */
      }
    };
    socket.on('thread:updated', onUpdated);
    socket.on('thread:unread', onUnread);
    socket.on('message:deleted', onDeleted);
    socket.on('reaction:updated', onReactions);
    socket.on('connect', onConnect);
    if (socket.connected) void onConnect();
    return () => {
      socket.off('thread:updated', onUpdated);
      socket.off('thread:unread', onUnread);
      socket.off('message:deleted', onDeleted);
      socket.off('reaction:updated', onReactions);
      socket.off('connect', onConnect);
    };
  }, [socket, store]);

  return null;
}

/** Opening, paging, reading and following threads. */
export function useThreadActions() {
  const { store } = useChatActions();
  const { socket } = useRealtime();

  const openThread = useCallback(
    async (rootId: string, around?: string) => {
      const cur = store.get().threads[rootId];
      if (cur?.loaded && !around) return;
      const fetchedAt = fetchStamp();
      const page = await api<ThreadPage>(`/messages/${rootId}/thread?limit=${PAGE}${around ? `&around=${around}` : ''}`);
      // A reply far back (a search hit, a permalink): the thread is held from there to its newest reply, so the replies
      // after the page are read too (live ones then join the end with no gap between).
      const newest = page.messages[page.messages.length - 1];
      if (page.hasMoreAfter && newest) for await (const more of newerReplies(rootId, newest.id)) page.messages.push(...more.page.messages);
      store.set((s) => ({ threads: { ...s.threads, [rootId]: { root: page.root, ...withFirstPage(s.threads[rootId]?.items, page, fetchedAt) } } }));
    },
    [store],
  );

  const loadOlder = useCallback(
    (rootId: string) =>
      loadOlderPage(
        store.get().threads[rootId],
        (patch) => store.set((s) => ({ threads: { ...s.threads, [rootId]: { ...s.threads[rootId]!, ...patch(s.threads[rootId]!) } } })),
        (before) => api<ThreadPage>(`/messages/${rootId}/thread?limit=${PAGE}${before ? `&before=${before}` : ''}`),
      ).catch(() => {
        /* the next scroll to the top tries again */
      }),
    [store],
  );

  const markRead = useCallback(
    (rootId: string, messageId: string) => {
      if ((store.get().threadUnread[rootId] ?? 0) === 0 && store.get().threads[rootId]?.root?.thread?.unreadCount === 0) return;
      store.set((s) => ({ threadUnread: { ...s.threadUnread, [rootId]: 0 } }));
      void api(`/messages/${rootId}/thread/read`, { method: 'POST', body: { messageId } }).catch((e: unknown) => {
        if (!(e instanceof AppError)) return;
      });
    },
    [store],
  );

  const setFollowing = useCallback(async (rootId: string, following: boolean) => {
    await api(`/messages/${rootId}/follow`, { method: following ? 'PUT' : 'DELETE' });
  }, []);

  const typing = useCallback(
    (conversationId: string, threadId: string, isTyping: boolean) => {
      if (!socket?.connected) return;
      socket.emit(isTyping ? 'typing:start' : 'typing:stop', { conversationId, threadId }, () => {});
    },
    [socket],
  );

  return useMemo(() => ({ openThread, loadOlder, markRead, setFollowing, typing }), [openThread, loadOlder, markRead, setFollowing, typing]);
}
