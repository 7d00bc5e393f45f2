'use client';

import { ArrowLeft } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useRef, useState } from 'react';
import { createTokenAction, updateProfileAction } from '@/app/(chat)/settings/actions';
import { Avatar } from '@/components/ui/Avatar';
import { ThemeSelect } from '@/components/ui/ThemeSelect';
import { LanguageSelect, type LanguageChoice } from '@/components/ui/LanguageSelect';
import type { Words } from '@/lib/i18n/english';
import { useFormat } from '@/components/i18n/useFormat';
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

const tokenExpiries = [0, 7, 30, 90, 365] as const;

export function useAsync() {
  const tc = useTranslations('common');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = async (fn: () => Promise<string | void>) => {
    setError(null);
    setNotice(null);
    try {
      const msg = await fn();
      if (msg) setNotice(msg);
    } catch (e) {
      setError(e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : e instanceof Error && e.message ? e.message : tc('somethingWrong'));
    }
  };
  return { error, notice, run };
}

function Profile() {
  const t = useTranslations('settings.profile');
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
      <h2 id="profile-title">{t('title')}</h2>
      <div className="profile-top">
        <span className="avatar-lg">
          <Avatar user={me} />
        </span>
        <div>
          <strong>@{me.username}</strong>
          <div className="row-sub">{me.email ?? t('noEmail')}</div>
          <div className="inline avatar-actions">
            {/* A button (a label is not reachable by keyboard) that opens the hidden file chooser. */}
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => photoInput.current?.click()}>
              {t('changePhoto')}
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
                  return t('photoUpdated');
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
                    return t('photoRemoved');
                  })
                }
              >
                {t('removePhoto')}
              </button>
            )}
          </div>
        </div>
      </div>
      {/* A server action (same schema and service as PATCH /api/v1/me): works before hydration. */}
      <form action={profileAction}>
        <div className="field">
          <label htmlFor="s-display">{t('displayName')}</label>
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
          <label htmlFor="s-bio">{t('bio')}</label>
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
          {t('save')}
        </button>
      </form>
    </section>
  );
}

function Notifications() {
  const t = useTranslations('settings.notifications');
  const tPush = useTranslations('push') as unknown as Words;
  const [on, setOn] = useState<boolean | null>(null);
  // Decided in the browser after hydration (the server cannot know): `undefined` until then, so the server's HTML
  // and the first client render are the same (no hydration error #418).
  const [unavailable, setUnavailable] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    const reason = pushUnavailableReason(tPush);
    setUnavailable(reason);
    if (reason) return setOn(false);
    void currentSubscription().then((s) => setOn(!!s), () => setOn(false));
  }, [tPush]);
  return (
    <section className="card" aria-labelledby="push-title">
      <h2 id="push-title">{t('title')}</h2>
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
                  setNotice(want ? t('on') : t('off'));
                },
                (err: unknown) => setError(explainPushError(err, tPush)),
              );
            }}
          />
          {t('toggle')}
        </label>
      )}
      <FormError message={error} />
      {notice && <p role="status">{notice}</p>}
    </section>
  );
}

