'use client';

import { ArrowLeft, X } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { AppError } from '@/lib/errors';
import type { ConversationDto, MessageDto } from '@/lib/validation/dto';
import { useChat, useChatActions } from './ChatProvider';
import { Composer } from './Composer';
import type { MessageActions } from './MessageItem';
import { MessageList } from './MessageList';
import { useThreadActions } from './ThreadEvents';
import { broadcastNotice } from './broadcast';
import { FormError } from '@/components/ui/FieldError';

/** As under the timeline (ConversationView's typingText; not imported from there, which imports this panel). */
function typingText(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names[0]} and ${names.length - 1} others are typing…`;
}

/**
 * A thread beside the conversation (a full screen with a back button on phones): its root, its replies, a
 * composer with "Also send to the channel", follow / unfollow. Reading it marks it read.
 */
export function ThreadPanel({
  rootId,
  conversation,
  highlightId,
  baseActions,
  onClose,
}: {
  rootId: string;
  conversation: ConversationDto | undefined;
  highlightId: string | null;
  baseActions: MessageActions;
  onClose: () => void;
}) {
  const chat = useChatActions();
  const threads = useThreadActions();
  const me = useChat((s) => s.me);
  const t = useChat((s) => s.threads[rootId]);
  const outbox = useChat((s) => s.outbox);
  const typingList = useChat((s) => (conversation ? s.typing[`${conversation.id}:${rootId}`] : undefined));
  const pending = useMemo(() => outbox.filter((o) => o.threadId === rootId), [outbox, rootId]);
  const [alsoToChannel, setAlsoToChannel] = useState(false);
  const [missing, setMissing] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [replyTo, setReplyTo] = useState<MessageDto | null>(null);
  const [jump, setJump] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const headingRef = useRef<HTMLHeadingElement>(null);
  const lastTyping = useRef(0);

  useEffect(() => {
    setMissing(false);
    threads.openThread(rootId, highlightId ?? undefined).catch((e: unknown) => {
      if (e instanceof AppError && (e.code === 'not_found' || e.code === 'bad_request')) setMissing(true);
    });
  }, [rootId, highlightId, threads]);

  useEffect(() => headingRef.current?.focus(), [rootId]);

  useEffect(() => {
    if (!highlightId || !t?.loaded) return;
    requestAnimationFrame(() => document.getElementById(`m-${highlightId}`)?.scrollIntoView({ block: 'center' }));
  }, [highlightId, t?.loaded]);

  // Reading: the newest reply while the panel is open and the window focused.
  const newest = t?.items[t.items.length - 1];
  const joined = conversation?.joined !== false;
  useEffect(() => {
    if (!newest || !joined || document.visibilityState !== 'visible') return;
    threads.markRead(rootId, newest.id);
  }, [newest, rootId, threads, joined]);

  useEffect(() => {
    if (!typingList?.length) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [typingList]);
  const typers = (typingList ?? []).filter((x) => x.until > now).map((x) => x.displayName);

  const actions = useMemo<MessageActions>(
    () => ({ ...baseActions, onOpenThread: undefined, onReply: (m) => setReplyTo(m), onStartEdit: (id) => setEditingId(id), onStopEditing: () => setEditingId(null) }),
    [baseActions],
  );

  const root = t?.root ?? null;
  const following = root?.thread?.following ?? false;
  const items = root ? [root, ...(t?.items ?? [])] : (t?.items ?? []);
  const role = conversation?.myRole ?? 'member';
  const canModerate = me.isAdmin || (conversation?.kind !== 'direct' && (role === 'owner' || role === 'admin'));
  const writable = joined && !conversation?.archived;
  const title = conversation ? (conversation.kind === 'channel' ? `#${conversation.title}` : (conversation.title ?? 'Direct message')) : '';

  return (
    <aside
      className="panel thread-panel"
      aria-labelledby="thread-title"
      data-testid="thread-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented && !(e.target instanceof HTMLTextAreaElement && e.target.value)) onClose();
      }}
    >
      <div className="panel-head">
        <button type="button" className="icon-btn thread-back" aria-label="Back to the conversation" onClick={onClose}>
          <ArrowLeft size={18} aria-hidden="true" />
        </button>
        <div className="grow">
          <h2 id="thread-title" tabIndex={-1} ref={headingRef}>
            Thread
          </h2>
          <div className="row-sub ellipsis">{title}</div>
        </div>
        {root && joined && (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            aria-pressed={following}
            onClick={() => void threads.setFollowing(rootId, !following).catch((e: unknown) => setError(e instanceof AppError ? e.message : 'Could not change'))}
          >
            {following ? 'Following' : 'Follow'}
          </button>
        )}
        <button type="button" className="icon-btn thread-close" aria-label="Close thread" onClick={onClose}>
          <X size={18} aria-hidden="true" />
        </button>
      </div>
      <FormError message={error} pad />
      {missing ? (
        <p className="pad row-sub">This thread is not available.</p>
      ) : !t?.loaded ? (
        <div className="empty" role="status">
          Loading thread…
        </div>
      ) : (
        <MessageList
          meId={me.id}
          meUsername={me.username}
          kind={conversation?.kind ?? 'channel'}
          messages={items}
          pending={pending}
          hasMore={t.hasMore}
          loadingOlder={t.loadingOlder}
          members={conversation?.members ?? []}
          onLoadOlder={() => void threads.loadOlder(rootId)}
          onRetry={chat.retry}
          onDiscard={chat.discard}
          onAtBottomChange={() => {}}
          scrollToBottomSignal={jump}
          canModerate={canModerate}
          canPin={false}
          editingId={editingId}
          highlightId={highlightId}
          actions={actions}
          label="Thread replies"
          noReceipts
        />
      )}
      <div className="typing" aria-live="polite" data-testid="thread-typing">
        {typingText(typers)}
      </div>
      {writable && conversation && (
        <div className="thread-compose">
          <Composer
            inputId="thread-composer-input"
            commands={{ conversationId: conversation.id, threadId: rootId, meUsername: me.username }}
            draft={{ conversationId: conversation.id, threadId: rootId }}
            placeholder="Reply in thread…"
            members={conversation.members}
            meId={me.id}
            replyTo={replyTo}
            onCancelReply={() => setReplyTo(null)}
            notice={(draft) => broadcastNotice(draft, conversation)}
            onTyping={(on) => {
              if (on && Date.now() - lastTyping.current < 2000) return;
              lastTyping.current = on ? Date.now() : 0;
              threads.typing(conversation.id, rootId, on);
            }}
            onEditLast={() => {
              const mine = [...(t?.items ?? [])].reverse().find((m) => m.sender?.id === me.id && !m.deletedAt);
              if (mine) setEditingId(mine.id);
            }}
            onSend={(body, attachments) => {
              chat.send(conversation.id, body, { threadId: rootId, alsoToChannel, attachments, ...(replyTo ? { replyToId: replyTo.id } : {}) });
              setReplyTo(null);
              setAlsoToChannel(false);
              setJump((n) => n + 1);
            }}
          />
          <label className="switch also-send">
            <input type="checkbox" checked={alsoToChannel} onChange={(e) => setAlsoToChannel(e.target.checked)} /> Also send to {title || 'the conversation'}
          </label>
        </div>
      )}
    </aside>
  );
}
