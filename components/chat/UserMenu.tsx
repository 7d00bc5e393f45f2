'use client';

import { Keyboard, Settings } from 'lucide-react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { ThemeSelect } from '@/components/ui/ThemeSelect';
import type { Me } from '@/lib/validation/users';

/** You, in the sidebar's foot: opens a small menu with the theme, the keyboard shortcuts and Settings. */
export function UserMenu({ me }: { me: Me }) {
  const [open, setOpen] = useState(false);
  const t = useTranslations('sidebar');
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="user-menu" ref={box}>
      <button
        ref={button}
        type="button"
        className="user-menu-btn"
        aria-expanded={open}
        aria-controls={id}
        aria-label={t('yourMenu', { name: me.displayName, username: me.username })}
        onClick={() => setOpen((o) => !o)}
      >
        <Avatar user={me} size="sm" />
        <span className="me">
          <span className="row-title">{me.displayName}</span>
          <span className="row-sub">@{me.username}</span>
        </span>
      </button>
      {open && (
        <div id={id} className="user-menu-pop" role="group" aria-label={t('yourMenuGroup')}>
          <div className="field">
            <label htmlFor="menu-theme">{t('theme')}</label>
            <ThemeSelect id="menu-theme" label={false} />
          </div>
          <button
            type="button"
            className="row"
            onClick={() => {
              setOpen(false);
              window.dispatchEvent(new Event('chattrix:shortcuts'));
            }}
          >
            <Keyboard size={18} aria-hidden="true" /> {t('shortcuts')}
          </button>
          <Link className="row" href="/settings" onClick={() => setOpen(false)}>
            <Settings size={18} aria-hidden="true" /> {t('settings')}
          </Link>
        </div>
      )}
    </div>
  );
}
