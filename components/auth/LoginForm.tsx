'use client';

import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useRef, useState, type FormEvent } from 'react';
import { safeNextPath } from '@/lib/auth/next-path';

const errorKeys = { CredentialsSignin: 'wrong', rate_limited: 'rateLimited', otp_invalid: 'otpInvalid' } as const;
const errorKey = (code: string | null | undefined) => (code && code in errorKeys ? errorKeys[code as keyof typeof errorKeys] : 'wrong');

/**
 * Sign-in in one or two steps: username and password; then, for an account with two-factor sign-in, a code
 * from the authenticator app (or a recovery code). The server answers `otp_required` after a correct password.
 */
export function LoginForm({ next, registrationOpen }: { next: string; registrationOpen: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<'password' | 'code'>('password');
  const credentials = useRef({ username: '', password: '' });
  const t = useTranslations('login');

  async function submit(otp?: string) {
    setBusy(true);
    setError(null);
    try {
      const res = await signIn('credentials', {
        redirect: false,
        username: credentials.current.username,
        password: credentials.current.password,
        ...(otp ? { otp } : {}),
      });
      if (res?.error === 'otp_required') {
        setStep('code');
        setBusy(false);
        return;
      }
      if (!res || res.error || !res.ok) {
        setError(t(`errors.${errorKey(res?.error)}`));
        setBusy(false);
        return;
      }
      window.location.assign(safeNextPath(next));
    } catch {
      setError(t('errors.network'));
      setBusy(false);
    }
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (step === 'password') {
      credentials.current = { username: String(form.get('username') ?? ''), password: String(form.get('password') ?? '') };
      void submit();
    } else {
      void submit(String(form.get('otp') ?? '').trim());
    }
  }

  if (step === 'code') {
    return (
      <form method="post" onSubmit={onSubmit} noValidate aria-describedby={error ? 'login-error' : 'otp-hint'} key="code">
        <h1>{t('twoFactorTitle')}</h1>
        <p className="lead">{t('signingInAs', { username: credentials.current.username })}</p>
        <div className="field">
          <label htmlFor="otp">{t('code')}</label>
          <input
            id="otp"
            name="otp"
            inputMode="text"
            autoComplete="one-time-code"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={32}
            required
            autoFocus
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'login-error otp-hint' : 'otp-hint'}
          />
          <span id="otp-hint" className="hint">
            {t('codeHint')}
          </span>
          {error && (
            <p id="login-error" className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button className="btn" type="submit" disabled={busy}>
          {busy ? t('checking') : t('verify')}
        </button>
        <p className="auth-alt">
          <button
            type="button"
            className="link-btn"
            onClick={() => {
              credentials.current = { username: '', password: '' };
              setError(null);
              setStep('password');
            }}
          >
            {t('otherAccount')}
          </button>
        </p>
      </form>
    );
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate aria-describedby={error ? 'login-error' : undefined} key="password">
      <h1>{t('title')}</h1>
      <p className="lead">{t('welcome')}</p>
      <div className="field">
        <label htmlFor="username">{t('username')}</label>
        <input id="username" name="username" autoComplete="username" required autoFocus aria-invalid={error ? true : undefined} />
      </div>
      <div className="field">
        <label htmlFor="password">{t('password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'login-error' : undefined}
        />
        {error && (
          <p id="login-error" className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button className="btn" type="submit" disabled={busy}>
        {busy ? t('signingIn') : t('submit')}
      </button>
      {registrationOpen && (
        <p className="auth-alt">
          {t('newHere')} <a href="/register">{t('createAccount')}</a>
        </p>
      )}
    </form>
  );
}
