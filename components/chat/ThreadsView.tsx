'use client';

import { ArrowLeft, Paperclip } from 'lucide-react';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { api } from '@/lib/client/api';
import { useConversationTitle } from './useConversationTitle';
import { AppError } from '@/lib/errors';
import type { MessageDto } from '@/lib/validation/dto';
import { useChat } from './ChatProvider';
import { plainExcerpt } from './MessageItem';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { FormError } from '@/components/ui/FieldError';

interface ThreadItem {
  root: MessageDto;
  lastReplies: MessageDto[];
  unreadCount: number;
  mentionCount: number;
}

/** The Threads view: threads you follow, newest activity first, with their unread counts; opening one reads it. */
export function ThreadsView() {
  const me = useChat((s) => s.me);
  const conversations = useChat((s) => s.conversations);
  const live = useChat((s) => s.threadUnread);
  const [threads, setThreads] = useState<ThreadItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const w = useTranslations('threads');
  const titleOf = useConversationTitle();
  const f = useFormat();
  const loadError = w('loadError');

  const load = useCallback(async (after: string | null) => {
    try {
      const r = await api<{ threads: ThreadItem[]; nextCursor: string | null }>(`/threads?limit=20${after ? `&cursor=${after}` : ''}`);
      setThreads((cur) => (after ? [...(cur ?? []), ...r.threads] : r.threads));
      setCursor(r.nextCursor);
    } catch (e) {
      setError(e instanceof AppError ? e.message : loadError);
    }
  }, [loadError]);

  // Reloaded when a followed thread's unread count changes (a new reply, a read elsewhere).
  const liveKey = Object.entries(live)
    .map(([k, v]) => `${k}:${v}`)
    .sort()
    .join(',');
  useEffect(() => {
    void load(null);
  }, [load, liveKey]);

  return (
    <>
      <header className="pane-head">
        <a className="icon-btn back-btn" href="/" aria-label={w('back')}>
          <ArrowLeft size={18} aria-hidden="true" />
        </a>
        <h1 className="grow">{w('title')}</h1>
      </header>
      <div className="search-page">
        <FormError message={error} />
        {threads === null ? (
          <p className="row-sub" role="status">
            {w('loading')}
          </p>
        ) : threads.length === 0 ? (
          <p className="row-sub" role="status">
            {w('none')}
          </p>
        ) : (
          <ul className="list threads-list" aria-label={w('followed')}>
            {threads.map((t) => {
              const c = conversations?.find((x) => x.id === t.root.conversationId);
              const where = c ? titleOf(c) : w('aConversation');
              const unread = live[t.root.id] ?? t.unreadCount;
              // Read since the list came (the live count fell to 0): its mentions are read too.
              const mentions = unread === 0 ? 0 : t.mentionCount;
              return (
                <li key={t.root.id} className="thread-card" data-testid="thread-card">
                  <Link href={`/c/${t.root.conversationId}?thread=${t.root.id}`} className="thread-link" aria-label={w('cardLabel', { where, unread, mentions })}>
                    <span className="row-title">
                      <span className="ellipsis">{where}</span>
                      <span className="badges">
                        {mentions > 0 && (
                          <span className="badge mention-badge" aria-hidden="true" data-testid="thread-mentions">
                            @
                          </span>
                        )}
                        {unread > 0 && (
                          <span className="badge" data-testid="thread-unread">
                            {unread}
                          </span>
                        )}
                      </span>
                    </span>
                    <span className="thread-root">
                      <strong>{t.root.sender?.displayName ?? w('someone')}:</strong> {t.root.deletedAt ? <em>{w('messageDeleted')}</em> : plainExcerpt(t.root.body) || <Paperclip size={14} aria-label={w('attachment')} />}
                    </span>
                    {t.lastReplies.map((r) => (
                      <span key={r.id} className="thread-reply">
                        {r.sender && <Avatar user={r.sender} size="sm" />}
                        <span className="ellipsis">
                          <strong>{r.sender?.id === me.id ? w('you') : (r.sender?.displayName ?? w('someone'))}:</strong>{' '}
                          {r.deletedAt ? <em>{w('deleted')}</em> : plainExcerpt(r.body) || <Paperclip size={14} aria-label={w('attachment')} />}
                        </span>
                      </span>
                    ))}
                    <span className="row-sub">
                      {t.root.thread ? w('replies', { count: t.root.thread.replyCount }) : ''}
                      {t.root.thread?.lastReplyAt ? ` · ${w('last', { when: f.relativeTime(t.root.thread.lastReplyAt) })}` : ''}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
        {cursor && (
          <button type="button" className="btn btn-ghost" onClick={() => void load(cursor)}>
            {w('more')}
          </button>
        )}
      </div>
    </>
  );
}
