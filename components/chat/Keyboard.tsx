'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useChatActions } from './ChatProvider';
import { QuickSwitcher, ShortcutsDialog, useOpenedOnce } from './lazy';

function editable(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

/** The app-wide shortcuts; renders the quick switcher and the shortcuts dialog. */
export function KeyboardShortcuts({ activeId }: { activeId: string | null }) {
  const router = useRouter();
  const { store, markRead } = useChatActions();
  const [switcher, setSwitcher] = useState(false);
  const [help, setHelp] = useState(false);

  useEffect(() => {
    const onOpenHelp = () => setHelp(true);
    window.addEventListener('chattrix:shortcuts', onOpenHelp);
    return () => window.removeEventListener('chattrix:shortcuts', onOpenHelp);
  }, []);

  useEffect(() => {
    const go = (dir: 1 | -1, unreadOnly: boolean) => {
      const list = store.get().conversations ?? [];
      if (list.length === 0) return;
      const i = list.findIndex((c) => c.id === activeId);
      for (let step = 1; step <= list.length; step++) {
        const j = i < 0 ? (dir === 1 ? step - 1 : list.length - step) : (i + dir * step + list.length * 2) % list.length;
        const c = list[j]!;
        if (!unreadOnly || c.unreadCount > 0 || c.mentionCount > 0) {
          if (c.id !== activeId) router.push(`/c/${c.id}`);
          return;
        }
        if (!unreadOnly) return;
      }
    };
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && (e.key === 'k' || e.key === 'K')) {
        e.preventDefault();
        setHelp(false);
        setSwitcher(true);
        return;
      }
      if (mod && e.key === '/') {
        e.preventDefault();
        setHelp(true);
        return;
      }
      if (document.querySelector('dialog[open]')) return;
      if (e.key === '?' && !mod && !e.altKey && !editable(e.target)) {
        e.preventDefault();
        setHelp(true);
        return;
      }
      if (e.altKey && !mod && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
        e.preventDefault();
        go(e.key === 'ArrowDown' ? 1 : -1, e.shiftKey);
        return;
      }
      if (e.key === 'Escape' && activeId && !e.defaultPrevented) {
        const items = store.get().messages[activeId]?.items;
        const newest = items?.[items.length - 1];
        if (newest) markRead(activeId, newest.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [activeId, router, store, markRead]);

  const switcherMounted = useOpenedOnce(switcher);
  const helpMounted = useOpenedOnce(help);
  return (
    <>
      {switcherMounted && <QuickSwitcher open={switcher} onClose={() => setSwitcher(false)} />}
      {helpMounted && <ShortcutsDialog open={help} onClose={() => setHelp(false)} />}
    </>
  );
}
