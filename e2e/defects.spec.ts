/**
 * Issue 11, "Defects seen": each one, in Chromium against the real server.
 */
import { mkdirSync } from 'node:fs';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { startServer } from '../tests/helpers/server';
import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { apiToken, asUser, signedIn } from './pages/RoomPage';
import { ConsoleErrors, expect, newPerson, registerViaApi, test, type Person } from './fixtures';

const screens = 'test-results/screens';
mkdirSync(screens, { recursive: true });

let ana: Person;
let ben: Person;
let anaToken: string;
let benToken: string;
let dmId: string;
let anaState: Awaited<ReturnType<BrowserContext['storageState']>>;

test.beforeAll(async ({ browser, request }) => {
  ana = newPerson('ana');
  ben = newPerson('ben');
  await registerViaApi(request, ana);
  await registerViaApi(request, ben);
  anaToken = await apiToken(request, ana);
  benToken = await apiToken(request, ben);
  const users = await asUser(request, anaToken).get<{ users: { id: string; username: string }[] }>(`/users?q=${ben.username}`);
  const benId = users.users.find((u) => u.username === ben.username)!.id;
  dmId = (await asUser(request, anaToken).post<{ conversation: { id: string } }>('/conversations', { kind: 'direct', userId: benId })).conversation.id;
  await asUser(request, benToken).post(`/conversations/${dmId}/messages`, { body: 'Hello Ana, this is Ben.' });
  const s = await signedIn(browser, ana);
  anaState = await s.context.storageState();
  await s.context.close();
});

async function anaPage(browser: Browser, opts: { width?: number; theme?: 'light' | 'dark' } = {}): Promise<{ ctx: BrowserContext; page: Page; errors: ConsoleErrors }> {
  const width = opts.width ?? 1280;
  const ctx = await browser.newContext({
    storageState: anaState,
    viewport: { width, height: width < 600 ? 740 : 800 },
    colorScheme: opts.theme ?? 'light',
  });
  const errors = new ConsoleErrors().watch(ctx);
  return { ctx, page: await ctx.newPage(), errors };
}

