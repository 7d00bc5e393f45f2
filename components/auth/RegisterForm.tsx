'use client';

import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';

type FieldErrors = Partial<Record<'username' | 'password' | 'displayName' | 'email' | 'form', string>>;

export function RegisterForm({ firstRun = false, invitation }: { firstRun?: boolean; invitation?: string }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const t = useTranslations('register');

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const username = String(form.get('username') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const displayName = String(form.get('displayName') ?? '').trim();
    const email = String(form.get('email') ?? '').trim();
    setBusy(true);
    setErrors({});
    try {
      const res = await fetch('/api/v1/auth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password, ...(displayName ? { displayName } : {}), ...(email ? { email } : {}), ...(invitation ? { invitation } : {}) }),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message: string; issues?: { path: (string | number)[]; message: string }[] } } | null;
        const next: FieldErrors = {};
        for (const issue of body?.error?.issues ?? []) {
          const key = String(issue.path[0] ?? 'form') as keyof FieldErrors;
          next[key] ??= issue.message;
        }
        if (Object.keys(next).length === 0) next.form = body?.error?.message ?? t('failed');
        setErrors(next);
        setBusy(false);
        return;
      }
      const signedIn = await signIn('credentials', { redirect: false, username, password });
      window.location.assign(signedIn?.ok ? '/' : '/login');
    } catch {
      setErrors({ form: t('network') });
      setBusy(false);
    }
  }

  const field = (name: keyof FieldErrors, label: string, props: React.InputHTMLAttributes<HTMLInputElement>, hint?: string) => (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={[hint ? `${name}-hint` : '', errors[name] ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined}
        {...props}
      />
      {hint && (
        <span id={`${name}-hint`} className="hint">
          {hint}
        </span>
      )}
      {errors[name] && (
        <p id={`${name}-error`} className="field-error" role="alert">
          {errors[name]}
        </p>
      )}
    </div>
  );

  return (
    <form method="post" onSubmit={onSubmit} noValidate>
      {firstRun ? (
        <>
          <h1>{t('adminTitle')}</h1>
          <p className="lead">{t('adminLead')}</p>
        </>
      ) : (
        <>
          <h1>{t('title')}</h1>
          <p className="lead">{t('lead')}</p>
        </>
      )}
      {errors.form && (
        <div className="form-error" role="alert">
          {errors.form}
        </div>
      )}
      {field('username', t('username'), { autoComplete: 'username', required: true, autoFocus: true, maxLength: 32 }, t('usernameHint'))}
      {field('displayName', t('displayName'), { autoComplete: 'name', maxLength: 50 }, t('displayNameHint'))}
      {field('email', t('email'), { type: 'email', autoComplete: 'email' }, t('optional'))}
      {field('password', t('password'), { type: 'password', autoComplete: 'new-password', required: true, minLength: 8, maxLength: 128 }, t('passwordHint'))}
      <button className="btn" type="submit" disabled={busy}>
        {busy ? t('creating') : t('submit')}
      </button>
      {!firstRun && (
        <p className="auth-alt">
          {t('haveAccount')} <a href="/login">{t('signIn')}</a>
        </p>
      )}
    </form>
  );
}
