'use client';

import { Avatar } from '@/components/ui/Avatar';
import { BotMark } from '@/components/ui/BotMark';
import { api } from '@/lib/client/api';
import type { ConversationDto, MemberDto } from '@/lib/validation/dto';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useChatActions } from './ChatProvider';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { presenceText, shownOnline, usePresenceKnown, usePresenceWords } from './presence';
import { StatusMarks } from './StatusMarks';
import { UserPicker } from './UserPicker';

type Role = 'owner' | 'admin' | 'member';

/** Owners change a member's role (the API: PATCH /conversations/{id}/members/{userId} {role}). */
function RoleSelect({ member, onChange }: { member: { id: string; displayName: string; role: string }; onChange: (role: Role) => void }) {
  const id = `role-${member.id}`;
  const t = useTranslations('members');
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {t('roleOf', { name: member.displayName })}
      </label>
      <select id={id} className="role-select" value={member.role} onChange={(e) => onChange(e.target.value as Role)}>
        <option value="member">{t('roleMember')}</option>
        <option value="admin">{t('roleAdmin')}</option>
        <option value="owner">{t('roleOwner')}</option>
      </select>
    </>
  );
}

/**
 * The members of a group or channel, for its details panel or settings: presence, roles (owners change them),
 * Remove (owners and admins; admins only plain members) and "Add member" when `manage`. Errors go to `run`'s owner.
 */
export function MemberList({
  conversation: c,
  meId,
  manage,
  run,
}: {
  conversation: ConversationDto;
  meId: string;
  manage: boolean;
  run: (fn: () => Promise<void>) => Promise<void>;
}) {
  const { upsertConversation } = useChatActions();
  const known = usePresenceKnown();
  const t = useTranslations('members');
  const tp = usePresenceWords();
  const f = useFormat();
  const membersCall = async (path: string, init: { method: string; body?: unknown }) => {
    const r = await api<{ conversation: ConversationDto } | undefined>(`/conversations/${c.id}/members${path}`, init);
    if (r?.conversation) upsertConversation(r.conversation);
  };
  // A large channel lists 50 of its members: the rest a page at a time, by username, or found by name.
  const partial = c.members.length < c.memberCount;
  const [all, setAll] = useState<{ query: string; members: MemberDto[]; next: string | null } | null>(null);
  const [loading, setLoading] = useState(false);
  const [query, setQuery] = useState('');
  const loadPage = useCallback(
    async (q: string, after: string | null) => {
      setLoading(true);
      try {
        const page = await api<{ members: MemberDto[]; nextCursor: string | null }>(
          `/conversations/${c.id}/members?limit=50${q ? `&q=${encodeURIComponent(q)}` : ''}${after ? `&cursor=${after}` : ''}`,
        );
        setAll((prev) => ({ query: q, members: after && prev?.query === q ? [...prev.members, ...page.members] : page.members, next: page.nextCursor }));
      } finally {
        setLoading(false);
      }
    },
    [c.id],
  );
  // Searching runs on a pause in typing; `run` (the owner's error reporting) may be a new function every render.
  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  });
  useEffect(() => {
    if (!partial || !query) return;
    const timer = setTimeout(() => void runRef.current(() => loadPage(query, null)), 250);
    return () => clearTimeout(timer);
  }, [partial, query, loadPage]);
  const shown = all && (query ? all.query === query : !all.query) ? all.members : c.members;
  return (
    <>
      <h3 className="section-title">
        {t('count', { count: c.memberCount })}
      </h3>
      {partial && (
        <div className="search">
          <label className="sr-only" htmlFor={`find-member-${c.id}`}>
            {t('find')}
          </label>
          <input id={`find-member-${c.id}`} type="search" placeholder={t('find')} value={query} onChange={(e) => setQuery(e.target.value.trim())} autoComplete="off" />
        </div>
      )}
      {loading && (
        <p className="row-sub pad-x" role="status">
          {t('loading')}
        </p>
      )}
      {partial && query && all?.query === query && all.members.length === 0 && !loading && <p className="row-sub pad-x">{t('noMatch')}</p>}
      <ul className="list pad-x" aria-label={t('title')}>
        {shown.map((m) => (
          <li key={m.id} className="row static">
            <Avatar user={m} online={shownOnline(m.online, known)} size="sm" />
            <span className="row-main">
              <span className="row-title">
                {m.displayName}
                <BotMark bot={m.bot} />
                {m.id === meId ? ` ${t('you')}` : ''}
                <StatusMarks user={m} />
                {m.role !== 'member' && <span className="role">{m.role === 'owner' ? t('roleOwnerTag') : t('roleAdminTag')}</span>}
              </span>
              <span className="row-sub">{m.online && m.away && known ? tp('away') : presenceText(m, known, tp, f)}</span>
            </span>
            {c.kind !== 'direct' && c.myRole === 'owner' && m.id !== meId && (
              <RoleSelect member={m} onChange={(role) => void run(() => membersCall(`/${m.id}`, { method: 'PATCH', body: { role } }))} />
            )}
            {manage && m.id !== meId && (c.myRole === 'owner' || m.role === 'member') && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                aria-label={t('removeName', { name: m.displayName })}
                onClick={() => void run(() => membersCall(`/${m.id}`, { method: 'DELETE' }))}
              >
                {t('remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {partial && !loading && (!all || all.query !== query ? !query : all.next) && (
        <div className="pad-x">
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => void run(() => loadPage(query, all && all.query === query ? all.next : null))}>
            {all && all.query === query ? t('showMore') : t('showAll', { count: c.memberCount })}
          </button>
        </div>
      )}
      {manage && (
        <div className="pad">
          <UserPicker
            label={t('add')}
            excludeIds={c.members.map((m) => m.id)}
            onPick={(u) => void run(() => membersCall('', { method: 'POST', body: { userId: u.id } }))}
          />
        </div>
      )}
    </>
  );
}
