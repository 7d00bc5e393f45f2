/**
 * The installable app in Chromium: a valid manifest with real icons, the service worker (scope /) controlling the
 * page, conversations readable after a reload with no network, and the offline outbox: messages written offline
 * show as pending, survive a reload, and are delivered once each, in order, with their original clientId, when
 * the network is back (checked in the database through REST).
 *
 * `context.setOffline(true)` also cuts the service worker's network (asserted below: an uncached request fails),
 * so what shows offline really comes from the caches.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { ChatPage } from './pages/ChatPage';
import { apiToken, asUser, RoomPage, signedIn } from './pages/RoomPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

const screens = 'test-results/screens';

interface Msg {
  id: string;
  body: string;
  clientId: string | null;
  sender: { id: string } | null;
}

async function person(request: Parameters<typeof registerViaApi>[0], prefix: string) {
  const p: Person = newPerson(prefix);
  await registerViaApi(request, p);
  const api = asUser(request, await apiToken(request, p));
  const { user } = await api.get<{ user: { id: string } }>('/me');
  return { ...p, id: user.id, api };
}

/** The service worker controls this page (it claims clients once active). */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
}

/** Polls until every URL has an entry in some cache (what the app and the worker keep for offline use). */
async function cached(page: Page, urls: string[]): Promise<void> {
  await expect
    .poll(
      () => page.evaluate(async (list) => (await Promise.all(list.map(async (u) => ((await caches.match(u)) ? null : u)))).filter(Boolean), urls),
      { timeout: 30_000, message: 'offline cache entries' },
    )
    .toEqual([]);
}

/** Offline for real, service worker included: a request nothing has cached fails. */
async function expectNoNetwork(page: Page): Promise<void> {
  const outcome = await page.evaluate(() =>
    fetch(`/api/v1/users?q=offline-probe-${Math.random().toString(36).slice(2)}`).then(
      (r) => `answered ${r.status}`,
      () => 'failed',
    ),
  );
  expect(outcome).toBe('failed');
}