function Tokens() {
  const t = useTranslations('settings.tokens');
  const f = useFormat();
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
      <h2 id="tokens-title">{t('title')}</h2>
      <p className="row-sub">{t('intro', { header: 'Authorization: Bearer <token>' })}</p>
      {/* A server action (same schema and service as POST /api/v1/auth/tokens): works before hydration. */}
      <form action={tokenAction} key={tokenState.ok ? tokenState.at : 'token-form'}>
        <div className="inline wrap">
          <div className="field grow">
            <label htmlFor="t-name">{t('name')}</label>
            <input id="t-name" name="name" maxLength={64} required {...invalid('name')} />
            {fieldError('name')}
          </div>
          <div className="field grow">
            <label htmlFor="t-pass">{t('password')}</label>
            <input id="t-pass" name="password" type="password" autoComplete="current-password" required {...invalid('password')} />
            {fieldError('password')}
          </div>
          {twoFactor && (
            <div className="field grow">
              <label htmlFor="t-otp">{t('otp')}</label>
              <input id="t-otp" name="otp" autoComplete="one-time-code" maxLength={32} required {...invalid('otp')} />
              {fieldError('otp')}
            </div>
          )}
        </div>
        <div className="inline wrap">
          <div className="field grow">
            <label htmlFor="t-scope">{t('access')}</label>
            <select id="t-scope" name="scope" defaultValue="write">
              <option value="write">{t('readWrite')}</option>
              <option value="read">{t('readOnly')}</option>
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="t-expiry">{t('expires')}</label>
            <select id="t-expiry" name="expiryDays" defaultValue="0">
              {tokenExpiries.map((days) => (
                <option key={days} value={days}>
                  {days === 0 ? t('never') : days === 365 ? t('oneYear') : t('days', { count: days })}
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
          {t('create')}
        </button>
      </form>
      {fresh && (
        <div className="token-once" role="status">
          {t('copyNow')} <code>{fresh}</code>
        </div>
      )}
      <ul className="list tokens-list">
        {tokens?.map((tk) => (
          <li key={tk.id} className="row static">
            <span className="row-main">
              <span className="row-title">
                <span>{tk.name}</span>
                <span className="pill">{tk.scopes.includes('write') ? t('pillReadWrite') : t('pillReadOnly')}</span>
              </span>
              <span className="row-sub">
                {tk.expiresAt
                  ? new Date(tk.expiresAt) <= new Date()
                    ? t('expiredOn', { date: f.date(tk.expiresAt) })
                    : t('expiresOn', { date: f.date(tk.expiresAt) })
                  : t('neverExpires')}{' '}
                · {tk.lastUsedAt ? t('lastUsed', { when: f.dateTime(tk.lastUsedAt) }) : t('neverUsed')}
              </span>
            </span>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() =>
                void run(async () => {
                  await api(`/me/tokens/${tk.id}`, { method: 'DELETE' });
                  await load();
                })
              }
            >
              {t('revoke')}
            </button>
          </li>
        ))}
        {tokens?.length === 0 && <li className="row-sub">{t('none')}</li>}
      </ul>
    </section>
  );
}

function Blocks() {
  const t = useTranslations('settings.blocks');
  const [blocks, setBlocks] = useState<{ user: { id: string; displayName: string; username: string } }[] | null>(null);
  const { error, run } = useAsync();
  const load = () => api<{ blocks: { user: { id: string; displayName: string; username: string } }[] }>('/me/blocks').then((r) => setBlocks(r.blocks));
  useEffect(() => {
    void load().catch(() => setBlocks([]));
  }, []);
  return (
    <section className="card" aria-labelledby="blocks-title">
      <h2 id="blocks-title">{t('title')}</h2>
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
              {t('unblock')}
            </button>
          </li>
        ))}
        {blocks?.length === 0 && <li className="row-sub">{t('none')}</li>}
      </ul>
    </section>
  );
}

function Account() {
  const t = useTranslations('settings.account');
  const [password, setPassword] = useState('');
  const { error, run } = useAsync();
  return (
    <section className="card" aria-labelledby="account-title">
      <h2 id="account-title">{t('title')}</h2>
      <p>
        <a className="btn btn-ghost" href="/api/v1/me/export" download>
          {t('export')}
        </a>
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!window.confirm(t('confirmDelete'))) return;
          void run(async () => {
            await api('/me', { method: 'DELETE', body: { password } });
            window.location.assign('/login');
          });
        }}
      >
        <div className="field">
          <label htmlFor="del-pass">{t('password')}</label>
          <input id="del-pass" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </div>
        <FormError message={error} />
        <button className="btn btn-danger" type="submit" disabled={!password}>
          {t('delete')}
        </button>
      </form>
    </section>
  );
}

export function SettingsView({ language = 'browser' }: { language?: LanguageChoice }) {
  const t = useTranslations('settings');
  const tc = useTranslations('common');
  return (
    <>
      <header className="pane-head">
        <a className="icon-btn back-btn" href="/" aria-label={tc('back')}>
          <ArrowLeft size={20} />
        </a>
        <h1>{t('title')}</h1>
      </header>
      <div className="settings">
        <Profile />
        <AttentionSettings />
        <section className="card" aria-labelledby="appearance-title">
          <h2 id="appearance-title">{t('appearance.title')}</h2>
          <div className="field">
            <label htmlFor="settings-theme-label">{t('appearance.theme')}</label>
            <div id="settings-theme-label">
              <ThemeSelect id="settings-theme" />
            </div>
          </div>
          <div className="field">
            <label htmlFor="settings-language">{t('language.label')}</label>
            <LanguageSelect id="settings-language" chosen={language} />
            <span className="hint">{t('language.hint')}</span>
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
