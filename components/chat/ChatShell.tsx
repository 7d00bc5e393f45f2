'use client';

import Link from 'next/link';
import { signOut } from 'next-auth/react';
import { useParams, useRouter, useSelectedLayoutSegment } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { ThemeSelect } from '@/components/ui/ThemeSelect';
import { api } from '@/lib/client/api';
import type { ConversationDto } from '@/lib/validation/dto';
import type { Me, PublicUser } from '@/lib/validation/users';
import { ChatProvider, useChat, useChatActions } from './ChatProvider';
import { ConversationList } from './ConversationList';
import { NewGroupDialog } from './NewGroupDialog';
import { PeopleList } from './PeopleList';
import { RealtimeProvider, useRealtime } from './Realtime';
import { ServiceWorker } from './ServiceWorker';
import { eraseUserData } from '@/lib/client/idb';
import { unsubscribePush } from '@/lib/client/push';

function ConnectionBanner() {
  const { state } = useRealtime();
  const synced = useChat((s) => s.synced);
  const pending = useChat((s) => s.outbox.filter((o) => o.status === 'pending').length);
  if (state === 'offline') {
    return (
      <div className="status-banner offline" role="status">
        You are offline. {pending > 0 ? `${pending} message${pending > 1 ? 's' : ''} will be sent when you are back.` : 'What you write will be sent when you are back.'}
      </div>
    );
  }
  if (state === 'reconnecting') {
    return (
      <div className="status-banner" role="status">
        Reconnecting…
      </div>
    );
  }
  if (state === 'connected' && !synced) {
    return (
      <div className="status-banner" role="status">
        Syncing…
      </div>
    );
  }
  return <span className="sr-only" role="status" data-testid="connection-state">{state === 'connected' ? 'Connected' : 'Connecting'}</span>;
}

function Shell({ children }: { children: ReactNode }) {
  // The live profile (the settings page updates it).
  const me = useChat((s) => s.me);
  const segment = useSelectedLayoutSegment();
  const params = useParams<{ id?: string }>();
  const router = useRouter();
  const { upsertConversation } = useChatActions();
  const [signingOut, setSigningOut] = useState(false);
  const [newGroup, setNewGroup] = useState(false);
  const hasOpen = segment !== null;
  const activeId = typeof params?.id === 'string' ? params.id : null;

  async function openDirect(user: PublicUser) {
    if (user.id === me.id) return;
    const { conversation } = await api<{ conversation: ConversationDto }>('/conversations', { method: 'POST', body: { kind: 'direct', userId: user.id } });
    upsertConversation(conversation);
    router.push(`/c/${conversation.id}`);
  }

  return (
    <div className={`shell${hasOpen ? ' has-open' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to conversation
      </a>
      <div className="shell-banner">
        <ConnectionBanner />
      </div>
      <nav className="sidebar" aria-label="Chattrix">
        <div className="sidebar-head">
          <a className="brand" href="/" aria-label="Chattrix home">
            <span className="brand-mark" aria-hidden="true">
              C
            </span>
            <span style={{ color: 'var(--text)' }}>Chattrix</span>
          </a>
          <Link className="icon-btn" href="/search" aria-label="Search messages" title="Search messages">
            🔍
          </Link>
          <ThemeSelect />
        </div>
        <div className="sidebar-scroll">
          <ConversationList activeId={activeId} onNewGroup={() => setNewGroup(true)} />
          <PeopleList meId={me.id} onOpen={(u) => void openDirect(u).catch(() => {})} />
        </div>
        <div className="sidebar-foot">
          <Avatar user={me} size="sm" />
          <div className="me">
            <div className="row-title">{me.displayName}</div>
            <div className="row-sub">@{me.username}</div>
          </div>
          <Link className="icon-btn" href="/settings" aria-label="Settings" title="Settings">
            ⚙
          </Link>
          <button
            type="button"
            className="btn btn-ghost"
            disabled={signingOut}
            onClick={async () => {
              setSigningOut(true);
              // This device forgets the user: push for this device, cached conversations, the outbox.
              await unsubscribePush().catch(() => {});
              await eraseUserData(me.id);
              await signOut({ redirect: false });
              window.location.assign('/login');
            }}
          >
            Sign out
          </button>
        </div>
      </nav>
      <main className="pane" id="main">
        {children}
      </main>
      <NewGroupDialog open={newGroup} onClose={() => setNewGroup(false)} meId={me.id} />
      <ServiceWorker />
    </div>
  );
}

export function ChatShell({ me, children }: { me: Me; children: ReactNode }) {
  return (
    <RealtimeProvider>
      <ChatProvider me={me}>
        <Shell>{children}</Shell>
      </ChatProvider>
    </RealtimeProvider>
  );
}
