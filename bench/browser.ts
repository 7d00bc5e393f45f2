/** What the Chromium benchmarks share (bench/sidebar-filter.ts, bench/client.ts): REST set-up and signing in. */
import type { Page } from '@playwright/test';

/** POST to the REST API of `base` (as `token`'s owner); the JSON answer, or a thrown error. */
export function restPoster(base: string) {
  return async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, any>>;
  };
}

/** Signs in through the form and waits for the live page (home, connected). */
export async function signInThroughForm(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/$/);
  await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor();
}
