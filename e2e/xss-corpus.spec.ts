/**
 * XSS corpus (tests/fixtures/xss-payloads.ts, 118 payloads) rendered in Chromium under the app's CSP: as message
 * bodies (markdown-lite and link text included), display names, a bio, group titles and file names. Nothing runs
 * (`window.__xss` stays unset, no dialog opens), the browser reports no CSP violation (the app never put an inline
 * handler or script into the page, which the CSP would have had to stop), and the payloads are shown as text.
 */
import type { APIRequestContext } from '@playwright/test';
import { SHORT_PAYLOADS, XSS_PAYLOADS } from '../tests/fixtures/xss-payloads';
import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

async function tokenOf(request: APIRequestContext, p: Person): Promise<string> {
  const t = await request.post('/api/v1/auth/tokens', { data: { username: p.username, password: p.password, name: 'xss' } });
  expect(t.status(), await t.text()).toBe(201);
  return ((await t.json()) as { token: string }).token;
}

test('118 payloads in messages, names, a bio, titles and file names run nothing under the CSP', async ({ browser, request }) => {
  test.setTimeout(240_000);
  const ana = newPerson('xssana');
  await registerViaApi(request, ana);
  const anaToken = await tokenOf(request, ana);
  const auth = { authorization: `Bearer ${anaToken}` };
  const me = (await (await request.get('/api/v1/me', { headers: auth })).json()) as { user: { id: string } };

  // People whose display names are payloads (and one bio).
  const named: string[] = [];
  for (const name of SHORT_PAYLOADS.slice(0, 12)) {
    const p = { ...newPerson('xssn'), displayName: name };
    const r = await request.post('/api/v1/auth/register', { data: { username: p.username, password: p.password, displayName: name } });
    expect(r.status(), await r.text()).toBe(201);
    named.push(((await r.json()) as { user: { id: string } }).user.id);
  }
  const bio = await request.patch('/api/v1/me', { headers: auth, data: { bio: XSS_PAYLOADS[1]!, displayName: SHORT_PAYLOADS[0]! } });
  expect(bio.status(), await bio.text()).toBe(200);

  // Groups whose titles are payloads; the first gets every payload as a message, and files named with payloads.
  const groups: string[] = [];
  for (const title of SHORT_PAYLOADS.filter((t) => t.length <= 80).slice(0, 6)) {
    const g = await request.post('/api/v1/conversations', { headers: auth, data: { kind: 'group', title, memberIds: named } });
    expect(g.status(), await g.text()).toBe(201);
    groups.push(((await g.json()) as { conversation: { id: string } }).conversation.id);
  }
  const main = groups[0]!;
  for (const body of XSS_PAYLOADS) {
    const r = await request.post(`/api/v1/conversations/${main}/messages`, { headers: auth, data: { body } });
    expect(r.status(), await r.text()).toBe(201);
  }
  for (const name of SHORT_PAYLOADS.slice(0, 10)) {
    const up = await request.post('/api/v1/uploads', {
      headers: auth,
      multipart: { file: { name: `${name.replace(/[/\\]/g, '')}.txt`, mimeType: 'text/plain', buffer: Buffer.from('plain text\n') } },
    });
    expect(up.status(), await up.text()).toBe(201);
    const id = ((await up.json()) as { attachment: { id: string } }).attachment.id;
    const r = await request.post(`/api/v1/conversations/${main}/messages`, { headers: auth, data: { body: 'a file', attachmentIds: [id] } });
    expect(r.status(), await r.text()).toBe(201);
  }

  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (msg) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.exposeFunction('__cspViolation', (v: string) => problems.push(`csp: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });

  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(ana.username, ana.password);
  const chat = new ChatPage(page);
  await expect(chat.sidebar).toBeVisible();
  for (const id of groups.slice(1)) {
    await chat.openConversation(id, { direct: true });
  }
  await chat.openConversation(main, { direct: true });
  // Load the whole history (older pages load when scrolled to the top).
  for (let i = 0; i < 10; i++) {
    await chat.history.evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(300);
  }
  await expect(chat.history.getByText(XSS_PAYLOADS[0]!, { exact: false }).first()).toBeVisible();
  // Hover and click what could carry a handler.
  for (const link of await chat.history.getByRole('link').all()) {
    const href = await link.getAttribute('href');
    expect(href ?? '', 'only http(s) links, files and in-app paths').toMatch(/^(https?:\/\/|\/)/);
    await link.hover().catch(() => {});
  }
  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await page.goto('/search?q=xss');
  await page.goto(`/c/${main}`);
  await expect(chat.history).toBeVisible();

  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(await page.locator('script:not([nonce]), iframe, object, embed, svg[onload], img[onerror]').count()).toBe(0);
  expect(problems).toEqual([]);
  await context.close();
  void me;
});