async function horizontalOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const w = window.innerWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > w + 0.5 && el.getBoundingClientRect().width > 0)
      .slice(0, 5)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> right=${Math.round(el.getBoundingClientRect().right)}`);
    const cards = [...document.querySelectorAll('.card')].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.id || el.className);
    return { overflow: Math.max(document.documentElement.scrollWidth - w, 0) + cards.length, culprits: [...culprits, ...cards] };
  });
}

test.describe('no console errors, the theme holds', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`every page loads and reloads without a console error (${theme})`, async ({ browser }) => {
      const { ctx, page, errors } = await anaPage(browser, { theme });
      await ctx.addInitScript(() => {
        try {
          localStorage.setItem('chattrix-theme', 'system');
        } catch {
          // about:blank has no storage
        }
      });
      for (const path of ['/', `/c/${dmId}`, '/search?q=hello', '/settings']) {
        await page.goto(path);
        await expect(page.getByRole('navigation', { name: 'Chattrix' })).toBeVisible();
        await expect(page.getByTestId('connection-state')).toHaveText('Connected');
        await page.reload();
        await expect(page.getByTestId('connection-state')).toHaveText('Connected');
        // Hydration is over (the settings page fills its sections after it): the theme is still the chosen one.
        await page.waitForTimeout(0);
        expect(await page.evaluate(() => document.documentElement.dataset.theme), path).toBe(theme);
      }
      await expect(page.getByRole('heading', { name: 'Notifications on this device' })).toBeVisible();
      await ctx.close();
      // Signed out: the sign-in and registration pages.
      const anon = await browser.newContext({ colorScheme: theme });
      const anonErrors = new ConsoleErrors().watch(anon);
      const p = await anon.newPage();
      for (const path of ['/login', '/register']) {
        await p.goto(path);
        await expect(p.getByRole('heading', { level: 1 })).toBeVisible();
        expect(await p.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      }
      await anon.close();
      errors.expectNone();
      anonErrors.expectNone();
    });
  }

  test('/favicon.ico is served', async ({ request }) => {
    const res = await request.get('/favicon.ico');
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
    expect((await res.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  });
});

test.describe('settings cards fit', () => {
  for (const width of [360, 1280]) {
    for (const theme of ['light', 'dark'] as const) {
      test(`no sideways overflow at ${width}px (${theme}), with a token and a photo`, async ({ browser, request }) => {
        // A photo (so "Remove photo" shows) and a token with a long name.
        const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c2255c' } }).png().toBuffer();
        const put = await request.put('/api/v1/me/avatar', { headers: { authorization: `Bearer ${anaToken}` }, multipart: { file: { name: 'a.png', mimeType: 'image/png', buffer: png } } });
        expect(put.status()).toBe(200);
        await request.post('/api/v1/auth/tokens', { data: { username: ana.username, password: ana.password, name: `deploy-bot-for-the-staging-cluster-${width}-${theme}` } });
        const { ctx, page, errors } = await anaPage(browser, { width, theme });
        await ctx.addInitScript((t) => {
          try {
            localStorage.setItem('chattrix-theme', t);
          } catch {
            // about:blank has no storage
          }
        }, theme);
        await page.goto('/settings');
        await expect(page.getByRole('heading', { name: 'Personal access tokens' })).toBeVisible();
        await expect(page.getByText(`deploy-bot-for-the-staging-cluster-${width}-${theme}`)).toBeVisible();
        const remove = page.getByRole('button', { name: 'Remove photo' });
        await expect(remove).toBeVisible();
        const box = (await remove.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        const { overflow, culprits } = await horizontalOverflow(page);
        expect(overflow, culprits.join(', ')).toBe(0);
        await page.screenshot({ path: `${screens}/settings-${width}-${theme}.png`, fullPage: true });
        await ctx.close();
        errors.expectNone();
      });
    }
  }
});

/** A tall picture: its thumbnail is 320 px high, enough to leave the view short if its box is not reserved. */
async function tallImage(): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 900, channels: 3, background: '#2f9e44' } }).png().toBuffer();
}

test('an image at the bottom: the view stays at the bottom for sender and receiver (thumbnails arrive late)', async ({ browser, request }) => {
  const sender = await signedIn(browser, ben, { viewport: { width: 1280, height: 800 } });
  const receiver = await anaPage(browser);
  // Slow thumbnails: the message is laid out long before its image arrives.
  for (const page of [sender.page, receiver.page]) {
    await page.route('**/api/v1/uploads/*/thumbnail', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
  }
  // Enough history to scroll.
  const api = asUser(request, benToken);
  for (let i = 0; i < 25; i++) await api.post(`/conversations/${dmId}/messages`, { body: `filler ${i}` });
  await sender.room.goto(dmId);
  await receiver.page.goto(`/c/${dmId}`);
  await expect(receiver.page.getByTestId('message').filter({ hasText: 'filler 24' })).toBeVisible();

  await sender.room.fileInput.setInputFiles({ name: 'tall.png', mimeType: 'image/png', buffer: await tallImage() });
  await expect(sender.room.uploads.first()).toContainText('tall.png');
  await expect(sender.page.getByRole('img', { name: 'Uploaded' })).toBeVisible();
  await sender.room.composer.fill('look at this');
  await sender.room.composer.press('Enter');

  for (const page of [sender.page, receiver.page]) {
    const thumb = page.getByRole('log', { name: 'Conversation history' }).getByTestId('attachment-thumbnail').last();
    await expect(thumb).toBeVisible();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
    await expect
      .poll(() => page.getByRole('log', { name: 'Conversation history' }).evaluate((el) => Math.round(el.scrollHeight - el.scrollTop - el.clientHeight)))
      .toBeLessThanOrEqual(2);
  }
  await receiver.page.screenshot({ path: `${screens}/image-bottom-1280-light.png` });
  await sender.context.close();
  await receiver.ctx.close();
  receiver.errors.expectNone();
});

test('a message arriving while scrolled up shows "New messages", which goes to the bottom', async ({ browser, request }) => {
  const { ctx, page, errors } = await anaPage(browser, { width: 360 });
  const api = asUser(request, benToken);
  for (let i = 0; i < 30; i++) await api.post(`/conversations/${dmId}/messages`, { body: `scroll line ${i}` });
  await page.goto(`/c/${dmId}`);
  const log = page.getByRole('log', { name: 'Conversation history' });
  await expect(log.getByTestId('message').filter({ hasText: 'scroll line 29' })).toBeVisible();
  await expect(page.getByTestId('connection-state')).toHaveText('Connected');
  await log.evaluate((el) => el.scrollTo({ top: 0 }));
  await log.evaluate((el) => el.dispatchEvent(new Event('scroll')));
  await expect.poll(() => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeGreaterThan(200);
  await api.post(`/conversations/${dmId}/messages`, { body: 'arrived while you were reading' });
  const button = page.getByRole('button', { name: /New messages/ });
  await expect(button).toBeVisible();
  await page.screenshot({ path: `${screens}/new-messages-360-light.png` });
  await button.click();
  await expect(log.getByTestId('message').filter({ hasText: 'arrived while you were reading' })).toBeInViewport();
  await expect(button).toBeHidden();
  await ctx.close();
  errors.expectNone();
});

test('/c/{id} signed out goes to /login?next=/c/{id}, and back there after signing in; a foreign next is ignored', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`/c/${dmId}`);
  await expect(page).toHaveURL(new RegExp(`/login\\?next=%2Fc%2F${dmId}$`));
  await new LoginPage(page).signIn(ana.username, ana.password);
  await expect(page).toHaveURL(new RegExp(`/c/${dmId}$`));
  await expect(page.getByRole('log', { name: 'Conversation history' })).toBeVisible();
  await ctx.close();

  const ctx2 = await browser.newContext();
  const p2 = await ctx2.newPage();
  await p2.goto('/login?next=//evil.example/steal');
  await new LoginPage(p2).signIn(ana.username, ana.password);
  await expect(p2).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  await ctx2.close();
});

test('a new display name and photo reach the other person live, without a reload', async ({ browser, request }) => {
  const { ctx, page, errors } = await anaPage(browser);
  await page.goto(`/c/${dmId}`);
  await expect(page.getByTestId('connection-state')).toHaveText('Connected');
  const row = page.getByTestId(`conversation-${dmId}`);
  await expect(row).toContainText(ben.displayName);
  const renamed = `Benjamin ${Date.now().toString(36)}`;
  const res = await request.patch('/api/v1/me', { headers: { authorization: `Bearer ${benToken}` }, data: { displayName: renamed } });
  expect(res.status()).toBe(200);
  await expect(row).toContainText(renamed);
  await expect(page.locator('main').getByRole('heading', { level: 1 })).toHaveText(renamed);
  // The photo.
  const png = await sharp({ create: { width: 48, height: 48, channels: 3, background: '#1971c2' } }).png().toBuffer();
  const put = await request.put('/api/v1/me/avatar', { headers: { authorization: `Bearer ${benToken}` }, multipart: { file: { name: 'b.png', mimeType: 'image/png', buffer: png } } });
  expect(put.status()).toBe(200);
  await expect(row.locator('img')).toHaveAttribute('src', /\/api\/v1\/users\/.+\/avatar/);
  await request.patch('/api/v1/me', { headers: { authorization: `Bearer ${benToken}` }, data: { displayName: ben.displayName } });
  await ctx.close();
  errors.expectNone();
});

test('notifications where the browser has no Push API say why', async ({ browser }) => {
  const { ctx, page, errors } = await anaPage(browser);
  await ctx.addInitScript(() => {
    delete (window as unknown as { PushManager?: unknown }).PushManager;
  });
  await page.goto('/settings');
  await expect(page.getByTestId('push-unavailable')).toContainText('no Push API');
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await ctx.close();
  errors.expectNone();
});

test('icons are SVG, not emoji or Unicode symbols', async ({ browser }) => {
  const { ctx, page, errors } = await anaPage(browser);
  await page.goto(`/c/${dmId}`);
  await expect(page.getByRole('log', { name: 'Conversation history' })).toBeVisible();
  await page.getByRole('log', { name: 'Conversation history' }).getByTestId('message').last().hover();
  const named = ['Search messages', 'Settings', 'Attach files', 'Send', 'Pinned', 'Details', 'React', 'Reply'];
  for (const name of named) {
    const b = page.getByRole('button', { name, exact: true }).or(page.getByRole('link', { name, exact: true })).first();
    await expect(b.locator('svg'), name).toHaveCount(1);
    expect((await b.innerText()).replace(/Pinned|Details/g, '').trim(), name).toBe('');
  }
  // Nothing in the chrome (outside message bodies and reactions) is drawn with an emoji font.
  const emoji = await page.evaluate(() => {
    const re = /[\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u2600-\u27bf\u{1f000}-\u{1faff}]/u;
    // Key names in the shortcuts list (↑ ↓ as text in <kbd>) are text, not icons.
    const skip = (el: Element | null) => !!el?.closest('.msg-body, .reactions, .react-menu, .emoji-picker, .shortcuts, .switcher-hint, kbd');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found: string[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (re.test(n.textContent ?? '') && !skip(n.parentElement)) found.push(n.textContent!.trim());
    return found;
  });
  expect(emoji).toEqual([]);
  await ctx.close();
  errors.expectNone();
});

test('a search snippet cut at the start begins with "…"', async ({ browser, request }) => {
  const word = `zebra${Date.now().toString(36)}`;
  const long = `${Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')} ${word} and the end`;
  await asUser(request, benToken).post(`/conversations/${dmId}/messages`, { body: long });
  const { ctx, page, errors } = await anaPage(browser);
  await page.goto(`/search?q=${word}`);
  const result = page.getByTestId('search-result').first();
  await expect(result).toBeVisible();
  await expect(result.locator('.snippet')).toHaveText(/^… .*zebra/);
  await ctx.close();
  errors.expectNone();
});

