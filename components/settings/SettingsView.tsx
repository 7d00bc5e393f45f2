'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { Avatar } from '@/components/ui/Avatar';
import { ThemeSelect } from '@/components/ui/ThemeSelect';
import { useChat, useChatActions } from '@/components/chat/ChatProvider';
import { api } from '@/lib/client/api';
import { currentSubscription, pushSupported, subscribePush, unsubscribePush } from '@/lib/client/push';
import { AppError } from '@/lib/errors';
import type { Me } from '@/lib/validation/users';

interface Token {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

function useAsync() {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = async (fn: () => Promise<string | void>) => {
    setError(null);
    setNotice(null);
    try {
      const msg = await fn();
      if (msg) setNotice(msg);
    } catch (e) {
      setError(e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : 'Something went wrong');
    }
  };
  return { error, notice, run };
}

function Profile() {
  const me = useChat((s) => s.me);
  const { store } = useChatActions();
  const [displayName, setDisplayName] = useState(me.displayName);
  const [bio, setBio] = useState(me.bio);
  const { error, notice, run } = useAsync();
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <div className="profile-top">
        <span className="avatar-lg">
          <Avatar user={me} />
        </span>
        <div>
          <strong>@{me.username}</strong>
          <div className="row-sub">{me.email ?? 'No e-mail'}</div>
          <div className="inline avatar-actions">
            <label className="btn btn-ghost btn-sm" htmlFor="s-avatar">
              Change photo
            </label>
            <input
              id="s-avatar"
              type="file"
              accept="image/jpeg,image/png,image/gif,image/webp"
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file) return;
                void run(async () => {
                  const form = new FormData();
                  form.append('file', file, file.name);
                  const res = await fetch('/api/v1/me/avatar', { method: 'PUT', body: form });
                  const body = (await res.json()) as { user?: Me; error?: { code: string; message: string } };
                  if (!res.ok || !body.user) throw new AppError((body.error?.code as 'bad_request') ?? 'internal', body.error?.message ?? 'Upload failed');
                  store.set({ me: body.user });
                  return 'Photo updated.';
                });
              }}
            />
            {me.avatarUrl && (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() =>
                  void run(async () => {
                    const { user } = await api<{ user: Me }>('/me/avatar', { method: 'DELETE' });
                    store.set({ me: user });
                    return 'Photo removed.';
                  })
                }
              >
                Remove photo
              </button>
            )}
          </div>
        </div>
      </div>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void run(async () => {
            const { user } = await api<{ user: Me }>('/me', { method: 'PATCH', body: { displayName, bio } });
            store.set({ me: user });
            return 'Profile saved.';
          });
        }}
      >
        <div className="field">
          <label htmlFor="s-display">Display name</label>
          <input id="s-display" value={displayName} maxLength={50} onChange={(e) => setDisplayName(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="s-bio">Bio</label>
          <textarea id="s-bio" value={bio} maxLength={300} rows={3} onChange={(e) => setBio(e.target.value)} aria-describedby="s-bio-count" />
          <span id="s-bio-count" className="hint">
            {bio.length}/300
          </span>
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        {notice && <p role="status">{notice}</p>}
        <button className="btn" type="submit">
          Save profile
        </button>
      </form>
    </section>
  );
}

