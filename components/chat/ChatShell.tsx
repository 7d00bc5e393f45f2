'use client';

import { Search, Settings } from 'lucide-react';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useParams, useRouter, useSelectedLayoutSegment } from 'next/navigation';
import { memo, useCallback, useDeferredValue, useState, type ReactNode } from 'react';
import { api } from '@/lib/client/api';
import type { ConversationDto } from '@/lib/validation/dto';
import type { PublicSite } from '@/lib/validation/admin';
import type { Me, PublicUser } from '@/lib/validation/users';
import { ChatProvider, useChat, useChatActions } from './ChatProvider';
import { ChannelSections } from './ChannelSections';
import { ConversationList } from './ConversationList';
import { ThreadEvents } from './ThreadEvents';
import { KeyboardShortcuts } from './Keyboard';
import { LiveProfiles } from './LiveProfiles';
import { LiveCompose } from './compose/LiveCompose';
import { NewGroupDialog, useOpenedOnce } from './lazy';
import { PeopleList } from './PeopleList';
import { RealtimeProvider, useRealtime } from './Realtime';
import { ServiceWorker } from './ServiceWorker';
import { SidebarFilter } from './SidebarFilter';
import { SiteProvider, useSite } from './Site';
import { UserMenu } from './UserMenu';
import { signOutThisDevice } from '@/lib/client/sign-out';

function ConnectionBanner() {
  const { state } = useRealtime();
  const synced = useChat((s) => s.synced);
  const pending = useChat((s) => s.outbox.filter((o) => o.status === 'pending').length);
  const t = useTranslations('sidebar');
  if (state === 'offline') {
    return (
      <div className="status-banner offline" role="status">
        {pending > 0 ? t('offlinePending', { count: pending }) : t('offline')}
      </div>
    );
  }
  if (state === 'reconnecting') {
    return (
      <div className="status-banner" role="status">
        {t('reconnecting')}
      </div>
    );
  }
  if (state === 'connected' && !synced) {
    return (
      <div className="status-banner" role="status">
        {t('syncing')}
      </div>
    );
  }
  return <span className="sr-only" role="status" data-testid="connection-state">{state === 'connected' ? t('connected') : t('connecting')}</span>;
}

function Shell({ children }: { children: ReactNode }) {
  // The live profile (the settings page updates it).
  const me = useChat((s) => s.me);
  const site = useSite();
  const segment = useSelectedLayoutSegment();
  const params = useParams<{ id?: string }>();
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [signingOut, setSigningOut] = useState(false);
  const [newGroup, setNewGroup] = useState(false);
  const newGroupMounted = useOpenedOnce(newGroup);
  const t = useTranslations('sidebar');
  const hasOpen = segment !== null;
  const activeId = typeof params?.id === 'string' ? params.id : null;

  // Stable, so the sidebar's lists (memoised) do not render again for the shell's own changes.
  const meId = me.id;
  const openPerson = useCallback(
    (user: PublicUser) => {
      if (user.id === meId) return;
      void api<{ conversation: ConversationDto }>('/conversations', { method: 'POST', body: { kind: 'direct', userId: user.id } })
        .then(({ conversation }) => {
          upsertConversation(conversation);
          router.push(`/c/${conversation.id}`);
        })
        .catch(() => {});
    },
    [meId, upsertConversation, router],
  );
  const openNewGroup = useCallback(() => setNewGroup(true), []);

  return (
    <div className={`shell${hasOpen ? ' has-open' : ''}`}>
      <a className="skip-link" href="#main">
        {t('skip')}
      </a>
      <div className="shell-banner">
        <ConnectionBanner />
      </div>
      <nav className="sidebar" aria-label={site.siteName}>
        <div className="sidebar-head">
          <a className="brand" href="/" aria-label={t('home', { site: site.siteName })}>
            <span className="brand-mark" aria-hidden="true">
              {site.siteName.slice(0, 1).toUpperCase()}
            </span>
            <span className="brand-name" style={{ color: 'var(--text)' }}>
              {site.siteName}
            </span>
          </a>
          <Link className="icon-btn" href="/search" aria-label={t('searchMessages')} title={t('searchMessages')}>
            <Search size={18} />
          </Link>
        </div>
        <SidebarLists activeId={activeId} meId={me.id} onNewGroup={openNewGroup} onOpenPerson={openPerson} />
        <div className="sidebar-foot">
          <UserMenu me={me} />
          <Link className="icon-btn" href="/settings" aria-label={t('settings')} title={t('settings')}>
            <Settings size={18} />
          </Link>
          <button
            type="button"
            className="btn btn-ghost"
            disabled={signingOut}
            onClick={async () => {
              setSigningOut(true);
              await signOutThisDevice(me.id);
            }}
          >
            {t('signOut')}
          </button>
        </div>
      </nav>
      <main className="pane" id="main">
        {children}
      </main>
      {newGroupMounted && <NewGroupDialog open={newGroup} onClose={() => setNewGroup(false)} meId={me.id} />}
      <ServiceWorker />
      <ThreadEvents />
      <LiveProfiles />
      <LiveCompose userId={me.id} />
      <KeyboardShortcuts activeId={activeId} />
    </div>
  );
}

/**
 * The filter box and the lists it narrows. Typing renders only this and the box: the lists are memoised and take
 * the deferred text, so a keystroke is painted before hundreds of rows are filtered again.
 */
const SidebarLists = memo(function SidebarLists({
  activeId,
  meId,
  onNewGroup,
  onOpenPerson,
}: {
  activeId: string | null;
  meId: string;
  onNewGroup: () => void;
  onOpenPerson: (user: PublicUser) => void;
}) {
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  return (
    <>
      <SidebarFilter value={filter} onChange={setFilter} />
      <div className="sidebar-scroll">
        <ChannelSections activeId={activeId} filter={deferredFilter} />
        <ConversationList activeId={activeId} onNewGroup={onNewGroup} filter={deferredFilter} />
        <PeopleList meId={meId} onOpen={onOpenPerson} />
      </div>
    </>
  );
});

export function ChatShell({ me, site, children }: { me: Me; site: PublicSite; children: ReactNode }) {
  return (
    <SiteProvider site={site}>
      <RealtimeProvider>
        <ChatProvider me={me}>
          <Shell>{children}</Shell>
        </ChatProvider>
      </RealtimeProvider>
    </SiteProvider>
  );
}
