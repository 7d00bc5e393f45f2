'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { api } from '@/lib/client/api';
import { conversationTitle } from '@/lib/client/store';
import { AppError } from '@/lib/errors';
import type { MessageDto } from '@/lib/validation/dto';
import { useChat, useChatActions } from './ChatProvider';
import { Composer } from './Composer';
import { relativeTime } from './format';
import { MembersPanel } from './MembersPanel';
import type { MessageActions } from './MessageItem';
import { MessageList } from './MessageList';
import { ProfileCard } from './ProfileCard';
import { PushPrompt } from './PushPrompt';
import { RichText } from './RichText';

export function typingText(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names[0]} and ${names.length - 1} others are typing…`;
}

export function ConversationView({ id }: { id: string }) {
  const chat = useChatActions();
  const { openConversation, loadOlder, send, retry, discard, markRead } = chat;
  const router = useRouter();
  const search = useSearchParams();
  const me = useChat((s) => s.me);
  const conversations = useChat((s) => s.conversations);
  const conversation = useMemo(() => conversations?.find((c) => c.id === id), [conversations, id]);
  const page = useChat((s) => s.messages[id]);
  const outbox = useChat((s) => s.outbox);
  const synced = useChat((s) => s.synced);
  const typingList = useChat((s) => s.typing[id]);
  const pending = useMemo(() => outbox.filter((o) => o.conversationId === id), [outbox, id]);
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
    if (newest && focused && atBottom) markRead(id, newest.id);
  }, [newest, focused, atBottom, id, markRead]);

  // Typing indicators expire on their own if the "stop" never comes.
  useEffect(() => {
    if (!typingList?.length) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [typingList]);
  const typers = (typingList ?? []).filter((t) => t.until > now).map((t) => t.displayName);

  const jumpTo = useCallback(
    async (messageId: string) => {
      const found = await chat.ensureLoaded(id, messageId);
      if (!found) return;
      setHighlightId(messageId);
      requestAnimationFrame(() => document.getElementById(`m-${messageId}`)?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
      setTimeout(() => setHighlightId((h) => (h === messageId ? null : h)), 2500);
    },
    [chat, id],
  );

  // Opened from a search result or a notification: /c/{id}?m={messageId}
  const target = search.get('m');
  useEffect(() => {
    if (target && page?.loaded) void jumpTo(target);
  }, [target, page?.loaded, jumpTo]);

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
    }),
    [chat, jumpTo],
  );

  if (missing) {
    return (
      <div className="empty">
        <div>
          <h2>Conversation not found</h2>
          <p>It does not exist, or you are not a member.</p>
          <a className="btn" href="/">
            Back
          </a>
        </div>
      </div>
    );
  }

  const title = conversation ? conversationTitle(conversation, me.id) : '…';
  const other = conversation?.kind === 'direct' ? conversation.members.find((m) => m.id !== me.id) : undefined;
  const sub = other
    ? other.online
      ? 'online'
      : other.lastSeenAt
        ? `last seen ${relativeTime(other.lastSeenAt)}`
        : 'offline'
    : conversation
      ? `${conversation.memberCount} member${conversation.memberCount === 1 ? '' : 's'}`
      : '';
  const role = conversation?.myRole ?? 'member';
  const canModerate = me.isAdmin || (conversation?.kind === 'group' && (role === 'owner' || role === 'admin'));
  const canPin = me.isAdmin || conversation?.kind === 'direct' || (conversation?.kind === 'group' && (role === 'owner' || role === 'admin'));

  return (
    <div className="conversation">
      <div className="conversation-main">
        <header className="pane-head">
          <a className="icon-btn back-btn" href="/" aria-label="Back to conversations">
            ←
          </a>
          {other ? (
            <button type="button" className="avatar-btn" onClick={() => setProfileId(other.id)} aria-label={`Profile of ${other.displayName}`}>
              <Avatar user={other} online={other.online} />
            </button>
          ) : (
            <span className="avatar conv-icon" aria-hidden="true">
              {conversation?.kind === 'channel' ? '#' : '👥'}
            </span>
          )}
          <div className="grow">
            <h1 className="ellipsis">
              {title}
              {conversation?.muted && (
                <span className="muted-mark" title="Muted" aria-label="Muted">
                  {' '}
                  🔕
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
                aria-label="Pinned"
                aria-expanded={panel === 'pins'}
                onClick={() => setPanel((p) => (p === 'pins' ? 'none' : 'pins'))}
              >
                <span aria-hidden="true">📌</span>
                <span className="btn-label">Pinned</span>
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-sm head-btn"
                aria-label={conversation.kind === 'group' ? 'Members' : 'Details'}
                aria-expanded={panel === 'members'}
                onClick={() => setPanel((p) => (p === 'members' ? 'none' : 'members'))}
              >
                <span aria-hidden="true">{conversation.kind === 'group' ? '👥' : 'ⓘ'}</span>
                <span className="btn-label">{conversation.kind === 'group' ? 'Members' : 'Details'}</span>
              </button>
            </>
          )}
        </header>
        {!page?.loaded ? (
          <div className="empty" role="status">
            Loading messages…
          </div>
        ) : (
          <MessageList
            meId={me.id}
            meUsername={me.username}
            kind={conversation?.kind ?? 'group'}
            messages={page.items}
            pending={pending}
            hasMore={page.hasMore}
            loadingOlder={page.loadingOlder}
            members={conversation?.members ?? []}
            onLoadOlder={() => void loadOlder(id).catch(() => {})}
            onRetry={retry}
            onDiscard={discard}
            onAtBottomChange={setAtBottom}
            scrollToBottomSignal={jump}
            canModerate={canModerate}
            canPin={canPin}
            editingId={editingId}
            highlightId={highlightId}
            actions={actions}
          />
        )}
        <PushPrompt sentCount={sentHere} />
        <div className="typing" aria-live="polite" data-testid="typing">
          {typingText(typers)}
        </div>
        <Composer
          placeholder={`Message ${title}`}
          members={conversation?.members ?? []}
          meId={me.id}
          replyTo={replyTo}
          onCancelReply={() => setReplyTo(null)}
          onTyping={(t) => chat.typing(id, t)}
          onEditLast={() => {
            const lastMine = [...(page?.items ?? [])].reverse().find((m) => m.sender?.id === me.id && m.kind === 'user' && !m.deletedAt);
            if (lastMine) setEditingId(lastMine.id);
          }}
          onSend={(body, attachments) => {
            send(id, body, { ...(replyTo ? { replyToId: replyTo.id } : {}), attachments });
            setReplyTo(null);
            setJump((n) => n + 1);
            setSentHere((n) => n + 1);
          }}
        />
      </div>
      {panel === 'members' && conversation && <MembersPanel conversation={conversation} meId={me.id} onClose={() => setPanel('none')} />}
      {panel === 'pins' && (
        <aside className="panel" aria-labelledby="pins-title">
          <div className="panel-head">
            <h2 id="pins-title">Pinned messages</h2>
            <button type="button" className="icon-btn" aria-label="Close pinned messages" onClick={() => setPanel('none')}>
              ✕
            </button>
          </div>
          {pins === null && <p className="pad row-sub">Loading…</p>}
          {pins?.length === 0 && <p className="pad row-sub">Nothing pinned yet. Owners and admins can pin a message from its actions.</p>}
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
                    <span className="row-title">{m.sender?.displayName ?? 'Someone'}</span>
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
