'use client';

import { memberFinder } from '@/lib/client/members';
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
import { useTranslations } from 'next-intl';
import type { Words } from '@/lib/i18n/english';
import { FormError } from '@/components/ui/FieldError';

/** As under the timeline (ConversationView's typingText; not imported from there, which imports this panel). */
function typingText(names: string[], t: Words): string {
  if (names.length === 0) return '';
  if (names.length === 1) return t('one', { name: names[0] ?? '' });
  if (names.length === 2) return t('two', { first: names[0] ?? '', second: names[1] ?? '' });
  return t('many', { first: names[0] ?? '', count: names.length - 1 });
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
  const w = useTranslations('thread');
  const tTyping = useTranslations('typing') as unknown as Words;
  const tBroadcast = useTranslations('broadcast') as unknown as Words;
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
  const title = conversation ? (conversation.kind === 'channel' ? `#${conversation.title}` : (conversation.title ?? w('directMessage'))) : '';

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
        <button type="button" className="icon-btn thread-back" aria-label={w('back')} onClick={onClose}>
          <ArrowLeft size={18} aria-hidden="true" />
        </button>
        <div className="grow">
          <h2 id="thread-title" tabIndex={-1} ref={headingRef}>
            {w('title')}
          </h2>
          <div className="row-sub ellipsis">{title}</div>
        </div>
        {root && joined && (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            aria-pressed={following}
            onClick={() => void threads.setFollowing(rootId, !following).catch((e: unknown) => setError(e instanceof AppError ? e.message : w('followFailed')))}
          >
            {following ? w('following') : w('follow')}
          </button>
        )}
        <button type="button" className="icon-btn thread-close" aria-label={w('close')} onClick={onClose}>
          <X size={18} aria-hidden="true" />
        </button>
      </div>
      <FormError message={error} pad />
      {missing ? (
        <p className="pad row-sub">{w('missing')}</p>
      ) : !t?.loaded ? (
        <div className="empty" role="status">
          {w('loading')}
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
          label={w('replies')}
          startText={w('beginning')}
          noReceipts
        />
      )}
      <div className="typing" aria-live="polite" data-testid="thread-typing">
        {typingText(typers, tTyping)}
      </div>
      {writable && conversation && (
        <div className="thread-compose">
          <Composer
            inputId="thread-composer-input"
            commands={{ conversationId: conversation.id, threadId: rootId, meUsername: me.username }}
            draft={{ conversationId: conversation.id, threadId: rootId }}
            placeholder={w('placeholder')}
            members={conversation.members}
            findMembers={memberFinder(conversation)}
            meId={me.id}
            replyTo={replyTo}
            onCancelReply={() => setReplyTo(null)}
            notice={(draft) => broadcastNotice(draft, conversation, tBroadcast)}
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
            <input type="checkbox" checked={alsoToChannel} onChange={(e) => setAlsoToChannel(e.target.checked)} /> {w('alsoSend', { title: title || w('theConversation') })}
          </label>
        </div>
      )}
    </aside>
  );
}
