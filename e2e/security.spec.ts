/**
 * Settings → Security in Chromium: turning two-factor sign-in on through the page (QR code, setup key, one code,
 * recovery codes), then signing in with a code through the login page's second step; the list of signed-in
 * devices with "Sign out" for another browser (which is then sent to sign in again); screenshots of the section at
 * 360 px and 1280 px, light and dark, into test-results/screens/.
 */
import { mkdirSync } from 'node:fs';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from '@playwright/test';
import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

const FIREFOX_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const dir = 'test-results/screens';

function code(secret: string, offsetSeconds = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSeconds * 1000 });
}

async function signedIn(browser: Browser, person: Person, opts: { userAgent?: string; width?: number; theme?: 'light' | 'dark' } = {}): Promise<Page> {
  const ctx = await browser.newContext({
    userAgent: opts.userAgent,
    // Tall enough for the whole Security section: Settings scrolls inside its pane, which an element screenshot clips.
    viewport: opts.width ? { width: opts.width, height: 2400 } : undefined,
    colorScheme: opts.theme,
  });
  if (opts.theme) await ctx.addInitScript((t) => localStorage.setItem('chattrix-theme', t), opts.theme);
  const page = await ctx.newPage();
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(person.username, person.password);
  await new ChatPage(page).expectSignedInAs(person);
  return page;
}