test('the manifest is linked and valid, and the service worker registers with scope / and controls the page', async ({ browser, request }) => {
  const ana = await person(request, 'pwa');
  const { context, page } = await signedIn(browser, ana);

  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  const manifest = (await res.json()) as {
    name: string;
    short_name: string;
    display: string;
    start_url: string;
    scope: string;
    theme_color: string;
    background_color: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
    shortcuts?: { name: string; url: string }[];
  };
  expect(manifest).toMatchObject({ name: 'Chattrix', short_name: 'Chattrix', display: 'standalone', start_url: '/', scope: '/' });
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(manifest.shortcuts?.length).toBeGreaterThan(0);
  const purposes = (i: { purpose?: string }) => (i.purpose ?? 'any').split(/\s+/);
  const wanted = [
    { sizes: '192x192', purpose: 'any' },
    { sizes: '512x512', purpose: 'any' },
    { sizes: '512x512', purpose: 'maskable' },
  ];
  for (const w of wanted) {
    const icon = manifest.icons.find((i) => i.sizes === w.sizes && purposes(i).includes(w.purpose));
    expect(icon, `a ${w.sizes} ${w.purpose} icon`).toBeDefined();
    // The icon is there and is what it says.
    const img = await page.request.get(icon!.src);
    expect(img.status()).toBe(200);
    expect(img.headers()['content-type']).toBe(icon!.type);
    const meta = await sharp(await img.body()).metadata();
    expect(`${meta.width}x${meta.height}`).toBe(w.sizes);
  }
  // Theme colours for light and dark.
  await expect(page.locator('meta[name="theme-color"][media="(prefers-color-scheme: light)"]')).toHaveCount(1);
  await expect(page.locator('meta[name="theme-color"][media="(prefers-color-scheme: dark)"]')).toHaveCount(1);

  // The worker: served from the root, never cached by HTTP, registered with scope /, controlling the page.
  const sw = await page.request.get('/sw.js');
  expect(sw.status()).toBe(200);
  expect(sw.headers()['content-type']).toMatch(/javascript/);
  expect(sw.headers()['cache-control']).toBe('no-cache');
  await controlled(page);
  const reg = await page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration('/');
    return { scope: r?.scope, active: r?.active?.scriptURL, controller: navigator.serviceWorker.controller?.scriptURL };
  });
  const origin = new URL(page.url()).origin;
  expect(reg).toEqual({ scope: `${origin}/`, active: `${origin}/sw.js`, controller: `${origin}/sw.js` });
  // A fresh load is controlled from the start.
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${origin}/sw.js`);
  await context.close();
});

test('after visiting two conversations, a reload with no network still shows both, with their messages; sign out erases them', async ({ browser, request }) => {
  const ana = await person(request, 'offa');
  const ben = await person(request, 'offb');
  const { conversation: dm } = await ana.api.post<{ conversation: { id: string } }>('/conversations', { kind: 'direct', userId: ben.id });
  const { conversation: club } = await ana.api.post<{ conversation: { id: string } }>('/conversations', { kind: 'group', title: 'Book club', memberIds: [ben.id] });
  for (const [cid, lines] of [
    [dm.id, ['Are you coming on Friday?', 'I can bring the snacks']],
    [club.id, ['Next book: Dune', 'Chapter 1-5 for Thursday']],
  ] as const) {
    for (const body of lines) await ben.api.post(`/conversations/${cid}/messages`, { body });
  }
  await ana.api.post(`/conversations/${club.id}/messages`, { body: 'Sounds good to me' });

  const { context, page, room } = await signedIn(browser, ana);
  await controlled(page);
  // Visit both, as a person would: from the conversation list.
  await room.conversationLink(dm.id).click();
  await expect(room.message('I can bring the snacks')).toBeVisible();
  await room.conversationLink(club.id).click();
  await expect(room.message('Sounds good to me')).toBeVisible();
  await cached(page, [
    `/c/${dm.id}`,
    `/c/${club.id}`,
    '/api/v1/conversations',
    `/api/v1/conversations/${dm.id}/messages?limit=100`,
    `/api/v1/conversations/${club.id}/messages?limit=100`,
  ]);

  await context.setOffline(true);
  await expectNoNetwork(page);
  // A read the app must see fresh (its catch-up after a reconnect) gets the network or fails: never the snapshot.
  const probe = (fresh: boolean) =>
    page.evaluate(
      ([url, fresh]) => fetch(url, fresh ? { headers: { 'x-chattrix-fresh': '1' } } : {}).then((r) => `answered ${r.status}`, () => 'failed'),
      [`/api/v1/conversations/${dm.id}/messages?limit=100`, fresh] as const,
    );
  expect(await probe(false)).toBe('answered 200');
  expect(await probe(true)).toBe('failed');
  await page.reload();
  await expect(room.offlineBanner).toBeVisible();
  await expect(room.conversationLink(dm.id)).toBeVisible();
  await expect(room.conversationLink(club.id)).toContainText('Book club');
  for (const text of ['Next book: Dune', 'Chapter 1-5 for Thursday', 'Sounds good to me']) await expect(room.message(text)).toBeVisible();

  // The other one, still offline.
  await room.conversationLink(dm.id).click();
  await expect(page).toHaveURL(new RegExp(`/c/${dm.id}$`));
  for (const text of ['Are you coming on Friday?', 'I can bring the snacks']) await expect(room.message(text)).toBeVisible();
  await expect(room.offlineBanner).toBeVisible();
  // No alarm where a list could not load with no network: it loads when the connection is back.
  await expect(page.getByText('Could not load people.')).toHaveCount(0);
  mkdirSync(screens, { recursive: true });
  await page.screenshot({ path: `${screens}/offline-banner-1280-light.png` });

  // Back online, signing out erases what this device kept for Ana.
  await context.setOffline(false);
  await expect(page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 30_000 });
  await new ChatPage(page).signOut();
  const left = await page.evaluate(
    async (list) => (await Promise.all(list.map(async (u) => ((await caches.match(u)) ? u : null)))).filter(Boolean),
    [`/c/${dm.id}`, `/c/${club.id}`, '/api/v1/conversations', `/api/v1/conversations/${dm.id}/messages?limit=100`, `/api/v1/conversations/${club.id}/messages?limit=100`],
  );
  expect(left).toEqual([]);
  await context.close();
});

test('messages written offline show as pending, survive a reload, and are delivered once each, in order, when back online', async ({ browser, request }) => {
  const ana = await person(request, 'outa');
  const ben = await person(request, 'outb');
  const { conversation } = await ana.api.post<{ conversation: { id: string } }>('/conversations', { kind: 'direct', userId: ben.id });
  await ben.api.post(`/conversations/${conversation.id}/messages`, { body: 'Ping me when you land' });

  const { context, page, room } = await signedIn(browser, ana);
  await controlled(page);
  await room.conversationLink(conversation.id).click();
  await expect(room.message('Ping me when you land')).toBeVisible();
  await cached(page, [`/c/${conversation.id}`, '/api/v1/conversations', `/api/v1/conversations/${conversation.id}/messages?limit=100`]);

  await context.setOffline(true);
  await expectNoNetwork(page);
  await expect(room.offlineBanner).toBeVisible();
  const first = `Landed! ${Date.now()}`;
  const second = `Taxi in 10 min ${Date.now()}`;
  await room.send(first);
  await room.send(second);
  for (const text of [first, second]) {
    await expect(room.pendingMessage(text)).toHaveAttribute('data-status', 'pending');
    await expect(room.pendingMessage(text).getByLabel('Sending')).toBeVisible();
  }
  await expect(room.offlineBanner).toContainText('2 messages will be sent when you are back');
  await expect(room.pending).toHaveText([new RegExp(first), new RegExp(second)]);

  // The outbox is on disk (IndexedDB): it survives a reload with no network.
  const outbox = async () =>
    page.evaluate(
      (key) =>
        new Promise<{ clientId: string; body: string }[]>((resolve, reject) => {
          const open = indexedDB.open('chattrix');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('kv', 'readonly').objectStore('kv').get(key);
            get.onsuccess = () => {
              resolve(((get.result as { clientId: string; body: string }[] | undefined) ?? []).map((o) => ({ clientId: o.clientId, body: o.body })));
              open.result.close();
            };
            get.onerror = () => reject(get.error);
          };
        }),
      `outbox:${ana.id}`,
    );
  await expect.poll(async () => (await outbox()).map((o) => o.body)).toEqual([first, second]);
  const clientIds = (await outbox()).map((o) => o.clientId);

  await page.reload();
  await expect(room.offlineBanner).toBeVisible();
  await expect(room.pending).toHaveText([new RegExp(first), new RegExp(second)]);
  await expect(room.message('Ping me when you land')).toBeVisible();
  // Nothing reached the server yet.
  const stored = async () => (await ben.api.get<{ messages: Msg[] }>(`/conversations/${conversation.id}/messages?limit=100`)).messages;
  expect((await stored()).map((m) => m.body)).toEqual(['Ping me when you land']);

  // Back online: each is sent once, in order, with the clientId it got when it was written.
  await context.setOffline(false);
  await expect(room.message(second)).toBeVisible({ timeout: 30_000 });
  await expect(room.message(first)).toBeVisible();
  await expect(room.pending).toHaveCount(0);
  await expect.poll(async () => (await stored()).length).toBe(3);
  const mine = (await stored()).filter((m) => m.sender?.id === ana.id);
  expect(mine.map((m) => [m.body, m.clientId])).toEqual([
    [first, clientIds[0]],
    [second, clientIds[1]],
  ]);

  // And once only: a reload sends nothing again, and the outbox is empty.
  await page.reload();
  await expect(room.message(second)).toBeVisible();
  await expect(room.pending).toHaveCount(0);
  await expect.poll(async () => (await outbox()).length).toBe(0);
  expect((await stored()).map((m) => m.body)).toEqual(['Ping me when you land', first, second]);
  await context.close();
});

test("a conversation opened before shows this device's copy while the network's page is on its way, then that page replaces it", async ({ browser, request }) => {
  const ana = await person(request, 'cpya');
  const ben = await person(request, 'cpyb');
  const { conversation } = await ana.api.post<{ conversation: { id: string } }>('/conversations', { kind: 'direct', userId: ben.id });
  await ben.api.post(`/conversations/${conversation.id}/messages`, { body: 'What the server holds' });
  // No service worker here: the page's own request for the first page can be held (a worker's could not), and the
  // copy comes from the same Cache Storage the app writes its snapshot into either way.
  const { context, page, room: first } = await signedIn(browser, ana, { serviceWorkers: 'block' });
  await first.conversationLink(conversation.id).click();
  await expect(first.message('What the server holds')).toBeVisible();

  // This device's copy, with a message only the copy has. The app rewrites its snapshot a second after any change
  // in its store (a read receipt, say), which could undo the edit: the page is closed first, and the copy edited
  // from a page of the same origin where the app does not run.
  const url = `/api/v1/conversations/${conversation.id}/messages?limit=100`;
  await cached(page, [url]);
  await page.close();
  const bare = await context.newPage();
  await bare.goto('/healthz');
  await bare.evaluate(async (u) => {
    const cache = await caches.open('chattrix-api');
    const copy = (await (await cache.match(u))!.json()) as { messages: { id: string; seq: number; body: string }[]; hasMore: boolean };
    const last = copy.messages[copy.messages.length - 1]!;
    copy.messages.push({ ...last, id: `${last.id.slice(0, -4)}zzzz`, seq: last.seq + 1, body: 'Only in the copy' });
    await cache.put(u, new Response(JSON.stringify(copy), { headers: { 'content-type': 'application/json' } }));
  }, url);

  // The network's answer is held until the copy has shown.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  await bare.route(new RegExp(`/api/v1/conversations/${conversation.id}/messages\\?limit=100$`), async (route) => {
    held += 1;
    await released;
    await route.continue();
  });
  await bare.goto(`/c/${conversation.id}`);
  const room = new RoomPage(bare);
  await expect(room.message('Only in the copy')).toBeVisible();
  await expect(room.message('What the server holds')).toBeVisible();
  expect(held).toBeGreaterThan(0);
  release();
  // The network's page replaces the copy: what only the copy had is gone.
  await expect(room.message('Only in the copy')).toHaveCount(0);
  await expect(room.message('What the server holds')).toBeVisible();
  await context.close();
});

test("another person signing in on this device never gets the last one's copies (a session that ended without signing out)", async ({ browser, request }) => {
  const ana = await person(request, 'owna');
  const ben = await person(request, 'ownb');
  const cara = await person(request, 'ownc');
  const { conversation } = await ana.api.post<{ conversation: { id: string } }>('/conversations', { kind: 'group', title: 'Ana and Cara', memberIds: [cara.id] });
  await cara.api.post(`/conversations/${conversation.id}/messages`, { body: 'The surprise party is on Friday' });
  const { context, page, room } = await signedIn(browser, ana);
  await controlled(page);
  await room.conversationLink(conversation.id).click();
  await expect(room.message('The surprise party is on Friday')).toBeVisible();
  const url = `/api/v1/conversations/${conversation.id}/messages?limit=100`;
  await cached(page, [url]);

  // Ana's session ends without her signing out (it expired, or was ended from another device): nothing erased.
  await context.clearCookies();
  // From every new document on: did the secret ever show?
  await context.addInitScript(() => {
    const w = window as unknown as { sawSecret?: boolean };
    new MutationObserver(() => {
      if (document.body?.textContent?.includes('surprise party')) w.sawSecret = true;
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  // Ben signs in on the same browser, straight to that conversation's address.
  await page.goto(`/c/${conversation.id}`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Username', { exact: true }).fill(ben.username);
  await page.getByLabel('Password', { exact: true }).fill(ben.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${conversation.id}$`));
  // Ben's app claims this device's API copies: Ana's are dropped.
  await expect.poll(() => page.evaluate(async (u) => !!(await caches.match(u)), url), { message: "Ana's copy of the conversation" }).toBe(false);
  await page.goto('/');
  await expect(page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 30_000 });
  await expect(room.conversationLink(conversation.id)).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { sawSecret?: boolean }).sawSecret ?? false)).toBe(false);
  await context.close();
});
