'use client';

import { useEffect, useMemo, useState } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { api } from '@/lib/client/api';
import type { PublicUser } from '@/lib/validation/users';
import { relativeTime } from './format';
import { useRealtime } from './Realtime';

/** The people directory: everyone on the server, who is online, live. */
export function PeopleList({ meId, onOpen }: { meId: string; onOpen?: (user: PublicUser) => void }) {
  const { socket, state } = useRealtime();
  const [query, setQuery] = useState('');
  const [people, setPeople] = useState<PublicUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      api<{ users: PublicUser[] }>(`/users?limit=100${query ? `&q=${encodeURIComponent(query)}` : ''}`, { signal: ctrl.signal })
        .then((r) => {
          setPeople(r.users);
          setError(null);
        })
        .catch((e: Error) => {
          if (e.name !== 'AbortError') setError('Could not load people.');
        });
    }, query ? 200 : 0);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [query, state]);

  const ids = useMemo(() => (people ?? []).map((p) => p.id).slice(0, 200), [people]);

  useEffect(() => {
    if (!socket || state !== 'connected') return;
    socket.emit('presence:subscribe', { userIds: ids }, (res) => {
      if (!res.ok) return;
      const byId = new Map(res.data.presence.map((p) => [p.userId, p]));
      setPeople((prev) => prev?.map((u) => (byId.has(u.id) ? { ...u, online: byId.get(u.id)!.online, lastSeenAt: byId.get(u.id)!.lastSeenAt } : u)) ?? prev);
    });
  }, [socket, state, ids]);

  useEffect(() => {
    if (!socket) return;
    const onPresence = (p: { userId: string; online: boolean; lastSeenAt: string | null }) =>
      setPeople((prev) => prev?.map((u) => (u.id === p.userId ? { ...u, online: p.online, lastSeenAt: p.lastSeenAt } : u)) ?? prev);
    socket.on('presence', onPresence);
    return () => {
      socket.off('presence', onPresence);
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
        People <span aria-label={`${onlineCount} online`}>{onlineCount} online</span>
      </h2>
      <div className="search">
        <label htmlFor="people-search" className="sr-only">
          Search people
        </label>
        <input id="people-search" type="search" placeholder="Search people" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {error && <p className="field-error">{error}</p>}
      {people === null && !error && <p className="row-sub" style={{ padding: 8 }}>Loading people…</p>}
      <ul className="list" aria-label="People">
        {sorted.map((u) => (
          <li key={u.id}>
            <button type="button" className="row" onClick={() => onOpen?.(u)} data-testid={`person-${u.username}`}>
              <Avatar user={u} online={u.online} size="sm" />
              <span className="row-main">
                <span className="row-title">
                  <span className="ellipsis">{u.displayName}</span>
                  {u.id === meId && <span className="row-time">you</span>}
                </span>
                <span className="row-sub row-flex">
                  <span data-testid="presence" className="presence-text">
                    {u.online ? 'online' : u.lastSeenAt ? `last seen ${relativeTime(u.lastSeenAt)}` : 'offline'}
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
}
