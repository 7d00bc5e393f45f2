'use client';

import { ArrowLeft } from 'lucide-react';
import { useActionState, useEffect, useRef, useState } from 'react';
import { createTokenAction, updateProfileAction } from '@/app/(chat)/settings/actions';
import { Avatar } from '@/components/ui/Avatar';
import { ThemeSelect } from '@/components/ui/ThemeSelect';
import { useChat, useChatActions } from '@/components/chat/ChatProvider';
import { api } from '@/lib/client/api';
import { uploadMultipart } from '@/lib/client/upload';
import { currentSubscription, explainPushError, pushUnavailableReason, subscribePush, unsubscribePush } from '@/lib/client/push';
import { AppError } from '@/lib/errors';
import { SecuritySettings } from './SecuritySettings';
import { BotsSettings } from './BotsSettings';
import { AttentionSettings } from './AttentionSettings';
import type { Me } from '@/lib/validation/users';
import { EmojiSettings } from './EmojiSettings';
import { FormError } from '@/components/ui/FieldError';

interface Token {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  scopes: ('read' | 'write')[];
  expiresAt: string | null;
}

const tokenExpiries = [
  { days: 0, label: 'Never' },
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
];

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
      setError(e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : e instanceof Error && e.message ? e.message : 'Something went wrong');
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
  const photoInput = useRef<HTMLInputElement>(null);
  const [profile, profileAction, profilePending] = useActionState(updateProfileAction, { ok: false, at: 0 });
  useEffect(() => {
    if (profile.ok && profile.data) store.set({ me: profile.data });
  }, [profile, store]);
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
            {/* A button (a label is not reachable by keyboard) that opens the hidden file chooser. */}
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => photoInput.current?.click()}>
              Change photo
            </button>
            <input
              ref={photoInput}
              id="s-avatar"
              type="file"
              accept="image/jpeg,image/png,image/gif,image/webp"
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file) return;
                void run(async () => {
                  const user = await uploadMultipart<Me>({ path: '/api/v1/me/avatar', method: 'PUT', file, key: 'user' }).promise;
                  store.set({ me: user });
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
      {/* A server action (same schema and service as PATCH /api/v1/me): works before hydration. */}
      <form action={profileAction}>
        <div className="field">
          <label htmlFor="s-display">Display name</label>
          <input
            id="s-display"
            name="displayName"
            value={displayName}
            maxLength={50}
            onChange={(e) => setDisplayName(e.target.value)}
            required
            aria-invalid={profile.fieldErrors?.displayName ? true : undefined}
            aria-describedby={profile.fieldErrors?.displayName ? 's-display-error' : undefined}
          />
          {profile.fieldErrors?.displayName && (
            <p id="s-display-error" className="field-error" role="alert">
              {profile.fieldErrors.displayName}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="s-bio">Bio</label>
          <textarea
            id="s-bio"
            name="bio"
            value={bio}
            maxLength={300}
            rows={3}
            onChange={(e) => setBio(e.target.value)}
            aria-invalid={profile.fieldErrors?.bio ? true : undefined}
            aria-describedby={profile.fieldErrors?.bio ? 's-bio-count s-bio-error' : 's-bio-count'}
          />
          <span id="s-bio-count" className="hint">
            {bio.length}/300
          </span>
          {profile.fieldErrors?.bio && (
            <p id="s-bio-error" className="field-error" role="alert">
              {profile.fieldErrors.bio}
            </p>
          )}
        </div>
        <FormError message={error} />
        {!profile.ok && profile.at > 0 && !profile.fieldErrors?.displayName && !profile.fieldErrors?.bio && profile.message && (
          <p className="field-error" role="alert">
            {profile.message}
          </p>
        )}
        {notice && <p role="status">{notice}</p>}
        {profile.ok && profile.message && !notice && <p role="status">{profile.message}</p>}
        <button className="btn" type="submit" disabled={profilePending}>
          Save profile
        </button>
      </form>
    </section>
  );
}

function Notifications() {
  const [on, setOn] = useState<boolean | null>(null);
  // Decided in the browser after hydration (the server cannot know): `undefined` until then, so the server's HTML
  // and the first client render are the same (no hydration error #418).
  const [unavailable, setUnavailable] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    const reason = pushUnavailableReason();
    setUnavailable(reason);
    if (reason) return setOn(false);
    void currentSubscription().then((s) => setOn(!!s), () => setOn(false));
  }, []);
  return (
    <section className="card" aria-labelledby="push-title">
      <h2 id="push-title">Notifications on this device</h2>
      {unavailable ? (
        <p className="row-sub" data-testid="push-unavailable">
          {unavailable}
        </p>
      ) : (
        <label className="switch">
          <input
            type="checkbox"
            checked={!!on}
            disabled={on === null || unavailable === undefined}
            onChange={(e) => {
              const want = e.target.checked;
              setError(null);
              setNotice(null);
              (want ? subscribePush() : unsubscribePush()).then(
                () => {
                  setOn(want);
                  setNotice(want ? 'Notifications are on for this device.' : 'Notifications are off for this device.');
                },
                (err: unknown) => setError(explainPushError(err)),
              );
            }}
          />
          Notify me of new messages when Chattrix is not on screen
        </label>
      )}
      <FormError message={error} />
      {notice && <p role="status">{notice}</p>}
    </section>
  );
}

