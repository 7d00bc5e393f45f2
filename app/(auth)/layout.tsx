import type { ReactNode } from 'react';
import { siteNameForPages } from '@/lib/services/settings';

export const dynamic = 'force-dynamic';

export default async function AuthLayout({ children }: { children: ReactNode }) {
  const siteName = await siteNameForPages();
  return (
    <main className="auth-wrap">
      <div className="auth-card">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">{siteName.slice(0, 1).toUpperCase()}</span> {siteName}
        </div>
        {children}
      </div>
    </main>
  );
}
