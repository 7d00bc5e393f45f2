/// <reference lib="webworker" />
/**
 * Chattrix's service worker (built by Serwist after `next build`: see serwist.config.js).
 * - The app shell (Next's static assets, public files) is precached.
 * - Pages and the conversation data the app reads (conversation list, newest messages, people, me) are network
 *   first, cache when offline, so conversations stay readable with no network. Thumbnails and avatars are
 *   cache first. The app erases these caches on sign out (they belong to the signed-in user).
 * - Web push: shown only when no Chattrix window is visible; one notification per conversation (tag).
 */
import { defaultCache } from '@serwist/next/worker';
import { CacheFirst, ExpirationPlugin, NetworkFirst, NetworkOnly, Serwist, type PrecacheEntry, type SerwistGlobalConfig } from 'serwist';

declare global {
  interface WorkerGlobalScope extends SerwistGlobalConfig {
    __SW_MANIFEST: (PrecacheEntry | string)[] | undefined;
  }
}
declare const self: ServiceWorkerGlobalScope;

const API_DATA = /^\/api\/v1\/(conversations|conversations\/[^/]+\/messages|conversations\/[^/]+|me|users)$/;
const MEDIA = /^\/api\/v1\/(uploads\/[^/]+\/thumbnail|users\/[^/]+\/avatar)$/;

const serwist = new Serwist({
  precacheEntries: self.__SW_MANIFEST,
  skipWaiting: false,
  clientsClaim: true,
  navigationPreload: false,
  runtimeCaching: [
    { matcher: ({ url }) => url.pathname.startsWith('/socket.io') || url.pathname.startsWith('/api/auth'), handler: new NetworkOnly() },
    {
      matcher: ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && MEDIA.test(url.pathname),
      handler: new CacheFirst({ cacheName: 'chattrix-media', plugins: [new ExpirationPlugin({ maxEntries: 1000, maxAgeSeconds: 30 * 24 * 3600 })] }),
    },
    {
      matcher: ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && API_DATA.test(url.pathname),
      handler: new NetworkFirst({ cacheName: 'chattrix-api', networkTimeoutSeconds: 5, plugins: [new ExpirationPlugin({ maxEntries: 300 })] }),
    },
    {
      // Page loads, and the app's own background fetches of conversation pages (so they open offline later).
      matcher: ({ request, sameOrigin }) =>
        sameOrigin &&
        request.method === 'GET' &&
        (request.mode === 'navigate' || ((request.headers.get('accept') ?? '').includes('text/html') && !request.headers.has('RSC'))),
      handler: new NetworkFirst({ cacheName: 'chattrix-pages', networkTimeoutSeconds: 5, plugins: [new ExpirationPlugin({ maxEntries: 50 })] }),
    },
    ...defaultCache,
  ],
});

self.addEventListener('message', (event) => {
  const data = event.data as { type?: string } | null;
  if (data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

interface PushPayload {
  conversationId: string;
  title: string;
  body: string;
  url: string;
  tag: string;
}

self.addEventListener('push', (event) => {
  let data: PushPayload;
  try {
    data = event.data?.json() as PushPayload;
  } catch {
    return;
  }
  if (!data?.title) return;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      if (windows.some((w) => w.visibilityState === 'visible')) return;
      // Several messages in a row collapse into one notification per conversation.
      const existing = await self.registration.getNotifications({ tag: data.tag });
      const count = ((existing[0]?.data as { count?: number } | undefined)?.count ?? 0) + 1;
      await self.registration.showNotification(data.title, {
        body: count > 1 ? `${count} new messages · ${data.body}` : data.body,
        tag: data.tag,
        icon: '/icons/icon-192.png',
        badge: '/icons/badge-72.png',
        data: { url: data.url, count },
      });
    })(),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data as { url?: string } | undefined)?.url ?? '/', self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const same = windows.find((w) => w.url === url) ?? windows[0];
      if (same) {
        await same.focus();
        if (same.url !== url) await same.navigate(url).catch(() => undefined);
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});

serwist.addEventListeners();
