'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';

/** The one-time link an admin handed over: choose a new password, then sign in. */
export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations('resetPassword');
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get('password') ?? '');
    setState('busy');
    setError(null);
    const res = await fetch('/api/v1/auth/password-reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password }) });
    if (res.status === 204) return setState('done');
    const body = (await res.json().catch(() => null)) as { error?: { message: string; issues?: { message: string }[] } } | null;
    setError(body?.error?.issues?.[0]?.message ?? body?.error?.message ?? t('failed'));
    setState('idle');
  };
  if (state === 'done') {
    return (
      <>
        <h1>{t('changed')}</h1>
        <p className="lead">{t('signInNow')}</p>
        <a className="btn" href="/login">
          {t('signIn')}
        </a>
      </>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <h1>{t('title')}</h1>
      <div className="field">
        <label htmlFor="password">{t('password')}</label>
        <input id="password" name="password" type="password" autoComplete="new-password" minLength={8} maxLength={128} required />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button className="btn" type="submit" disabled={state === 'busy'}>
        {t('submit')}
      </button>
    </form>
  );
}