test('two-factor sign-in: set up in Settings, then sign in with a code from the app', async ({ browser, request }) => {
  const person = newPerson('tfa');
  await registerViaApi(request, person);
  // On a phone-sized screen, dark: the set-up and the recovery codes are photographed too.
  const page = await signedIn(browser, person, { width: 360, theme: 'dark' });
  mkdirSync(dir, { recursive: true });
  await page.goto('/settings');
  const card = page.getByRole('region', { name: 'Two-factor sign-in', exact: true });
  await expect(card.getByText('Off', { exact: true })).toBeVisible();
  await card.getByLabel('Password').fill(person.password);
  await card.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(card.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const src = await card.getByRole('img', { name: 'QR code for your authenticator app' }).getAttribute('src');
  expect(src).toMatch(/^data:image\/svg\+xml;base64,/);
  const secret = (await card.getByLabel('Setup key').innerText()).replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await card.screenshot({ path: `${dir}/settings-2fa-setup-360-dark.png` });
  await card.getByLabel('Code from the app').fill(code(secret));
  await card.getByRole('button', { name: 'Turn on' }).click();
  const codes = card.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  await card.screenshot({ path: `${dir}/settings-2fa-recovery-360-dark.png` });
  await card.getByRole('button', { name: 'I saved them' }).click();
  await expect(card.getByText('10 recovery codes left')).toBeVisible();

  // Sign out, and in again: the password, then a code.
  await page.goto('/');
  await new ChatPage(page).signOut();
  const login = new LoginPage(page);
  await login.signIn(person.username, person.password);
  await expect(page.getByRole('heading', { name: 'Two-factor sign-in' })).toBeVisible();
  await page.screenshot({ path: `${dir}/login-code-360-dark.png` });
  await page.getByLabel('Authentication code').fill('000000' === code(secret, 30) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('form').getByRole('alert')).toContainText('not right');
  // The enrolment code's step is spent: the next step's code, as the app shows it a moment later.
  await page.getByLabel('Authentication code').fill(code(secret, 30));
  await page.getByRole('button', { name: 'Verify' }).click();
  await new ChatPage(page).expectSignedInAs(person);
  await page.context().close();
});

test('signed-in devices: another browser is listed and signed out from Settings', async ({ browser, request }) => {
  const person = newPerson('dev');
  await registerViaApi(request, person);
  const other = await signedIn(browser, person, { userAgent: FIREFOX_UA });
  const page = await signedIn(browser, person);
  await page.goto('/settings');
  const card = page.getByRole('region', { name: "Where you're signed in" });
  const rows = card.getByRole('listitem');
  await expect(rows).toHaveCount(2);
  const mine = rows.filter({ hasText: 'This device' });
  await expect(mine).toHaveCount(1);
  const firefox = rows.filter({ hasText: 'Firefox on Windows' });
  await expect(firefox).toHaveCount(1);
  await expect(firefox).not.toContainText('This device');
  await firefox.getByRole('button', { name: 'Sign out' }).click();
  await expect(card.getByRole('status')).toContainText('Signed out Firefox on Windows');
  await expect(rows).toHaveCount(1);
  await expect(card.getByRole('button', { name: 'Sign out everywhere else' })).toHaveCount(0);
  // The other browser is signed out at once: its socket is disconnected, its reconnection is refused, and the
  // app sends it to the sign-in page by itself (no reload here).
  await expect(other).toHaveURL(/\/login/, { timeout: 20_000 });
  await expect(other.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // This one still works.
  await page.reload();
  await expect(page.getByRole('region', { name: "Where you're signed in" }).getByRole('listitem')).toHaveCount(1);
  await other.context().close();
  await page.context().close();
});

test('access tokens: a read-only token with an expiry is created in Settings and listed with both', async ({ browser, request }) => {
  const person = newPerson('tok');
  await registerViaApi(request, person);
  const page = await signedIn(browser, person);
  await page.goto('/settings');
  // Live first (hydrated, socket up). CI once saw the click on "Create token" come to nothing: the button focused, the
  // fields filled, no token, no error and no pending state for 2 min. The cause was not found; a click while the page
  // hydrates is the likeliest, so the test no longer clicks then.
  await new ChatPage(page).expectLive();
  const card = page.getByRole('region', { name: 'Personal access tokens' });
  await card.getByLabel('Token name').fill('reporting bot');
  await card.getByLabel('Your password').fill(person.password);
  await card.getByLabel('Access').selectOption({ label: 'Read only' });
  await card.getByLabel('Expires').selectOption({ label: '30 days' });
  await card.getByRole('button', { name: 'Create token' }).click();
  await expect(card.getByRole('status').locator('code')).toBeVisible();
  const secret = (await card.getByRole('status').locator('code').innerText()).trim();
  expect(secret).toMatch(/^ctx_/);
  const row = card.getByRole('listitem').filter({ hasText: 'reporting bot' });
  await expect(row).toContainText('read only');
  await expect(row).toContainText('expires');
  await expect(row).toContainText('never used');
  // The token reads and cannot write.
  expect((await request.get('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(200);
  expect((await request.patch('/api/v1/me', { headers: { authorization: `Bearer ${secret}` }, data: { bio: 'x' } })).status()).toBe(403);
  await page.context().close();
});

test.describe('screenshots of Settings → Security', () => {
  let person: Person;
  test.beforeAll(async ({ request }) => {
    mkdirSync(dir, { recursive: true });
    person = newPerson('secshot');
    await registerViaApi(request, person);
  });

  for (const width of [360, 1280] as const) {
    for (const theme of ['light', 'dark'] as const) {
      test(`at ${width}px, ${theme}`, async ({ browser }) => {
        const page = await signedIn(browser, person, { width, theme });
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        await page.goto('/settings');
        const section = page.getByRole('region', { name: 'Security', exact: true });
        await expect(section.getByRole('region', { name: "Where you're signed in" }).getByText('This device')).toBeVisible();
        await expect(section.getByRole('region', { name: 'Security activity' }).getByText('Signed in').first()).toBeVisible();
        expect(await page.evaluate(() => document.documentElement.dataset.theme), errors.join('\n')).toBe(theme);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        // Settings scrolls inside its own pane, which hides sideways overflow from the page: check the pane too.
        const paneOverflow = await page.evaluate(() => {
          const pane = document.querySelector('.settings')!;
          return pane.scrollWidth - pane.clientWidth;
        });
        expect(paneOverflow, 'the settings pane scrolls sideways').toBeLessThanOrEqual(0);
        await section.scrollIntoViewIfNeeded();
        await section.screenshot({ path: `${dir}/settings-security-${width}-${theme}.png` });
        await page.context().close();
      });
    }
  }
});
