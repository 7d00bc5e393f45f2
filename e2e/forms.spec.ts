/**
 * The forms are server actions (same zod schemas and services as REST): the profile form works with JavaScript off
 * (before hydration), errors show next to their field, tokens and groups are created through actions.
 */
import type { BrowserContext } from '@playwright/test';
import { apiToken, asUser, signedIn } from './pages/RoomPage';
import { ChatPage } from './pages/ChatPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

let ana: Person;
let anaToken: string;
let anaState: Awaited<ReturnType<BrowserContext['storageState']>>;

test.beforeAll(async ({ browser, request }) => {
  ana = newPerson('fma');
  await registerViaApi(request, ana);
  anaToken = await apiToken(request, ana);
  const s = await signedIn(browser, ana);
  anaState = await s.context.storageState();
  await s.context.close();
});

test('with JavaScript off, the profile form saves through its server action, and shows errors next to the field', async ({ browser, request }) => {
  const ctx = await browser.newContext({ storageState: anaState, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto('/settings');
  const name = page.getByLabel('Display name', { exact: true });
  await name.fill('Ana Without Script');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect
    .poll(async () => (await asUser(request, anaToken).get<{ user: { displayName: string } }>('/me')).user.displayName)
    .toBe('Ana Without Script');
  await expect(page.getByText('Profile saved.')).toBeVisible();
  // Blank after trimming: the same zod rule as PATCH /api/v1/me, shown next to the field.
  await page.getByLabel('Display name', { exact: true }).fill('   ');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.locator('#s-display-error')).toBeVisible();
  expect((await asUser(request, anaToken).get<{ user: { displayName: string } }>('/me')).user.displayName).toBe('Ana Without Script');
  await ctx.close();
});

test('before the script runs, signing in or registering never puts the password in the address', async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  for (const path of ['/login', '/register']) {
    await page.goto(path);
    await page.getByLabel('Username').fill(ana.username);
    await page.getByLabel('Password', { exact: true }).fill(ana.password);
    await Promise.all([page.waitForEvent('framenavigated'), page.getByLabel('Password', { exact: true }).press('Enter')]);
    await page.waitForLoadState('load');
    expect(page.url(), `${path}: the address after submitting`).not.toContain('password');
    expect(page.url()).not.toContain(encodeURIComponent(ana.password));
  }
  await ctx.close();
});

test('token creation: a wrong password is reported at the password field; the right one shows the token once', async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: anaState });
  const page = await ctx.newPage();
  await page.goto('/settings');
  await page.getByLabel('Token name').fill('ci-bot');
  await page.getByLabel('Your password').fill('not my password');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.locator('#t-password-error')).toHaveText('Wrong password.');
  await page.getByLabel('Token name').fill('ci-bot');
  await page.getByLabel('Your password').fill(ana.password);
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.locator('.token-once code')).toHaveText(/^ctx_/);
  await expect(page.getByRole('list').getByText('ci-bot')).toBeVisible();
  const token = await page.locator('.token-once code').innerText();
  const res = await page.request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  expect(res.status()).toBe(200);
  await ctx.close();
});

test('a new group is created through its server action', async ({ browser, request }) => {
  const ben = newPerson('fmb');
  await registerViaApi(request, ben);
  const ctx = await browser.newContext({ storageState: anaState });
  const page = await ctx.newPage();
  await page.goto('/');
  const id = await new ChatPage(page).createGroup('Action group', [ben]);
  const got = await asUser(request, anaToken).get<{ conversation: { title: string; members: { username: string }[] } }>(`/conversations/${id}`);
  expect(got.conversation.title).toBe('Action group');
  expect(got.conversation.members.map((m) => m.username).sort()).toEqual([ana.username, ben.username].sort());
  await ctx.close();
});
