'use client';

import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';

const messages: Record<string, string> = {
  CredentialsSignin: 'Wrong username or password.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
};

export function LoginForm({ next, registrationOpen }: { next: string; registrationOpen: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await signIn('credentials', {
        redirect: false,
        username: String(form.get('username') ?? ''),
        password: String(form.get('password') ?? ''),
      });
      if (!res || res.error || !res.ok) {
        setError(messages[res?.error ?? ''] ?? 'Wrong username or password.');
        setBusy(false);
        return;
      }
      window.location.assign(next);
    } catch {
      setError('Could not reach the server. Check your connection.');
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={error ? 'login-error' : undefined}>
      <h1>Sign in</h1>
      <p className="lead">Welcome back.</p>
      <div className="field">
        <label htmlFor="username">Username</label>
        <input id="username" name="username" autoComplete="username" required autoFocus aria-invalid={error ? true : undefined} />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
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
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {registrationOpen && (
        <p className="auth-alt">
          New here? <a href="/register">Create an account</a>
        </p>
      )}
    </form>
  );
}
