'use client';

/** The quick switcher (Ctrl/Cmd+K) and the shortcuts dialog: loaded the first time one opens (components/chat/lazy.tsx). */

import { Hash, Keyboard as KeyboardIcon, Search, User, Users } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { useModalDialog } from '@/components/ui/useModalDialog';
import { api } from '@/lib/client/api';
import { fuzzyRank } from '@/lib/client/fuzzy';
import { useConversationTitle } from './useConversationTitle';
import type { ConversationDto } from '@/lib/validation/dto';
import type { PublicUser } from '@/lib/validation/users';
import { useChat, useChatActions } from './ChatProvider';

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Each shortcut's keys and what it does are messages (`shortcuts.items.{id}`). */
/** Key symbols stay in the code, not in the messages (whose text is inlined in the page and must hold no symbol glyphs). */
const KEY_GLYPHS = { up: '↑', down: '↓' };
export const SHORTCUTS = ['switcher', 'nextConversation', 'nextUnread', 'escape', 'history', 'editLast', 'send', 'help'] as const;

type Option = { kind: 'conversation'; c: ConversationDto; title: string; sub: string } | { kind: 'person'; u: PublicUser; title: string; sub: string };

/** Ctrl/Cmd+K: conversations (most recent first) and people, fuzzy; Enter opens. */
export function QuickSwitcher({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useTranslations('switcher');
  const titleOf = useConversationTitle();
  const ref = useModalDialog(open, onClose);
  const router = useRouter();
  const me = useChat((s) => s.me);
  const conversations = useChat((s) => s.conversations);
  const { upsertConversation } = useChatActions();
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const [people, setPeople] = useState<PublicUser[]>([]);

  useEffect(() => {
    if (!open) return;
    setQ('');
    setActive(0);
    api<{ users: PublicUser[] }>('/users?limit=100')
      .then((r) => setPeople(r?.users ?? []))
      .catch(() => {});
  }, [open]);
  // Beyond the first hundred people: ask the server for the typed name.
  useEffect(() => {
    if (!open || q.trim().length < 2) return;
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      api<{ users: PublicUser[] }>(`/users?limit=20&q=${encodeURIComponent(q.trim())}`, { signal: ctrl.signal })
        .then((r) => {
          const found = r?.users ?? [];
          setPeople((prev) => [...prev, ...found.filter((u) => !prev.some((p) => p.id === u.id))]);
        })
        .catch(() => {});
    }, 150);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [open, q]);

  const options = useMemo<Option[]>(() => {
    const convs: Option[] = (conversations ?? []).map((c) => {
      const other = c.kind === 'direct' ? c.members.find((m) => m.id !== me.id) : undefined;
      return { kind: 'conversation', c, title: titleOf(c), sub: other ? `@${other.username}` : c.kind === 'channel' ? t('channel') : t('members', { count: c.memberCount }) };
    });
    const withDirect = new Set((conversations ?? []).filter((c) => c.kind === 'direct').flatMap((c) => c.members.map((m) => m.id)));
    const ppl: Option[] = people.filter((u) => u.id !== me.id && !withDirect.has(u.id)).map((u) => ({ kind: 'person', u, title: u.displayName, sub: `@${u.username}` }));
    return fuzzyRank(q, [...convs, ...ppl], (o) => [o.title, o.sub], 30).map((r) => r.item);
  }, [conversations, people, q, me.id, t, titleOf]);

  const choose = useCallback(
    async (o: Option | undefined) => {
      if (!o) return;
      onClose();
      if (o.kind === 'conversation') return router.push(`/c/${o.c.id}`);
      const { conversation } = await api<{ conversation: ConversationDto }>('/conversations', { method: 'POST', body: { kind: 'direct', userId: o.u.id } });
      upsertConversation(conversation);
      router.push(`/c/${conversation.id}`);
    },
    [onClose, router, upsertConversation],
  );

  function onKeyDown(e: ReactKeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = options.length || 1;
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void choose(options[Math.min(active, options.length - 1)]).catch(() => {});
    }
  }

  useEffect(() => {
    document.getElementById(`qs-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  return (
    <dialog ref={ref} className="dialog switcher" aria-label={t('title')}>
      {open && (
        <>
          <div className="switcher-input">
            <Search size={18} aria-hidden="true" />
            <input
              autoFocus
              role="combobox"
              aria-expanded="true"
              aria-controls="qs-list"
              aria-activedescendant={options.length ? `qs-${Math.min(active, options.length - 1)}` : undefined}
              aria-autocomplete="list"
              aria-label={t('input')}
              placeholder={t('placeholder')}
              value={q}
              onChange={(e) => {
                setQ(e.target.value);
                setActive(0);
              }}
              onKeyDown={onKeyDown}
            />
          </div>
          <ul id="qs-list" role="listbox" aria-label={t('matches')} className="switcher-list">
            {options.map((o, i) => (
              <li
                key={o.kind === 'conversation' ? o.c.id : `u-${o.u.id}`}
                id={`qs-${i}`}
                role="option"
                aria-selected={i === active}
                className={`row${i === active ? ' active' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => void choose(o).catch(() => {})}
                data-testid="switcher-option"
              >
                {o.kind === 'person' ? (
                  <Avatar user={o.u} size="sm" />
                ) : o.c.kind === 'direct' ? (
                  <Avatar user={o.c.members.find((m) => m.id !== me.id) ?? o.c.members[0]!} size="sm" />
                ) : (
                  <span className="avatar sm conv-icon" aria-hidden="true">
                    {o.c.kind === 'channel' ? <Hash size={16} /> : <Users size={16} />}
                  </span>
                )}
                <span className="row-main">
                  <span className="row-title">
                    <span className="ellipsis">{o.title}</span>
                    {o.kind === 'conversation' && o.c.unreadCount > 0 && <span className="badge">{o.c.unreadCount}</span>}
                  </span>
                  <span className="row-sub">
                    {o.kind === 'person' ? (
                      <>
                        <User size={12} aria-hidden="true" /> {o.sub} · {t('start')}
                      </>
                    ) : (
                      o.sub
                    )}
                  </span>
                </span>
              </li>
            ))}
            {options.length === 0 && <li className="row-sub pad">{t('none')}</li>}
          </ul>
          <p className="switcher-hint">{t('hint', KEY_GLYPHS)}</p>
        </>
      )}
    </dialog>
  );
}

/** `?` or Ctrl+/: every shortcut. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useModalDialog(open, onClose);
  const t = useTranslations('shortcuts');
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">
        <KeyboardIcon size={18} aria-hidden="true" /> {t('title')}
      </h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((id) => (
            <tr key={id}>
              <th scope="row">
                <kbd>{t(`items.${id}.keys`, { ...KEY_GLYPHS, mod: isMac() ? '⌘' : 'Ctrl' })}</kbd>
              </th>
              <td>{t(`items.${id}.does`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose} autoFocus>
          {t('close')}
        </button>
      </div>
    </dialog>
  );
}
