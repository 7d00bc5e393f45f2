import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { siteForPages, siteIconUrl } from '@/lib/services/settings';
import './globals.css';

/** The site name (a setting in the admin console) titles every page; the site's own icon, when it has one, is the tab's. */
export async function generateMetadata(): Promise<Metadata> {
  const site = await siteForPages();
  const siteName = site.siteName;
  const t = await getTranslations('meta');
  return {
    title: { default: siteName, template: `%s · ${siteName}` },
    description: t('description'),
    applicationName: siteName,
    manifest: '/manifest.webmanifest',
    appleWebApp: { capable: true, title: siteName, statusBarStyle: 'default' },
    icons: site.iconId
      ? { icon: [{ url: siteIconUrl(site, 32)!, sizes: '32x32', type: 'image/png' }, { url: siteIconUrl(site, 192)!, sizes: '192x192', type: 'image/png' }], apple: siteIconUrl(site, 180)! }
      : { apple: '/icons/apple-touch-icon.png' },
  };
}

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f6f7fb' },
    { media: '(prefers-color-scheme: dark)', color: '#0f1117' },
  ],
};

/** Applies the theme kept on this device before the first paint (no flash). */
const themeScript = `(function(){try{var t=localStorage.getItem('chattrix-theme')||'system';var d=t==='dark'||(t==='system'&&matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.dataset.theme=d?'dark':'light';}catch(e){}})();`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The per-request CSP nonce from proxy.ts (every page renders per request so that each gets its own).
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  // The language: the `locale` cookie (Settings → Language), else the browser's Accept-Language, else English.
  const locale = await getLocale();
  return (
    <html lang={locale} suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
      </body>
    </html>
  );
}
