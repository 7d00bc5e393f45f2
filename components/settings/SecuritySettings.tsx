'use client';

import { signOutThisDevice } from '@/lib/client/sign-out';
import { useChat } from '@/components/chat/ChatProvider';
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslations } from 'next-intl';
import { useFormat } from '@/components/i18n/useFormat';
import { api } from '@/lib/client/api';
import { AppError } from '@/lib/errors';
import { describeUserAgent } from '@/lib/user-agent';
import type { SecurityEventDto, SessionDto } from '@/lib/validation/security';
import { securityEventTypes, type SecurityEventType } from '@/lib/validation/security-events';
import { FormError } from '@/components/ui/FieldError';

/** Settings → Security: signed-in devices, password, two-factor sign-in and recent security activity. */

function useAsync() {
  const tc = useTranslations('common');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<string | void>) => {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      const msg = await fn();
      if (msg) setNotice(msg);
    } catch (e) {
      setError(e instanceof AppError ? (e.issues?.[0]?.message ?? e.message) : tc('somethingWrong'));
    } finally {
      setBusy(false);
    }
  };
  return { error, notice, busy, run };
}

function Status({ error, notice, id }: { error: string | null; notice: string | null; id?: string }) {
  return (
    <>
      <FormError message={error} id={id} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
    </>
  );
}

function Sessions() {
  const meId = useChat((s) => s.me.id);
  const [sessions, setSessions] = useState<SessionDto[] | null>(null);
  const t = useTranslations('security.sessions');
  const f = useFormat();
  const { error, notice, busy, run } = useAsync();
  const load = useCallback(() => api<{ sessions: SessionDto[] }>('/me/sessions').then((r) => setSessions(r.sessions)), []);
  useEffect(() => {
    void load().catch(() => setSessions([]));
  }, [load]);
  const others = sessions?.filter((s) => !s.current) ?? [];
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('title')}</h2>
      <ul className="list sessions-list" aria-busy={sessions === null}>
        {sessions?.map((s) => {
          const name = describeUserAgent(s.userAgent);
          return (
            <li key={s.id} className="row static" data-session-id={s.id}>
              <span className="row-main">
                <span className="row-title" id={`session-${s.id}`}>
                  <span className="session-name">{name}</span>
                  {s.current && <span className="pill">{t('thisDevice')}</span>}
                </span>
                <span className="row-sub">
                  {s.current ? t('activeNow') : t('lastActive', { when: f.relativeTime(s.lastSeenAt) })} · {t('signedIn', { date: f.date(s.createdAt) })}
                </span>
              </span>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                aria-describedby={`session-${s.id}`}
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    if (s.current) {
                      await signOutThisDevice(meId);
                      return;
                    }
                    await api(`/me/sessions/${s.id}`, { method: 'DELETE' });
                    await load();
                    return t('signedOutName', { name });
                  })
                }
              >
                {t('signOut')}
              </button>
            </li>
          );
        })}
      </ul>
      {others.length > 0 && (
        <button
          type="button"
          className="btn btn-ghost"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await api('/me/sessions', { method: 'DELETE' });
              await load();
              return t('signedOutOthers');
            })
          }
        >
          {t('signOutOthers')}
        </button>
      )}
      <Status error={error} notice={notice} />
    </section>
  );
}

function Password() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const { error, notice, busy, run } = useAsync();
  const t = useTranslations('security.password');
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">{t('title')}</h2>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void run(async () => {
            await api('/me/password', { method: 'PUT', body: { currentPassword: current, newPassword: next } });
            setCurrent('');
            setNext('');
            return t('changed');
          });
        }}
      >
        <div className="fields-row">
          <div className="field">
            <label htmlFor="pw-current">{t('current')}</label>
            <input id="pw-current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="pw-new">{t('new')}</label>
            <input
              id="pw-new"
              type="password"
              autoComplete="new-password"
              minLength={8}
              maxLength={128}
              value={next}
              onChange={(e) => setNext(e.target.value)}
              aria-describedby="pw-new-hint"
              required
            />
            <span id="pw-new-hint" className="hint">
              {t('hint')}
            </span>
          </div>
        </div>
        <Status error={error} notice={notice} />
        <button className="btn" type="submit" disabled={busy || !current || next.length < 8}>
          {t('change')}
        </button>
      </form>
    </section>
  );
}

interface TwoFactorState {
  enabled: boolean;
  recoveryCodesLeft: number;
}
interface Setup {
  secret: string;
  otpauthUrl: string;
  qrCode: string;
}

