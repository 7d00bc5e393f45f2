'use client';

import { signIn } from 'next-auth/react';
import { useRef, useState, type FormEvent } from 'react';
import { safeNextPath } from '@/lib/auth/next-path';

const messages: Record<string, string> = {
  CredentialsSignin: 'Wrong username or password.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  otp_invalid: 'That code is not right. Enter the current code from your app, or a recovery code.',
};

/**
 * Sign-in in one or two steps: username and password; then, for an account with two-factor sign-in, a code
 * from the authenticator app (or a recovery code). The server answers `otp_required` after a correct password.
 */
export function LoginForm({ next, registrationOpen }: { next: string; registrationOpen: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<'password' | 'code'>('password');
  const credentials = useRef({ username: '', password: '' });

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
        setError(messages[res?.error ?? ''] ?? 'Wrong username or password.');
        setBusy(false);
        return;
      }
      window.location.assign(safeNextPath(next));
    } catch {
      setError('Could not reach the server. Check your connection.');
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
        <h1>Two-factor sign-in</h1>
        <p className="lead">Signing in as @{credentials.current.username}.</p>
        <div className="field">
          <label htmlFor="otp">Authentication code</label>
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
            The 6-digit code from your authenticator app, or one of your recovery codes.
          </span>
          {error && (
            <p id="login-error" className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button className="btn" type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Verify'}
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
            Use another account
          </button>
        </p>
      </form>
    );
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate aria-describedby={error ? 'login-error' : undefined} key="password">
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
