import { randomBytes } from 'node:crypto';
import { test as base, expect, type APIRequestContext } from '@playwright/test';
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

export const test = base.extend<{ loginPage: LoginPage; registerPage: RegisterPage; chatPage: ChatPage }>({
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  registerPage: async ({ page }, use) => use(new RegisterPage(page)),
  chatPage: async ({ page }, use) => use(new ChatPage(page)),
});

export { expect };