function TwoFactor() {
  const [state, setState] = useState<TwoFactorState | null>(null);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [setup, setSetup] = useState<Setup | null>(null);
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const { error, notice, busy, run } = useAsync();
  const errorId = useId();
  const t = useTranslations('security.twoFactor');
  const load = useCallback(() => api<TwoFactorState>('/me/two-factor').then(setState), []);
  useEffect(() => {
    void load().catch(() => setState({ enabled: false, recoveryCodesLeft: 0 }));
  }, [load]);

  let body;
  if (recovery) {
    body = (
      <div className="recovery">
        <p>{t.rich('recoveryIntro', { strong: (chunks) => <strong>{chunks}</strong> })}</p>
        <ul className="recovery-codes" aria-label={t('recoveryCodes')}>
          {recovery.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <div className="fields-row">
          <a
            className="btn btn-ghost btn-sm"
            download="chattrix-recovery-codes.txt"
            href={`data:text/plain;charset=utf-8,${encodeURIComponent(recovery.join('\n') + '\n')}`}
          >
            {t('download')}
          </a>
          <button type="button" className="btn btn-sm" onClick={() => setRecovery(null)}>
            {t('saved')}
          </button>
        </div>
      </div>
    );
  } else if (setup) {
    body = (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await api<{ recoveryCodes: string[] }>('/me/two-factor/enable', { method: 'POST', body: { code } });
            setRecovery(r.recoveryCodes);
            setSetup(null);
            setCode('');
            setPassword('');
            await load();
          });
        }}
      >
        <ol className="steps">
          <li>{t('step1')}</li>
          <li>{t('step2')}</li>
        </ol>
        <div className="totp-setup">
          {/* eslint-disable-next-line @next/next/no-img-element -- a data URL made by the server */}
          <img className="qr" src={setup.qrCode} alt={t('qrAlt')} width={176} height={176} />
          <div className="grow">
            <p className="row-sub">{t('setupKey')}</p>
            <code className="secret" aria-label={t('setupKey')}>
              {setup.secret.match(/.{1,4}/g)?.join(' ')}
            </code>
            <div className="field">
              <label htmlFor="tfa-code">{t('codeFromApp')}</label>
              <input
                id="tfa-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]*"
                maxLength={6}
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? errorId : undefined}
                required
              />
            </div>
          </div>
        </div>
        <Status error={error} notice={notice} id={errorId} />
        <div className="fields-row">
          <button className="btn" type="submit" disabled={busy || code.length !== 6}>
            {t('turnOn')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => setSetup(null)}>
            {t('cancel')}
          </button>
        </div>
      </form>
    );
  } else if (state?.enabled) {
    body = (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api('/me/two-factor', { method: 'DELETE', body: { password, code } });
            setPassword('');
            setCode('');
            await load();
            return t('isOff');
          });
        }}
      >
        <p>
          <span className="pill pill-ok">{t('on')}</span> {t('onText')}{' '}
          {t('codesLeft', { count: state.recoveryCodesLeft })}
        </p>
        <div className="fields-row">
          <div className="field">
            <label htmlFor="tfa-off-pass">{t('password')}</label>
            <input id="tfa-off-pass" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="tfa-off-code">{t('codeOrRecovery')}</label>
            <input id="tfa-off-code" autoComplete="one-time-code" maxLength={32} value={code} onChange={(e) => setCode(e.target.value)} required />
          </div>
        </div>
        <Status error={error} notice={notice} />
        <button className="btn btn-danger" type="submit" disabled={busy || !password || !code}>
          {t('turnOff')}
        </button>
      </form>
    );
  } else {
    body = (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            setSetup(await api<Setup>('/me/two-factor/setup', { method: 'POST', body: { password } }));
          });
        }}
      >
        <p>
          <span className="pill">{t('off')}</span> {t('offText')}
        </p>
        <div className="field">
          <label htmlFor="tfa-pass">{t('password')}</label>
          <input id="tfa-pass" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </div>
        <Status error={error} notice={notice} />
        <button className="btn" type="submit" disabled={busy || !password || state === null}>
          {t('setUp')}
        </button>
      </form>
    );
  }

  return (
    <section className="card" aria-labelledby="tfa-title">
      <h2 id="tfa-title">{t('title')}</h2>
      {body}
    </section>
  );
}

const isEventType = (type: string): type is SecurityEventType => (securityEventTypes as readonly string[]).includes(type);

function Activity() {
  const [events, setEvents] = useState<SecurityEventDto[] | null>(null);
  const t = useTranslations('security.activity');
  const f = useFormat();
  useEffect(() => {
    void api<{ events: SecurityEventDto[] }>('/me/security-events')
      .then((r) => setEvents(r.events))
      .catch(() => setEvents([]));
  }, []);
  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title">{t('title')}</h2>
      <ul className="list activity-list" aria-busy={events === null}>
        {events?.map((e) => (
          <li key={e.id} className={`row static${e.type === 'sign_in_failed' ? ' warn' : ''}`}>
            <span className="row-main">
              <span className="row-title">
                <span>{isEventType(e.type) ? t(`events.${e.type}`) : e.type}</span>
                <time className="row-time" dateTime={e.createdAt} title={f.dateTime(e.createdAt)}>
                  {f.relativeTime(e.createdAt)}
                </time>
              </span>
              <span className="row-sub">{[e.userAgent ? describeUserAgent(e.userAgent) : null, e.ip].filter(Boolean).join(' · ') || '—'}</span>
            </span>
          </li>
        ))}
        {events?.length === 0 && <li className="row-sub">{t('none')}</li>}
      </ul>
    </section>
  );
}

export function SecuritySettings() {
  const t = useTranslations('security');
  return (
    <div className="settings-group" id="security" aria-labelledby="security-heading" role="region">
      <h2 id="security-heading" className="settings-group-title">
        {t('title')}
      </h2>
      <Sessions />
      <Password />
      <TwoFactor />
      <Activity />
    </div>
  );
}
