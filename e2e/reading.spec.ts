/**
 * Reading and writing: the "New" divider with "Jump to first unread", one timestamp per group of messages, the
 * composer's emoji picker and formatting hint, markdown lists and quotes.
 */
import type { BrowserContext } from '@playwright/test';
import { apiToken, asUser, signedIn } from './pages/RoomPage';
import { ConsoleErrors, expect, newPerson, registerViaApi, test, type Person } from './fixtures';

let ana: Person;
let ben: Person;
let benToken: string;
let dmId: string;
let anaState: Awaited<ReturnType<BrowserContext['storageState']>>;

test.beforeAll(async ({ browser, request }) => {
  ana = newPerson('rda');
  ben = newPerson('rdb');
  await registerViaApi(request, ana);
  await registerViaApi(request, ben);
  const anaToken = await apiToken(request, ana);
  benToken = await apiToken(request, ben);
  const a = asUser(request, anaToken);
  const benId = (await a.get<{ users: { id: string; username: string }[] }>(`/users?q=${ben.username}`)).users.find((u) => u.username === ben.username)!.id;
  dmId = (await a.post<{ conversation: { id: string } }>('/conversations', { kind: 'direct', userId: benId })).conversation.id;
  // Ana's own message, then 30 from Ben she has not read.
  await a.post(`/conversations/${dmId}/messages`, { body: 'see you later' });
  const b = asUser(request, benToken);
  for (let i = 1; i <= 30; i++) await b.post(`/conversations/${dmId}/messages`, { body: `unread line ${i}` });
  const s = await signedIn(browser, ana);
  anaState = await s.context.storageState();
  await s.context.close();
});

test('"New" divider at the first unread message, "Jump to first unread", one time per group', async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: anaState, viewport: { width: 1280, height: 800 } });
  const errors = new ConsoleErrors().watch(ctx);
  const page = await ctx.newPage();
  await page.goto(`/c/${dmId}`);
  const log = page.getByRole('log', { name: 'Conversation history' });
  const divider = log.getByTestId('unread-divider');
  await expect(divider).toHaveCount(1);
  await expect(divider).toHaveText('New');
  // It sits right before "unread line 1".
  const next = await divider.evaluate((el) => el.nextElementSibling?.textContent ?? '');
  expect(next).toContain('unread line 1');
  const jump = page.getByRole('button', { name: 'Jump to first unread' });
  await expect(jump).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/unread-divider-1280-light.png' });
  await jump.click();
  await expect(divider).toBeInViewport();
  await expect(jump).toBeHidden();

  // Ben's 30 messages are one group: one visible time, not 30; hovering a message shows its own. The pointer is
  // still where the jump button was, which is now over a message (whose time it shows): moved away first.
  await page.mouse.move(1, 1);
  const times = log.getByTestId('message').filter({ hasText: 'unread line' }).locator('time');
  const visible = await times.evaluateAll((els) => els.filter((e) => getComputedStyle(e).display !== 'none').length);
  expect(visible).toBe(1);
  const first = log.getByTestId('message').filter({ hasText: 'unread line 1' }).first();
  await first.hover();
  await expect(first.locator('time')).toBeVisible();
  await expect(first.locator('time')).toHaveAttribute('title', /\d/);
  await ctx.close();
  errors.expectNone();
});

test('the composer: emoji picker, formatting hint, lists and quotes rendered', async ({ browser }) => {
  const { context, page } = await signedIn(browser, ben, { viewport: { width: 1280, height: 800 } });
  const errors = new ConsoleErrors().watch(context);
  await page.goto(`/c/${dmId}`);
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill('Plan ');
  await page.getByRole('button', { name: 'Insert emoji' }).click();
  const picker = page.getByRole('dialog', { name: 'Insert emoji' });
  await expect(picker).toBeVisible();
  await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('party');
  await picker.getByRole('button', { name: 'party' }).first().click();
  await expect(composer).toHaveValue(/^Plan (🎉|🥳)$/);
  await page.keyboard.press('Escape');
  await expect(picker).toBeHidden();

  await page.getByRole('button', { name: 'Formatting help' }).click();
  await expect(page.getByRole('note')).toContainText('**bold**');
  await expect(page.getByRole('note')).toContainText('> quote');
  await page.screenshot({ path: 'test-results/screens/composer-extras-1280-light.png' });

  await composer.fill('Shopping:\n- milk\n- eggs\n> remember the bags');
  await composer.press('Enter');
  const msg = page.getByRole('log', { name: 'Conversation history' }).getByTestId('message').filter({ hasText: 'Shopping:' });
  await expect(msg.locator('.msg-body ul > li')).toHaveText(['milk', 'eggs']);
  await expect(msg.locator('.msg-body blockquote')).toHaveText('remember the bags');
  await context.close();
  errors.expectNone();
});

test('a conversation opens with its newest 30 messages drawn, the rest right after, and the view stays at the end', async ({ browser, request }) => {
  const a = asUser(request, await apiToken(request, ana));
  const benId = (await a.get<{ users: { id: string; username: string }[] }>(`/users?q=${ben.username}`)).users.find((u) => u.username === ben.username)!.id;
  const group = (await a.post<{ conversation: { id: string } }>('/conversations', { kind: 'group', title: 'Long read', memberIds: [benId] })).conversation.id;
  let newest = '';
  for (let i = 1; i <= 99; i++) newest = (await a.post<{ message: { id: string } }>(`/conversations/${group}/messages`, { body: `long read line ${i}` })).message.id;

  const ctx = await browser.newContext({ storageState: anaState, viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  // How many messages were in the page when the newest one first was.
  await page.addInitScript((id) => {
    new MutationObserver((_, mo) => {
      if (!document.querySelector(`[data-message-id="${id}"]`)) return;
      (window as unknown as { drawnAtFirst: number }).drawnAtFirst = document.querySelectorAll('[data-message-id]').length;
      mo.disconnect();
    }).observe(document, { childList: true, subtree: true });
  }, newest);
  await page.goto(`/c/${group}`);
  const log = page.getByRole('log', { name: 'Conversation history' });
  await expect(log.locator('[data-message-id]')).toHaveCount(99); // and the creation's system line above them
  expect(await page.evaluate(() => (window as unknown as { drawnAtFirst: number }).drawnAtFirst)).toBe(30);
  await expect(log.locator(`[data-message-id="${newest}"]`)).toBeInViewport();
  const gap = await log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  expect(gap).toBeLessThan(2);
  await ctx.close();
});
