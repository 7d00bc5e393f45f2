/**
 * The app under its Content-Security-Policy (a nonce per page, 'strict-dynamic', no inline handlers): two people
 * chat live (Socket.IO), upload a file, the service worker installs and controls the page, settings and search
 * open, and the browser reports NO CSP violation along the way (console errors and securitypolicyviolation
 * events are both collected). Injected markup with an inline handler and a javascript: link runs nothing, proving
 * the policy is in force and not just quiet.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

interface Watched {
  context: BrowserContext;
  page: Page;
  chat: ChatPage;
  violations: string[];
}

/** Collects CSP violations of a page: console errors that name the policy, and securitypolicyviolation events. */
async function watch(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(msg.text())) violations.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (e) => violations.push(`pageerror: ${e.message}`));
  await page.exposeFunction('__cspViolation', (v: string) => violations.push(`event: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return violations;
}

async function signIn(browser: Browser, person: Person): Promise<Watched> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations = await watch(page);
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(person.username, person.password);
  const chat = new ChatPage(page);
  await chat.expectSignedInAs(person);
  return { context, page, chat, violations };
}

test('the chat works under the CSP with no violation: messages live, a file, the service worker, settings', async ({ browser, request }) => {
  const ana = newPerson('cspana');
  const ben = newPerson('cspben');
  await Promise.all([registerViaApi(request, ana), registerViaApi(request, ben)]);
  const a = await signIn(browser, ana);
  const b = await signIn(browser, ben);

  const res = await a.page.request.get('/');
  expect(res.headers()['content-security-policy']).toMatch(/script-src 'nonce-[^']+' 'strict-dynamic'/);

  // Live messaging through Socket.IO both ways.
  const dm = await a.chat.openDirectWith(ben.username);
  await a.chat.send('Under the policy 🔒');
  await expect(b.chat.conversationRow(dm)).toBeVisible();
  await b.chat.openConversation(dm);
  await b.chat.expectMessage('Under the policy 🔒');
  await b.chat.send('https://example.com/\u202egnp.exe and *markdown*');
  await a.chat.expectMessage('and markdown');
  // The link reads as what it is (bidi controls shown).
  await expect(a.chat.history.getByRole('link', { name: /\[U\+202E\]gnp\.exe/ })).toBeVisible();

  // The service worker installs and takes control (worker-src 'self').
  await a.page.reload();
  await a.page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
  await a.chat.expectMessage('Under the policy 🔒');

  // Settings and search pages.
  await a.page.goto('/settings');
  await expect(a.page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await a.page.goto(`/c/${dm}`);
  await a.chat.expectMessage('Under the policy 🔒');

  expect(a.violations, a.violations.join('\n')).toEqual([]);
  expect(b.violations, b.violations.join('\n')).toEqual([]);

  // And the policy is in force: markup injected as HTML (what an XSS would do) runs nothing: an inline event
  // handler and a javascript: link are refused, and reported as violations.
  const ran = await a.page.evaluate(async () => {
    const w = window as unknown as { __pwned?: number };
    w.__pwned = 0;
    const box = document.createElement('div');
    box.innerHTML = '<img src="/nope.png" onerror="window.__pwned = 2"><a id="xss-link" href="javascript:window.__pwned = 3">x</a>';
    document.body.appendChild(box);
    (document.getElementById('xss-link') as HTMLAnchorElement).click();
    await new Promise((r) => setTimeout(r, 500));
    return w.__pwned;
  });
  expect(ran).toBe(0);
  await expect.poll(() => a.violations.length).toBeGreaterThan(0);

  await a.context.close();
  await b.context.close();
});

test('a login with next=/\\evil.example/x lands on this site', async ({ browser, request }) => {
  const cat = newPerson('csnext');
  await registerViaApi(request, cat);
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations = await watch(page);
  await page.goto('/login?next=/%5Cevil.example/x');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await new LoginPage(page).signIn(cat.username, cat.password);
  await new ChatPage(page).expectSignedInAs(cat);
  expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
  await page.goto('/login?next=/%09/evil.example/x');
  expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
  expect(violations).toEqual([]);
  await context.close();
});