function Notifications() {
  const [on, setOn] = useState<boolean | null>(null);
  const { error, notice, run } = useAsync();
  useEffect(() => {
    if (!pushSupported()) return setOn(false);
    void currentSubscription().then((s) => setOn(!!s));
  }, []);
  return (
    <section className="card" aria-labelledby="push-title">
      <h2 id="push-title">Notifications on this device</h2>
      {!pushSupported() ? (
        <p className="row-sub">This browser cannot receive web push. Install Chattrix as an app, or use a current browser over https.</p>
      ) : (
        <label className="switch">
          <input
            type="checkbox"
            checked={!!on}
            disabled={on === null}
            onChange={(e) => {
              const want = e.target.checked;
              void run(async () => {
                if (want) await subscribePush();
                else await unsubscribePush();
                setOn(want);
                return want ? 'Notifications are on for this device.' : 'Notifications are off for this device.';
              });
            }}
          />
          Notify me of new messages when Chattrix is not on screen
        </label>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
    </section>
  );
}

function Tokens() {
  const me = useChat((s) => s.me);
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [fresh, setFresh] = useState<string | null>(null);
  const { error, run } = useAsync();
  const load = () => api<{ tokens: Token[] }>('/me/tokens').then((r) => setTokens(r.tokens));
  useEffect(() => {
    void load().catch(() => setTokens([]));
  }, []);
  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Personal access tokens</h2>
      <p className="row-sub">For scripts and bots: send `Authorization: Bearer &lt;token&gt;` to the REST API, or pass it as the socket&apos;s auth token.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await api<{ token: string }>('/auth/tokens', { method: 'POST', body: { username: me.username, password, name } });
            setFresh(r.token);
            setName('');
            setPassword('');
            await load();
          });
        }}
      >
        <div className="inline wrap">
          <div className="field grow">
            <label htmlFor="t-name">Token name</label>
            <input id="t-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required />
          </div>
          <div className="field grow">
            <label htmlFor="t-pass">Your password</label>
            <input id="t-pass" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </div>
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button className="btn" type="submit">
          Create token
        </button>
      </form>
      {fresh && (
        <div className="token-once" role="status">
          Copy it now, it is shown once: <code>{fresh}</code>
        </div>
      )}
      <ul className="list">
        {tokens?.map((t) => (
          <li key={t.id} className="row static">
            <span className="row-main">
              <span className="row-title">{t.name}</span>
              <span className="row-sub">
                created {new Date(t.createdAt).toLocaleDateString()} · {t.lastUsedAt ? `last used ${new Date(t.lastUsedAt).toLocaleString()}` : 'never used'}
              </span>
            </span>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() =>
                void run(async () => {
                  await api(`/me/tokens/${t.id}`, { method: 'DELETE' });
                  await load();
                })
              }
            >
              Revoke
            </button>
          </li>
        ))}
        {tokens?.length === 0 && <li className="row-sub">No tokens yet.</li>}
      </ul>
    </section>
  );
}

function Blocks() {
  const [blocks, setBlocks] = useState<{ user: { id: string; displayName: string; username: string } }[] | null>(null);
  const { error, run } = useAsync();
  const load = () => api<{ blocks: { user: { id: string; displayName: string; username: string } }[] }>('/me/blocks').then((r) => setBlocks(r.blocks));
  useEffect(() => {
    void load().catch(() => setBlocks([]));
  }, []);
  return (
    <section className="card" aria-labelledby="blocks-title">
      <h2 id="blocks-title">Blocked people</h2>
      {error && <p className="field-error">{error}</p>}
      <ul className="list">
        {blocks?.map((b) => (
          <li key={b.user.id} className="row static">
            <span className="row-main">
              <span className="row-title">{b.user.displayName}</span>
              <span className="row-sub">@{b.user.username}</span>
            </span>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() =>
                void run(async () => {
                  await api(`/users/${b.user.id}/block`, { method: 'DELETE' });
                  await load();
                })
              }
            >
              Unblock
            </button>
          </li>
        ))}
        {blocks?.length === 0 && <li className="row-sub">Nobody. Block someone from their profile card.</li>}
      </ul>
    </section>
  );
}

function Account() {
  const [password, setPassword] = useState('');
  const { error, run } = useAsync();
  return (
    <section className="card" aria-labelledby="account-title">
      <h2 id="account-title">Your data</h2>
      <p>
        <a className="btn btn-ghost" href="/api/v1/me/export" download>
          Export my data (ZIP)
        </a>
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!window.confirm('Delete your account for good? Your messages will show as deleted.')) return;
          void run(async () => {
            await api('/me', { method: 'DELETE', body: { password } });
            window.location.assign('/login');
          });
        }}
      >
        <div className="field">
          <label htmlFor="del-pass">Password, to delete your account</label>
          <input id="del-pass" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </div>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button className="btn btn-danger" type="submit" disabled={!password}>
          Delete my account
        </button>
      </form>
    </section>
  );
}

export function SettingsView() {
  return (
    <>
      <header className="pane-head">
        <a className="icon-btn back-btn" href="/" aria-label="Back">
          ←
        </a>
        <h1>Settings</h1>
      </header>
      <div className="settings">
        <Profile />
        <section className="card" aria-labelledby="appearance-title">
          <h2 id="appearance-title">Appearance</h2>
          <div className="field">
            <label htmlFor="settings-theme-label">Theme (this device)</label>
            <div id="settings-theme-label">
              <ThemeSelect id="settings-theme" />
            </div>
          </div>
        </section>
        <Notifications />
        <Tokens />
        <Blocks />
        <Account />
      </div>
    </>
  );
}
