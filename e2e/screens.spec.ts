/**
 * Screenshots of the sign-in, registration and chat pages at 360 px and 1280 px, light and dark, into
 * test-results/screens/ (for a person to look at), plus the checks a screenshot cannot be trusted to show:
 * no sideways scrolling at 360 px, and the theme actually applied.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

const dir = 'test-results/screens';
const widths = [360, 1280] as const;
const themes = ['light', 'dark'] as const;

let person: Person;
let storageState: Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>>;

test.beforeAll(async ({ browser, request }) => {
  mkdirSync(dir, { recursive: true });
  // The longest name and username allowed-ish: the 360 px layout must hold them (and "Aaron" sorts them first).
  const base = newPerson('shot');
  person = {
    ...base,
    username: `shot_with_a_long_name_${base.username.slice(-10)}`.slice(0, 32),
    displayName: 'Aaron Bartholomew-Featherstonehaugh the Third'.slice(0, 50),
  };
  await registerViaApi(request, person);
  // Someone else in the directory, so the list is not empty.
  await registerViaApi(request, newPerson('other'));
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(person.username, person.password);
  await new ChatPage(page).expectSignedInAs(person);
  storageState = await ctx.storageState();
  await ctx.close();
});

async function open(browser: Browser, width: number, theme: 'light' | 'dark', signedIn: boolean): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: { width, height: width < 600 ? 740 : 800 },
    colorScheme: theme,
    storageState: signedIn ? storageState : undefined,
  });
  await ctx.addInitScript((t) => localStorage.setItem('chattrix-theme', t), theme);
  return ctx.newPage();
}

async function checkLayout(page: Page, theme: string, width: number): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
  const { overflow, culprits } = await page.evaluate(() => {
    const w = window.innerWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > w + 0.5)
      .slice(0, 5)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> right=${Math.round(el.getBoundingClientRect().right)}`);
    return { overflow: document.documentElement.scrollWidth - w, culprits };
  });
  expect(overflow, `page is ${overflow}px wider than the ${width}px viewport: ${culprits.join(', ')}`).toBeLessThanOrEqual(0);
}

for (const width of widths) {
  for (const theme of themes) {
    test(`screens at ${width}px, ${theme}`, async ({ browser }) => {
      const page = await open(browser, width, theme, false);
      await page.goto('/login');
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
      await checkLayout(page, theme, width);
      await page.screenshot({ path: `${dir}/login-${width}-${theme}.png`, fullPage: true });

      await page.goto('/register');
      await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
      await checkLayout(page, theme, width);
      await page.screenshot({ path: `${dir}/register-${width}-${theme}.png`, fullPage: true });

      // A wrong sign-in, to see the error state.
      await page.goto('/login');
      await new LoginPage(page).signIn(person.username, 'wrong password!');
      await expect(new LoginPage(page).error).toBeVisible();
      await page.screenshot({ path: `${dir}/login-error-${width}-${theme}.png`, fullPage: true });
      await page.context().close();

      const shell = await open(browser, width, theme, true);
      const chat = new ChatPage(shell);
      await chat.goto();
      await chat.expectSignedInAs(person);
      await expect(chat.person(person.username)).toBeVisible();
      await expect(chat.presenceOf(person.username)).toHaveText('online');
      await checkLayout(shell, theme, width);
      await shell.screenshot({ path: `${dir}/chat-${width}-${theme}.png` });
      await shell.context().close();
    });
  }
}
