/**
 * The admin console in Chromium, on a server of this spec's own (its first account is the site admin): an admin
 * deactivates a user who is online (their tab signs out), sets registration to invitations and creates one that a
 * new person uses to register; a reported message handled from the Reports queue; screenshots of the console at 360 px and 1280 px, light and dark.
 */
import { mkdirSync } from 'node:fs';
import sharp from 'sharp';
import { expect, request, test, type APIRequestContext } from '@playwright/test';
import { freshDatabase, type FreshDatabase } from '../tests/helpers/ops';
import { startServer, type RunningServer } from '../tests/helpers/server';
import { ConsoleErrors, newPerson } from './fixtures';
import { LoginPage } from './pages/LoginPage';
import { RegisterPage } from './pages/RegisterPage';
import { apiToken, asUser, signedIn } from './pages/RoomPage';

const dir = 'test-results/screens';
let server: RunningServer;
let db: FreshDatabase;
/** REST on this spec's own server (the `request` fixture talks to the shared one). */
let api: APIRequestContext;
const admin = newPerson('adm');

test.beforeAll(async () => {
  test.setTimeout(120_000);
  db = await freshDatabase('e2eadmin');
  server = await startServer({ env: { DATABASE_URL: db.url } });
  api = await request.newContext({ baseURL: server.url });
  // The first account on the server is its administrator.
  await registerAt(admin);
});

async function registerAt(p: { username: string; password: string; displayName: string }): Promise<void> {
  const res = await api.post('/api/v1/auth/register', { data: { username: p.username, password: p.password, displayName: p.displayName } });
  expect(res.status(), await res.text()).toBe(201);
}
test.afterAll(async () => {
  await api?.dispose();
  await server?.stop();
  await db?.drop();
});

