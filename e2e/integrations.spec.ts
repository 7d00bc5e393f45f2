/**
 * Integrations end to end in Chromium (issue 14): Ana creates a bot in Settings (its token shown once) and gives it a
 * photo (and herself one), a channel,
 * and an incoming webhook in the channel's settings posting as that bot; a POST to the hook URL from outside (as
 * curl would) shows up live in her open channel, from the bot with the BOT mark and its card. Then she types `/` in
 * the composer, picks a command from the list with the keyboard and runs it; a command answer only she sees is
 * shown as such. Axe on the settings and the command list; screenshots at 360 px into test-results/screens/.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { axeOn, expect, newPerson, registerViaApi, test } from './fixtures';

const dir = 'test-results/screens';

test('bots, an incoming webhook posting live with the BOT mark, and slash commands from the composer', async ({ page, request, consoleErrors }) => {
  test.setTimeout(180_000);
  void consoleErrors;
  mkdirSync(dir, { recursive: true });
  const ana = newPerson('ana');
  await registerViaApi(request, ana);
  await page.setViewportSize({ width: 1280, height: 800 });
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(ana.username, ana.password);
  const chat = new ChatPage(page);
  await chat.expectSignedInAs(ana);

  // Settings → Bots: create one; its token is shown once.
  await page.goto('/settings');
  const bots = page.getByRole('region', { name: 'Bots' });
  const botUsername = `ci_${Date.now().toString(36)}`;
  await bots.getByLabel('Bot username').fill(botUsername);
  await bots.getByLabel('Bot display name').fill('CI Robot');
  await bots.getByLabel('Description (optional)').fill('Posts build results');
  await bots.getByRole('button', { name: 'Create bot' }).click();
  await expect(bots.getByTestId('bot-token')).toHaveText(/^ctx_/);
  const botRow = bots.getByRole('list', { name: 'Your bots' }).getByRole('listitem').filter({ hasText: `@${botUsername}` });
  await expect(botRow).toContainText('CI Robot');
  await expect(botRow.getByText('BOT', { exact: true })).toBeVisible();
  // The bot's photo, chosen from its row (a button: reachable by keyboard).
  const png = await sharp({ create: { width: 96, height: 96, channels: 3, background: '#1971c2' } }).png().toBuffer();
  const chooser = page.waitForEvent('filechooser');
  await botRow.getByRole('button', { name: `Photo for ${botUsername}` }).focus();
  await page.keyboard.press('Enter');
  await (await chooser).setFiles({ name: 'bot.png', mimeType: 'image/png', buffer: png });
  await expect(botRow.locator('img').first()).toHaveAttribute('src', /\/api\/v1\/users\/[^/]+\/avatar\?v=/);
  // The person's own photo: "Change photo" is a button too.
  const own = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Change photo' }).focus();
  await page.keyboard.press('Enter');
  await (await own).setFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByText('Photo updated.')).toBeVisible();
  const axe = await axeOn(page).include('section[aria-labelledby="bots-title"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // A channel, and an incoming webhook in its settings.
  await page.goto('/');
  const name = `alerts-${Date.now().toString(36)}`;
  await page.getByRole('button', { name: 'Create channel' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create channel' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create channel' }).click();
  await expect(page).toHaveURL(/\/c\/[^/]+$/);
  await page.getByRole('button', { name: 'Channel settings' }).click();
  const settings = page.getByTestId('channel-settings');
  const hooks = settings.getByRole('region', { name: 'Incoming webhooks' });
  await hooks.getByLabel('Webhook name').fill('Build alerts');
  await expect(hooks.getByLabel('Posts as')).toContainText('CI Robot');
  await hooks.getByRole('button', { name: 'Create webhook' }).click();
  const hookUrl = (await hooks.getByTestId('webhook-url').textContent())!;
  expect(hookUrl).toMatch(/\/hooks\/[^/]+\/[^/]+$/);
  await expect(hooks.getByRole('list', { name: 'Incoming webhooks' })).toContainText('posts as CI Robot');
  // Renamed in place (Escape cancels); the URL stays the same.
  await hooks.getByRole('button', { name: 'Rename Build alerts' }).click();
  await hooks.getByLabel('New name of Build alerts').press('Escape');
  await hooks.getByRole('button', { name: 'Rename Build alerts' }).click();
  await hooks.getByLabel('New name of Build alerts').fill('Build bot');
  await hooks.getByRole('button', { name: 'Save' }).click();
  await expect(hooks.getByRole('list', { name: 'Incoming webhooks' }).getByText('Build bot', { exact: true })).toBeVisible();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: `${dir}/webhooks-settings-360-light.png`, fullPage: false });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('button', { name: 'Close channel settings' }).click();

  // curl-style POST from outside: it shows up live, from the bot, with the BOT mark and the card.
  const res = await request.post(new URL(hookUrl).pathname, {
    data: { text: 'Build <https://ci.example/7|#7> *passed*', attachments: [{ color: 'good', title: 'tests', text: '128 passed', fallback: 'tests passed' }] },
  });
  expect(res.status(), await res.text()).toBe(201);
  const posted = chat.message('passed').filter({ hasText: 'tests' });
  await expect(posted).toHaveCount(1);
  await expect(posted.getByText('BOT', { exact: true })).toBeVisible();
  await expect(posted.getByRole('link', { name: '#7' })).toHaveAttribute('href', 'https://ci.example/7');
  await expect(posted.locator('strong', { hasText: 'passed' })).toBeVisible();
  await expect(posted.getByRole('region', { name: 'tests' })).toContainText('128 passed');
  await expect(posted).toContainText('Build bot');

  // A post with its own icon (served on loopback, which the e2e server's outbound guard allows): the message shows
  // Chattrix's copy of it, not the bot's photo, and the page never asks the icon's server itself.
  const iconHits: string[] = [];
  const iconServer = createServer((req, res) => {
    iconHits.push(req.url ?? '');
    void sharp({ create: { width: 64, height: 64, channels: 3, background: '#e8590c' } }).png().toBuffer().then((b) => res.writeHead(200, { 'content-type': 'image/png' }).end(b));
  });
  await new Promise<void>((resolve) => iconServer.listen(0, '127.0.0.1', resolve));
  const iconUrl = `http://127.0.0.1:${(iconServer.address() as AddressInfo).port}/deploy.png`;
  const withIcon = await request.post(new URL(hookUrl).pathname, { data: { text: 'Deployed to staging', username: 'Deployer', icon_url: iconUrl } });
  expect(withIcon.status(), await withIcon.text()).toBe(201);
  const deployed = chat.message('Deployed to staging');
  const icon = deployed.getByTestId('integration-icon');
  await expect(icon).toHaveAttribute('src', /^\/api\/v1\/integration-icons\/[0-9a-f]{32}$/);
  await expect.poll(() => icon.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
  await expect(deployed).toContainText('Deployer');
  expect(iconHits).toEqual(['/deploy.png']);
  await page.setViewportSize({ width: 360, height: 740 });
  await deployed.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${dir}/integration-icon-360-light.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
  await new Promise((resolve) => iconServer.close(resolve));

  // Type `/`: the command list (a listbox the composer points at); keyboard to /shrug, Enter picks, Enter runs.
  await chat.composer.fill('/');
  const list = page.getByRole('listbox', { name: 'Commands' });
  await expect(list).toBeVisible();
  await expect(list.getByRole('option')).not.toHaveCount(0);
  await expect(list.getByRole('option', { name: /\/me/ })).toContainText('Say what you are doing');
  await chat.composer.pressSequentially('sh');
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(chat.composer).toHaveAttribute('aria-activedescendant', /commands-0$/);
  const axeList = await axeOn(page).include('.composer').analyze();
  expect(axeList.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: `${dir}/command-list-360-light.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
  await chat.composer.press('Enter');
  await expect(chat.composer).toHaveValue('/shrug ');
  await expect(list).toHaveCount(0);
  await chat.composer.pressSequentially('all good');
  await chat.composer.press('Enter');
  await expect(chat.composer).toHaveValue('');
  await chat.expectMessage('all good ¯\\_(ツ)_/¯');

  // A command answer only Ana sees, then an unknown command, told in plain words.
  await chat.composer.fill('/search passed');
  await chat.composer.press('Escape');
  await chat.composer.press('Enter');
  const notes = page.getByRole('log', { name: 'Only visible to you' });
  await expect(notes.getByTestId('ephemeral-note').filter({ hasText: 'Results for “passed”' })).toBeVisible();
  await chat.send('/nope-not-a-command');
  await expect(notes.getByTestId('ephemeral-note').filter({ hasText: 'There is no /nope-not-a-command command' })).toBeVisible();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: `${dir}/ephemeral-and-bot-360-light.png` });
});
