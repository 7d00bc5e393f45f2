'use client';

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
    }, 'Account created');
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
    }, 'Invitation created: copy its link below (shown once)');
  };

  return (
    <main className="settings pad admin" aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      <p>
        <a href="/">← Back to chat</a>
      </p>
      <p role="status" aria-live="polite">
        {notice}
      </p>
      {handOver && (
        <p className="token-once">
          <label htmlFor="handover">Link to hand over</label>
          <input id="handover" readOnly value={handOver} onFocus={(e) => e.currentTarget.select()} />
        </p>
      )}

      <OverviewSection />

      <section className="card" aria-labelledby="people">
        <h2 id="people">People</h2>
        <div className="row-flex">
          <label className="sr-only" htmlFor="user-search">
            Search people
          </label>
          <input id="user-search" type="search" placeholder="Search people" value={q} onChange={(e) => setQ(e.target.value)} />
          <label className="sr-only" htmlFor="user-filter">
            Filter
          </label>
          <select id="user-filter" value={filter} onChange={(e) => setFilter(e.target.value)}>
            <option value="all">Everyone</option>
            <option value="active">Active</option>
            <option value="admins">Admins</option>
            <option value="deactivated">Deactivated</option>
            <option value="bots">Bots</option>
          </select>
        </div>
        <ul className="list" aria-label="People">
          {users.map((u) => (
            <li key={u.id} className="row">
              <div className="row-main">
                <span className="row-title">
                  {u.displayName} <span className="muted-mark">@{u.username}</span>
                  <BotMark bot={u.bot} />
                  {u.isAdmin && <span className="badge">admin</span>}
                  {u.deactivatedAt && <span className="badge">deactivated</span>}
                </span>
                <span className="row-sub">{u.online ? 'online' : u.lastSeenAt ? `last seen ${new Date(u.lastSeenAt).toLocaleString()}` : 'never seen'}</span>
              </div>
              {u.id !== meId && (
                <div className="row-flex">
                  <button
                    className={u.deactivatedAt ? 'btn btn-sm' : 'btn btn-sm btn-danger'}
                    type="button"
                    onClick={() => void act(() => call(`/users/${u.id}`, 'PATCH', { deactivated: !u.deactivatedAt }), u.deactivatedAt ? 'Reactivated' : 'Deactivated')}
                  >
                    {u.deactivatedAt ? `Reactivate ${u.username}` : `Deactivate ${u.username}`}
                  </button>
                  {!u.bot && (
                  <button className="btn btn-sm btn-ghost" type="button" onClick={() => void act(() => call(`/users/${u.id}`, 'PATCH', { isAdmin: !u.isAdmin }), 'Saved')}>
                    {u.isAdmin ? 'Remove admin' : 'Make admin'}
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
                      }, 'Password reset link created (valid for an hour, once)')
                    }
                  >
                    Reset password
                  </button>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
        <form onSubmit={createUser} className="row-flex" aria-label="Create an account">
          <label className="sr-only" htmlFor="new-username">
            New username
          </label>
          <input id="new-username" name="username" placeholder="username" required minLength={3} maxLength={32} />
          <label className="sr-only" htmlFor="new-password">
            New password
          </label>
          <input id="new-password" name="password" type="password" placeholder="password" required minLength={8} autoComplete="new-password" />
          <label>
            <input name="isAdmin" type="checkbox" /> admin
          </label>
          <button className="btn btn-sm" type="submit">
            Create account
          </button>
        </form>
      </section>

      <WorkspaceSettings />
      <ComposeSettings />

      <section className="card" aria-labelledby="registration">
        <h2 id="registration">Registration</h2>
        <label htmlFor="reg-mode">Who may create an account</label>
        <select id="reg-mode" value={mode} onChange={(e) => void act(() => call('/settings', 'PATCH', { registration: e.target.value }), 'Registration mode saved')}>
          <option value="open">Anyone (open)</option>
          <option value="invite">With an invitation link</option>
          <option value="closed">Nobody: admins create accounts</option>
        </select>
        <h3>Invitations</h3>
        <form onSubmit={invite} className="row-flex" aria-label="Create an invitation">
          <label>
            Uses <input name="maxUses" type="number" min={1} max={1000} defaultValue={1} />
          </label>
          <label>
            Valid for (hours) <input name="hours" type="number" min={1} max={2160} defaultValue={168} />
          </label>
          <label>
            Note <input name="note" maxLength={200} />
          </label>
          <button className="btn btn-sm" type="submit">
            Create invitation
          </button>
        </form>
        <ul className="list" aria-label="Invitations">
          {invitations.map((i) => (
            <li key={i.id} className="row">
              <div className="row-main">
                <span className="row-title">{i.note || 'Invitation'}</span>
                <span className="row-sub">
                  {i.uses}/{i.maxUses} used · {i.revokedAt ? 'revoked' : new Date(i.expiresAt) < new Date() ? 'expired' : `until ${new Date(i.expiresAt).toLocaleString()}`}
                </span>
              </div>
              {!i.revokedAt && (
                <button className="btn btn-sm btn-ghost" type="button" onClick={() => void act(() => call(`/invitations/${i.id}`, 'DELETE'), 'Invitation revoked')}>
                  Revoke
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
