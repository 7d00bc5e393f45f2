'use client';

import { StatusMarks } from './StatusMarks';
import { presencePatch } from './ChatProvider';
import type { PresenceDto } from '@/lib/realtime/contract';
import { memo, useEffect, useMemo, useState } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { api } from '@/lib/client/api';
import type { PublicUser } from '@/lib/validation/users';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { presenceText, shownOnline, usePresenceKnown, usePresenceWords } from './presence';
import { useRealtime } from './Realtime';

/** The people directory: everyone on the server, who is online, live. */
export const PeopleList = memo(function PeopleList({ meId, onOpen }: { meId: string; onOpen?: (user: PublicUser) => void }) {
  const { socket, state } = useRealtime();
  const [query, setQuery] = useState('');
  const [people, setPeople] = useState<PublicUser[] | null>(null);
  // Why the last load failed: no network (the list loads when the connection is back) or the server said no.
  const [error, setError] = useState<'offline' | 'failed' | null>(null);
  const known = usePresenceKnown();
  const t = useTranslations('people');
  const tp = usePresenceWords();
  const f = useFormat();

  useEffect(() => {
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      api<{ users: PublicUser[] }>(`/users?limit=100${query ? `&q=${encodeURIComponent(query)}` : ''}`, { signal: ctrl.signal })
        .then((r) => {
          setPeople(r.users);
          setError(null);
        })
        .catch((e: Error) => {
          if (e.name === 'AbortError') return;
          setError(e instanceof TypeError || !navigator.onLine ? 'offline' : 'failed');
        });
    }, query ? 200 : 0);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [query, state]);

  // The subscription depends on which people are shown, never on their presence: the acknowledgement below
  // replaces `people` (new objects, same ids), so the effect is keyed on the ids joined into a string. Keying it on
  // an array derived from `people` made every acknowledgement re-subscribe, hundreds of times a second per tab.
  const idsKey = useMemo(() => (people ?? []).slice(0, 200).map((p) => p.id).join(','), [people]);

  useEffect(() => {
    if (!socket || state !== 'connected') return;
    const userIds = idsKey ? idsKey.split(',') : [];
    socket.emit('presence:subscribe', { userIds }, (res) => {
      if (!res.ok) return;
      const byId = new Map(res.data.presence.map((p) => [p.userId, p]));
      setPeople((prev) => prev?.map((u) => (byId.has(u.id) ? { ...u, ...presencePatch(byId.get(u.id)!) } : u)) ?? prev);
    });
  }, [socket, state, idsKey]);

  useEffect(() => {
    if (!socket) return;
    const onPresence = (p: PresenceDto) => setPeople((prev) => prev?.map((u) => (u.id === p.userId ? { ...u, ...presencePatch(p) } : u)) ?? prev);
    const onUser = ({ user }: { user: { id: string; displayName: string; avatarUrl: string | null; bio: string } }) =>
      setPeople((prev) => prev?.map((u) => (u.id === user.id ? { ...u, displayName: user.displayName, avatarUrl: user.avatarUrl, bio: user.bio } : u)) ?? prev);
    socket.on('presence', onPresence);
    socket.on('user:updated', onUser);
    return () => {
      socket.off('presence', onPresence);
      socket.off('user:updated', onUser);
    };
  }, [socket]);

  const sorted = useMemo(
    () => [...(people ?? [])].sort((a, b) => Number(b.online) - Number(a.online) || a.displayName.localeCompare(b.displayName)),
    [people],
  );
  const onlineCount = sorted.filter((p) => p.online).length;

  return (
    <section aria-labelledby="people-title">
      <h2 className="section-title" id="people-title">
        {t('title')} <span aria-label={known ? t('online', { count: onlineCount }) : t('presenceUnknown')}>{known ? t('online', { count: onlineCount }) : '…'}</span>
      </h2>
      <div className="search">
        <label htmlFor="people-search" className="sr-only">
          {t('search')}
        </label>
        <input id="people-search" type="search" placeholder={t('search')} value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {error === 'failed' && <p className="field-error">{t('loadError')}</p>}
      {error === 'offline' && people === null && (
        <p className="row-sub" role="status" style={{ padding: 8, whiteSpace: 'normal' }}>
          {t('offline')}
        </p>
      )}
      {people === null && !error && <p className="row-sub" style={{ padding: 8 }}>{t('loading')}</p>}
      <ul className="list" aria-label={t('title')}>
        {sorted.map((u) => (
          <li key={u.id}>
            <button type="button" className="row" onClick={() => onOpen?.(u)} data-testid={`person-${u.username}`}>
              <Avatar user={u} online={shownOnline(u.online, known)} size="sm" />
              <span className="row-main">
                <span className="row-title">
                  <span className="ellipsis">{u.displayName}</span>
                  <StatusMarks user={u} />
                  {u.id === meId && <span className="row-time">{t('you')}</span>}
                </span>
                <span className="row-sub row-flex">
                  <span data-testid="presence" className={`presence-text${known ? '' : ' unknown'}`}>
                    {presenceText(u, known, tp, f)}
                  </span>
                  <span className="ellipsis username">@{u.username}</span>
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
});
