'use client';

import { FilePen, Lock, MessagesSquare } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { memo, useState } from 'react';
import type { ConversationDto } from '@/lib/validation/dto';
import { useChat } from './ChatProvider';
import { CreateChannelDialog, useOpenedOnce } from './lazy';
import { matchesFilter } from './SidebarFilter';
import { useConversationTitle } from './useConversationTitle';
import { useCanCreateChannel } from './Site';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { DraftLine, useHasDraft } from './compose/DraftLine';

function ChannelRow({ c, active }: { c: ConversationDto; active: boolean }) {
  const t = useTranslations('sidebar');
  const f = useFormat();
  const title = `# ${c.title ?? t('channel')}`;
  const hasDraft = useHasDraft(c.id);
  return (
    <li>
      <Link
        href={`/c/${c.id}`}
        className="row channel-row"
        aria-current={active ? 'page' : undefined}
        data-testid={`conversation-${c.id}`}
        aria-label={`${title}${c.unreadCount ? t('unreadSuffix', { count: c.unreadCount }) : ''}`}
      >
        <span className="avatar sm conv-icon" aria-hidden="true">
          {c.private ? <Lock size={14} /> : '#'}
        </span>
        <span className="row-main">
          <span className="row-title">
            <span className="ellipsis">{c.title}</span>
            {c.lastMessage && <span className="row-time">{f.shortTime(c.lastMessage.createdAt)}</span>}
          </span>
          {(c.unreadCount > 0 || c.mentionCount > 0 || hasDraft) && (
            <span className="row-sub row-flex">
              <DraftLine conversationId={c.id} fallback={c.topic ?? ''} />
              {c.mentionCount > 0 && (
                <span className="badge mention-badge" aria-label={t('mentions', { count: c.mentionCount })} data-testid="mentions">
                  @
                </span>
              )}
              {c.unreadCount > 0 && (
                <span className={`badge${c.notify !== 'all' ? ' muted' : ''}`} data-testid="unread">
                  {c.unreadCount > 99 ? '99+' : c.unreadCount}
                </span>
              )}
            </span>
          )}
        </span>
      </Link>
    </li>
  );
}

/** The sidebar's Threads entry and its Channels and Archived sections (DMs and groups stay in ConversationList). */
export const ChannelSections = memo(function ChannelSections({ activeId, filter = '' }: { activeId: string | null; filter?: string }) {
  const titleOf = useConversationTitle();
  const conversations = useChat((s) => s.conversations);
  const threadUnread = useChat((s) => Object.values(s.threadUnread).filter((n) => n > 0).length);
  const [creating, setCreating] = useState(false);
  const creatingMounted = useOpenedOnce(creating);
  const canCreate = useCanCreateChannel();
  const pathname = usePathname();
  const meId = useChat((s) => s.me.id);
  const t = useTranslations('sidebar');
  const channels = (conversations ?? []).filter((c) => c.kind === 'channel' && matchesFilter(c, filter, meId, titleOf));
  const open = channels.filter((c) => !c.archived).sort((a, b) => (a.title ?? '').localeCompare(b.title ?? ''));
  const archived = channels.filter((c) => c.archived);
  return (
    <>
      <ul className="list nav-list" aria-label={t('views')}>
        <li>
          <Link
            href="/threads"
            className="row nav-row"
            aria-current={pathname === '/threads' ? 'page' : undefined}
            data-testid="threads-entry" aria-label={`${t('threads')}${threadUnread ? t('threadsUnreadSuffix', { count: threadUnread }) : ''}`}>
            <span className="avatar sm conv-icon" aria-hidden="true">
              <MessagesSquare size={16} />
            </span>
            <span className="row-main">
              <span className="row-title">
                <span className="ellipsis">{t('threads')}</span>
                {threadUnread > 0 && (
                  <span className="badge" data-testid="threads-unread">
                    {threadUnread}
                  </span>
                )}
              </span>
            </span>
          </Link>
        </li>
        <li>
          <Link href="/drafts" className="row nav-row" aria-current={pathname === '/drafts' ? 'page' : undefined} data-testid="drafts-entry">
            <span className="avatar sm conv-icon" aria-hidden="true">
              <FilePen size={16} />
            </span>
            <span className="row-main">
              <span className="row-title">
                <span className="ellipsis">{t('drafts')}</span>
              </span>
            </span>
          </Link>
        </li>
      </ul>
      <section aria-labelledby="channels-title">
        <h2 className="section-title" id="channels-title">
          {t('channels')}
          <span className="section-actions">
            <Link href="/channels" className="btn btn-ghost btn-sm">
              {t('browse')}
            </Link>
            {canCreate && (
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => setCreating(true)} aria-label={t('createChannel')}>
                {t('newChannel')}
              </button>
            )}
          </span>
        </h2>
        <ul className="list" aria-label={t('channels')}>
          {open.map((c) => (
            <ChannelRow key={c.id} c={c} active={activeId === c.id} />
          ))}
        </ul>
        {filter.trim() && open.length === 0 && <p className="row-sub pad">{t('noChannelsMatch')}</p>}
      </section>
      {archived.length > 0 && (
        <section aria-labelledby="archived-title">
          <h2 className="section-title" id="archived-title">
            {t('archived')}
          </h2>
          <ul className="list" aria-label={t('archivedChannels')}>
            {archived.map((c) => (
              <ChannelRow key={c.id} c={c} active={activeId === c.id} />
            ))}
          </ul>
        </section>
      )}
      {creatingMounted && <CreateChannelDialog open={creating} onClose={() => setCreating(false)} />}
    </>
  );
});