test('an admin deactivates an online user (their tab signs out) and invites a new person; console screens', async ({ browser }) => {
  test.setTimeout(180_000);
  mkdirSync(dir, { recursive: true });
  const victim = newPerson('vic');
  await registerAt(victim);

  const { context: adminCtx, page: a } = await signedIn(browser, admin, { baseURL: server.url });
  const { context: victimCtx, page: v } = await signedIn(browser, victim, { baseURL: server.url });

  // A message in #general the admin reports from its actions, then handles in the console's Reports queue.
  await asUser(api, await apiToken(api, victim)).post('/conversations/general/messages', { body: 'buy cheap watches at my shop' });
  await a.goto('/c/general');
  const msg = a.getByTestId('message').filter({ hasText: 'buy cheap watches' });
  await msg.hover();
  await msg.getByRole('button', { name: 'Report' }).click();
  const dialog = a.getByRole('dialog', { name: 'Report this message' });
  await dialog.getByLabel('What is wrong with it?').fill('Spam: selling watches');
  await dialog.getByRole('button', { name: 'Report' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/admins will look at it/);
  await a.screenshot({ path: `${dir}/report-dialog-1280-light.png` });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  await a.goto('/admin');
  const report = a.getByTestId('report').filter({ hasText: 'Spam: selling watches' });
  await expect(report.getByRole('list', { name: 'The message in context' })).toContainText('buy cheap watches at my shop');
  a.once('dialog', (d) => void d.accept());
  await report.getByRole('button', { name: 'Warn author' }).click();
  await expect(a.getByRole('status').filter({ hasText: 'Author warned' })).toBeVisible();
  await expect(a.getByTestId('report').filter({ hasText: 'Spam: selling watches' })).toHaveCount(0);

  await a.goto('/admin');
  await expect(a.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await a.getByLabel('Search people').fill(victim.username);
  await a.getByRole('button', { name: `Deactivate ${victim.username}` }).click();
  await expect(a.getByRole('button', { name: `Reactivate ${victim.username}` })).toBeVisible();
  // The victim's open tab is disconnected, refused on reconnect, and sent to the sign-in page.
  await expect(v).toHaveURL(/\/login/, { timeout: 20_000 });
  const login = new LoginPage(v);
  await login.signIn(victim.username, victim.password);
  await expect(v).toHaveURL(/\/login/);

  // Invitations only, then an invitation a new person uses.
  await a.getByLabel('Search people').fill('');
  await a.getByLabel('Who may create an account').selectOption('invite');
  await expect(a.getByRole('status').filter({ hasText: 'Registration mode saved' })).toBeVisible();
  await a.getByRole('button', { name: 'Create invitation' }).click();
  const link = await a.getByLabel('Link to hand over').inputValue();
  expect(link).toContain('/register?invite=inv_');

  const newcomerCtx = await browser.newContext({ baseURL: server.url });
  const n = await newcomerCtx.newPage();
  await n.goto('/register');
  await expect(n.getByRole('heading', { name: 'Invitation needed' })).toBeVisible();
  await n.goto(new URL(link).pathname + new URL(link).search);
  const newcomer = newPerson('new');
  await new RegisterPage(n).register(newcomer);
  await expect(n).not.toHaveURL(/\/register/, { timeout: 20_000 });

  // Screens: 360 px and 1280 px, light and dark.
  for (const theme of ['light', 'dark'] as const) {
    for (const width of [360, 1280]) {
      const ctx = await browser.newContext({ baseURL: server.url, colorScheme: theme, viewport: { width, height: 900 }, storageState: await adminCtx.storageState() });
      const p = await ctx.newPage();
      await p.goto('/admin');
      await expect(p.getByRole('list', { name: 'People' }).getByRole('listitem').first()).toBeVisible();
      await p.screenshot({ path: `${dir}/admin-${width}-${theme}.png`, fullPage: true });
      await ctx.close();
    }
  }
  await Promise.all([adminCtx.close(), victimCtx.close(), newcomerCtx.close()]);
});

test('the overview: people, a chart of messages per day, files and sockets per node; screens at 360 px dark and 1280 px light', async ({ browser }) => {
  test.setTimeout(120_000);
  mkdirSync(dir, { recursive: true });
  const tok = (await (await fetch(`${server.url}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: admin.username, password: admin.password, name: 'e2e-overview' }),
  })).json()) as { token: string };
  for (const body of ['counted once', 'counted twice']) {
    const posted = await fetch(`${server.url}/api/v1/conversations/general/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tok.token}` },
      body: JSON.stringify({ body }),
    });
    expect(posted.status).toBe(201);
  }
  const ctx = await browser.newContext({ baseURL: server.url });
  const errors = new ConsoleErrors().watch(ctx);
  const a = await ctx.newPage();
  await new LoginPage(a).goto();
  await new LoginPage(a).signIn(admin.username, admin.password);
  await expect(a).not.toHaveURL(/\/login/);
  await a.goto('/admin');
  const overview = a.getByRole('region', { name: 'Overview' });
  const chart = overview.getByRole('img', { name: /^Messages per day over the last 30 days: \d+ in all, busiest \d{4}-\d{2}-\d{2} with \d+/ });
  await expect(chart).toBeVisible();
  await expect(overview.getByRole('table')).toContainText(new Date().toISOString().slice(0, 10));
  // One node (no Redis): the one that answered.
  await expect(overview.getByRole('list', { name: 'Sockets per node' }).getByRole('listitem')).toContainText('this node');
  for (const [width, theme] of [[360, 'dark'], [1280, 'light']] as const) {
    await a.setViewportSize({ width, height: 900 });
    await a.emulateMedia({ colorScheme: theme });
    await a.evaluate((t) => localStorage.setItem('chattrix-theme', t), theme);
    await a.reload();
    await expect(chart).toBeVisible();
    // Nothing wider than the page (the hidden table of days included).
    expect(await a.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await overview.screenshot({ path: `${dir}/admin-overview-${width}-${theme}.png` });
  }
  await ctx.close();
  errors.expectNone();
});

test('workspace settings: the site name everywhere, channels kept to admins, a default channel, the upload limit', async ({ browser }) => {
  test.setTimeout(180_000);
  mkdirSync(dir, { recursive: true });
  // A public channel to offer to newcomers.
  const channel = `welcome-${Date.now().toString(36).slice(-5)}`;
  const { conversation: made } = await asUser(api, await apiToken(api, admin)).post<{ conversation: { id: string } }>('/conversations', { kind: 'channel', title: channel });

  const { context: adminCtx, page: a } = await signedIn(browser, admin, { baseURL: server.url });
  const errors = new ConsoleErrors().watch(adminCtx);
  await a.goto('/admin');
  const ws = a.getByRole('region', { name: 'Workspace' });
  await ws.getByRole('textbox', { name: 'Site name' }).fill('Acme Chat');
  await ws.getByRole('spinbutton', { name: 'Largest upload (MB)' }).fill('1');
  await ws.getByRole('spinbutton', { name: 'Delete messages older than (days)' }).fill('400');
  await ws.getByRole('button', { name: 'Save' }).click();
  await expect(ws.getByRole('status')).toContainText('Saved');
  // The site's icon: chosen, uploaded at once, shown; the pages link it as the tab's icon.
  const icon = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#2f9e44' } }).png().toBuffer();
  await ws.getByLabel('Site icon').setInputFiles({ name: 'icon.png', mimeType: 'image/png', buffer: icon });
  await expect(ws.getByRole('status')).toContainText('Icon saved');
  await expect(ws.getByRole('img', { name: "The site's icon" })).toBeVisible();
  await ws.getByLabel('Who may create channels').selectOption('admins');
  await expect(ws.getByRole('status')).toContainText('Channel creation saved');
  await ws.getByRole('checkbox', { name: `#${channel}` }).check();
  await expect(ws.getByRole('status')).toContainText(`New people will join #${channel}`);
  await expect(ws.getByRole('checkbox', { name: `#${channel}` })).toBeChecked();
  // An account made in the console, for a newcomer.
  const newcomer = newPerson('wsn');
  await a.getByLabel('New username').fill(newcomer.username);
  await a.getByLabel('New password').fill(newcomer.password);
  await a.getByRole('button', { name: 'Create account' }).click();
  await expect(a.getByRole('status').filter({ hasText: 'Account created' })).toBeVisible();
  await a.reload();
  await expect(a).toHaveTitle('Administration · Acme Chat');
  for (const [width, theme] of [[360, 'dark'], [1280, 'light']] as const) {
    await a.setViewportSize({ width, height: 900 });
    await a.emulateMedia({ colorScheme: theme });
    await a.evaluate((t) => localStorage.setItem('chattrix-theme', t), theme);
    await a.reload();
    await a.getByRole('region', { name: 'Workspace' }).scrollIntoViewIfNeeded();
    await a.getByRole('region', { name: 'Workspace' }).screenshot({ path: `${dir}/admin-workspace-${width}-${theme}.png` });
  }

  // The newcomer: the site's name, the default channel joined, no way to create a channel, the limit in the composer.
  const nCtx = await browser.newContext({ baseURL: server.url });
  errors.watch(nCtx);
  const n = await nCtx.newPage();
  await new LoginPage(n).goto();
  await expect(n).toHaveTitle('Sign in · Acme Chat');
  await expect(n.locator('.auth-card .brand')).toContainText('Acme Chat');
  await new LoginPage(n).signIn(newcomer.username, newcomer.password);
  const nav = n.getByRole('navigation', { name: 'Acme Chat' });
  await expect(nav).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Acme Chat home' })).toBeVisible();
  await expect(nav.getByRole('list', { name: 'Channels' })).toContainText(channel);
  await expect(n.getByTestId('connection-state')).toHaveText('Connected');
  await expect(nav.getByRole('button', { name: 'Create channel' })).toHaveCount(0);
  await n.goto('/channels');
  await expect(n.getByRole('heading', { name: 'Channels', level: 1 })).toBeVisible();
  await expect(n.getByRole('button', { name: 'Create channel' })).toHaveCount(0);
  await n.goto('/c/general');
  await n.getByTestId('file-input').setInputFiles([{ name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(1.5 * 1024 * 1024, 'a') }]);
  await expect(n.getByText('Too large: 1.0 MB at most')).toBeVisible();
  const manifest = (await (await n.request.get('/manifest.webmanifest')).json()) as { name: string; icons: { src: string }[] };
  expect(manifest.name).toBe('Acme Chat');
  expect(manifest.icons[0]!.src).toMatch(/^\/api\/v1\/site\/icon\/192\?v=/);
  await expect(n.locator('link[rel="icon"][sizes="32x32"]')).toHaveAttribute('href', /\/api\/v1\/site\/icon\/32\?v=/);
  // The admin still creates channels.
  await a.goto('/');
  await expect(a.getByRole('button', { name: 'Create channel' })).toBeVisible();
  // A channel's own retention, set in its settings by a site admin, said to its members and in a system line.
  await a.goto(`/c/${made.id}`);
  await a.getByRole('button', { name: 'Channel settings' }).click();
  const cs = a.getByTestId('channel-settings');
  await expect(cs.getByText('Messages older than 400 days are deleted, with their files.')).toBeVisible();
  await cs.getByRole('combobox', { name: 'Message retention' }).selectOption('days');
  await cs.getByRole('spinbutton', { name: 'Days' }).fill('30');
  await cs.getByRole('button', { name: 'Save retention' }).click();
  await expect(cs.getByText('Messages older than 30 days are deleted, with their files.')).toBeVisible();
  await expect(a.getByRole('log', { name: 'Conversation history' })).toContainText('set this channel to delete messages older than 30 days');
  await cs.screenshot({ path: `${dir}/channel-retention-1280-light.png` });
  await Promise.all([adminCtx.close(), nCtx.close()]);
  errors.expectNone();
});

test('custom emoji: added in Settings, written as :name: in a message, refused to a member while only admins may add, deleted', async ({ browser }) => {
  test.setTimeout(180_000);
  const png = await sharp({ create: { width: 48, height: 48, channels: 4, background: '#e8590c' } }).png().toBuffer();
  const name = `fire-${Date.now().toString(36).slice(-5)}`;
  const { context: ctx, page: a } = await signedIn(browser, admin, { baseURL: server.url });
  const errors = new ConsoleErrors().watch(ctx);
  await a.goto('/settings');
  const card = a.getByRole('region', { name: 'Custom emoji' });
  await card.getByLabel('Emoji name').fill('Bad Name!');
  await card.getByLabel(/^Image/).setInputFiles({ name: 'fire.png', mimeType: 'image/png', buffer: png });
  await card.getByRole('button', { name: 'Add emoji' }).click();
  // The browser's own check first (pattern): nothing was sent.
  await expect(card.getByRole('list', { name: 'Custom emoji' })).toHaveCount(0);
  await card.getByLabel('Emoji name').fill(name);
  await card.getByRole('button', { name: 'Add emoji' }).click();
  await expect(card.getByRole('status')).toHaveText(`Added :${name}:`);
  const row = card.getByRole('list', { name: 'Custom emoji' }).getByRole('listitem').filter({ hasText: `:${name}:` });
  await expect(row.getByRole('img', { name: `:${name}:` })).toBeVisible();
  await card.screenshot({ path: `${dir}/settings-emoji-1280-light.png` });

  // In a message, the image stands for the name.
  await a.goto('/c/general');
  const composer = a.getByRole('textbox', { name: 'Message' });
  await composer.fill(`It is :${name}: today`);
  await composer.press('Enter');
  const msg = a.getByTestId('message').filter({ hasText: 'It is' }).filter({ hasText: 'today' }).last();
  await expect(msg.getByRole('img', { name: `:${name}:` })).toBeVisible();

  // A member may not add one while the setting says admins.
  const member = newPerson('emo');
  // Made by the admin's signed-in browser (its cookie, from the app's own origin).
  const made = await a.request.post('/api/v1/admin/users', { data: { username: member.username, password: member.password }, headers: { origin: server.url } });
  expect(made.status(), await made.text()).toBe(201);
  // (Not watched for console errors: the refused upload's 403 is logged by the browser, and is the point here.)
  const { context: mctx, page: m } = await signedIn(browser, member, { baseURL: server.url });
  await m.goto('/settings');
  const mcard = m.getByRole('region', { name: 'Custom emoji' });
  await expect(mcard.getByRole('img', { name: `:${name}:` })).toBeVisible();
  await expect(mcard.getByRole('button', { name: `Delete :${name}:` })).toHaveCount(0);
  await mcard.getByLabel('Emoji name').fill(`${name}-2`);
  await mcard.getByLabel(/^Image/).setInputFiles({ name: 'fire.png', mimeType: 'image/png', buffer: png });
  await mcard.getByRole('button', { name: 'Add emoji' }).click();
  await expect(mcard.getByRole('alert')).toContainText(/admin/i);

  // The admin deletes it; the member's list follows live.
  a.once('dialog', (d) => void d.accept());
  await a.goto('/settings');
  await a.getByRole('region', { name: 'Custom emoji' }).getByRole('button', { name: `Delete :${name}:` }).click();
  await expect(a.getByRole('region', { name: 'Custom emoji' }).getByRole('status')).toHaveText(`Deleted :${name}:`);
  await expect(mcard.getByRole('img', { name: `:${name}:` })).toHaveCount(0);
  await Promise.all([ctx.close(), mctx.close()]);
  errors.expectNone();
});
