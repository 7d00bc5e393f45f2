'use client';

import { useTranslations } from 'next-intl';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { AppError, type ErrorBody } from '@/lib/errors';
import type { ClientToServerEvents, PresenceDto } from '@/lib/realtime/contract';
import { api } from '@/lib/client/api';
import { fillGap, hasGap, type FetchAfter } from '@/lib/client/gap';
import { cachedApiJson, claimApiCache, idbGet, idbSet, keepApiOffline, keepPageOffline, readApiCopyEarly, userDataErased } from '@/lib/client/idb';
import { fetchStamp, keepWholeMembers, loadOlderPage, markDeleted, markLive, markPersonLive, mergeMessages, settledItems, sortConversations, Store, tombstone, withFirstPage, withLivePeople, withNetworkFirstPage, type ChatState, type OutboxItem } from '@/lib/client/store';
import { dropSent, mergeThreadReplies } from '@/lib/client/threads';
import type { AttachmentDto, ConversationDto, MessageDto } from '@/lib/validation/dto';
import type { Me } from '@/lib/validation/users';
import { useRealtime } from './Realtime';

const fetchAfter: FetchAfter = (cid, afterId) => api(`/conversations/${cid}/messages?after=${encodeURIComponent(afterId)}&limit=100`);

interface ChatActions {
  store: Store;
  loadConversations: (fresh?: boolean) => Promise<void>;
  openConversation: (id: string) => Promise<void>;
  loadOlder: (id: string) => Promise<void>;
  send: (conversationId: string, body: string, opts?: { replyToId?: string; attachments?: AttachmentDto[]; threadId?: string; alsoToChannel?: boolean }) => void;
  retry: (clientId: string) => void;
  discard: (clientId: string) => void;
  markRead: (conversationId: string, messageId: string) => void;
  upsertConversation: (c: ConversationDto) => void;
  editMessage: (messageId: string, body: string) => Promise<void>;
  deleteMessage: (messageId: string) => Promise<void>;
  toggleReaction: (messageId: string, emoji: string, on: boolean) => Promise<void>;
  setPinned: (messageId: string, pinned: boolean) => Promise<void>;
  typing: (conversationId: string, isTyping: boolean) => void;
  /** Loads older pages until the message is in memory (to jump to a reply's original or a search hit). */
  ensureLoaded: (conversationId: string, messageId: string) => Promise<boolean>;
}

const ChatContext = createContext<ChatActions | null>(null);

/** The first page of a conversation; the same URL the offline cache is warmed with. */
export const FIRST_PAGE = 100;
/** The sidebar's first page of conversations, shown before the whole list on a start with nothing on screen. */
const FIRST_LIST_PAGE = 50;

// A conversation's page being loaded: this device's copy of its first page is read while the app starts, so it can
// show before the network answers (`openConversation`).
if (typeof window !== 'undefined') {
  const open = /^\/c\/([^/]+)/.exec(window.location.pathname);
  if (open) readApiCopyEarly(`/api/v1/conversations/${open[1]}/messages?limit=${FIRST_PAGE}`);
}
const PAGE = 50;
const PERMANENT = new Set(['bad_request', 'not_found', 'forbidden', 'unauthorized', 'payload_too_large', 'unsupported_media_type']);

/** New messages from others, counted as the conversation's notification level says. */
function addUnseen(c: ConversationDto, unseen: MessageDto[], meId: string): Pick<ConversationDto, 'unreadCount' | 'mentionCount' | 'badgeCount'> {
  const mentions = c.notify === 'none' ? 0 : unseen.filter((m) => m.mentions.includes(meId)).length;
  const badge = c.notify === 'all' ? unseen.length : c.notify === 'mentions' ? mentions : 0;
  return { unreadCount: c.unreadCount + unseen.length, mentionCount: c.mentionCount + mentions, badgeCount: c.badgeCount + badge };
}

/** What a `presence` event changes on a member (older servers send no status/dnd: left as they were). */
export function presencePatch(p: PresenceDto) {
  return {
    online: p.online,
    lastSeenAt: p.lastSeenAt,
    ...(p.status !== undefined ? { status: p.status } : {}),
    ...(p.dnd !== undefined ? { dnd: p.dnd } : {}),
    away: p.away ?? false,
  };
}

function outboxKey(userId: string) {
  return `outbox:${userId}`;
}

function newClientId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * The chat's client brain: the store, live events, catch-up after every reconnect, and the outbox that sends what
 * you wrote exactly once, in order, with its clientId, retrying until the server acknowledges it.
 */
