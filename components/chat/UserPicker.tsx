'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useState } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { api } from '@/lib/client/api';
import type { PublicUser } from '@/lib/validation/users';

/** Search people by name and pick one. */
export function UserPicker({ excludeIds, onPick, label }: { excludeIds: string[]; onPick: (u: PublicUser) => void; label: string }) {
  const id = useId();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<PublicUser[]>([]);
  const t = useTranslations('userPicker');

  useEffect(() => {
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api<{ users: PublicUser[] }>(`/users?limit=20${q ? `&q=${encodeURIComponent(q)}` : ''}`, { signal: ctrl.signal })
        .then((r) => setResults(r.users))
        .catch(() => {});
    }, 150);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [q]);

  const shown = results.filter((u) => !excludeIds.includes(u.id)).slice(0, 8);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('placeholder')} autoComplete="off" />
      <ul className="list picker" aria-label={t('matching')}>
        {shown.map((u) => (
          <li key={u.id}>
            <button type="button" className="row" onClick={() => onPick(u)}>
              <Avatar user={u} size="sm" />
              <span className="row-main">
                <span className="row-title">{u.displayName}</span>
                <span className="row-sub">@{u.username}</span>
              </span>
              <span aria-hidden="true">+</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
