'use client';

import { signOut } from 'next-auth/react';
import { useSelectedLayoutSegment } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { ThemeSelect } from '@/components/ui/ThemeSelect';
import type { Me } from '@/lib/validation/users';
import { PeopleList } from './PeopleList';
import { RealtimeProvider, useRealtime } from './Realtime';

function ConnectionBanner() {
  const { state } = useRealtime();
  if (state === 'connected' || state === 'connecting') return null;
  return (
    <div className={`status-banner${state === 'offline' ? ' offline' : ''}`} role="status">
      {state === 'offline' ? 'You are offline. Messages you write will be sent when you are back.' : 'Reconnecting…'}
    </div>
  );
}

export function ChatShell({ me, children }: { me: Me; children: ReactNode }) {
  const segment = useSelectedLayoutSegment();
  const [signingOut, setSigningOut] = useState(false);
  const hasOpen = segment !== null;

  return (
    <RealtimeProvider>
      <div className={`shell${hasOpen ? ' has-open' : ''}`}>
        <nav className="sidebar" aria-label="Chattrix">
          <div className="sidebar-head">
            <a className="brand" href="/" aria-label="Chattrix home">
              <span className="brand-mark" aria-hidden="true">
                C
              </span>
              <span style={{ color: 'var(--text)' }}>Chattrix</span>
            </a>
            <ThemeSelect />
          </div>
          <ConnectionBanner />
          <div className="sidebar-scroll">
            <PeopleList meId={me.id} />
          </div>
          <div className="sidebar-foot">
            <Avatar user={me} size="sm" />
            <div className="me">
              <div className="row-title">{me.displayName}</div>
              <div className="row-sub">@{me.username}</div>
            </div>
            <a className="icon-btn" href="/settings" aria-label="Settings" title="Settings">
              ⚙
            </a>
            <button
              type="button"
              className="btn btn-ghost"
              disabled={signingOut}
              onClick={async () => {
                setSigningOut(true);
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
      </div>
    </RealtimeProvider>
  );
}
