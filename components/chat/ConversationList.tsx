'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { conversationTitle } from '@/lib/client/store';
import { useChat } from './ChatProvider';
import { shortTime } from './format';

export function ConversationList({ activeId, onNewGroup }: { activeId: string | null; onNewGroup: () => void }) {
  const conversations = useChat((s) => s.conversations);
  const me = useChat((s) => s.me);

  // The tab title counts what is for you: unread in DMs and groups, mentions in channels; never muted ones.
  const unread = (conversations ?? []).reduce((n, c) => n + (c.muted ? 0 : c.kind === 'channel' ? c.mentionCount : c.unreadCount), 0);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Chattrix` : 'Chattrix';
  }, [unread]);

  return (
    <section aria-labelledby="conversations-title">
      <h2 className="section-title" id="conversations-title">
        Conversations
        <button type="button" className="btn btn-ghost btn-sm" onClick={onNewGroup}>
          + New group
        </button>
      </h2>
      {conversations === null && <p className="row-sub pad">Loading conversations…</p>}
      <ul className="list" aria-label="Conversations">
        {(conversations ?? []).map((c) => {
          const title = conversationTitle(c, me.id);
          const other = c.kind === 'direct' ? c.members.find((m) => m.id !== me.id) : undefined;
          const last = c.lastMessage;
          const preview = !last
            ? c.kind === 'direct'
              ? 'Say hello 👋'
              : 'No messages yet'
            : last.deletedAt
              ? 'Message deleted'
              : last.kind === 'system'
                ? last.body
                : `${last.sender?.id === me.id ? 'You' : (last.sender?.displayName ?? 'Someone')}: ${last.body || (last.attachments.length ? '📎 Attachment' : '')}`;
          return (
            <li key={c.id}>
              <Link
                href={`/c/${c.id}`}
                className="row"
                aria-current={activeId === c.id ? 'page' : undefined}
                data-testid={`conversation-${c.id}`}
                aria-label={`${title}${c.unreadCount ? `, ${c.unreadCount} unread` : ''}`}
              >
                {other ? (
                  <Avatar user={other} online={other.online} size="sm" />
                ) : (
                  <span className="avatar sm conv-icon" aria-hidden="true">
                    {c.kind === 'channel' ? '#' : '👥'}
                  </span>
                )}
                <span className="row-main">
                  <span className="row-title">
                    <span className="ellipsis">{title}</span>
                    {last && <span className="row-time">{shortTime(last.createdAt)}</span>}
                  </span>
                  <span className="row-sub row-flex">
                    <span className="ellipsis">{preview}</span>
                    {c.mentionCount > 0 && (
                      <span className="badge mention-badge" aria-label={`${c.mentionCount} mentions`} data-testid="mentions">
                        @
                      </span>
                    )}
                    {c.unreadCount > 0 && (
                      <span className={`badge${c.muted ? ' muted' : ''}`} data-testid="unread">
                        {c.unreadCount > 99 ? '99+' : c.unreadCount}
                      </span>
                    )}
                  </span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