function Tokens() {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [twoFactor, setTwoFactor] = useState(false);
  const [tokenState, tokenAction, tokenPending] = useActionState(createTokenAction, { ok: false, at: 0 });
  const fresh = tokenState.ok ? (tokenState.data?.token ?? null) : null;
  const { error, run } = useAsync();
  const load = () => api<{ tokens: Token[] }>('/me/tokens').then((r) => setTokens(r.tokens));
  useEffect(() => {
    void load().catch(() => setTokens([]));
  }, [tokenState.at]);
  useEffect(() => {
    void api<{ enabled: boolean }>('/me/two-factor')
      .then((r) => setTwoFactor(r.enabled))
      .catch(() => {});
  }, []);
  const fieldError = (name: string) =>
    tokenState.fieldErrors?.[name] && (
      <p id={`t-${name}-error`} className="field-error" role="alert">
        {tokenState.fieldErrors[name]}
      </p>
    );
  const invalid = (name: string) =>
    tokenState.fieldErrors?.[name] ? { 'aria-invalid': true as const, 'aria-describedby': `t-${name}-error` } : {};
  const shownElsewhere = ['name', 'password', 'otp'].some((k) => tokenState.fieldErrors?.[k]);
  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Personal access tokens</h2>
      <p className="row-sub">For scripts and bots: send `Authorization: Bearer &lt;token&gt;` to the REST API, or pass it as the socket&apos;s auth token.</p>
      {/* A server action (same schema and service as POST /api/v1/auth/tokens): works before hydration. */}
      <form action={tokenAction} key={tokenState.ok ? tokenState.at : 'token-form'}>
        <div className="inline wrap">
          <div className="field grow">
            <label htmlFor="t-name">Token name</label>
            <input id="t-name" name="name" maxLength={64} required {...invalid('name')} />
            {fieldError('name')}
          </div>
          <div className="field grow">
            <label htmlFor="t-pass">Your password</label>
            <input id="t-pass" name="password" type="password" autoComplete="current-password" required {...invalid('password')} />
            {fieldError('password')}
          </div>
          {twoFactor && (
            <div className="field grow">
              <label htmlFor="t-otp">Two-factor code</label>
              <input id="t-otp" name="otp" autoComplete="one-time-code" maxLength={32} required {...invalid('otp')} />
              {fieldError('otp')}
            </div>
          )}
        </div>
        <div className="inline wrap">
          <div className="field grow">
            <label htmlFor="t-scope">Access</label>
            <select id="t-scope" name="scope" defaultValue="write">
              <option value="write">Read and write</option>
              <option value="read">Read only</option>
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="t-expiry">Expires</label>
            <select id="t-expiry" name="expiryDays" defaultValue="0">
              {tokenExpiries.map((x) => (
                <option key={x.days} value={x.days}>
                  {x.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        {(error || (!tokenState.ok && tokenState.at > 0 && !shownElsewhere && tokenState.message)) && (
          <p className="field-error" role="alert">
            {error ?? tokenState.message}
          </p>
        )}
        <button className="btn" type="submit" disabled={tokenPending}>
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
              <span className="row-title">
                <span>{t.name}</span>
                <span className="pill">{t.scopes.includes('write') ? 'read, write' : 'read only'}</span>
              </span>
              <span className="row-sub">
                {t.expiresAt
                  ? new Date(t.expiresAt) <= new Date()
                    ? `expired ${new Date(t.expiresAt).toLocaleDateString()}`
                    : `expires ${new Date(t.expiresAt).toLocaleDateString()}`
                  : 'never expires'}{' '}
                · {t.lastUsedAt ? `last used ${new Date(t.lastUsedAt).toLocaleString()}` : 'never used'}
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
        <FormError message={error} />
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
          <ArrowLeft size={20} />
        </a>
        <h1>Settings</h1>
      </header>
      <div className="settings">
        <Profile />
        <AttentionSettings />
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
        <SecuritySettings />
        <Tokens />
        <EmojiSettings />
        <BotsSettings />
        <Blocks />
        <Account />
      </div>
    </>
  );
}
