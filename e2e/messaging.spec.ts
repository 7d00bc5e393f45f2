/**
 * Messaging end to end in Chromium (issue 3): two people exchange direct messages live, a group of three created
 * through the "+ New group" dialog, a message written offline that arrives exactly once when the sender is back,
 * history that survives a reload and loads older pages when scrolled to the top. Plus screenshots of a DM at
 * 360 px and 1280 px, light and dark, into test-results/screens/.
 */
import { mkdirSync } from 'node:fs';
import type { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

interface Signed {
  context: BrowserContext;
  page: Page;
  chat: ChatPage;
}

async function signIn(browser: Browser, person: Person, opts: Parameters<Browser['newContext']>[0] = {}): Promise<Signed> {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(person.username, person.password);
  const chat = new ChatPage(page);
  await chat.expectSignedInAs(person);
  return { context, page, chat };
}

/** A REST client for one person, with a personal access token (no browser). */
async function restAs(request: APIRequestContext, person: Person) {
  const t = await request.post('/api/v1/auth/tokens', { data: { username: person.username, password: person.password, name: 'e2e' } });
  expect(t.status(), await t.text()).toBe(201);
  const { token } = (await t.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  const me = await request.get('/api/v1/me', { headers });
  const id = ((await me.json()) as { user: { id: string } }).user.id;
  return {
    id,
    async get<T = any>(path: string): Promise<T> {
      const r = await request.get(`/api/v1${path}`, { headers });
      expect(r.status(), await r.text()).toBe(200);
      return (await r.json()) as T;
    },
    async post<T = any>(path: string, data: unknown, status = 201): Promise<T> {
      const r = await request.post(`/api/v1${path}`, { headers, data });
      expect(r.status(), await r.text()).toBe(status);
      return (await r.json()) as T;
    },
    /** Every message body of a conversation, oldest first (the newest page, then back with `before`). */
    async bodies(conversationId: string): Promise<string[]> {
      let out: { id: string; body: string }[] = [];
      for (;;) {
        const before = out.length ? `&before=${out[0]!.id}` : '';
        const page = await this.get<{ messages: { id: string; body: string }[]; hasMore: boolean }>(
          `/conversations/${conversationId}/messages?limit=100${before}`,
        );
        out = [...page.messages, ...out];
        if (!page.hasMore) return out.map((m) => m.body);
      }
    },
  };
}

async function people(request: APIRequestContext, ...prefixes: string[]): Promise<Person[] & { 0: Person; 1: Person; 2: Person }> {
  const list = prefixes.map((p) => newPerson(p));
  await Promise.all(list.map((p) => registerViaApi(request, p)));
  return list as Person[] & { 0: Person; 1: Person; 2: Person };
}

const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! < x);

test('two people exchange direct messages live, and the history survives a reload', async ({ browser, request }) => {
  const [ana, ben] = await people(request, 'ana', 'ben');
  const a = await signIn(browser, ana);
  const b = await signIn(browser, ben);

  // Ana clicks Ben in People: their direct conversation opens.
  const dm = await a.chat.openDirectWith(ben.username);
  await expect(a.chat.conversationTitle).toHaveText(ben.displayName);
  await a.chat.send('Hello Ben 👋');
  await a.chat.expectMessage('Hello Ben 👋');

  // Ben, on the start page, sees the new conversation appear with one unread message, live.
  await expect(b.chat.conversationRow(dm)).toBeVisible();
  await expect(b.chat.unreadBadge(dm)).toHaveText('1');
  await expect(b.chat.conversationRow(dm)).toContainText('Hello Ben 👋');
  await b.chat.openConversation(dm);
  await b.chat.expectMessage('Hello Ben 👋');
  await expect(b.chat.unreadBadge(dm)).toHaveCount(0);

  // Ben answers; Ana sees it without reloading. Markup is shown as text; Shift+Enter keeps a line break.
  await b.chat.send('Hi Ana!');
  await a.chat.expectMessage('Hi Ana!');
  await b.chat.send('<b>not bold</b> & <i>not italic</i>');
  await a.chat.expectMessage('<b>not bold</b> & <i>not italic</i>');
  await expect(a.chat.history.locator('b, i, script')).toHaveCount(0);
  await a.chat.composer.fill('first line');
  await a.chat.composer.press('Shift+Enter');
  await a.chat.composer.pressSequentially('second line');
  await a.chat.composer.press('Enter');
  await b.chat.expectMessage('first line');
  expect(await b.chat.message('first line').locator('.msg-body').innerText()).toBe('first line\nsecond line');

  const expected = ['Hello Ben 👋', 'Hi Ana!', '<b>not bold</b> & <i>not italic</i>', 'first line\nsecond line'];
  for (const side of [a, b]) {
    await expect(side.chat.messages).toHaveCount(4);
    expect(await side.chat.shownTexts()).toEqual(expected);
    expect(ascending(await side.chat.shownSeqs())).toBe(true);
  }
  // Both see the same order.
  expect(await a.chat.shownSeqs()).toEqual(await b.chat.shownSeqs());

  // A reload keeps everything, in the same order, once.
  await b.page.reload();
  await expect(b.chat.messages).toHaveCount(4);
  expect(await b.chat.shownTexts()).toEqual(expected);
  await a.page.reload();
  await expect(a.chat.messages).toHaveCount(4);
  expect(await a.chat.shownTexts()).toEqual(expected);

  // And after a reload the conversation is still live.
  await a.chat.send('still live after reload');
  await b.chat.expectMessage('still live after reload');
  await a.context.close();
  await b.context.close();
});

test('a group of three, created in the dialog, where everyone sees everyone live', async ({ browser, request }) => {
  const [ana, ben, cy] = await people(request, 'gana', 'gben', 'gcy');
  const [a, b, c] = await Promise.all([signIn(browser, ana), signIn(browser, ben), signIn(browser, cy)]);
  const title = `Trio ${ana.username.slice(-4)}`;

  const group = await a.chat.createGroup(title, [ben, cy]);
  await expect(a.chat.systemMessages.first()).toContainText(`${ana.displayName} created the group “${title}”`);

  // Ben and Cy see the group appear in their lists, and open it.
  for (const side of [b, c]) {
    await expect(side.chat.conversationRow(group)).toContainText(title);
    await side.chat.openConversation(group);
    await expect(side.chat.conversationTitle).toHaveText(title);
  }

  await a.chat.send('ana here');
  await b.chat.send('ben here');
  await c.chat.send('cy here');
  for (const side of [a, b, c]) {
    for (const text of ['ana here', 'ben here', 'cy here']) await side.chat.expectMessage(text);
  }
  // One order for all three.
  const seqs = await a.chat.shownSeqs();
  expect(ascending(seqs)).toBe(true);
  expect(await b.chat.shownSeqs()).toEqual(seqs);
  expect(await c.chat.shownSeqs()).toEqual(seqs);
  expect(await c.chat.shownTexts()).toEqual(['ana here', 'ben here', 'cy here']);
  // In a group, the others' names are shown with their messages.
  await expect(c.chat.message('ana here')).toContainText(ana.displayName);

  await Promise.all([a.context.close(), b.context.close(), c.context.close()]);
});

test('a message written offline is shown as pending and arrives exactly once when the sender is back', async ({ browser, request }) => {
  const [ana, ben] = await people(request, 'off', 'on');
  const anaApi = await restAs(request, ana);
  const benApi = await restAs(request, ben);
  const dm = (await anaApi.post<{ conversation: { id: string } }>('/conversations', { kind: 'direct', userId: benApi.id })).conversation.id;
  await anaApi.post(`/conversations/${dm}/messages`, { body: 'before going offline' });

  const a = await signIn(browser, ana);
  const b = await signIn(browser, ben);
  await a.chat.openConversation(dm, { direct: true });
  await b.chat.openConversation(dm, { direct: true });
  await a.chat.expectMessage('before going offline');
  await b.chat.expectMessage('before going offline');

  // Ana loses the network.
  await a.context.setOffline(true);
  await expect(a.page.getByRole('status').filter({ hasText: 'You are offline' })).toBeVisible();
  await a.chat.send('written while offline');
  const pending = a.chat.pendingMessages.filter({ hasText: 'written while offline' });
  await expect(pending).toBeVisible();
  await expect(pending.getByLabel('Sending')).toBeVisible();
  await expect(a.chat.message('written while offline')).toHaveCount(0);
  await expect(a.page.getByRole('status').filter({ hasText: '1 message will be sent when you are back' })).toBeVisible();
  // Not stored yet.
  expect(await benApi.bodies(dm)).toEqual(['before going offline']);

  // Back online: it is sent (with its clientId), shown as sent, and reaches Ben once.
  await a.context.setOffline(false);
  await a.chat.expectMessage('written while offline');
  await expect(a.chat.pendingMessages).toHaveCount(0);
  await expect(a.chat.message('written while offline').getByLabel('Sent')).toBeVisible();
  await b.chat.expectMessage('written while offline');
  expect(await b.chat.shownTexts()).toEqual(['before going offline', 'written while offline']);

  // Exactly once in the database, and still once after a reload on both sides.
  expect(await benApi.bodies(dm)).toEqual(['before going offline', 'written while offline']);
  await b.page.reload();
  await expect(b.chat.messages).toHaveCount(2);
  await b.chat.expectMessage('written while offline');
  await a.page.reload();
  await expect(a.chat.messages).toHaveCount(2);
  await expect(a.chat.pendingMessages).toHaveCount(0);
  // A last check that the outbox did not send it again after the reload.
  await a.chat.send('after the reload');
  await b.chat.expectMessage('after the reload');
  expect(await benApi.bodies(dm)).toEqual(['before going offline', 'written while offline', 'after the reload']);

  await a.context.close();
  await b.context.close();
});

test('a long history: the newest page first, older pages when scrolled to the top, all of it after a reload', async ({ browser, request }) => {
  const [ana, ben] = await people(request, 'hist', 'hben');
  const anaApi = await restAs(request, ana);
  const benApi = await restAs(request, ben);
  const dm = (await anaApi.post<{ conversation: { id: string } }>('/conversations', { kind: 'direct', userId: benApi.id })).conversation.id;
  const TOTAL = 120;
  const label = (i: number) => `history message ${String(i).padStart(3, '0')}`;
  // The first one alone; the rest 20 at a time from both sides (their order is the server's, read back below).
  await anaApi.post(`/conversations/${dm}/messages`, { body: label(1) });
  for (let i = 2; i <= TOTAL; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, TOTAL - i + 1) }, (_, k) =>
        (k % 2 ? benApi : anaApi).post(`/conversations/${dm}/messages`, { body: label(i + k) }),
      ),
    );
  }
  const stored = await benApi.bodies(dm);
  expect(stored.length).toBe(TOTAL);
  expect(stored[0]).toBe(label(1));
  const newest = stored.at(-1)!;

  const a = await signIn(browser, ana);
  await a.chat.openConversation(dm, { direct: true });
  // The newest is in view; the first page is not the whole history.
  await expect(a.chat.message(newest)).toBeInViewport();
  await expect(a.chat.message(label(1))).toHaveCount(0);
  const firstPage = await a.chat.messages.count();
  expect(firstPage).toBeLessThan(TOTAL);

  // Scrolling to the top loads older messages until the first one is there, and in view.
  await expect(async () => {
    await a.chat.scrollHistoryToTop();
    await expect(a.chat.message(label(1))).toBeInViewport({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(a.chat.history.getByText('This is the beginning of the conversation.')).toBeVisible();
  await expect(a.chat.messages).toHaveCount(TOTAL);
  const texts = await a.chat.shownTexts();
  expect(texts).toEqual(stored);
  expect(ascending(await a.chat.shownSeqs())).toBe(true);

  // After a reload: the newest again, and the oldest again by scrolling.
  await a.page.reload();
  await expect(a.chat.message(newest)).toBeInViewport();
  await expect(async () => {
    await a.chat.scrollHistoryToTop();
    await expect(a.chat.message(label(1))).toBeInViewport({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  expect(await a.chat.shownTexts()).toEqual(texts);
  await a.context.close();
});

test('screenshots of a direct conversation at 360 px and 1280 px, light and dark', async ({ browser, request }) => {
  const dir = 'test-results/screens';
  mkdirSync(dir, { recursive: true });
  const [ana, ben] = await people(request, 'shotdm', 'shotben');
  const anaApi = await restAs(request, ana);
  const benApi = await restAs(request, ben);
  const dm = (await anaApi.post<{ conversation: { id: string } }>('/conversations', { kind: 'direct', userId: benApi.id })).conversation.id;
  const lines: [typeof anaApi, string][] = [
    [benApi, 'Hey! Did you see the trail report?'],
    [anaApi, 'Yes — https://example.com/trails/north-ridge?season=autumn&difficulty=hard looks good'],
    [anaApi, 'Two lines:\nthe second one here'],
    [benApi, `A long one: ${'lorem ipsum dolor sit amet '.repeat(12).trim()}`],
    [benApi, 'averyveryveryveryveryveryveryveryveryveryverylongwordwithoutanyspacesatalltoseehowitwraps'],
    [anaApi, '<script>alert("not run")</script> 🙂'],
  ];
  for (const [who, body] of lines) await who.post(`/conversations/${dm}/messages`, { body });

  const a = await signIn(browser, ana);
  const state = await a.context.storageState();
  await a.context.close();

  for (const width of [360, 1280]) {
    for (const theme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width, height: width < 600 ? 740 : 800 }, colorScheme: theme, storageState: state });
      await context.addInitScript((t) => localStorage.setItem('chattrix-theme', t), theme);
      const page = await context.newPage();
      const chat = new ChatPage(page);
      await chat.openConversation(dm, { direct: true });
      await expect(chat.messages).toHaveCount(lines.length);
      await expect(chat.message('alert("not run")')).toBeInViewport();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      // No sideways scrolling, even with the long word and the long link.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `the page is ${overflow}px wider than ${width}px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${dir}/dm-${width}-${theme}.png` });
      await context.close();
    }
  }
});
