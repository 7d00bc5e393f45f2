import type { ReactNode } from 'react';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="auth-wrap">
      <div className="auth-card">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">C</span> Chattrix
        </div>
        {children}
      </div>
    </main>
  );
}