test('offline, presence shows as unknown (greyed) until reconnected', async ({ browser }) => {
  const other = await signedIn(browser, ben);
  const { ctx, page } = await anaPage(browser);
  const chat = new ChatPage(page);
  await page.goto('/');
  await chat.searchPeople(ben.username);
  await expect(chat.presenceOf(ben.username)).toHaveText('online');
  await ctx.setOffline(true);
  await expect(chat.presenceOf(ben.username)).toHaveText('status unknown while offline');
  await expect(chat.person(ben.username).locator('.presence-dot')).toHaveClass(/unknown/);
  await page.screenshot({ path: `${screens}/presence-unknown-1280-light.png` });
  await ctx.setOffline(false);
  await expect(chat.presenceOf(ben.username)).toHaveText('online');
  await ctx.close();
  await other.context.close();
});

test('group owners change a member\'s role; on a phone the members panel covers the chat', async ({ browser, request }) => {
  const cleo = newPerson('cleo');
  await registerViaApi(request, cleo);
  const cleoId = (await asUser(request, anaToken).get<{ users: { id: string; username: string }[] }>(`/users?q=${cleo.username}`)).users.find(
    (u) => u.username === cleo.username,
  )!.id;
  const group = await asUser(request, anaToken).post<{ conversation: { id: string } }>('/conversations', { kind: 'group', title: 'Roles', memberIds: [cleoId] });
  const { ctx, page, errors } = await anaPage(browser, { width: 360 });
  await page.goto(`/c/${group.conversation.id}`);
  await page.getByRole('button', { name: 'Members' }).click();
  const panel = page.getByRole('complementary', { name: 'Group' });
  await expect(panel).toBeVisible();
  const box = (await panel.boundingBox())!;
  expect(box.x).toBeLessThanOrEqual(0.5);
  expect(box.width).toBeGreaterThanOrEqual(359.5);
  await page.screenshot({ path: `${screens}/members-panel-360-light.png` });
  const role = panel.getByLabel(`Role of ${cleo.displayName}`);
  await role.selectOption('admin');
  await expect(panel.getByRole('listitem').filter({ hasText: cleo.displayName }).locator('.role')).toHaveText('admin');
  const after = await asUser(request, anaToken).get<{ conversation: { members: { id: string; role: string }[] } }>(`/conversations/${group.conversation.id}`);
  expect(after.conversation.members.find((m) => m.id === cleoId)?.role).toBe('admin');
  await ctx.close();
  errors.expectNone();
});

