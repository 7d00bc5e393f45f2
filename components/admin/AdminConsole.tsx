'use client';

import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '@/lib/client/api';
import { AuditSection } from './AuditSection';
import { ReportsSection } from './ReportsSection';
import { BotMark } from '@/components/ui/BotMark';
import { CommandsAdmin } from './CommandsAdmin';
import { ComposeSettings } from './ComposeSettings';
import { OverviewSection } from './OverviewSection';
import { WorkspaceSettings } from './WorkspaceSettings';

interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  bot?: boolean;
  deactivatedAt: string | null;
  lastSeenAt: string | null;
  online: boolean;
}
interface Invitation {
  id: string;
  note: string;
  maxUses: number;
  uses: number;
  expiresAt: string;
  revokedAt: string | null;
  url?: string;
}
type Mode = 'open' | 'invite' | 'closed';

/** The admin API (`/api/v1/admin…`): the app's REST client, errors as AppError (their message is shown). */
const call = <T,>(path: string, method = 'GET', body?: unknown): Promise<T> => api<T>(`/admin${path}`, { method, body });

/** The site admin's console: people, registration and invitations. Every action is the REST API's. */
export function AdminConsole({ meId }: { meId: string }) {
  const t = useTranslations('admin');
  const f = useFormat();
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState('all');
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [mode, setMode] = useState<Mode>('open');
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [handOver, setHandOver] = useState<string | null>(null);

  const loadUsers = useCallback(async () => {
    const params = new URLSearchParams({ filter, limit: '100', ...(q.trim() ? { q: q.trim() } : {}) });
    setUsers((await call<{ users: AdminUser[] }>(`/users?${params}`)).users);
  }, [q, filter]);
  const loadRest = useCallback(async () => {
    setMode((await call<{ settings: { registration: Mode } }>('/settings')).settings.registration);
    setInvitations((await call<{ invitations: Invitation[] }>('/invitations')).invitations);
  }, []);
  useEffect(() => {
    void loadUsers().catch((e: Error) => setNotice(e.message));
  }, [loadUsers]);
  useEffect(() => {
    void loadRest().catch((e: Error) => setNotice(e.message));
  }, [loadRest]);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      setNotice(done);
      await loadUsers();
      await loadRest();
    } catch (e) {
      setNotice((e as Error).message);
    }
  };

  const createUser = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const form = e.currentTarget;
    void act(async () => {
      await call('/users', 'POST', { username: f.get('username'), password: f.get('password'), isAdmin: f.get('isAdmin') === 'on' });
      form.reset();
    }, t('accountCreated'));
  };
  const invite = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void act(async () => {
      const { invitation } = await call<{ invitation: Invitation }>('/invitations', 'POST', {
        maxUses: Number(f.get('maxUses') || 1),
        expiresInHours: Number(f.get('hours') || 168),
        note: String(f.get('note') ?? ''),
      });
      setHandOver(invitation.url ?? null);
    }, t('invitationCreated'));
  };

  return (
    <main className="settings pad admin" aria-labelledby="admin-title">
      <h1 id="admin-title">{t('title')}</h1>
      <p>
        <a href="/">← {t('backToChat')}</a>
      </p>
      <p role="status" aria-live="polite">
        {notice}
      </p>
      {handOver && (
        <p className="token-once">
          <label htmlFor="handover">{t('handOver')}</label>
          <input id="handover" readOnly value={handOver} onFocus={(e) => e.currentTarget.select()} />
        </p>
      )}

      <OverviewSection />

      <section className="card" aria-labelledby="people">
        <h2 id="people">{t('people')}</h2>
        <div className="row-flex">
          <label className="sr-only" htmlFor="user-search">
            {t('searchPeople')}
          </label>
          <input id="user-search" type="search" placeholder={t('searchPeople')} value={q} onChange={(e) => setQ(e.target.value)} />
          <label className="sr-only" htmlFor="user-filter">
            {t('filter')}
          </label>
          <select id="user-filter" value={filter} onChange={(e) => setFilter(e.target.value)}>
            <option value="all">{t('filters.all')}</option>
            <option value="active">{t('filters.active')}</option>
            <option value="admins">{t('filters.admins')}</option>
            <option value="deactivated">{t('filters.deactivated')}</option>
            <option value="bots">{t('filters.bots')}</option>
          </select>
        </div>
        <ul className="list" aria-label={t('people')}>
          {users.map((u) => (
            <li key={u.id} className="row">
              <div className="row-main">
                <span className="row-title">
                  {u.displayName} <span className="muted-mark">@{u.username}</span>
                  <BotMark bot={u.bot} />
                  {u.isAdmin && <span className="badge">{t('adminBadge')}</span>}
                  {u.deactivatedAt && <span className="badge">{t('deactivatedBadge')}</span>}
                </span>
                <span className="row-sub">{u.online ? t('online') : u.lastSeenAt ? t('lastSeen', { when: f.dateTime(u.lastSeenAt) }) : t('neverSeen')}</span>
              </div>
              {u.id !== meId && (
                <div className="row-flex">
                  <button
                    className={u.deactivatedAt ? 'btn btn-sm' : 'btn btn-sm btn-danger'}
                    type="button"
                    onClick={() => void act(() => call(`/users/${u.id}`, 'PATCH', { deactivated: !u.deactivatedAt }), u.deactivatedAt ? t('reactivated') : t('deactivated'))}
                  >
                    {u.deactivatedAt ? t('reactivate', { name: u.username }) : t('deactivate', { name: u.username })}
                  </button>
                  {!u.bot && (
                  <button className="btn btn-sm btn-ghost" type="button" onClick={() => void act(() => call(`/users/${u.id}`, 'PATCH', { isAdmin: !u.isAdmin }), t('saved'))}>
                    {u.isAdmin ? t('removeAdmin') : t('makeAdmin')}
                  </button>
                  )}
                  {!u.bot && (
                  <button
                    className="btn btn-sm btn-ghost"
                    type="button"
                    onClick={() =>
                      void act(async () => {
                        const { reset } = await call<{ reset: { url: string } }>(`/users/${u.id}/password-reset`, 'POST');
                        setHandOver(reset.url);
                      }, t('resetCreated'))
                    }
                  >
                    {t('resetPassword')}
                  </button>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
        <form onSubmit={createUser} className="row-flex" aria-label={t('createAccountLabel')}>
          <label className="sr-only" htmlFor="new-username">
            {t('newUsername')}
          </label>
          <input id="new-username" name="username" placeholder={t('usernamePlaceholder')} required minLength={3} maxLength={32} />
          <label className="sr-only" htmlFor="new-password">
            {t('newPassword')}
          </label>
          <input id="new-password" name="password" type="password" placeholder={t('passwordPlaceholder')} required minLength={8} autoComplete="new-password" />
          <label>
            <input name="isAdmin" type="checkbox" /> {t('adminBadge')}
          </label>
          <button className="btn btn-sm" type="submit">
            {t('createAccount')}
          </button>
        </form>
      </section>

      <WorkspaceSettings />
      <ComposeSettings />

      <section className="card" aria-labelledby="registration">
        <h2 id="registration">{t('registration')}</h2>
        <label htmlFor="reg-mode">{t('whoMay')}</label>
        <select id="reg-mode" value={mode} onChange={(e) => void act(() => call('/settings', 'PATCH', { registration: e.target.value }), t('registrationSaved'))}>
          <option value="open">{t('modes.open')}</option>
          <option value="invite">{t('modes.invite')}</option>
          <option value="closed">{t('modes.closed')}</option>
        </select>
        <h3>{t('invitations')}</h3>
        <form onSubmit={invite} className="row-flex" aria-label={t('createInvitationLabel')}>
          <label>
            {t('uses')} <input name="maxUses" type="number" min={1} max={1000} defaultValue={1} />
          </label>
          <label>
            {t('validFor')} <input name="hours" type="number" min={1} max={2160} defaultValue={168} />
          </label>
          <label>
            {t('note')} <input name="note" maxLength={200} />
          </label>
          <button className="btn btn-sm" type="submit">
            {t('createInvitation')}
          </button>
        </form>
        <ul className="list" aria-label={t('invitations')}>
          {invitations.map((i) => (
            <li key={i.id} className="row">
              <div className="row-main">
                <span className="row-title">{i.note || t('invitation')}</span>
                <span className="row-sub">
                  {t('used', { uses: i.uses, max: i.maxUses })} · {i.revokedAt ? t('revoked') : new Date(i.expiresAt) < new Date() ? t('expired') : t('until', { when: f.dateTime(i.expiresAt) })}
                </span>
              </div>
              {!i.revokedAt && (
                <button className="btn btn-sm btn-ghost" type="button" onClick={() => void act(() => call(`/invitations/${i.id}`, 'DELETE'), t('invitationRevoked'))}>
                  {t('revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>

      <ReportsSection />
      <AuditSection />
      <CommandsAdmin />
    </main>
  );
}
