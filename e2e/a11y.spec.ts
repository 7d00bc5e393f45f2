/**
 * axe-core (through @axe-core/playwright) on every page and dialog, light and dark, at 360 px and 1280 px: no
 * serious or critical violation. Plus the screen-reader announcement of new messages (open conversation only) and
 * reduced motion.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { apiToken, asUser, signedIn } from './pages/RoomPage';
import { axeOn, ConsoleErrors, expect, newPerson, registerViaApi, test, type Person } from './fixtures';

let ana: Person;
let ben: Person;
let benToken: string;
let dmId: string;
let groupId: string;
let anaState: Awaited<ReturnType<BrowserContext['storageState']>>;

test.beforeAll(async ({ browser, request }) => {
  ana = newPerson('axa');
  ben = newPerson('axb');
  await registerViaApi(request, ana);
  await registerViaApi(request, ben);
  const anaToken = await apiToken(request, ana);
  benToken = await apiToken(request, ben);
  const benId = (await asUser(request, anaToken).get<{ users: { id: string; username: string }[] }>(`/users?q=${ben.username}`)).users.find(
    (u) => u.username === ben.username,
  )!.id;
  dmId = (await asUser(request, anaToken).post<{ conversation: { id: string } }>('/conversations', { kind: 'direct', userId: benId })).conversation.id;
  groupId = (await asUser(request, anaToken).post<{ conversation: { id: string } }>('/conversations', { kind: 'group', title: 'Axe group', memberIds: [benId] }))
    .conversation.id;
  const b = asUser(request, benToken);
  await b.post(`/conversations/${dmId}/messages`, { body: 'Hi Ana! **bold**, _italic_, `code` and https://example.com' });
  await asUser(request, anaToken).post(`/conversations/${dmId}/messages`, { body: 'Hi Ben, @' + ben.username });
  await b.post(`/conversations/${groupId}/messages`, { body: 'Welcome to the group' });
  const s = await signedIn(browser, ana);
  anaState = await s.context.storageState();
  await s.context.close();
});

/** Runs axe on the page as it is now; serious and critical violations are collected (all reported at the end). */
const found: string[] = [];
async function check(page: Page, what: string, include?: string): Promise<void> {
  // Next streams a page's <title> with its metadata: wait for it, or axe may look in between.
  await expect.poll(() => page.title(), { message: `${what}: a document title` }).not.toBe('');
  // A dialog, menu or panel opened over a page already checked: axe looks at what was added (the whole page again
  // costs seconds each time, mostly colour contrast over every message).
  const builder = axeOn(page);
  if (include) builder.include(include);
  const results = await builder.analyze();
  for (const v of results.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
    found.push(`${what}: ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`).join('\n    ')}`);
  }
}
function expectNoViolations(): void {
  const list = found.splice(0);
  expect(list.join('\n'), 'axe: serious or critical violations').toBe('');
}

async function open(browser: Browser, width: number, theme: 'light' | 'dark', signedInAs: boolean) {
  const ctx = await browser.newContext({
    viewport: { width, height: width < 600 ? 740 : 800 },
    colorScheme: theme,
    storageState: signedInAs ? anaState : undefined,
  });
  await ctx.addInitScript((t) => {
    try {
      localStorage.setItem('chattrix-theme', t);
    } catch {
      // about:blank has no storage
    }
  }, theme);
  const errors = new ConsoleErrors().watch(ctx);
  return { ctx, page: await ctx.newPage(), errors };
}

for (const width of [360, 1280]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`axe: no serious or critical violations at ${width}px, ${theme}`, async ({ browser }) => {
      test.setTimeout(300_000);
      const anon = await open(browser, width, theme, false);
      for (const path of ['/login', '/register']) {
        await anon.page.goto(path);
        await expect(anon.page.getByRole('heading', { level: 1 })).toBeVisible();
        await check(anon.page, `${path} ${width} ${theme}`);
      }
      await anon.ctx.close();

      const { ctx, page, errors } = await open(browser, width, theme, true);
      await page.goto('/');
      await expect(page.getByTestId('connection-state')).toHaveText('Connected');
      await check(page, `/ ${width} ${theme}`);

      // The quick switcher, the shortcuts dialog and the user menu.
      await page.keyboard.press('Control+k');
      await expect(page.getByRole('dialog', { name: 'Quick switcher' })).toBeVisible();
      await check(page, `quick switcher ${width} ${theme}`, 'dialog[open], [role="dialog"]');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+/');
      await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
      await check(page, `shortcuts dialog ${width} ${theme}`, 'dialog[open], [role="dialog"]');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: /Your menu/ }).click();
      await expect(page.getByRole('group', { name: 'Your menu' })).toBeVisible();
      await check(page, `user menu ${width} ${theme}`, '.user-menu-pop');
      await page.keyboard.press('Escape');

      // The new group dialog (from the list, on the home screen).
      await page.getByRole('button', { name: /New group/ }).click();
      await expect(page.getByRole('dialog', { name: 'New group' })).toBeVisible();
      await check(page, `new group dialog ${width} ${theme}`, 'dialog[open], [role="dialog"]');
      await page.keyboard.press('Escape');

      await page.goto(`/c/${dmId}`);
      const log = page.getByRole('log', { name: 'Conversation history' });
      await expect(log.getByTestId('message').first()).toBeVisible();
      await check(page, `direct conversation ${width} ${theme}`);
      // A message's actions and the reaction menu.
      await log.getByTestId('message').first().focus();
      await log.getByTestId('message').first().getByRole('button', { name: 'React' }).click();
      await expect(page.getByRole('button', { name: 'More reactions' })).toBeVisible();
      await check(page, `reaction menu ${width} ${theme}`, '.react-menu');
      await page.getByRole('button', { name: 'More reactions' }).click();
      await expect(page.getByRole('dialog', { name: 'Pick a reaction' })).toBeVisible();
      await check(page, `emoji picker ${width} ${theme}`, 'dialog[open], [role="dialog"]');
      await page.keyboard.press('Escape');
      // The composer's emoji picker and formatting hint.
      await page.getByRole('button', { name: 'Insert emoji' }).click();
      await expect(page.getByRole('dialog', { name: 'Insert emoji' })).toBeVisible();
      await check(page, `composer emoji picker ${width} ${theme}`, 'dialog[open], [role="dialog"]');
      await page.keyboard.press('Escape');
      if (width > 760) {
        await page.getByRole('button', { name: 'Formatting help' }).click();
        await check(page, `formatting hint ${width} ${theme}`);
        await page.getByRole('button', { name: 'Formatting help' }).click();
      }
      // The profile card.
      await page.getByRole('button', { name: `Profile of ${ben.displayName}` }).first().click();
      await expect(page.getByRole('dialog', { name: `Profile of ${ben.displayName}` })).toBeVisible();
      await check(page, `profile card ${width} ${theme}`, 'dialog[open], [role="dialog"]');
      await page.keyboard.press('Escape');
      // Pinned and details panels.
      await page.getByRole('button', { name: 'Pinned' }).click();
      await expect(page.getByRole('complementary', { name: 'Pinned messages' })).toBeVisible();
      await check(page, `pinned panel ${width} ${theme}`, 'aside.panel');
      await page.getByRole('button', { name: 'Close pinned messages' }).click();

      await page.goto(`/c/${groupId}`);
      await expect(log.getByTestId('message').first()).toBeVisible();
      await page.getByRole('button', { name: 'Members' }).click();
      await expect(page.getByRole('complementary', { name: 'Group' })).toBeVisible();
      await check(page, `members panel ${width} ${theme}`);

      await page.goto('/search?q=hi');
      await expect(page.getByTestId('search-result').first()).toBeVisible();
      await check(page, `search ${width} ${theme}`);

      await page.goto('/settings');
      await expect(page.getByRole('heading', { name: 'Personal access tokens' })).toBeVisible();
      await check(page, `settings ${width} ${theme}`);

      await ctx.close();
      expectNoViolations();
      errors.expectNone();
    });
  }
}

test('new messages are announced politely in the open conversation only', async ({ browser, request }) => {
  const { ctx, page, errors } = await open(browser, 1280, 'light', true);
  await page.goto(`/c/${dmId}`);
  await expect(page.getByTestId('connection-state')).toHaveText('Connected');
  const announcer = page.getByTestId('announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  // The history is not read out (the log's own live region is off).
  await expect(page.getByRole('log', { name: 'Conversation history' })).toHaveAttribute('aria-live', 'off');
  await expect(announcer).toHaveText('');
  // A message in another conversation: nothing announced here.
  await asUser(request, benToken).post(`/conversations/${groupId}/messages`, { body: 'group news, not for this screen' });
  await asUser(request, benToken).post(`/conversations/${dmId}/messages`, { body: 'are you there?' });
  await expect(announcer).toHaveText(`${ben.displayName}: are you there?`);
  await expect(page.getByTestId('announcer')).toHaveCount(1);
  await ctx.close();
  errors.expectNone();
});

test('reduced motion: no animations or smooth scrolling', async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: anaState, reducedMotion: 'reduce' });
  const page = await ctx.newPage();
  await page.goto(`/c/${dmId}`);
  await expect(page.getByRole('log', { name: 'Conversation history' })).toBeVisible();
  const css = await page.evaluate(() => {
    const probe = document.createElement('div');
    probe.style.transition = 'opacity 2s';
    probe.style.animation = 'x 3s infinite';
    document.body.append(probe);
    const s = getComputedStyle(probe);
    const out = { transition: s.transitionDuration, animation: s.animationDuration, scroll: getComputedStyle(document.documentElement).scrollBehavior };
    probe.remove();
    return out;
  });
  expect(parseFloat(css.transition)).toBeLessThan(0.01);
  expect(parseFloat(css.animation)).toBeLessThan(0.01);
  expect(css.scroll).toBe('auto');
  await ctx.close();
});