export function ChatProvider({ me, children }: { me: Me; children: ReactNode }) {
  const { socket, state: connection } = useRealtime();
  const offlineText = useTranslations('sidebar')('offlineShort');
  const storeRef = useRef<Store | null>(null);
  storeRef.current ??= new Store(me);
  const store = storeRef.current;
  const flushing = useRef(false);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Writes are chained so the stored outbox is always the newest one.
  const saving = useRef<Promise<void>>(Promise.resolve());
  const saveOutbox = useCallback(
    () => {
      // Writes whatever the outbox is when the write runs (after the saved one was restored).
      saving.current = saving.current.then(() => idbSet(outboxKey(me.id), store.get().outbox)).catch(() => {
        /* storage disabled: the outbox still lives in memory */
      });
    },
    [me.id, store],
  );

  const setOutbox = useCallback(
    (fn: (o: OutboxItem[]) => OutboxItem[]) => {
      store.set((s) => {
        const outbox = fn(s.outbox);
        saveOutbox();
        return { outbox };
      });
    },
    [store, saveOutbox],
  );

  const upsertConversation = useCallback(
    (c: ConversationDto) => {
      store.set((s) => {
        const list = s.conversations ?? [];
        const i = list.findIndex((x) => x.id === c.id);
        const next = i >= 0 ? list.map((x) => (x.id === c.id ? { ...x, ...c } : x)) : [...list, c];
        return { conversations: sortConversations(next) };
      });
    },
    [store],
  );

  /** A stored message arrived (live event, ack or catch-up). */
  const receive = useCallback(
    (all: MessageDto[], opts: { live?: boolean; fetchedAt?: number } = {}) => {
      if (all.length === 0) return;
      // Thread replies go to their thread; only those also sent to the channel join the timeline too.
      const replies = all.filter((m) => m.threadId);
      if (replies.length) {
        store.set((s) => ({ threads: mergeThreadReplies(s.threads, replies), outbox: dropSent(s, replies) }));
        saveOutbox();
      }
      const incoming = all.filter((m) => !m.threadId || m.alsoToChannel);
      if (incoming.length === 0) return;
      store.set((s) => {
        const messages = { ...s.messages };
        const byConversation = new Map<string, MessageDto[]>();
        for (const m of incoming) byConversation.set(m.conversationId, [...(byConversation.get(m.conversationId) ?? []), m]);
        let conversations = s.conversations;
        for (const [cid, list] of byConversation) {
          const cur = messages[cid];
          // Kept even before the first page arrives (openConversation merges them), so nothing is dropped.
          messages[cid] = cur
            ? { ...cur, items: mergeMessages(cur.items, list, opts.fetchedAt) }
            : { items: mergeMessages([], list, opts.fetchedAt), hasMore: true, loaded: false, loadingOlder: false };
          if (conversations) {
            const newest = list.reduce((a, b) => (b.seq > a.seq ? b : a));
            conversations = conversations.map((c) => {
              if (c.id !== cid) return c;
              const isNewer = !c.lastMessage || newest.seq >= c.lastMessage.seq;
              const unseenList = opts.live
                ? list.filter((m) => m.kind === 'user' && m.sender?.id !== s.me.id && (!c.lastMessage || m.seq > c.lastMessage.seq))
                : [];
              const viewing = s.activeId === cid && typeof document !== 'undefined' && document.visibilityState === 'visible' && document.hasFocus();
              return {
                ...c,
                lastMessage: isNewer ? newest : c.lastMessage,
                updatedAt: isNewer ? newest.createdAt : c.updatedAt,
                ...(viewing ? {} : addUnseen(c, unseenList, s.me.id)),
              };
            });
          }
        }
        const sentIds = new Set(incoming.filter((m) => m.sender?.id === s.me.id && m.clientId).map((m) => m.clientId));
        const outbox = sentIds.size ? s.outbox.filter((o) => !sentIds.has(o.clientId)) : s.outbox;
        if (outbox !== s.outbox) saveOutbox();
        return { messages, outbox, conversations: conversations ? sortConversations(conversations) : conversations };
      });
    },
    [store, saveOutbox],
  );

  // The list carries a preview of each group's and channel's members; the open one gets them all (receipts,
  // mentions, the member list) from GET /conversations/{id}: when it opens with only a preview, when its member count
  // changes, and after a reconnect (read positions moved meanwhile). Never again for its own answer.
  const wholeMembers = useRef(new Map<string, { memberCount: number; at: number }>());
  const fillMembers = useCallback(
    (id: string | null, since?: number) => {
      const c = id ? store.get().conversations?.find((x) => x.id === id) : undefined;
      if (!c || c.kind === 'direct') return;
      const asked = wholeMembers.current.get(c.id);
      const needed = asked ? asked.memberCount !== c.memberCount || (since !== undefined && asked.at < since) : c.members.length < c.memberCount;
      if (!needed) return;
      wholeMembers.current.set(c.id, { memberCount: c.memberCount, at: fetchStamp() });
      api<{ conversation: ConversationDto }>(`/conversations/${c.id}`, { fresh: true }).then(
        ({ conversation }) =>
          store.set((s) => ({
            conversations: s.conversations?.map((x) => (x.id === c.id ? { ...x, members: conversation.members, memberCount: conversation.memberCount } : x)) ?? null,
          })),
        () => wholeMembers.current.delete(c.id),
      );
    },
    [store],
  );

  const loadConversations = useCallback(async (fresh = false, connectedAt?: number) => {
    const fetchedAt = fetchStamp();
    const { conversations: answered } = await api<{ conversations: ConversationDto[] }>('/conversations', { fresh });
    // Someone's status or presence that changed live while the list was on its way stays as the event said.
    const conversations = withLivePeople(answered, fetchedAt);
    store.set((s) => {
      // Drop messages of conversations we are no longer in.
      const keep = new Set(conversations.map((c) => c.id));
      const messages = Object.fromEntries(Object.entries(s.messages).filter(([id]) => keep.has(id)));
      // Messages that arrived live while this list was on its way are newer than it: count them in (otherwise the
      // sidebar loses them, and their unread count, until the next reload).
      const viewing = s.activeId && document.visibilityState === 'visible' && document.hasFocus() ? s.activeId : null;
      const merged = conversations.map((listed) => {
        const c = keepWholeMembers(listed, s.conversations?.find((x) => x.id === listed.id));
        const newer = (s.messages[c.id]?.items ?? []).filter((m) => !c.lastMessage || m.seq > c.lastMessage.seq);
        const newest = newer[newer.length - 1];
        if (!newest) return c;
        const unseen = c.id === viewing ? [] : newer.filter((m) => m.kind === 'user' && m.sender?.id !== s.me.id && !m.deletedAt);
        return { ...c, lastMessage: newest, updatedAt: newest.createdAt, ...addUnseen(c, unseen, s.me.id) };
      });
      return { conversations: sortConversations(merged), messages };
    });
    fillMembers(store.get().activeId, connectedAt);
  }, [store, fillMembers]);

  const openConversation = useCallback(
    async (id: string) => {
      store.set({ activeId: id });
      fillMembers(id);
      void keepPageOffline(`/c/${id}`);
      const cur = store.get().messages[id];
      if (cur?.loaded) return;
      const path = `/conversations/${id}/messages?limit=${FIRST_PAGE}`;
      const fetchedAt = fetchStamp();
      const network = api<{ messages: MessageDto[]; hasMore: boolean }>(path);
      // Offline as online: this device's copy of the first page shows at once while the network's answer is on its
      // way (stamped older than anything, so a live change always wins over it). Only onto an empty conversation.
      void cachedApiJson<{ messages: MessageDto[]; hasMore: boolean }>(`/api/v1${path}`, me.id).then((copy) => {
        if (!copy?.messages?.length) return;
        store.set((s) =>
          s.messages[id]?.loaded || s.messages[id]?.items.length ? {} : { messages: { ...s.messages, [id]: { ...withFirstPage([], copy, 0), cached: true } } },
        );
      });
      const page = await network;
      // The network's page replaces the copy: of what it painted, only what came live since stays.
      store.set((s) => ({ messages: { ...s.messages, [id]: withNetworkFirstPage(s.messages[id], page, fetchedAt) } }));
    },
    [store, me.id, fillMembers],
  );

  const loadOlder = useCallback(
    (id: string) =>
      loadOlderPage(
        // Not over this device's copy: the first page, on its way, replaces it.
        store.get().messages[id]?.cached ? undefined : store.get().messages[id],
        (patch) => store.set((s) => ({ messages: { ...s.messages, [id]: { ...s.messages[id]!, ...patch(s.messages[id]!) } } })),
        (before) => api<{ messages: MessageDto[]; hasMore: boolean }>(`/conversations/${id}/messages?limit=${PAGE}${before ? `&before=${before}` : ''}`),
      ),
    [store],
  );

  /**
   * After any (re)connect: fetch what came after the newest message we hold, for every loaded conversation; then the
   * newest page again where it was read before this connect (`connectedAt`), for what changed in between (edits,
   * deletions, reactions of messages already held). On a first connect that is a page read while the socket was
   * still connecting, or one the service worker answered from its cache.
   */
  const catchUp = useCallback(async (connectedAt: number) => {
    // Every read here asks for the network's answer (`fresh`): the worker's cached snapshot would be the page from
    // before the outage.
    await loadConversations(true, connectedAt);
    const loaded = Object.entries(store.get().messages).filter(([, v]) => v.loaded);
    const notFound = (e: unknown) => {
      if (e instanceof AppError && e.code === 'not_found') return { messages: [], hasMore: false };
      throw e;
    };
    await Promise.all(
      loaded.map(async ([id, entry]) => {
        if (entry.cached) {
          // Only this device's copy is held (the first page's network answer failed): the newest page replaces it.
          const fetchedAt = fetchStamp();
          const page = await api<{ messages: MessageDto[]; hasMore: boolean }>(`/conversations/${id}/messages?limit=${FIRST_PAGE}`, { fresh: true }).catch(notFound);
          store.set((s) => (s.messages[id]?.cached ? { messages: { ...s.messages, [id]: withNetworkFirstPage(s.messages[id], page, fetchedAt) } } : {}));
          return;
        }
        for (let i = 0; i < 50; i++) {
          const items = store.get().messages[id]?.items ?? [];
          const newest = items[items.length - 1];
          const fetchedAt = fetchStamp();
          const page = await api<{ messages: MessageDto[]; hasMore: boolean }>(
            `/conversations/${id}/messages?limit=100${newest ? `&after=${newest.id}` : ''}`,
            { fresh: true },
          ).catch(notFound);
          receive(page.messages, { fetchedAt });
          if (!page.hasMore) break;
        }
        // Read after this connect (opened since): fresh, nothing to refresh.
        if ((store.get().messages[id]?.readAt ?? 0) > connectedAt) return;
        const fetchedAt = fetchStamp();
        const latest = await api<{ messages: MessageDto[]; hasMore: boolean }>(`/conversations/${id}/messages?limit=${FIRST_PAGE}`, { fresh: true }).catch(notFound);
        receive(latest.messages, { fetchedAt });
        store.set((s) => (s.messages[id] ? { messages: { ...s.messages, [id]: { ...s.messages[id], readAt: fetchedAt } } } : {}));
      }),
    );
  }, [loadConversations, receive, store]);

  const flush = useCallback(async () => {
    if (flushing.current || !socket?.connected || !store.get().synced) return;
    flushing.current = true;
    try {
      for (;;) {
        const item = store.get().outbox.find((o) => o.status === 'pending');
        if (!item || !socket.connected) break;
        let res;
        try {
          res = await socket.timeout(10_000).emitWithAck('message:send', {
            conversationId: item.conversationId,
            body: item.body,
            clientId: item.clientId,
            ...(item.replyToId ? { replyToId: item.replyToId } : {}),
            ...(item.attachmentIds?.length ? { attachmentIds: item.attachmentIds } : {}),
            ...(item.threadId ? { threadId: item.threadId, ...(item.alsoToChannel ? { alsoToChannel: true } : {}) } : {}),
            ...(item.urgent ? { urgent: true } : {}),
          });
        } catch {
          // No ack in time (connection lost?): keep it pending; the same clientId makes the retry safe.
          setOutbox((o) => o.map((x) => (x.clientId === item.clientId ? { ...x, attempts: x.attempts + 1 } : x)));
          const delay = Math.min(30_000, 1000 * 2 ** Math.min(item.attempts, 5));
          if (retryTimer.current) clearTimeout(retryTimer.current);
          retryTimer.current = setTimeout(() => void flush(), delay);
          break;
        }
        if (res.ok) {
          receive([res.data.message]);
        } else if (PERMANENT.has(res.error.code)) {
          setOutbox((o) => o.map((x) => (x.clientId === item.clientId ? { ...x, status: 'failed', error: res.error.message } : x)));
        } else {
          setOutbox((o) => o.map((x) => (x.clientId === item.clientId ? { ...x, attempts: x.attempts + 1 } : x)));
          const delay = Math.min(30_000, 1000 * 2 ** Math.min(item.attempts, 5));
          if (retryTimer.current) clearTimeout(retryTimer.current);
          retryTimer.current = setTimeout(() => void flush(), delay);
          break;
        }
      }
    } finally {
      flushing.current = false;
    }
  }, [socket, store, receive, setOutbox]);

  const send = useCallback(
    (conversationId: string, body: string, opts: { replyToId?: string; attachments?: AttachmentDto[]; threadId?: string; alsoToChannel?: boolean; urgent?: boolean } = {}) => {
      const item: OutboxItem = {
        clientId: newClientId(),
        conversationId,
        body,
        replyToId: opts.replyToId,
        ...(opts.threadId ? { threadId: opts.threadId, alsoToChannel: opts.alsoToChannel } : {}),
        attachmentIds: opts.attachments?.map((a) => a.id),
        attachments: opts.attachments,
        ...(opts.urgent ? { urgent: true } : {}),
        createdAt: new Date().toISOString(),
        status: 'pending',
        attempts: 0,
      };
      setOutbox((o) => [...o, item]);
      void flush();
    },
    [setOutbox, flush],
  );

  const retry = useCallback(
    (clientId: string) => {
      setOutbox((o) => o.map((x) => (x.clientId === clientId ? { ...x, status: 'pending', error: undefined, attempts: 0 } : x)));
      void flush();
    },
    [setOutbox, flush],
  );

  const discard = useCallback((clientId: string) => setOutbox((o) => o.filter((x) => x.clientId !== clientId)), [setOutbox]);

  const lastReadSent = useRef(new Map<string, string>());
  const markRead = useCallback(
    (conversationId: string, messageId: string) => {
      if (lastReadSent.current.get(conversationId) === messageId) return;
      lastReadSent.current.set(conversationId, messageId);
      store.set((s) => ({
        conversations: s.conversations?.map((c) => (c.id === conversationId ? { ...c, unreadCount: 0, mentionCount: 0, badgeCount: 0 } : c)) ?? null,
      }));
      socket?.emit('conversation:read', { conversationId, messageId }, () => {});
    },
    [socket, store],
  );

  /** A socket request with the contract's ack; errors come back as AppError. */
  const request = useCallback(
    async <E extends 'message:edit' | 'message:delete' | 'reaction:add' | 'reaction:remove'>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]) => {
      if (!socket?.connected) throw new AppError('internal', offlineText);
      const res = (await (socket.timeout(10_000).emitWithAck as (e: E, p: unknown) => Promise<{ ok: boolean; data?: unknown; error?: ErrorBody }>)(event, payload));
      if (!res.ok) throw AppError.fromBody(res.error!);
      return res.data;
    },
    [socket, offlineText],
  );

  const editMessage = useCallback(
    async (messageId: string, body: string) => {
      const data = (await request('message:edit', { messageId, body })) as { message: MessageDto };
      receive([data.message]);
    },
    [request, receive],
  );
  const deleteMessage = useCallback(async (messageId: string) => void (await request('message:delete', { messageId })), [request]);
  const toggleReaction = useCallback(
    async (messageId: string, emoji: string, on: boolean) => void (await request(on ? 'reaction:add' : 'reaction:remove', { messageId, emoji })),
    [request],
  );
  const setPinned = useCallback(
    async (messageId: string, pinned: boolean) => {
      const { message } = await api<{ message: MessageDto }>(`/messages/${messageId}/pin`, { method: pinned ? 'PUT' : 'DELETE' });
      receive([message]);
    },
    [receive],
  );
  const typingState = useRef(new Map<string, number>());
  const typing = useCallback(
    (conversationId: string, isTyping: boolean) => {
      if (!socket?.connected) return;
      const last = typingState.current.get(conversationId);
      if (isTyping) {
        // At most one event per 2 s while typing.
        if (last && Date.now() - last < 2000) return;
        typingState.current.set(conversationId, Date.now());
        socket.emit('typing:start', { conversationId }, () => {});
      } else if (last) {
        typingState.current.delete(conversationId);
        socket.emit('typing:stop', { conversationId }, () => {});
      }
    },
    [socket],
  );
  const ensureLoaded = useCallback(
    async (conversationId: string, messageId: string) => {
      await openConversation(conversationId);
      for (let i = 0; i < 40; i++) {
        const cur = store.get().messages[conversationId];
        if (cur?.items.some((m) => m.id === messageId)) return true;
        if (!cur?.hasMore) return false;
        await loadOlder(conversationId);
      }
      return false;
    },
    [openConversation, loadOlder, store],
  );

  // This device's API copies are painted before the network answers: they must be this user's.
  useEffect(() => {
    void claimApiCache(me.id);
  }, [me.id]);

  // Restore the outbox written before a reload (even one made offline), then try to send it.
  const [outboxLoaded, setOutboxLoaded] = useState(false);
  useEffect(() => {
    const restore = idbGet<OutboxItem[]>(outboxKey(me.id))
      .then((saved) => {
        if (Array.isArray(saved) && saved.length) {
          const known = new Set(store.get().outbox.map((o) => o.clientId));
          store.set((s) => ({ outbox: [...saved.filter((o) => !known.has(o.clientId)), ...s.outbox] }));
        }
      })
      .catch(() => {})
      .finally(() => setOutboxLoaded(true));
    saving.current = restore;
  }, [me.id, store]);

  // Keep this device's offline copy warm: the conversation list and the newest messages of the 20 most recent
  // conversations, fetched with the very URLs the app reads (the service worker caches them, network first).
  const warmTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const warmCache = useCallback(async () => {
    if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller || !navigator.onLine) return;
    const top = (store.get().conversations ?? []).slice(0, 20);
    for (const c of top) {
      if (userDataErased()) return;
      if (store.get().messages[c.id]?.loaded) {
        await keepPageOffline(`/c/${c.id}`);
        continue; // the snapshot above keeps its messages
      }
      await keepApiOffline(`/api/v1/conversations/${c.id}/messages?limit=${FIRST_PAGE}`);
      await keepPageOffline(`/c/${c.id}`);
    }
  }, [store]);
  // What the user last saw is what they read offline: the store's newest state is written into the same cache
  // entries the service worker answers from (a second after it changes).
  useEffect(() => {
    if (typeof caches === 'undefined') return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last: { conversations: ChatState['conversations']; messages: ChatState['messages'] } | null = null;
    const write = async () => {
      const s = store.get();
      if (!s.conversations || userDataErased()) return;
      const cache = await caches.open('chattrix-api');
      const json = (data: unknown) => new Response(JSON.stringify(data), { headers: { 'content-type': 'application/json; charset=utf-8' } });
      await cache.put('/api/v1/conversations', json({ conversations: s.conversations }));
      for (const c of s.conversations.slice(0, 20)) {
        const m = s.messages[c.id];
        if (!m?.loaded) continue;
        const items = m.items.slice(-FIRST_PAGE);
        await cache.put(`/api/v1/conversations/${c.id}/messages?limit=${FIRST_PAGE}`, json({ messages: items, hasMore: m.hasMore || m.items.length > FIRST_PAGE }));
      }
    };
    const unsubscribe = store.subscribe(() => {
      const s = store.get();
      if (last && last.conversations === s.conversations && last.messages === s.messages) return;
      last = { conversations: s.conversations, messages: s.messages };
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void write().catch(() => {}), 1000);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store]);

  const scheduleWarm = useCallback(() => {
    if (warmTimer.current) clearTimeout(warmTimer.current);
    warmTimer.current = setTimeout(() => void warmCache(), 15_000);
  }, [warmCache]);
  useEffect(() => {
    if (outboxLoaded) void flush();
  }, [outboxLoaded, flush]);

  const gapFetches = useRef(new Map<string, Promise<unknown>>());
  // Live events.
  useEffect(() => {
    if (!socket) return;
    const onCreated = ({ message }: { message: MessageDto }) => {
      // A seq gap (n+2 after n: an event lost between nodes) is fetched before the message shows (lib/client/gap.ts).
      const cid = message.conversationId;
      // (Over this device's copy, painted before the first page came, the gap is that page's to fill.)
      const items = settledItems(store.get().messages[cid]);
      const pending = gapFetches.current.get(cid);
      if (!pending && !hasGap(items?.[items.length - 1], message)) {
        receive([message], { live: true });
      } else {
        const run = (pending ?? Promise.resolve())
          .then(() => {
            const now = settledItems(store.get().messages[cid]);
            const newest = now?.[now.length - 1];
            return newest && hasGap(newest, message) ? fillGap(newest, message, fetchAfter) : [message];
          })
          .then((list) => receive(list, { live: true }), () => receive([message], { live: true }))
          .finally(() => gapFetches.current.get(cid) === run && gapFetches.current.delete(cid));
        gapFetches.current.set(cid, run);
      }
      scheduleWarm();
    };
    const onUpdated = ({ message }: { message: MessageDto }) => receive([message]);
    const patchMessage = (conversationId: string, messageId: string, patch: (m: MessageDto) => MessageDto) => {
      markLive([messageId]);
      store.set((s) => {
        const cur = s.messages[conversationId];
        const conversations = s.conversations?.map((c) =>
          c.id === conversationId && c.lastMessage?.id === messageId ? { ...c, lastMessage: patch(c.lastMessage) } : c,
        ) ?? null;
        if (!cur) return { conversations };
        return {
          conversations,
          messages: { ...s.messages, [conversationId]: { ...cur, items: cur.items.map((m) => (m.id === messageId ? patch(m) : m)) } },
        };
      });
    };
    const onDeleted = ({ conversationId, messageId }: { conversationId: string; messageId: string }) => {
      const at = markDeleted(messageId);
      patchMessage(conversationId, messageId, (m) => tombstone(m, at));
    };
    const onReactions = ({ conversationId, messageId, reactions }: { conversationId: string; messageId: string; reactions: MessageDto['reactions'] }) =>
      patchMessage(conversationId, messageId, (m) => ({ ...m, reactions }));
    const onTyping = ({ conversationId: cid, userId, displayName, isTyping, threadId }: { conversationId: string; userId: string; displayName: string; isTyping: boolean; threadId?: string }) => {
      if (userId === me.id) return;
      // Typing in a thread is shown in its panel (keyed `conversationId:threadId`), not under the timeline.
      const conversationId = threadId ? `${cid}:${threadId}` : cid;
      store.set((s) => {
        const now = Date.now();
        const list = (s.typing[conversationId] ?? []).filter((t) => t.userId !== userId && t.until > now);
        if (isTyping) list.push({ userId, displayName, until: now + 6000 });
        return { typing: { ...s.typing, [conversationId]: list } };
      });
    };
    const onConvCreated = ({ conversation }: { conversation: ConversationDto }) => upsertConversation(conversation);
    const onConvUpdated = ({ conversation }: { conversation: ConversationDto }) => {
      // Only the shared fields: unreadCount, muted and myRole in a broadcast are another viewer's.
      const mine = conversation.members.find((m) => m.id === me.id);
      store.set((s) => ({
        conversations:
          s.conversations?.map((c) =>
            c.id === conversation.id
              ? {
                  ...c,
                  title: conversation.title,
                  members: conversation.members,
                  memberCount: conversation.memberCount,
                  myRole: mine?.role ?? c.myRole,
                  ...(conversation.kind === 'channel'
                    ? { topic: conversation.topic, description: conversation.description, private: conversation.private, archived: conversation.archived }
                    : {}),
                }
              : c,
          ) ?? null,
      }));
    };
    const onRemoved = ({ conversationId }: { conversationId: string }) =>
      store.set((s) => {
        const messages = { ...s.messages };
        delete messages[conversationId];
        return { conversations: s.conversations?.filter((c) => c.id !== conversationId) ?? null, messages };
      });
    const onRead = ({ conversationId, userId, messageId, seq }: { conversationId: string; userId: string; messageId: string; seq: number }) =>
      store.set((s) => ({
        conversations:
          s.conversations?.map((c) =>
            c.id === conversationId
              ? {
                  ...c,
                  members: c.members.map((m) => (m.id === userId ? { ...m, lastReadMessageId: messageId, lastReadSeq: Math.max(m.lastReadSeq, seq) } : m)),
                  ...(userId === me.id ? { unreadCount: 0, mentionCount: 0, badgeCount: 0 } : {}),
                }
              : c,
          ) ?? null,
      }));
    const onPresence = (p: PresenceDto) => {
      markPersonLive(p.userId, presencePatch(p));
      store.set((s) => ({
        conversations:
          s.conversations?.map((c) =>
            c.members.some((m) => m.id === p.userId)
              ? { ...c, members: c.members.map((m) => (m.id === p.userId ? { ...m, ...presencePatch(p) } : m)) }
              : c,
          ) ?? null,
      }));
    };
    // Another device changed a notification level: take this conversation's counts from the server again.
    const onPreferences = (p: { conversationId?: string }) => {
      if (p.conversationId) void api<{ conversation: ConversationDto }>(`/conversations/${p.conversationId}`).then((r) => upsertConversation(r.conversation), () => {});
    };
    // A message matched one of my keywords: a mention only I know of.
    const onKeyword = ({ conversationId }: { conversationId: string; messageId: string }) =>
      store.set((s) => ({
        conversations:
          s.conversations?.map((c) =>
            c.id === conversationId && !(s.activeId === c.id && document.visibilityState === 'visible' && document.hasFocus()) && c.notify !== 'none'
              ? { ...c, mentionCount: c.mentionCount + 1, badgeCount: c.notify === 'mentions' ? c.badgeCount + 1 : c.badgeCount }
              : c,
          ) ?? null,
      }));
    const onConnect = () => {
      store.set({ synced: false });
      catchUp(fetchStamp())
        .then(() => {
          store.set({ synced: true });
          void flush();
          scheduleWarm();
        })
        .catch(() => {
          // Catch-up failed (server restarting?): try again shortly.
          setTimeout(() => socket.connected && onConnect(), 2000);
        });
    };
    const onDisconnect = () => store.set({ synced: false });
    socket.on('message:created', onCreated);
    socket.on('message:updated', onUpdated);
    socket.on('message:deleted', onDeleted);
    socket.on('reaction:updated', onReactions);
    socket.on('typing', onTyping);
    socket.on('conversation:created', onConvCreated);
    socket.on('conversation:updated', onConvUpdated);
    socket.on('conversation:removed', onRemoved);
    socket.on('conversation:read', onRead);
    socket.on('presence', onPresence);
    socket.on('preferences:updated', onPreferences);
    socket.on('mention:keyword', onKeyword);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    if (socket.connected) onConnect();
    return () => {
      socket.off('message:created', onCreated);
      socket.off('message:updated', onUpdated);
      socket.off('message:deleted', onDeleted);
      socket.off('reaction:updated', onReactions);
      socket.off('typing', onTyping);
      socket.off('conversation:created', onConvCreated);
      socket.off('conversation:updated', onConvUpdated);
      socket.off('conversation:removed', onRemoved);
      socket.off('conversation:read', onRead);
      socket.off('presence', onPresence);
      socket.off('preferences:updated', onPreferences);
      socket.off('mention:keyword', onKeyword);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
    };
  }, [socket, store, receive, upsertConversation, catchUp, flush, me.id, scheduleWarm]);

  // The newest conversations, shown while the whole list is on its way: only onto an empty sidebar (a full list,
  // even a cached one, is never replaced by a page of it).
  const loadFirstPage = useCallback(async () => {
    const fetchedAt = fetchStamp();
    const { conversations } = await api<{ conversations: ConversationDto[] }>(`/conversations?limit=${FIRST_LIST_PAGE}`);
    store.set((s) => (s.conversations === null ? { conversations: sortConversations(withLivePeople(conversations, fetchedAt)) } : {}));
    fillMembers(store.get().activeId);
  }, [store, fillMembers]);

  // First load even before the socket is up (and when it cannot connect at all). With nothing on screen yet, the
  // first page (a few KB) shows first. The whole list then comes from the connect's catch-up, or from here when the
  // socket is not up by then: a start costs one whole list where it cost two.
  const socketRef = useRef(socket);
  useEffect(() => {
    socketRef.current = socket;
  }, [socket]);
  useEffect(() => {
    void (async () => {
      if (store.get().conversations === null) await loadFirstPage().catch(() => {});
      if (!socketRef.current?.connected) await loadConversations();
    })().catch(() => {});
  }, [loadConversations, loadFirstPage, store]);

  useEffect(() => {
    if (connection === 'offline') store.set({ synced: false });
  }, [connection, store]);

  const actions = useMemo<ChatActions>(
    () => ({
      store,
      loadConversations,
      openConversation,
      loadOlder,
      send,
      retry,
      discard,
      markRead,
      upsertConversation,
      editMessage,
      deleteMessage,
      toggleReaction,
      setPinned,
      typing,
      ensureLoaded,
    }),
    [store, loadConversations, openConversation, loadOlder, send, retry, discard, markRead, upsertConversation, editMessage, deleteMessage, toggleReaction, setPinned, typing, ensureLoaded],
  );
  return <ChatContext.Provider value={actions}>{children}</ChatContext.Provider>;
}

export function useChatActions(): ChatActions {
  const ctx = useContext(ChatContext);
  if (!ctx) throw new Error('useChatActions outside ChatProvider');
  return ctx;
}

export function useChat<T>(select: (s: ChatState) => T): T {
  const { store } = useChatActions();
  return useSyncExternalStore(store.subscribe, () => select(store.get()), () => select(store.get()));
}
