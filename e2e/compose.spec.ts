/**
 * Composing in Chromium (issue 13): a draft typed and not sent is there again after a reload (and the sidebar says
 * "Draft:"); a message scheduled a few seconds ahead with "Send later" arrives by itself; a message with a link
 * shows the page's preview, its image served by Chattrix. The linked page is served by this test on loopback,
 * which the e2e server allows through OUTBOUND_ALLOW=127.0.0.1 (e2e/global-setup.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from '@playwright/test';
import sharp from 'sharp';
import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

let site: Server;
let sitePort = 0;

test.beforeAll(async () => {
  const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 30, g: 120, b: 200 } } }).png().toBuffer();
  site = createServer((req, res) => {
    if (req.url?.startsWith('/cover.png')) {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(png);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Plain title</title>
      <meta property="og:title" content="Release notes of the week">
      <meta property="og:description" content="Everything that changed, in one page.">
      <meta property="og:image" content="/cover.png"></head><body>notes</body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
  sitePort = (site.address() as AddressInfo).port;
});
test.afterAll(() => {
  site?.close();
});

async function signIn(browser: Browser, person: Person) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(person.username, person.password);
  const chat = new ChatPage(page);
  await chat.expectSignedInAs(person);
  return { context, page, chat };
}

async function openOwnGroup(chat: ChatPage, title: string) {
  return chat.createGroup(title, []);
}

function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

test('a draft survives a reload and shows in the sidebar; sending clears it', async ({ browser, request }) => {
  const ana = newPerson('draft');
  await registerViaApi(request, ana);
  const { context, page, chat } = await signIn(browser, ana);
  const id = await openOwnGroup(chat, 'Drafting');
  await chat.composer.fill('An unsent thought');
  const row = page.getByTestId(`conversation-${id}`);
  await expect(row.getByTestId('draft-line')).toContainText('Draft: An unsent thought');
  // Saved to the server once typing pauses.
  await expect
    .poll(async () => ((await (await page.request.get('/api/v1/me/drafts')).json()) as { drafts: { body: string }[] }).drafts.map((d) => d.body), { timeout: 10_000 })
    .toContain('An unsent thought');
  await page.reload();
  await expect(chat.composer).toHaveValue('An unsent thought');
  await expect(page.getByTestId(`conversation-${id}`).getByTestId('draft-line')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/compose-draft.png' });
  await chat.composer.press('Enter');
  await chat.expectMessage('An unsent thought');
  await expect(page.getByTestId(`conversation-${id}`).getByTestId('draft-line')).toHaveCount(0);
  await page.reload();
  await expect(chat.composer).toHaveValue('');
  await context.close();
});

test('"Send later" a few seconds ahead: the message arrives by itself', async ({ browser, request }) => {
  const ana = newPerson('later');
  await registerViaApi(request, ana);
  const { context, page, chat } = await signIn(browser, ana);
  await openOwnGroup(chat, 'Later');
  await chat.composer.fill('Sent by the server later');
  await page.getByRole('button', { name: 'Send later' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send later' });
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/compose-send-later.png' });
  await dialog.getByLabel(/Date and time/).fill(localInput(new Date(Date.now() + 8000)));
  await dialog.getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByTestId('scheduled-note')).toContainText('Scheduled for');
  await expect(chat.composer).toHaveValue('');
  await expect(chat.message('Sent by the server later')).toHaveCount(0);
  await expect(chat.message('Sent by the server later')).toHaveCount(1, { timeout: 25_000 });
  await context.close();
});

test('a message with a link shows its preview, the image served by Chattrix', async ({ browser, request }) => {
  const ana = newPerson('links');
  await registerViaApi(request, ana);
  const { context, page, chat } = await signIn(browser, ana);
  await openOwnGroup(chat, 'Links');
  const thirdParty: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).port === String(sitePort)) thirdParty.push(r.url());
  });
  await chat.send(`Have a look: http://127.0.0.1:${sitePort}/notes`);
  const card = chat.message('Have a look').getByTestId('link-preview');
  await expect(card).toBeVisible({ timeout: 20_000 });
  await expect(card).toContainText('Release notes of the week');
  await expect(card).toContainText('Everything that changed');
  const img = card.locator('img');
  await expect(img).toHaveAttribute('src', /^\/api\/v1\/previews\/[a-z0-9]+\/image$/);
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  expect(thirdParty, 'the browser never contacts the linked site').toEqual([]);
  await page.screenshot({ path: 'test-results/screens/compose-preview.png' });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screens/compose-preview-360-dark.png' });
  await page.setViewportSize({ width: 1280, height: 800 });
  // Its author removes it.
  await card.getByRole('button', { name: 'Remove preview' }).click();
  await expect(chat.message('Have a look').getByTestId('link-preview')).toHaveCount(0);
  await context.close();
});
