import { randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { RegisterPage } from './pages/RegisterPage';

export interface Person {
  username: string;
  password: string;
  displayName: string;
}

/** A person no other test uses (CI shares one PostgreSQL database between every suite). */
export function newPerson(prefix = 'e2e'): Person {
  const username = `${prefix}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`.slice(0, 32);
  return { username, password: 'correct horse battery staple', displayName: `${prefix.toUpperCase()} ${username.slice(-6)}` };
}

/** Registers through the REST API (no browser). */
export async function registerViaApi(request: APIRequestContext, person: Person): Promise<void> {
  const res = await request.post('/api/v1/auth/register', {
    data: { username: person.username, password: person.password, displayName: person.displayName },
  });
  expect(res.status(), await res.text()).toBe(201);
}

/**
 * Collects console errors and uncaught exceptions (React's hydration error #418, a 404 favicon, …) of a page, or of
 * every page a context opens. `expectNone()` fails with the list.
 */
export class ConsoleErrors {
  readonly errors: string[] = [];
  watch(target: Page | BrowserContext): this {
    const onPage = (p: Page) => {
      p.on('console', (m) => {
        if (m.type() !== 'error') return;
        // On a database shared by several test servers (CI's PostgreSQL run), people whose photo was uploaded to
        // another server's DATA_DIR are listed with an avatar URL that answers 404 here: not an error of this page.
        if (/Failed to load resource/.test(m.text()) && /\/api\/v1\/users\/[^/]+\/avatar/.test(m.location().url)) return;
        this.errors.push(`${p.url()} console.error: ${m.text()}`);
      });
      p.on('pageerror', (e) => this.errors.push(`${p.url()} uncaught: ${e.message}`));
    };
    if ('goto' in target) onPage(target);
    else {
      target.pages().forEach(onPage);
      target.on('page', onPage);
    }
    return this;
  }
  expectNone(): void {
    expect(this.errors, 'console errors or uncaught exceptions').toEqual([]);
  }
}

export const test = base.extend<{ loginPage: LoginPage; registerPage: RegisterPage; chatPage: ChatPage; consoleErrors: ConsoleErrors }>({
  /** Any spec can ask for it: every page of the test's context is watched, and the test fails on a console error. */
  consoleErrors: async ({ context }, use) => {
    const c = new ConsoleErrors().watch(context);
    await use(c);
    c.expectNone();
  },
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  registerPage: async ({ page }, use) => use(new RegisterPage(page)),
  chatPage: async ({ page }, use) => use(new ChatPage(page)),
});

export { expect };

/**
 * axe-core on a page, with only violations worked out in full (axe still runs every rule; passes and the rest keep
 * one node each). Legacy mode runs axe in the page itself: the default mode also opens a blank page for every check
 * to merge the frames' results and loads axe's 500 KB there again, for the cross-origin iframes Chattrix has none of
 * (measured here alone: the 1280 px light a11y test 46.8 -> 31.8 s, its 17 checks 29.9 -> 16.6 s).
 */
export function axeOn(page: Page): AxeBuilder {
  return new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).setLegacyMode(true);
}
