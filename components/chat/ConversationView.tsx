'use client';

import { memberFinder } from '@/lib/client/members';
import { ArrowLeft, BellOff, Hash, Info, Pin, Users, X } from 'lucide-react';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { api } from '@/lib/client/api';
import { useConversationTitle } from './useConversationTitle';
import { LIVE_MAX, WINDOW_PAGE, windowOf, withLiveCopies, withNewer, withOlder, type HistoryWindow, type PageAnswer } from '@/lib/client/history-window';
import { AppError } from '@/lib/errors';
import type { MessageDto } from '@/lib/validation/dto';
import { useChat, useChatActions } from './ChatProvider';
import { NewMessageAnnouncer } from './Announcer';
import { Composer } from './Composer';
import { presenceText, shownOnline, usePresenceKnown, usePresenceWords } from './presence';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import type { Words } from '@/lib/i18n/english';
import type { MessageActions } from './MessageItem';
import { MessageList } from './MessageList';
import { PushPrompt } from './PushPrompt';
import { useRealtime } from './Realtime';
import { RichText } from './RichText';
import { broadcastNotice } from './broadcast';
import { JoinBar } from './JoinBar';
import { ChannelSettings, MembersPanel, ProfileCard, ThreadPanel } from './lazy';
import type { ConversationDto } from '@/lib/validation/dto';

/** How long a message jumped to (a permalink, a search hit, a reply's original) stays highlighted once on screen. */
const HIGHLIGHT_MS = 5000;

/** "Ana is typing…"; `t` is `useTranslations('typing')` (English without it). */
export function typingText(names: string[], t: Words): string {
  if (names.length === 0) return '';
  if (names.length === 1) return t('one', { name: names[0] ?? '' });
  if (names.length === 2) return t('two', { first: names[0] ?? '', second: names[1] ?? '' });
  return t('many', { first: names[0] ?? '', count: names.length - 1 });
}

