/// <reference lib="webworker" />
/**
 * Chattrix's service worker (built by Serwist after `next build`: see serwist.config.js).
 * - The app shell (Next's static assets, public files) is precached.
 * - Pages and the conversation data the app reads (conversation list, newest messages, people, me) are network
 *   first, cache when offline, so conversations stay readable with no network. Thumbnails and avatars are
 *   cache first. The app erases these caches on sign out (they belong to the signed-in user).
 * - Web push: shown only when no Chattrix window is visible; one notification per conversation (tag), with "Reply"
 *   (sent with a clientId, exactly once) and "Mark as read" actions; a click opens the conversation.
 */
import { defaultCache } from '@serwist/next/worker';
import { CacheFirst, ExpirationPlugin, NetworkFirst, NetworkOnly, Serwist, Strategy, type PrecacheEntry, type SerwistGlobalConfig, type StrategyHandler } from 'serwist';
import { FRESH_HEADER } from '../client/fresh';

declare global {
  interface WorkerGlobalScope extends SerwistGlobalConfig {
    __SW_MANIFEST: (PrecacheEntry | string)[] | undefined;
  }
}
declare const self: ServiceWorkerGlobalScope;

const API_DATA = /^\/api\/v1\/(conversations|conversations\/[^/]+\/messages|conversations\/[^/]+|me|users|messages\/[^/]+\/thread|threads|channels)$/;
const MEDIA = /^\/api\/v1\/(uploads\/[^/]+\/thumbnail|users\/[^/]+\/avatar)$/;

/**
 * For the reads the app must see fresh (its catch-up after a reconnect, marked with FRESH_HEADER): the network's
 * answer, kept in the cache for offline reading later, and never the cached snapshot in its place (NetworkFirst falls
 * back to the cache after 5 s, which would put a page from before the outage back on screen). A failed fetch fails,
 * and the app tries again.
 */
class NetworkThenCache extends Strategy {
  async _handle(request: Request, handler: StrategyHandler): Promise<Response> {
    return handler.fetchAndCachePut(request);
  }
}

const apiCache = new ExpirationPlugin({ maxEntries: 300 });

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
      matcher: ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && API_DATA.test(url.pathname) && request.headers.has(FRESH_HEADER),
      handler: new NetworkThenCache({ cacheName: 'chattrix-api', plugins: [apiCache] }),
    },
    {
      matcher: ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && API_DATA.test(url.pathname),
      handler: new NetworkFirst({ cacheName: 'chattrix-api', networkTimeoutSeconds: 5, plugins: [apiCache] }),
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
  messageId?: string;
  title: string;
  body: string;
  url: string;
  tag: string;
  urgent?: boolean;
}

interface NotificationData {
  url: string;
  count: number;
  conversationId: string;
  messageId?: string;
}

/** Runs the work under the event's waitUntil; an event built by script (tests) has none to give, and still runs. */
function keepAlive(event: ExtendableEvent, work: Promise<unknown>): void {
  try {
    event.waitUntil(work);
  } catch {
    void work.catch(() => undefined);
  }
}

self.addEventListener('push', (event) => {
  let data: PushPayload;
  try {
    data = event.data?.json() as PushPayload;
  } catch {
    return;
  }
  if (!data?.title) return;
  keepAlive(
    event,
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      if (windows.some((w) => w.visibilityState === 'visible')) return;
      // Several messages in a row collapse into one notification per conversation.
      const existing = await self.registration.getNotifications({ tag: data.tag });
      const count = ((existing[0]?.data as NotificationData | undefined)?.count ?? 0) + 1;
      const notificationData: NotificationData = { url: data.url, count, conversationId: data.conversationId, messageId: data.messageId };
      // "Reply" (typed inline where the platform can) and "Mark as read". `actions` and inline replies are not in
      // TypeScript's lib yet.
      const options: NotificationOptions & { actions?: unknown[]; renotify?: boolean; requireInteraction?: boolean } = {
        body: count > 1 ? `${count} new messages · ${data.body}` : data.body,
        tag: data.tag,
        icon: '/icons/icon-192.png',
        badge: '/icons/badge-72.png',
        data: notificationData,
        renotify: true,
        requireInteraction: data.urgent === true,
        actions: [
          { action: 'reply', title: 'Reply', type: 'text', placeholder: 'Reply…' },
          { action: 'read', title: 'Mark as read' },
        ],
      };
      await self.registration.showNotification(data.title, options);
    })(),
  );
});

function newClientId(): string {
  return self.crypto.randomUUID();
}

/**
 * A reply typed into the notification: sent like the composer sends, with a clientId made once and kept for every
 * retry, so the server stores it exactly once however often the network fails.
 */
async function sendReply(d: NotificationData, body: string): Promise<boolean> {
  const clientId = newClientId();
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const res = await fetch(`/api/v1/conversations/${encodeURIComponent(d.conversationId)}/messages`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body, clientId }),
      });
      if (res.ok) return true;
      if (res.status < 500 && res.status !== 429) return false; // refused for good (signed out, not a member …)
    } catch {
      // offline: try again
    }
    await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
  }
  return false;
}

async function markRead(d: NotificationData): Promise<void> {
  if (!d.messageId) return;
  await fetch(`/api/v1/conversations/${encodeURIComponent(d.conversationId)}/read`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messageId: d.messageId }),
  });
}

async function openConversation(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const same = windows.find((w) => w.url === url) ?? windows[0];
  if (same) {
    await same.focus().catch(() => undefined);
    if (same.url !== url) await same.navigate(url).catch(() => undefined);
    return;
  }
  await self.clients.openWindow(url);
}

self.addEventListener('notificationclick', (event) => {
  const n = event.notification;
  const d = (n.data ?? {}) as NotificationData;
  const url = new URL(d.url ?? '/', self.location.origin).href;
  n.close();
  const reply = (event as NotificationEvent & { reply?: string | null }).reply;
  keepAlive(
    event,
    (async () => {
      if (event.action === 'read') return markRead(d);
      if (event.action === 'reply') {
        // Platforms without inline replies open the conversation instead.
        if (reply && reply.trim()) {
          if ((await sendReply(d, reply.trim())) && d.messageId) await markRead(d).catch(() => undefined);
          return;
        }
      }
      await openConversation(url);
    })(),
  );
});

serwist.addEventListeners();
