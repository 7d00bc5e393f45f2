/**
 * Screenshots of a lively group conversation (a reply, reactions, an edited message, a mention of the viewer, a
 * code block, a link, a long unbroken word, "Seen by N") at 1280 and 360 px, light and dark, into
 * test-results/screens/ for a person to look at; plus what a screenshot cannot be trusted to show: no sideways
 * scrolling, the theme applied, and each of those pieces actually rendered.
 */
import { mkdirSync } from 'node:fs';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { ChatPage } from './pages/ChatPage';
import { ConversationView } from './pages/ConversationView';
import { LoginPage } from './pages/LoginPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

const dir = 'test-results/screens';

interface Account extends Person {
  id: string;
  token: string;
}

let viewer: Account;
let conversationId: string;
let storageState: Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>>;

async function account(request: APIRequestContext, prefix: string, displayName: string): Promise<Account> {
  const person = { ...newPerson(prefix), displayName };
  await registerViaApi(request, person);
  const tok = await request.post('/api/v1/auth/tokens', { data: { username: person.username, password: person.password, name: 'screens' } });
  const token = ((await tok.json()) as { token: string }).token;
  const me = await request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  return { ...person, id: ((await me.json()) as { user: { id: string } }).user.id, token };
}

async function api<T = any>(request: APIRequestContext, who: Account, method: string, path: string, data?: unknown): Promise<T> {
  const res = await request.fetch(`/api/v1${path}`, { method, headers: { authorization: `Bearer ${who.token}` }, data });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

const say = async (request: APIRequestContext, who: Account, body: string, replyToId?: string) =>
  (await api<{ message: { id: string } }>(request, who, 'POST', `/conversations/${conversationId}/messages`, { body, ...(replyToId ? { replyToId } : {}) })).message.id;
const react = (request: APIRequestContext, who: Account, id: string, emoji: string) =>
  api(request, who, 'PUT', `/messages/${id}/reactions/${encodeURIComponent(emoji)}`);

test.beforeAll(async ({ browser, request }) => {
  mkdirSync(dir, { recursive: true });
  const [ana, ben, cleo] = await Promise.all([
    account(request, 'ana', 'Ana Alvarez'),
    account(request, 'ben', 'Ben Brown'),
    account(request, 'cleo', 'Cleo Castellanos-Featherstone'),
  ]);
  viewer = ana;
  conversationId = (
    await api<{ conversation: { id: string } }>(request, ana, 'POST', '/conversations', { kind: 'group', title: 'Weekend hike 🥾', memberIds: [ben.id, cleo.id] })
  ).conversation.id;

  const plan = await say(request, ben, 'Morning all! Who is up for the **hike** on Saturday? Route is here: https://example.com/trails/north-ridge');
  await react(request, ana, plan, '👍');
  await react(request, cleo, plan, '👍');
  await react(request, cleo, plan, '🎉');
  await say(request, cleo, `Count me in. @${ana.username} can you bring the *map*?`);
  const reply = await say(request, cleo, 'Can we start at 9 instead of 8? The first bus is late on weekends.', plan);
  await react(request, ben, reply, '😂');
  await say(request, ben, 'Packing list, copy it:\n```\nwater: 2 l\nsnacks: yes\nstart: 08:30 at the north gate\n```');
  await say(request, cleo, 'Pneumonoultramicroscopicsilicovolcanoconiosisisnotwhatyouwanttocatchonahikeafterall');
  const mine = await say(request, ana, 'Sure, I will print the map. Meet at the gaet with `trail-7`');
  await api(request, ana, 'PATCH', `/messages/${mine}`, { body: 'Sure, I will print the map. Meet at the gate, trail `trail-7`.' });
  await react(request, ben, mine, '❤️');
  await api(request, ben, 'POST', `/conversations/${conversationId}/read`, { messageId: mine });
  await api(request, cleo, 'POST', `/conversations/${conversationId}/read`, { messageId: mine });

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(ana.username, ana.password);
  await new ChatPage(page).expectSignedInAs(ana);
  storageState = await ctx.storageState();
  await ctx.close();
});

async function open(browser: Browser, width: number, theme: 'light' | 'dark'): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height: width < 600 ? 740 : 800 }, colorScheme: theme, storageState });
  await ctx.addInitScript((t) => localStorage.setItem('chattrix-theme', t), theme);
  return ctx.newPage();
}

async function checkLayout(page: Page, theme: string, width: number): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
  const { overflow, culprits } = await page.evaluate(() => {
    const w = window.innerWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > w + 0.5 && getComputedStyle(el).display !== 'none')
      .slice(0, 5)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> right=${Math.round(el.getBoundingClientRect().right)}`);
    return { overflow: document.documentElement.scrollWidth - w, culprits };
  });
  expect(overflow, `page is ${overflow}px wider than the ${width}px viewport: ${culprits.join(', ')}`).toBeLessThanOrEqual(0);
  // Nothing inside the message list scrolls sideways either.
  const inner = await page.getByRole('log', { name: 'Conversation history' }).evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(inner, 'the message list scrolls sideways').toBeLessThanOrEqual(0);
}

for (const width of [1280, 360] as const) {
  for (const theme of ['light', 'dark'] as const) {
    test(`conversation view at ${width}px, ${theme}`, async ({ browser }) => {
      const page = await open(browser, width, theme);
      const view = new ConversationView(page);
      await view.goto(conversationId);

      // Every piece is there, rendered (not as raw markdown).
      const reply = view.message('Can we start at 9');
      await expect(view.replyQuote(reply)).toContainText('Ben Brown');
      // The first message with this text is the original (the reply quotes it too).
      const plan = view.messages.filter({ hasText: 'Who is up for' }).first();
      await expect(plan.locator('.msg-body strong')).toHaveText('hike');
      await expect(plan.getByRole('link', { name: /example\.com/ })).toHaveAttribute('href', 'https://example.com/trails/north-ridge');
      await expect(view.reaction(plan, '👍')).toHaveAttribute('aria-pressed', 'true');
      await expect(view.message('Count me in').locator('.mention')).toHaveText(`@${viewer.username}`);
      await expect(view.message('Packing list').locator('pre code')).toContainText('start: 08:30 at the north gate');
      const mine = view.message('print the map');
      await expect(mine).toContainText('edited');
      await expect(view.seen(mine)).toHaveText('Seen by 2');
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Weekend hike');
      // It opens at the very end: the last line ("Seen by 2") is in view, not hidden under the composer.
      await expect.poll(() => view.history.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThanOrEqual(1);
      await expect(view.seen(mine)).toBeInViewport();
      await checkLayout(page, theme, width);
      await page.screenshot({ path: `${dir}/conversation-${width}-${theme}.png` });

      // A message's toolbar with the quick reactions open (hover on desktop, focus on a phone): every choice is on
      // the screen, for someone else's message and for my own.
      for (const [i, target] of [view.message('Count me in'), view.message('print the map')].entries()) {
        if (width < 600) await target.focus();
        else await target.hover();
        await target.getByRole('button', { name: 'React', exact: true }).click();
        for (const name of ['React 👍', 'React ❤️', 'React 🙏', 'More reactions']) {
          await expect(target.getByRole('button', { name, exact: true })).toBeInViewport({ ratio: 1 });
        }
        await checkLayout(page, theme, width);
        if (i === 0) await page.screenshot({ path: `${dir}/conversation-actions-${width}-${theme}.png` });
        await target.getByRole('button', { name: 'React', exact: true }).click(); // closes the menu
      }
      await page.context().close();
    });
  }
}