export function ConversationView({ id, permalink }: { id: string; permalink?: string }) {
  const t = useTranslations('conversation');
  const tTyping = useTranslations('typing') as unknown as Words;
  const tBroadcast = useTranslations('broadcast') as unknown as Words;
  const titleOf = useConversationTitle();
  const tp = usePresenceWords();
  const f = useFormat();
  const chat = useChatActions();
  const { openConversation, loadOlder, send, retry, discard, markRead } = chat;
  const router = useRouter();
  const search = useSearchParams();
  const me = useChat((s) => s.me);
  const conversations = useChat((s) => s.conversations);
  const stored = useMemo(() => conversations?.find((c) => c.id === id), [conversations, id]);
  // A public channel read before joining is not in the list: its preview comes from GET /conversations/{id}.
  const [preview, setPreview] = useState<ConversationDto | null>(null);
  const conversation = stored ?? preview ?? undefined;
  const listed = conversations !== null;
  useEffect(() => {
    if (stored || !listed) return;
    api<{ conversation: ConversationDto }>(`/conversations/${id}`)
      .then((r) => setPreview(r.conversation))
      .catch(() => {});
  }, [id, stored, listed]);
  // Read before joining: this tab hears the channel live (conversation:watch) until it leaves it or joins.
  const { socket } = useRealtime();
  const watching = !stored && preview?.id === id;
  useEffect(() => {
    if (!watching || !socket) return;
    const watch = () => socket.emit('conversation:watch', { conversationId: id }, () => {});
    socket.on('connect', watch);
    if (socket.connected) watch();
    return () => {
      socket.off('connect', watch);
      if (socket.connected) socket.emit('conversation:unwatch', { conversationId: id }, () => {});
    };
  }, [watching, socket, id]);
  const [thread, setThread] = useState<{ rootId: string; highlight: string | null } | null>(null);
  // Opened from the Threads view: /c/{id}?thread={rootId}
  const threadParam = search.get('thread');
  useEffect(() => {
    if (threadParam) setThread({ rootId: threadParam, highlight: null });
  }, [threadParam]);
  const page = useChat((s) => s.messages[id]);
  const outbox = useChat((s) => s.outbox);
  const synced = useChat((s) => s.synced);
  const typingList = useChat((s) => s.typing[id]);
  const pending = useMemo(() => outbox.filter((o) => o.conversationId === id && !o.threadId), [outbox, id]);
  const [missing, setMissing] = useState(false);
  const [panel, setPanel] = useState<'none' | 'members' | 'pins'>('none');
  const [atBottom, setAtBottom] = useState(true);
  const [jump, setJump] = useState(0);
  const [focused, setFocused] = useState(true);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [replyTo, setReplyTo] = useState<MessageDto | null>(null);
  const [highlightId, setHighlightId] = useState<string | null>(null);
  const [profileId, setProfileId] = useState<string | null>(null);
  const [pins, setPins] = useState<MessageDto[] | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [sentHere, setSentHere] = useState(0);
  // Where you had read up to when this conversation opened (the "New" divider), frozen for this visit.
  const [unreadAfterSeq, setUnreadAfterSeq] = useState<number | null | undefined>(undefined);
  useEffect(() => {
    if (unreadAfterSeq !== undefined || !conversation || !page?.loaded) return;
    const mine = conversation.members.find((m) => m.id === me.id);
    setUnreadAfterSeq(conversation.unreadCount > 0 && mine ? mine.lastReadSeq : null);
  }, [unreadAfterSeq, conversation, page?.loaded, me.id]);
  const known = usePresenceKnown();
  // Reading far back (past LIVE_MAX messages) or a permalink further back than the live timeline: a window on the
  // history (lib/client/history-window.ts), shown in place of the live timeline until reading comes back to the
  // newest, "Jump to the present", or sending. listKey starts the list afresh (a jump), not when reading scrolls on.
  const [historyWindow, setHistoryWindow] = useState<HistoryWindow | null>(null);
  const [listKey, setListKey] = useState(0);
  const windowRef = useRef(historyWindow);
  windowRef.current = historyWindow;

  useEffect(() => {
    setMissing(false);
    openConversation(id).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'not_found') setMissing(true);
    });
  }, [id, openConversation, synced]);

  // Reading moves your position only when the conversation is visible and the window focused.
  useEffect(() => {
    const update = () => setFocused(document.visibilityState === 'visible' && document.hasFocus());
    update();
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    document.addEventListener('visibilitychange', update);
    return () => {
      window.removeEventListener('focus', update);
      window.removeEventListener('blur', update);
      document.removeEventListener('visibilitychange', update);
    };
  }, []);
  const newest = page?.items[page.items.length - 1];
  useEffect(() => {
    if (newest && focused && atBottom && conversation?.joined !== false && !historyWindow) markRead(id, newest.id);
  }, [newest, focused, atBottom, id, markRead, conversation?.joined, historyWindow]);

  // Typing indicators expire on their own if the "stop" never comes.
  useEffect(() => {
    if (!typingList?.length) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [typingList]);
  const typers = (typingList ?? []).filter((t) => t.until > now).map((t) => t.displayName);

  // The window's messages, with the live copy of those the live timeline also holds (edited, reacted to, deleted).
  const windowItems = useMemo(() => (historyWindow ? withLiveCopies(historyWindow.items, page?.items) : null), [historyWindow, page?.items]);

  // One page at a time each way: scroll events come faster than React renders the flag that one is on its way. A
  // page's answer is in the window only once React has rendered it (until then the window still ends where it did,
  // and another load would ask for the same page again): 'shown' holds the next load back until that render.
  const loading = useRef<{ older: boolean | 'shown'; newer: boolean | 'shown' }>({ older: false, newer: false });
  useLayoutEffect(() => {
    if (loading.current.older === 'shown') loading.current.older = false;
    if (loading.current.newer === 'shown') loading.current.newer = false;
  }, [historyWindow]);
  const loadOlderHistory = useCallback(async () => {
    const w = windowRef.current;
    const live = chat.store.get().messages[id];
    if (!w) {
      if (!live || live.items.length < LIVE_MAX) return void loadOlder(id).catch(() => {});
      if (!live.hasMore || live.loadingOlder) return;
    } else if (!w.hasMore || w.loadingOlder) return;
    // The live timeline as it is becomes the window (newer messages after it are read from the server on the way back).
    const base = w ?? windowOf(live!.items, live!.hasMore, true);
    const oldest = base.items[0];
    // ('shown' with no window: the answer found none to go into, and was dropped.)
    if (!oldest || loading.current.older === true || (loading.current.older === 'shown' && w)) return;
    loading.current.older = true;
    setHistoryWindow(w ? (cur) => cur && { ...cur, loadingOlder: true } : { ...base, loadingOlder: true });
    try {
      const r = await api<PageAnswer>(`/conversations/${id}/messages?limit=${WINDOW_PAGE}&before=${oldest.id}`);
      loading.current.older = 'shown';
      setHistoryWindow((cur) => (cur ? withOlder(cur, r) : cur));
    } catch {
      loading.current.older = false;
      setHistoryWindow((cur) => (cur ? { ...cur, loadingOlder: false } : cur));
    }
  }, [chat.store, id, loadOlder]);

  const loadNewerHistory = useCallback(async () => {
    const w = windowRef.current;
    const newest = w?.items[w.items.length - 1];
    if (!w || !newest || !w.hasMoreAfter || loading.current.newer) return;
    loading.current.newer = true;
    setHistoryWindow((cur) => cur && { ...cur, loadingNewer: true });
    try {
      const r = await api<PageAnswer>(`/conversations/${id}/messages?limit=${WINDOW_PAGE}&after=${newest.id}`);
      loading.current.newer = 'shown';
      // Back at the newest: the live timeline again (the list keeps the message in view where it is).
      setHistoryWindow((cur) => (!cur ? cur : r.hasMore ? withNewer(cur, r) : null));
    } catch {
      loading.current.newer = false;
      setHistoryWindow((cur) => (cur ? { ...cur, loadingNewer: false } : cur));
    }
  }, [id]);

  /**
   * Scrolls to a message in the list and highlights it for a moment: HIGHLIGHT_MS from when it is on screen, not from
   * the call (on a slow device the window around it can take that long to render). A second jump restarts it.
   */
  const highlightTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(highlightTimer.current), []);
  const show = useCallback((messageId: string, smooth: boolean) => {
    setHighlightId(messageId);
    clearTimeout(highlightTimer.current);
    const behavior = smooth && !window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'smooth' : 'auto';
    let frames = 0;
    const reveal = () => {
      const el = document.getElementById(`m-${messageId}`);
      if (!el && ++frames < 120) return void requestAnimationFrame(reveal);
      el?.scrollIntoView({ block: 'center', behavior });
      highlightTimer.current = setTimeout(() => setHighlightId((h) => (h === messageId ? null : h)), HIGHLIGHT_MS);
    };
    requestAnimationFrame(() => requestAnimationFrame(reveal));
  }, []);

  // A message of this conversation (a reply's original, a search hit, a permalink): in view if shown; from the live
  // timeline if it holds it; else the window around it (GET …/messages?around=), which loads only that part.
  const jumpTo = useCallback(
    async (messageId: string) => {
      if (document.getElementById(`m-${messageId}`)) return show(messageId, true);
      if (chat.store.get().messages[id]?.items.some((x) => x.id === messageId)) {
        setHistoryWindow(null);
        setListKey((k) => k + 1);
        return show(messageId, false);
      }
      const w = await api<PageAnswer & { hasMoreAfter?: boolean }>(`/conversations/${id}/messages?limit=${WINDOW_PAGE}&around=${messageId}`).catch(() => null);
      if (!w?.messages.some((m) => m.id === messageId)) return;
      if (w.hasMoreAfter) {
        setHistoryWindow(windowOf(w.messages, w.hasMore, true));
        setListKey((k) => k + 1);
        return show(messageId, false);
      }
      // Among the newest: the live timeline reaches it.
      if (await chat.ensureLoaded(id, messageId)) {
        setHistoryWindow(null);
        setListKey((k) => k + 1);
        show(messageId, false);
      }
    },
    [chat, id, show],
  );

  // Opened from a search result or a notification: /c/{id}?m={messageId}
  // A permalink (/c/{id}/m/{messageId}) works the same way; a thread reply opens its thread at that reply.
  const target = permalink ?? search.get('m');
  // Through a ref: the effect must not restart (and cancel its requests) when the actions' identity changes.
  const jumpRef = useRef(jumpTo);
  jumpRef.current = jumpTo;
  useEffect(() => {
    if (!target || !page?.loaded) return;
    let cancelled = false;
    void (async () => {
      const m = await api<{ message: MessageDto }>(`/messages/${target}`)
        .then((r) => r.message)
        .catch(() => null);
      if (cancelled) return;
      if (m?.threadId && !m.alsoToChannel) return setThread({ rootId: m.threadId, highlight: m.id });
      void jumpRef.current(target);
    })();
    return () => {
      cancelled = true;
    };
  }, [target, page?.loaded]);

  useEffect(() => {
    if (panel !== 'pins') return;
    api<{ messages: MessageDto[] }>(`/conversations/${id}/pins`)
      .then((r) => setPins(r.messages))
      .catch(() => setPins([]));
  }, [panel, id, page?.items]);

  const actions = useMemo<MessageActions>(
    () => ({
      onReply: (m) => setReplyTo(m),
      onEdit: (mid, body) => chat.editMessage(mid, body),
      onDelete: (mid) => chat.deleteMessage(mid),
      onReact: (mid, emoji, on) => chat.toggleReaction(mid, emoji, on),
      onPin: (mid, pinned) => chat.setPinned(mid, pinned),
      onJump: (mid) => void jumpTo(mid),
      onProfile: (uid) => setProfileId(uid),
      onStartEdit: (mid) => setEditingId(mid),
      onStopEditing: () => setEditingId(null),
      onOpenThread: (m) => {
        setPanel('none');
        setThread({ rootId: m.id, highlight: null });
      },
      onCopyLink: (m) => {
        const url = `${window.location.origin}/c/${m.conversationId}/m/${m.id}`;
        void navigator.clipboard?.writeText(url).catch(() => window.prompt(t('copyLink'), url));
      },
    }),
    [chat, jumpTo],
  );

  if (missing) {
    return (
      <div className="empty">
        <div>
          <h2>{t('notFound')}</h2>
          <p>{t('notFoundHint')}</p>
          <a className="btn" href="/">
            {t('back')}
          </a>
        </div>
      </div>
    );
  }

  const title = conversation ? titleOf(conversation) : '…';
  const other = conversation?.kind === 'direct' ? conversation.members.find((m) => m.id !== me.id) : undefined;
  const sub = other
    ? presenceText(other, known, tp, f)
    : conversation
      ? `${t('members', { count: conversation.memberCount })}${conversation.topic ? ` · ${conversation.topic}` : ''}${conversation.archived ? ` · ${t('archived')}` : ''}`
      : '';
  const detailsLabel = conversation?.kind === 'group' ? t('membersButton') : conversation?.kind === 'channel' ? t('channelSettings') : t('details');
  const role = conversation?.myRole ?? 'member';
  const canModerate = me.isAdmin || (conversation?.kind !== 'direct' && conversation?.joined !== false && (role === 'owner' || role === 'admin'));
  const canPin = me.isAdmin || conversation?.kind === 'direct' || (conversation?.kind !== undefined && conversation.joined !== false && (role === 'owner' || role === 'admin'));

  return (
    <div className="conversation">
      <div className="conversation-main">
        <a
          className="skip-link"
          href="#composer-input"
          onClick={(e) => {
            e.preventDefault();
            document.getElementById('composer-input')?.focus();
          }}
        >
          {t('skipToComposer')}
        </a>
        <header className="pane-head">
          <a className="icon-btn back-btn" href="/" aria-label={t('backToConversations')}>
            <ArrowLeft size={20} />
          </a>
          {other ? (
            <button type="button" className="avatar-btn" onClick={() => setProfileId(other.id)} aria-label={t('profileOf', { name: other.displayName })}>
              <Avatar user={other} online={shownOnline(other.online, known)} />
            </button>
          ) : (
            <span className="avatar conv-icon" aria-hidden="true">
              {conversation?.kind === 'channel' ? <Hash size={18} /> : <Users size={18} />}
            </span>
          )}
          <div className="grow">
            <h1 className="ellipsis">
              {title}
              {conversation?.muted && (
                <span className="muted-mark" title={t('muted')} aria-label={t('muted')} role="img">
                  {' '}
                  <BellOff size={16} />
                </span>
              )}
            </h1>
            <div className="sub" data-testid="conversation-sub">
              {sub}
            </div>
          </div>
          {conversation && (
            <>
              <button
                type="button"
                className="btn btn-ghost btn-sm head-btn"
                aria-label={t('pinned')}
                aria-expanded={panel === 'pins'}
                onClick={() => {
                  setThread(null);
                  setPanel((p) => (p === 'pins' ? 'none' : 'pins'));
                }}
              >
                <Pin size={16} aria-hidden="true" />
                <span className="btn-label">{t('pinned')}</span>
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-sm head-btn"
                aria-label={detailsLabel}
                aria-expanded={panel === 'members'}
                onClick={() => {
                  setThread(null);
                  setPanel((p) => (p === 'members' ? 'none' : 'members'));
                }}
              >
                {conversation.kind === 'group' ? <Users size={16} aria-hidden="true" /> : <Info size={16} aria-hidden="true" />}
                <span className="btn-label">{detailsLabel}</span>
              </button>
            </>
          )}
        </header>
        {!page?.loaded ? (
          <div className="empty" role="status">
            {t('loadingMessages')}
          </div>
        ) : (
          <>
          {historyWindow && (
            <div className="history-bar" role="status">
              <span>{t('viewingOlder')}</span>
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => {
                  setHistoryWindow(null);
                  setListKey((k) => k + 1);
                  setJump((n) => n + 1);
                }}
              >
                {t('jumpToPresent')}
              </button>
            </div>
          )}
          <MessageList
            key={listKey}
            meId={me.id}
            meUsername={me.username}
            kind={conversation?.kind ?? 'group'}
            messages={windowItems ?? page.items}
            pending={historyWindow ? [] : pending}
            hasMore={historyWindow ? historyWindow.hasMore : page.hasMore}
            loadingOlder={historyWindow ? historyWindow.loadingOlder : page.loadingOlder}
            members={conversation?.members ?? []}
            onLoadOlder={() => void loadOlderHistory()}
            follow={!historyWindow}
            hasNewer={!!historyWindow?.hasMoreAfter}
            loadingNewer={!!historyWindow?.loadingNewer}
            onLoadNewer={() => void loadNewerHistory()}
            onRetry={retry}
            onDiscard={discard}
            onAtBottomChange={setAtBottom}
            scrollToBottomSignal={jump}
            canModerate={canModerate}
            canPin={canPin}
            editingId={editingId}
            highlightId={highlightId}
            actions={actions}
            unreadAfterSeq={unreadAfterSeq ?? null}
          />
          </>
        )}
        <NewMessageAnnouncer messages={page?.items} meId={me.id} />
        <PushPrompt sentCount={sentHere} />
        <div className="typing" aria-live="polite" data-testid="typing">
          {typingText(typers, tTyping)}
        </div>
        {conversation && (conversation.joined === false || conversation.archived) ? (
          <JoinBar conversation={conversation} onJoined={() => setPreview(null)} />
        ) : (
        <Composer
          commands={{ conversationId: id, meUsername: me.username }}
          notice={(draft) => broadcastNotice(draft, conversation, tBroadcast)}
          draft={{ conversationId: id }}
          placeholder={t('composerPlaceholder', { title })}
          members={conversation?.members ?? []}
          findMembers={memberFinder(conversation)}
          meId={me.id}
          replyTo={replyTo}
          onCancelReply={() => setReplyTo(null)}
          onTyping={(t) => chat.typing(id, t)}
          onEditLast={() => {
            const lastMine = [...(page?.items ?? [])].reverse().find((m) => m.sender?.id === me.id && m.kind === 'user' && !m.deletedAt);
            if (lastMine) setEditingId(lastMine.id);
          }}
          urgentAllowed={conversation?.kind === 'direct'}
          onSend={(body, attachments, opts) => {
            send(id, body, { ...(replyTo ? { replyToId: replyTo.id } : {}), attachments, ...opts });
            setReplyTo(null);
            if (historyWindow) setListKey((k) => k + 1);
            setHistoryWindow(null);
            setJump((n) => n + 1);
            setSentHere((n) => n + 1);
          }}
        />
        )}
      </div>
      {thread && (
        <ThreadPanel
          key={thread.rootId}
          rootId={thread.rootId}
          conversation={conversation}
          highlightId={thread.highlight}
          baseActions={actions}
          onClose={() => {
            setThread(null);
            if (search.get('thread')) router.replace(`/c/${id}`);
          }}
        />
      )}
      {!thread && panel === 'members' && conversation?.kind === 'channel' && (
        <ChannelSettings conversation={conversation} meId={me.id} onClose={() => setPanel('none')} />
      )}
      {!thread && panel === 'members' && conversation && conversation.kind !== 'channel' && (
        <MembersPanel conversation={conversation} meId={me.id} onClose={() => setPanel('none')} />
      )}
      {!thread && panel === 'pins' && (
        <aside className="panel" aria-labelledby="pins-title">
          <div className="panel-head">
            <h2 id="pins-title">{t('pinnedMessages')}</h2>
            <button type="button" className="icon-btn" aria-label={t('closePinned')} onClick={() => setPanel('none')}>
              <X size={18} />
            </button>
          </div>
          {pins === null && <p className="pad row-sub">{t('loading')}</p>}
          {pins?.length === 0 && <p className="pad row-sub">{t('noPins')}</p>}
          <ul className="list pad-x">
            {pins?.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  className="row pin-row"
                  onClick={() => {
                    router.replace(`/c/${id}?m=${m.id}`);
                    void jumpTo(m.id);
                  }}
                >
                  <span className="row-main">
                    <span className="row-title">{m.sender?.displayName ?? t('someone')}</span>
                    <span className="pin-body">
                      <RichText text={m.body} meUsername={me.username} />
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
      )}
      {profileId && <ProfileCard userId={profileId} meId={me.id} onClose={() => setProfileId(null)} />}
    </div>
  );
}
