/**
 * Keyboard first: the quick switcher (Ctrl+K), moving between conversations (Alt+↑/↓, Alt+Shift+↑/↓ for unread),
 * Esc marks read, the shortcuts dialog, and the history as one Tab stop with arrow keys inside.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { apiToken, asUser, signedIn } from './pages/RoomPage';
import { ConsoleErrors, expect, newPerson, registerViaApi, test, type Person } from './fixtures';

let ana: Person;
let ben: Person;
let zed: Person;
let anaToken: string;
let benToken: string;
let dmId: string;
let falconId: string;
let weekendId: string;
let anaState: Awaited<ReturnType<BrowserContext['storageState']>>;

const idOf = async (request: Parameters<typeof asUser>[0], token: string, username: string) =>
  (await asUser(request, token).get<{ users: { id: string; username: string }[] }>(`/users?q=${username}`)).users.find((u) => u.username === username)!.id;

test.beforeAll(async ({ browser, request }) => {
  ana = newPerson('kba');
  ben = newPerson('kbb');
  zed = { ...newPerson('kbz'), displayName: `Zed Quickfind ${Date.now().toString(36)}` };
  for (const p of [ana, ben, zed]) await registerViaApi(request, p);
  anaToken = await apiToken(request, ana);
  benToken = await apiToken(request, ben);
  const benId = await idOf(request, anaToken, ben.username);
  const a = asUser(request, anaToken);
  falconId = (await a.post<{ conversation: { id: string } }>('/conversations', { kind: 'group', title: 'Project Falcon', memberIds: [benId] })).conversation.id;
  weekendId = (await a.post<{ conversation: { id: string } }>('/conversations', { kind: 'group', title: 'Weekend plans', memberIds: [benId] })).conversation.id;
  dmId = (await a.post<{ conversation: { id: string } }>('/conversations', { kind: 'direct', userId: benId })).conversation.id;
  const b = asUser(request, benToken);
  for (let i = 1; i <= 20; i++) await b.post(`/conversations/${dmId}/messages`, { body: `message number ${i}` });
  const newest = (await a.get<{ messages: { id: string }[] }>(`/conversations/${dmId}/messages?limit=1`)).messages[0]!.id;
  const read = await request.post(`/api/v1/conversations/${dmId}/read`, { data: { messageId: newest }, headers: { authorization: `Bearer ${anaToken}` } });
  expect(read.status()).toBe(204);
  const s = await signedIn(browser, ana);
  anaState = await s.context.storageState();
  await s.context.close();
});

async function anaPage(browser: import('@playwright/test').Browser, width = 1280): Promise<{ ctx: BrowserContext; page: Page; errors: ConsoleErrors }> {
  const ctx = await browser.newContext({ storageState: anaState, viewport: { width, height: 800 } });
  const errors = new ConsoleErrors().watch(ctx);
  return { ctx, page: await ctx.newPage(), errors };
}

test('Ctrl+K: fuzzy over conversations and people, recent first; Enter opens, a person gets a direct conversation', async ({ browser }) => {
  const { ctx, page, errors } = await anaPage(browser);
  await page.goto('/');
  await expect(page.getByTestId('connection-state')).toHaveText('Connected');
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Quick switcher' });
  await expect(dialog).toBeVisible();
  const input = dialog.getByRole('combobox');
  await expect(input).toBeFocused();
  // No query: the most recent conversation first (the direct one, which has the newest message).
  await expect(dialog.getByRole('option').first()).toContainText(ben.displayName);
  await expect(dialog.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await page.screenshot({ path: 'test-results/screens/switcher-1280-light.png' });
  // Fuzzy: letters in order.
  await input.fill('prjflc');
  await expect(dialog.getByRole('option').first()).toContainText('Project Falcon');
  await input.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/c/${falconId}$`));
  // A person without a conversation yet.
  await page.keyboard.press('Control+k');
  await dialog.getByRole('combobox').fill('zed quick');
  const person = dialog.getByRole('option').filter({ hasText: zed.displayName });
  await expect(person).toBeVisible();
  await expect(person).toContainText('start a conversation');
  // Arrow keys move the selection; Enter opens the selected one.
  const options = dialog.getByRole('option');
  const index = await options.evaluateAll((els, name) => els.findIndex((e) => e.textContent?.includes(name)), zed.displayName);
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  await expect(person).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.locator('main').getByRole('heading', { level: 1 })).toHaveText(zed.displayName);
  // Esc closes it.
  await page.keyboard.press('Control+k');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await ctx.close();
  errors.expectNone();
});

test('Alt+↑/↓ moves between conversations, Alt+Shift+↓ to the next unread; ? and Ctrl+/ show the shortcuts', async ({ browser, request }) => {
  const { ctx, page, errors } = await anaPage(browser);
  await page.goto(`/c/${dmId}`);
  await expect(page.getByTestId('connection-state')).toHaveText('Connected');
  // Other tests' messages reorder the shared list at any moment (#general moves to the top), so the check is that
  // the keys move to another conversation of the list and back, not to a precomputed neighbour.
  const ids = () =>
    page.getByRole('list', { name: 'Conversations' }).getByRole('link').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace('conversation-', '')));
  const openId = () => new URL(page.url()).pathname.replace(/^\/c\//, '');
  await page.keyboard.press('Alt+ArrowDown');
  await expect.poll(openId).not.toBe(dmId);
  const next = openId();
  expect(await ids()).toContain(next);
  await page.keyboard.press('Alt+ArrowUp');
  await expect.poll(openId).not.toBe(next);
  expect(await ids()).toContain(openId());

  // Something unread in "Weekend plans" (whatever its place in the list): Alt+Shift+↓ goes there.
  await asUser(request, benToken).post(`/conversations/${weekendId}/messages`, { body: 'unread for the keyboard' });
  await expect(page.getByTestId(`conversation-${weekendId}`).getByTestId('unread')).toBeVisible();
  // Other tests write to #general at any moment too, so it may be an unread on the way: each press opens an unread
  // conversation (which reads it), and a few presses reach "Weekend plans".
  for (let i = 0; i < 6 && openId() !== weekendId; i++) {
    const unread = await page.getByRole('list', { name: 'Conversations' }).getByRole('link').filter({ has: page.getByTestId('unread') })
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace('conversation-', '')));
    const before = openId();
    await page.locator('main h1').click();
    await page.keyboard.press('Alt+Shift+ArrowDown');
    await expect.poll(openId).not.toBe(before);
    if (openId() !== weekendId) expect([...unread, 'general']).toContain(openId());
  }
  await expect(page).toHaveURL(new RegExp(`/c/${weekendId}$`));

  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Shift+?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const text of ['Quick switcher', 'Previous / next conversation', 'unread', 'Mark the open conversation as read']) await expect(help).toContainText(text);
  await page.screenshot({ path: 'test-results/screens/shortcuts-1280-light.png' });
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.keyboard.press('Control+/');
  await expect(help).toBeVisible();
  // On a busy page the dialog's `close` event (a task after Esc) can come after the next key: Esc, then Ctrl+/
  // before that event, must leave the shortcuts open. The browser's `close` is held back here until the key is in.
  await page.evaluate(() => {
    window.addEventListener('close', (e) => {
      if (!e.isTrusted) return;
      e.stopImmediatePropagation();
      const target = e.target as EventTarget;
      (window as unknown as { lateClose: () => void }).lateClose = () => target.dispatchEvent(new Event('close'));
    }, { capture: true, once: true });
  });
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.keyboard.press('Control+/');
  await expect(help).toBeVisible();
  await page.evaluate(() => (window as unknown as { lateClose: () => void }).lateClose());
  await expect(help).toBeVisible();
  await help.getByRole('button', { name: 'Close' }).click();
  // Typing "?" in the composer is just a question mark.
  await page.getByRole('textbox', { name: 'Message' }).pressSequentially('why?');
  await expect(help).toBeHidden();
  await ctx.close();
  errors.expectNone();
});

test('Esc marks the open conversation read', async ({ browser, request }) => {
  const { ctx, page, errors } = await anaPage(browser);
  await page.goto(`/c/${dmId}`);
  await expect(page.getByTestId('connection-state')).toHaveText('Connected');
  const log = page.getByRole('log', { name: 'Conversation history' });
  await expect(log.getByTestId('message').last()).toBeVisible();
  // Scrolled up, a new message is not read by itself.
  await log.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect.poll(() => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeGreaterThan(200);
  await asUser(request, benToken).post(`/conversations/${dmId}/messages`, { body: 'read me with Esc' });
  await expect(page.getByRole('button', { name: /New messages/ })).toBeVisible();
  const unread = async () =>
    (await asUser(request, anaToken).get<{ conversations: { id: string; unreadCount: number }[] }>('/conversations')).conversations.find((c) => c.id === dmId)!
      .unreadCount;
  expect(await unread()).toBeGreaterThan(0);
  await page.locator('main h1').click();
  await page.keyboard.press('Escape');
  await expect.poll(unread).toBe(0);
  await ctx.close();
  errors.expectNone();
});

test('the history is one Tab stop; arrows move between messages and a focused message shows its actions; Skip to composer', async ({ browser }) => {
  const { ctx, page, errors } = await anaPage(browser);
  await page.goto(`/c/${dmId}`);
  const log = page.getByRole('log', { name: 'Conversation history' });
  const messages = log.getByTestId('message');
  await expect(log.getByText('message number 20', { exact: true })).toBeVisible();
  const composer = page.getByRole('textbox', { name: 'Message' });

  // From the conversation's title to the composer: a handful of Tab presses, not one per control of every message.
  await page.locator('main h1').click();
  let presses = 0;
  while (presses < 40 && !(await composer.evaluate((el) => el === document.activeElement))) {
    await page.keyboard.press('Tab');
    presses++;
  }
  // (The header's buttons, the history, the focused message's actions — up to eight for an admin — and the
  // composer's buttons: 20 messages' controls would be well over a hundred.)
  expect(presses).toBeLessThanOrEqual(16);

  // Into the history: the newest message has focus and shows its actions.
  await composer.focus();
  const focusedId = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.messageId ?? null);
  let back = 0;
  while (back < 20 && !(await focusedId())) {
    await page.keyboard.press('Shift+Tab');
    back++;
  }
  const ids = await messages.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.messageId!));
  expect(await focusedId()).toBe(ids[ids.length - 1]);
  const last = messages.last();
  await expect(last.getByRole('toolbar', { name: 'Message actions' })).toBeVisible();
  await page.keyboard.press('ArrowUp');
  expect(await focusedId()).toBe(ids[ids.length - 2]);
  await expect(messages.nth(ids.length - 2).getByRole('toolbar', { name: 'Message actions' })).toBeVisible();
  await page.keyboard.press('Home');
  expect(await focusedId()).toBe(ids[0]);
  await page.keyboard.press('End');
  expect(await focusedId()).toBe(ids[ids.length - 1]);
  // Tab from a message reaches its own actions.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="message"]') !== null)).toBe(true);
  // Only one message is in the Tab order.
  expect(await messages.evaluateAll((els) => els.filter((e) => (e as HTMLElement).tabIndex === 0).length)).toBe(1);

  // Skip to composer.
  const skip = page.getByRole('link', { name: 'Skip to composer' });
  await skip.focus();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(composer).toBeFocused();
  await ctx.close();
  errors.expectNone();
});

test('the theme is chosen from the user menu', async ({ browser }) => {
  const { ctx, page, errors } = await anaPage(browser, 360);
  await page.goto('/');
  await page.getByRole('button', { name: /Your menu/ }).click();
  await page.getByLabel('Theme').selectOption('dark');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  await page.screenshot({ path: 'test-results/screens/user-menu-360-dark.png' });
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Theme')).toBeHidden();
  await ctx.close();
  errors.expectNone();
});

test('the sidebar filter narrows channels and conversations as you type; Enter opens the first match, Escape clears', async ({ browser }) => {
  const { ctx, page, errors } = await anaPage(browser);
  await page.goto('/');
  await expect(page.getByTestId('connection-state')).toHaveText('Connected');
  const nav = page.getByRole('navigation', { name: 'Chattrix' });
  const conversations = nav.getByRole('list', { name: 'Conversations' });
  const channels = nav.getByRole('list', { name: 'Channels' });
  await expect(conversations.getByRole('link', { name: /Project Falcon/ })).toBeVisible();
  const box = nav.getByRole('searchbox', { name: 'Filter conversations' });
  await box.fill('falc');
  await expect(conversations.getByRole('link')).toHaveCount(1);
  await expect(conversations.getByRole('link', { name: /Project Falcon/ })).toBeVisible();
  await expect(channels.getByRole('link')).toHaveCount(0);
  await expect(nav.getByText('No channels match')).toBeVisible();
  // Several words, in any order; a direct conversation by the other person's name or username.
  await box.fill('plans weekend');
  await expect(conversations.getByRole('link')).toHaveCount(1);
  await expect(conversations.getByRole('link', { name: /Weekend plans/ })).toBeVisible();
  await box.fill(ben.username);
  await expect(conversations.getByTestId(`conversation-${dmId}`)).toBeVisible();
  await box.fill('#gener');
  await expect(channels.getByRole('link', { name: /general/ })).toBeVisible();
  await expect(nav.getByText('No conversations match')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/sidebar-filter-1280-light.png' });
  // Escape clears; Enter opens the first match and clears.
  await box.press('Escape');
  await expect(box).toHaveValue('');
  await expect(conversations.getByRole('link', { name: /Weekend plans/ })).toBeVisible();
  await box.fill('falcon');
  await box.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/c/${falconId}$`));
  await expect(box).toHaveValue('');
  await ctx.close();
  errors.expectNone();
});

test('switching back to a conversation opened before asks the server for no page: it shows at once, with what came meanwhile', async ({ browser, request }) => {
  const { ctx, page, errors } = await anaPage(browser);
  const log = page.getByRole('log', { name: 'Conversation history' });
  const open = async (id: string) => {
    await page.getByTestId(`conversation-${id}`).click();
    await expect(page).toHaveURL(new RegExp(`/c/${id}$`));
  };
  await page.goto(`/c/${dmId}`);
  await expect(page.getByTestId('connection-state')).toHaveText('Connected');
  // Exactly: a message's text runs into its time, so 'message number 2' at 01:11 reads 'message number 201:11'.
  await expect(log.getByText('message number 20', { exact: true })).toBeVisible();
  await open(falconId);
  await expect(page.locator('main h1')).toHaveText('Project Falcon');

  // From here on, every navigation request (Next's RSC fetch of a route; its prefetches are not navigations).
  const navigations: string[] = [];
  page.on('request', (r) => {
    const h = r.headers();
    if (h['rsc'] === '1' && !h['next-router-prefetch']) navigations.push(r.url());
  });
  // Ben writes in the direct conversation while Ana is in the group: going back shows it (the page is the store's).
  await asUser(request, benToken).post(`/conversations/${dmId}/messages`, { body: 'written while you were away' });
  await expect(page.getByTestId(`conversation-${dmId}`).getByTestId('unread')).toBeVisible();
  await open(dmId);
  await expect(log.getByTestId('message').filter({ hasText: 'written while you were away' })).toBeVisible();
  await open(falconId);
  await expect(page.locator('main h1')).toHaveText('Project Falcon');
  await open(dmId);
  await expect(log.getByText('message number 20', { exact: true })).toBeAttached();
  expect(navigations, 'route requests when switching between conversations already opened').toEqual([]);
  // A conversation not opened before is one request.
  await open(weekendId);
  await expect(page.locator('main h1')).toHaveText('Weekend plans');
  expect(navigations).toHaveLength(1);
  await ctx.close();
  errors.expectNone();
});
