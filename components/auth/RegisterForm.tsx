'use client';

import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';

type FieldErrors = Partial<Record<'username' | 'password' | 'displayName' | 'email' | 'form', string>>;

export function RegisterForm({ firstRun = false, invitation }: { firstRun?: boolean; invitation?: string }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

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
        if (Object.keys(next).length === 0) next.form = body?.error?.message ?? 'Could not create the account.';
        setErrors(next);
        setBusy(false);
        return;
      }
      const signedIn = await signIn('credentials', { redirect: false, username, password });
      window.location.assign(signedIn?.ok ? '/' : '/login');
    } catch {
      setErrors({ form: 'Could not reach the server. Check your connection.' });
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
          <h1>Create the administrator account</h1>
          <p className="lead">This server has no accounts yet. The first account administers it.</p>
        </>
      ) : (
        <>
          <h1>Create your account</h1>
          <p className="lead">It takes ten seconds.</p>
        </>
      )}
      {errors.form && (
        <div className="form-error" role="alert">
          {errors.form}
        </div>
      )}
      {field('username', 'Username', { autoComplete: 'username', required: true, autoFocus: true, maxLength: 32 }, '3–32 letters, digits, _ or .')}
      {field('displayName', 'Display name', { autoComplete: 'name', maxLength: 50 }, 'Optional: how others see you')}
      {field('email', 'Email', { type: 'email', autoComplete: 'email' }, 'Optional')}
      {field('password', 'Password', { type: 'password', autoComplete: 'new-password', required: true, minLength: 8, maxLength: 128 }, 'At least 8 characters')}
      <button className="btn" type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create account'}
      </button>
      {!firstRun && (
        <p className="auth-alt">
          Already have an account? <a href="/login">Sign in</a>
        </p>
      )}
    </form>
  );
}
