import type { MetadataRoute } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { siteForPages, siteIconUrl } from '@/lib/services/settings';

// The site name is a setting (admin console), and the words are in the reader's language (the `locale` cookie, else
// Accept-Language, as for the pages): read per request.
export const dynamic = 'force-dynamic';

export default async function manifest(): Promise<MetadataRoute.Manifest & { lang?: string }> {
  const site = await siteForPages();
  const t = await getTranslations('manifest');
  const siteName = site.siteName;
  // The site's own icon (Workspace settings), or the Chattrix ones (with a maskable version).
  const own = (size: 192 | 512) => siteIconUrl(site, size);
  const icon192 = own(192) ?? '/icons/icon-192.png';
  return {
    id: '/',
    lang: await getLocale(),
    name: siteName,
    // Under the icon on a home screen: 12 characters fit.
    short_name: siteName.length <= 12 ? siteName : `${siteName.slice(0, 11)}…`,
    description: t('description'),
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#f6f7fb',
    theme_color: '#3b5bdb',
    icons: site.iconId
      ? [
          { src: icon192, sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: own(512)!, sizes: '512x512', type: 'image/png', purpose: 'any' },
        ]
      : [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
    shortcuts: [
      { name: t('newest'), short_name: t('newestShort'), url: '/?open=newest', icons: [{ src: icon192, sizes: '192x192' }] },
      { name: t('search'), short_name: t('searchShort'), url: '/search', icons: [{ src: icon192, sizes: '192x192' }] },
    ],
  };
}
