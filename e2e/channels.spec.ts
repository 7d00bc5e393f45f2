/**
 * Channels and threads end to end in Chromium, two people (issue 12): Ana makes a channel through the dialog, Ben
 * finds it in the channel browser, reads it before joining (a Join bar instead of the composer), joins, and they talk
 * in a thread: the root's "N replies" updates live for Ana, and Ben's Threads entry and Threads view count Ana's
 * answer as unread until he opens it. A permalink opened in a new tab loads that part of the history, scrolls to the
 * message and highlights it. Screenshots of the browser, a thread panel and the Threads view at 360 px and 1280 px,
 * light and dark, into test-results/screens/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { apiToken } from './pages/RoomPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

const dir = 'test-results/screens';

async function signIn(browser: Browser, person: Person, opts: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page; chat: ChatPage }> {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(person.username, person.password);
  const chat = new ChatPage(page);
  await chat.expectSignedInAs(person);
  return { context, page, chat };
}

test('channels and threads: create, browse, read, join, talk in a thread, Threads unread, permalink, screens', async ({ browser, request }) => {
  // A walk-through and then 4 passes of screens (3 pages each): 82 s alone on a quick machine, 2.9–4.1 min beside the
  // 50,000-message test on a 2-core one (where 240 s ran out in the last screen pass).
  test.setTimeout(480_000);
  mkdirSync(dir, { recursive: true });
  const ana = newPerson('ana');
  const ben = newPerson('ben');
  await registerViaApi(request, ana);
  await registerViaApi(request, ben);
  const a = await signIn(browser, ana, { viewport: { width: 1280, height: 800 } });
  const b = await signIn(browser, ben, { viewport: { width: 1280, height: 800 } });

  // Ana creates a channel from the sidebar.
  const name = `launch-${Date.now().toString(36)}`;
  await a.page.getByRole('button', { name: 'Create channel' }).click();
  const dialog = a.page.getByRole('dialog', { name: 'Create channel' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Topic (optional)').fill('Everything about the launch');
  await dialog.getByRole('button', { name: 'Create channel' }).click();
  await expect(a.page).toHaveURL(/\/c\/[^/]+$/);
  const channelId = a.chat.openConversationId();
  await expect(a.page.getByRole('heading', { level: 1 })).toContainText(name);
  await a.chat.send('Welcome to the launch channel');
  await a.chat.expectMessage('Welcome to the launch channel');

  // Ben finds it in the browser, reads before joining, joins.
  await b.page.getByRole('link', { name: 'Browse' }).click();
  await expect(b.page).toHaveURL(/\/channels$/);
  await b.page.getByRole('searchbox', { name: 'Search channels' }).fill(name.slice(0, 12));
  const card = b.page.getByTestId('channel-card').filter({ hasText: name });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('1 member');
  await expect(card).toContainText('Everything about the launch');
  await expect(card.getByRole('button', { name: `Join #${name}` })).toBeVisible();
  await card.getByRole('link').click();
  await expect(b.page).toHaveURL(new RegExp(`/c/${channelId}$`));
  await b.chat.expectMessage('Welcome to the launch channel');
  await expect(b.page.getByTestId('join-bar')).toBeVisible();
  await expect(b.chat.composer).toHaveCount(0);
  // Reading before joining is live: what Ana writes now shows for Ben without a reload.
  await a.chat.send('Said while Ben only reads');
  await b.chat.expectMessage('Said while Ben only reads');
  await b.page.screenshot({ path: `${dir}/channel-preview-join-1280-light.png` });
  await b.page.getByRole('button', { name: 'Join channel' }).click();
  await expect(b.chat.composer).toBeVisible();
  await expect(b.page.getByTestId('join-bar')).toHaveCount(0);
  await expect(a.chat.systemMessages.filter({ hasText: `${ben.displayName} joined` })).toHaveCount(1);
  await expect(b.chat.conversationRow(channelId)).toBeVisible();

  // Ben replies in a thread on Ana's message; Ana sees "1 reply" appear live.
  const root = b.chat.message('Welcome to the launch channel');
  await root.hover();
  await root.getByRole('button', { name: 'Reply in thread' }).click();
  const bPanel = b.page.getByTestId('thread-panel');
  await expect(bPanel).toBeVisible();
  await bPanel.getByRole('textbox', { name: 'Message' }).fill('Count me in for Friday');
  await bPanel.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(bPanel.getByRole('log', { name: 'Thread replies' }).getByTestId('message').filter({ hasText: 'Count me in for Friday' })).toHaveCount(1);
  // The reply stays out of the timeline.
  await expect(b.chat.message('Count me in for Friday')).toHaveCount(0);
  await bPanel.getByRole('button', { name: 'Close thread' }).click();

  const aRoot = a.chat.message('Welcome to the launch channel');
  const rootId = (await aRoot.getAttribute('data-message-id'))!;
  await expect(aRoot.getByTestId('reply-count')).toHaveText('1 reply');
  await aRoot.getByTestId('thread-summary').click();
  const aPanel = a.page.getByTestId('thread-panel');
  await expect(aPanel.getByTestId('message').filter({ hasText: 'Count me in for Friday' })).toHaveCount(1);
  await aPanel.getByRole('textbox', { name: 'Message' }).fill(`@${ben.username} Great, Friday it is`);
  await aPanel.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(aPanel.getByTestId('message').filter({ hasText: 'Great, Friday it is' })).toHaveCount(1);
  await expect(aRoot.getByTestId('reply-count')).toHaveText('2 replies');
  await expect(b.chat.message('Welcome to the launch channel').getByTestId('reply-count')).toHaveText('2 replies');

  // Ben follows the thread (he replied): the Threads entry counts it, the Threads view lists it unread.
  await expect(b.page.getByTestId('threads-unread')).toHaveText('1');
  await b.page.getByTestId('threads-entry').click();
  await expect(b.page).toHaveURL(/\/threads$/);
  const threadCard = b.page.getByTestId('thread-card').filter({ hasText: 'Welcome to the launch channel' });
  await expect(threadCard.getByTestId('thread-unread')).toHaveText('1');
  // Ana's reply mentions him: the card says so.
  await expect(threadCard.getByTestId('thread-mentions')).toBeVisible();
  await expect(threadCard.getByRole('link')).toHaveAccessibleName(/, 1 unread, 1 mention$/);
  // The excerpt keeps the underscore of a username (only emphasis underscores go).
  await expect(threadCard).toContainText(`@${ben.username} Great, Friday it is`);
  await b.page.screenshot({ path: `${dir}/threads-view-1280-light-unread.png` });
  await threadCard.getByRole('link').click();
  await expect(b.page.getByTestId('thread-panel').getByTestId('message').filter({ hasText: 'Great, Friday it is' })).toHaveCount(1);
  await expect(b.page.getByTestId('threads-unread')).toHaveCount(0);

  // A permalink opened in a new tab scrolls to an old message and highlights it.
  const token = await request.post('/api/v1/auth/tokens', { data: { username: ana.username, password: ana.password, name: 'e2e' } });
  const headers = { authorization: `Bearer ${((await token.json()) as { token: string }).token}` };
  let targetId = '';
  // 150 lines: the target is further back than the first page, so the page loads the window around it.
  for (let i = 0; i < 150; i++) {
    const r = await request.post(`/api/v1/conversations/${channelId}/messages`, { headers, data: { body: `history line ${i}` } });
    expect(r.status()).toBe(201);
    if (i === 5) targetId = ((await r.json()) as { message: { id: string } }).message.id;
  }
  const tab = await b.context.newPage();
  await tab.goto(`/c/${channelId}/m/${targetId}`);
  const target = tab.locator(`#m-${targetId}`);
  await expect(target).toBeVisible({ timeout: 30_000 });
  await expect(target).toHaveClass(/highlighted/);
  await expect(target).toBeInViewport();
  await expect(target).toContainText('history line 5');
  // Back to the live timeline.
  await tab.getByRole('button', { name: 'Jump to the present' }).click();
  await expect(tab.locator('[data-testid=message]').filter({ hasText: 'history line 149' })).toBeInViewport();
  await tab.close();

  // A search hit inside a thread opens the thread at that reply.
  const find = await b.context.newPage();
  await find.goto('/search');
  await find.getByRole('searchbox', { name: 'Search messages' }).fill('Count me in');
  await find.getByTestId('search-result').filter({ hasText: 'Count me in for Friday' }).click();
  const hitPanel = find.getByTestId('thread-panel');
  await expect(hitPanel).toBeVisible({ timeout: 30_000 });
  await expect(hitPanel.getByTestId('message').filter({ hasText: 'Count me in for Friday' })).toHaveClass(/highlighted/);
  await find.close();

  // Screens: the channel browser, a thread panel and the Threads view at 360 and 1280 px, light and dark.
  const state = await b.context.storageState();
  for (const width of [360, 1280]) {
    for (const theme of ['light', 'dark'] as const) {
      const ctx = await browser.newContext({ viewport: { width, height: width < 600 ? 740 : 800 }, colorScheme: theme, storageState: state });
      await ctx.addInitScript((t) => localStorage.setItem('chattrix-theme', t), theme);
      const page = await ctx.newPage();
      await page.goto('/channels');
      await page.getByRole('searchbox', { name: 'Search channels' }).fill(name);
      await expect(page.getByTestId('channel-card').filter({ hasText: name })).toHaveCount(1);
      await page.screenshot({ path: `${dir}/channel-browser-${width}-${theme}.png` });
      await page.goto(`/c/${channelId}/m/${rootId}`);
      const rootMsg = page.locator('[data-testid=message]').filter({ hasText: 'Welcome to the launch channel' });
      await expect(rootMsg).toHaveCount(1, { timeout: 20_000 });
      await rootMsg.getByTestId('thread-summary').click();
      const panel = page.getByTestId('thread-panel');
      await expect(panel.getByTestId('message').filter({ hasText: 'Great, Friday it is' })).toHaveCount(1);
      const threadBox = panel.getByRole('textbox', { name: 'Message' });
      // The first pass writes the thread's draft; every later one (a new browser) gets it back from the server.
      if (width !== 360 || theme !== 'light') await expect(threadBox).toHaveValue('Drafting @channel');
      await threadBox.fill('Drafting @channel');
      await expect(panel.getByTestId('composer-notice')).toContainText('This will notify 1 person');
      await page.screenshot({ path: `${dir}/thread-panel-${width}-${theme}.png` });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      if (width < 600) {
        // On phones the thread is a full screen with a back button.
        await panel.getByRole('button', { name: 'Back to the conversation' }).click();
        await expect(panel).toHaveCount(0);
      }
      await page.goto('/threads');
      await expect(page.getByTestId('thread-card').filter({ hasText: 'Welcome to the launch channel' })).toHaveCount(1);
      await page.screenshot({ path: `${dir}/threads-view-${width}-${theme}.png` });
      await ctx.close();
    }
  }
  await a.context.close();
  await b.context.close();
});

test('a person in 56 conversations sees the newest 50 first, then the whole list, on a start with nothing on screen', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const cy = newPerson('cy');
  await registerViaApi(request, cy);
  const auth = { authorization: `Bearer ${await apiToken(request, cy)}` };
  const tag = Date.now().toString(36);
  const ids: string[] = [];
  for (let i = 0; i < 55; i++) {
    const res = await request.post('/api/v1/conversations', { headers: auth, data: { kind: 'channel', title: `page-${tag}-${String(i).padStart(2, '0')}` } });
    expect(res.status(), await res.text()).toBe(201);
    ids.push(((await res.json()) as { conversation: { id: string } }).conversation.id);
  }
  // The five made first are never on the first page (general, joined at sign-up, may be anywhere: other tests talk in it).
  const oldest = ids.slice(0, 5);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  // The whole list is held back until the first page has shown (context.route also sees the service worker's fetches).
  const asked: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await context.route(/\/api\/v1\/conversations(\?[^/]*)?$/, async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const url = new URL(route.request().url());
    asked.push(url.search);
    if (url.search === '') await released;
    await route.continue();
  });
  await login.signIn(cy.username, cy.password);
  const rows = page.locator('[data-testid^="conversation-"]');
  await expect(rows).toHaveCount(50);
  await expect(page.getByTestId(`conversation-${ids[54]}`)).toBeVisible(); // the newest
  for (const id of oldest) await expect(page.getByTestId(`conversation-${id}`)).toHaveCount(0);
  expect(asked[0]).toBe('?limit=50');
  await page.screenshot({ path: 'test-results/screens/sidebar-first-page-1280-light.png' });
  release();
  await expect(rows).toHaveCount(56);
  await expect(page.getByTestId('conversation-general')).toHaveCount(1);
  await new ChatPage(page).expectLive();
  // One whole list when the socket was up by the time the first page came, two when it was not (the connect's
  // catch-up reads it again, fresh): never more.
  console.log(`conversation list requests at start: ${asked.map((s) => s || '(whole)').join(', ')}`);
  expect(asked.filter((s) => s === '').length).toBeLessThanOrEqual(2);
  await context.close();
});