test('a group of nine opens with all its members though the list sends six of each, and asks for them only on opening', async ({ browser, request }) => {
  const crowd = Array.from({ length: 8 }, (_, i) => newPerson(`crowd${i}`));
  const ids: string[] = [];
  for (const p of crowd) {
    const res = await request.post('/api/v1/auth/register', { data: { username: p.username, password: p.password, displayName: p.displayName } });
    expect(res.status(), await res.text()).toBe(201);
    ids.push(((await res.json()) as { user: { id: string } }).user.id);
  }
  const id = (await asUser(request, anaToken).post<{ conversation: { id: string } }>('/conversations', { kind: 'group', title: 'Crowd', memberIds: ids })).conversation.id;
  const { ctx, page, errors } = await anaPage(browser);
  const listed: number[] = [];
  let wholeReads = 0;
  page.on('response', async (res) => {
    if (res.request().method() !== 'GET') return;
    const path = new URL(res.url()).pathname;
    if (path === `/api/v1/conversations/${id}`) wholeReads++;
    if (path !== '/api/v1/conversations') return;
    const body = (await res.json().catch(() => null)) as { conversations?: { id: string; members: unknown[] }[] } | null;
    const c = body?.conversations?.find((x) => x.id === id);
    if (c) listed.push(c.members.length);
  });
  await page.goto(`/c/${id}`);
  await page.getByRole('button', { name: 'Members' }).click();
  const panel = page.getByRole('complementary', { name: 'Group' });
  await expect(panel.getByRole('list', { name: 'Members' }).getByRole('listitem')).toHaveCount(9);
  for (const p of crowd) await expect(panel.getByRole('list', { name: 'Members' }).getByText(p.displayName, { exact: true })).toBeVisible();
  // The list (its first page and the whole of it) sent a preview; the open group was read whole, once at the start
  // (twice when the socket connected after that read), and never again while the tab sits idle.
  await expect.poll(() => listed.length).toBeGreaterThanOrEqual(2);
  expect(Math.max(...listed)).toBeLessThanOrEqual(6);
  const afterStart = wholeReads;
  expect(afterStart).toBeGreaterThanOrEqual(1);
  expect(afterStart).toBeLessThanOrEqual(2);
  await page.waitForTimeout(3_000);
  expect(wholeReads).toBe(afterStart);
  // Another conversation and back: the members are still all there, without asking again.
  await page.goto('/');
  await page.getByRole('link', { name: /Crowd/ }).first().click();
  await expect(page).toHaveURL(new RegExp(`/c/${id}$`));
  await page.getByRole('button', { name: 'Members' }).click();
  await expect(panel.getByRole('list', { name: 'Members' }).getByRole('listitem')).toHaveCount(9);
  await ctx.close();
  errors.expectNone();
});

