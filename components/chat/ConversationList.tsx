'use client';

import { shownOnline, usePresenceKnown } from './presence';
import { Hash, Users } from 'lucide-react';
import Link from 'next/link';
import { memo, useEffect } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { useConversationTitle } from './useConversationTitle';
import { useChat } from './ChatProvider';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { DraftLine } from './compose/DraftLine';
import { matchesFilter } from './SidebarFilter';
import { useSite } from './Site';
import { StatusMarks } from './StatusMarks';

export const ConversationList = memo(function ConversationList({ activeId, onNewGroup, filter = '' }: { activeId: string | null; onNewGroup: () => void; filter?: string }) {
  const conversations = useChat((s) => s.conversations);
  const me = useChat((s) => s.me);
  const known = usePresenceKnown();
  const t = useTranslations('sidebar');
  const titleOf = useConversationTitle();
  const f = useFormat();
  const siteName = useSite().siteName;
  const shown = (conversations ?? []).filter((c) => c.kind !== 'channel' && matchesFilter(c, filter, me.id, titleOf));

  // The tab title counts what each conversation's notification level lets through (its badgeCount); the installed
  // app's icon shows the unread mentions (navigator.setAppBadge, where the platform has it).
  const unread = (conversations ?? []).reduce((n, c) => n + c.badgeCount, 0);
  const mentions = (conversations ?? []).reduce((n, c) => n + c.mentionCount, 0);
  useEffect(() => {
    // The page's own title (the site name, or "Search · Chattrix"), with the count before it.
    const apply = () => {
      const base = document.title.replace(/^\(\d+\) /, '') || siteName;
      const want = unread > 0 ? `(${unread}) ${base}` : base;
      if (document.title !== want) document.title = want;
    };
    apply();
    // The page's own title can come after this (Next streams a page's metadata in, and writes it on every
    // navigation while this list stays): the count is put back whenever the head changes.
    const head = new MutationObserver(apply);
    head.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => head.disconnect();
  }, [unread, siteName]);
  useEffect(() => {
    const nav = navigator as Navigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
    if (!nav.setAppBadge) return;
    void (mentions > 0 ? nav.setAppBadge(mentions) : (nav.clearAppBadge?.() ?? nav.setAppBadge(0))).catch(() => {});
  }, [mentions]);

  return (
    <section aria-labelledby="conversations-title">
      <h2 className="section-title" id="conversations-title">
        {t('directMessages')}
        <button type="button" className="btn btn-ghost btn-sm" onClick={onNewGroup}>
          {t('newGroup')}
        </button>
      </h2>
      {conversations === null && <p className="row-sub pad">{t('loadingConversations')}</p>}
      <ul className="list" aria-label={t('conversations')}>
        {shown.map((c) => {
          const title = titleOf(c);
          const other = c.kind === 'direct' ? c.members.find((m) => m.id !== me.id) : undefined;
          const last = c.lastMessage;
          const preview = !last
            ? c.kind === 'direct'
              ? t('sayHello')
              : t('noMessages')
            : last.deletedAt
              ? t('messageDeleted')
              : last.kind === 'system'
                ? last.body
                : `${last.sender?.id === me.id ? t('you') : (last.sender?.displayName ?? t('someone'))}: ${last.body || (last.attachments.length ? t('attachment') : '')}`;
          return (
            <li key={c.id}>
              <Link
                href={`/c/${c.id}`}
                className="row"
                aria-current={activeId === c.id ? 'page' : undefined}
                data-testid={`conversation-${c.id}`}
                aria-label={`${title}${c.unreadCount ? t('unreadSuffix', { count: c.unreadCount }) : ''}`}
              >
                {other ? (
                  <Avatar user={other} online={shownOnline(other.online, known)} size="sm" />
                ) : (
                  <span className="avatar sm conv-icon" aria-hidden="true">
                    {c.kind === 'channel' ? <Hash size={16} /> : <Users size={16} />}
                  </span>
                )}
                <span className="row-main">
                  <span className="row-title">
                    <span className="ellipsis">{title}</span>
                    {other && <StatusMarks user={other} />}
                    {last && <span className="row-time">{f.shortTime(last.createdAt)}</span>}
                  </span>
                  <span className="row-sub row-flex">
                    <DraftLine conversationId={c.id} fallback={preview} />
                    {c.mentionCount > 0 && (
                      <span className="badge mention-badge" aria-label={t('mentions', { count: c.mentionCount })} role="img" data-testid="mentions">
                        @
                      </span>
                    )}
                    {c.unreadCount > 0 && (
                      <span className={`badge${c.notify !== 'all' ? ' muted' : ''}`} data-testid="unread">
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
      {filter.trim() && conversations !== null && shown.length === 0 && <p className="row-sub pad">{t('noConversationsMatch')}</p>}
    </section>
  );
});
