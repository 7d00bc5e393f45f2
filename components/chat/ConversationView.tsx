'use client';

import { useEffect, useMemo, useState } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { conversationTitle } from '@/lib/client/store';
import { AppError } from '@/lib/errors';
import { useChat, useChatActions } from './ChatProvider';
import { Composer } from './Composer';
import { relativeTime } from './format';
import { MembersPanel } from './MembersPanel';
import { MessageList } from './MessageList';

export function ConversationView({ id }: { id: string }) {
  const { openConversation, loadOlder, send, retry, discard, markRead } = useChatActions();
  const me = useChat((s) => s.me);
  const conversations = useChat((s) => s.conversations);
  const conversation = useMemo(() => conversations?.find((c) => c.id === id), [conversations, id]);
  const page = useChat((s) => s.messages[id]);
  const outbox = useChat((s) => s.outbox);
  const synced = useChat((s) => s.synced);
  const pending = useMemo(() => outbox.filter((o) => o.conversationId === id), [outbox, id]);
  const [missing, setMissing] = useState(false);
  const [panel, setPanel] = useState(false);
  const [atBottom, setAtBottom] = useState(true);
  const [jump, setJump] = useState(0);
  const [focused, setFocused] = useState(true);

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

  if (missing || (conversations && !conversation && page === undefined && missing)) {
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

  return (
    <div className="conversation">
      <div className="conversation-main">
        <header className="pane-head">
          <a className="icon-btn back-btn" href="/" aria-label="Back to conversations">
            ←
          </a>
          {other ? (
            <Avatar user={other} online={other.online} />
          ) : (
            <span className="avatar conv-icon" aria-hidden="true">
              {conversation?.kind === 'channel' ? '#' : '👥'}
            </span>
          )}
          <div className="grow">
            <h1 className="ellipsis">{title}</h1>
            <div className="sub" data-testid="conversation-sub">
              {sub}
            </div>
          </div>
          {conversation && (
            <button type="button" className="btn btn-ghost btn-sm" aria-expanded={panel} onClick={() => setPanel((p) => !p)}>
              {conversation.kind === 'group' ? 'Members' : 'Details'}
            </button>
          )}
        </header>
        {!page?.loaded ? (
          <div className="empty" role="status">
            Loading messages…
          </div>
        ) : (
          <MessageList
            meId={me.id}
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
          />
        )}
        <Composer
          placeholder={`Message ${title}`}
          onSend={(body) => {
            send(id, body);
            setJump((n) => n + 1);
          }}
        />
      </div>
      {panel && conversation && <MembersPanel conversation={conversation} meId={me.id} onClose={() => setPanel(false)} />}
    </div>
  );
}