test('a channel of 53 lists 50 members, shows all of them and finds the rest by name, and suggests them after @', async ({ browser, request }) => {
  test.setTimeout(240_000);
  const owner = asUser(request, anaToken);
  const channel = (await owner.post<{ conversation: { id: string } }>('/conversations', { kind: 'channel', title: `crowd-${Date.now().toString(36)}` })).conversation.id;
  const crowd: (Person & { id: string })[] = [];
  for (let i = 0; i < 52; i++) {
    const p = newPerson(`big${String(i).padStart(2, '0')}`);
    const res = await request.post('/api/v1/auth/register', { data: { username: p.username, password: p.password, displayName: p.displayName } });
    expect(res.status(), await res.text()).toBe(201);
    const id = ((await res.json()) as { user: { id: string } }).user.id;
    await owner.post(`/conversations/${channel}/members`, { userId: id });
    crowd.push({ ...p, id });
  }
  // The last to join, offline: not among the 50 the channel lists (Ana, then the earliest to join).
  const last = crowd[crowd.length - 1]!;
  const { ctx, page, errors } = await anaPage(browser);
  await page.goto(`/c/${channel}`);
  await page.getByRole('button', { name: 'Channel settings' }).click();
  const panel = page.getByTestId('channel-settings');
  const list = panel.getByRole('list', { name: 'Members' });
  await expect(list.getByRole('listitem')).toHaveCount(50);
  await expect(list.getByText(last.displayName, { exact: true })).toHaveCount(0);

  // Found by a part of the name.
  await panel.getByRole('searchbox', { name: 'Find a member' }).fill(last.displayName.slice(0, 5));
  await expect(list.getByText(last.displayName, { exact: true })).toBeVisible();
  await panel.getByRole('heading', { name: '53 members' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screens}/channel-members-find-1280-light.png` });
  await panel.getByRole('searchbox', { name: 'Find a member' }).fill('');
  // Every one of them, a page at a time.
  await panel.getByRole('button', { name: 'Show all 53' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(50);
  await panel.getByRole('button', { name: 'Show more' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(53);
  await expect(list.getByText(last.displayName, { exact: true })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Show more' })).toHaveCount(0);
  await page.screenshot({ path: `${screens}/channel-members-all-1280-light.png` });
  await panel.getByRole('button', { name: 'Close channel settings' }).click();

  // The composer suggests them after @, from the server.
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill(`hello @${last.username.slice(0, 12)}`);
  const option = page.getByRole('listbox', { name: /mention/i }).getByRole('option').filter({ hasText: last.displayName });
  await expect(option).toHaveCount(1);
  await option.getByRole('button').dispatchEvent('mousedown');
  await expect(composer).toHaveValue(`hello @${last.username} `);
  await ctx.close();
  errors.expectNone();
});

test('a fresh server shows the registration page, and its first account is the administrator', async ({ browser }) => {
  test.setTimeout(120_000);
  // A fresh server: its own empty embedded database (never CI's shared PostgreSQL database, which has accounts).
  const server = await startServer({ port: 0, env: { DATABASE_URL: undefined, REDIS_URL: undefined } });
  try {
    const ctx = await browser.newContext({ baseURL: server.url });
    const errors = new ConsoleErrors().watch(ctx);
    const page = await ctx.newPage();
    await page.goto('/login');
    await expect(page).toHaveURL(/\/register$/);
    await expect(page.getByRole('heading', { name: 'Create the administrator account' })).toBeVisible();
    const admin = newPerson('admin');
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('navigation', { name: 'Chattrix' })).toBeVisible();
    const me = await page.request.get('/api/v1/me');
    expect(((await me.json()) as { user: { isAdmin: boolean } }).user.isAdmin).toBe(true);
    // Now there is an account: the sign-in page is the sign-in page again.
    const anon = await browser.newContext({ baseURL: server.url });
    const p2 = await anon.newPage();
    await p2.goto('/login');
    await expect(p2.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await anon.close();
    await ctx.close();
    errors.expectNone();
  } finally {
    await server.stop();
  }
});
