/**
 * The web client in a second language (issue 11): a browser that asks for German (Playwright's `locale: 'de-DE'`
 * sends Accept-Language: de-DE) gets the German UI and German dates and times; an English browser switches to German
 * in Settings → Language, stays German after a reload and goes back with "Browser default". axe on the German chat
 * and settings pages. With I18N_SHOTS=dir set, it also writes screenshots of both pages (light and dark, 360 and
 * 1280 px) there, for a person to look at how the longer German words fit.
 */
import type { Page } from '@playwright/test';
import { apiToken, asUser } from './pages/RoomPage';
import { axeOn, ConsoleErrors, expect, newPerson, registerViaApi, test } from './fixtures';

const GERMAN_WEEKDAY = /(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag), \d{1,2}\. /;

async function axe(page: Page, what: string): Promise<string[]> {
  await expect.poll(() => page.title(), { message: `${what}: a document title` }).not.toBe('');
  const results = await axeOn(page).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what}: ${v.id} (${v.impact}): ${v.help} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('a German browser: register, chat and settings in German, German dates and times, axe clean', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const ana = newPerson('dea');
  const ben = newPerson('deb');
  await registerViaApi(request, ben);
  const benToken = await apiToken(request, ben);

  const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  const errors = new ConsoleErrors().watch(context);
  const page = await context.newPage();

  // Registration, in German.
  await page.goto('/register');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Erstelle dein Konto|Administratorkonto erstellen/);
  await page.getByLabel('Benutzername', { exact: true }).fill(ana.username);
  await page.getByLabel('Anzeigename', { exact: true }).fill(ana.displayName);
  await page.getByLabel('Passwort', { exact: true }).fill(ana.password);
  await page.getByRole('button', { name: 'Konto erstellen' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('connection-state')).toHaveText('Verbunden', { timeout: 30_000 });

  // The chat shell speaks German.
  const sidebar = page.locator('nav.sidebar');
  await expect(sidebar.getByRole('heading', { name: /Direktnachrichten/ })).toBeVisible();
  await expect(sidebar.getByRole('heading', { name: /Personen/ })).toBeVisible();
  await expect(sidebar.getByRole('button', { name: 'Abmelden' })).toBeVisible();
  await expect(sidebar.getByRole('searchbox', { name: 'Unterhaltungen filtern' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Wähle eine Unterhaltung' })).toBeVisible();

  // A direct conversation with Ben: the composer, a message sent, and its time as Germans write it.
  await page.getByRole('searchbox', { name: 'Personen suchen' }).fill(ben.username);
  await page.getByTestId(`person-${ben.username}`).click();
  await expect(page).toHaveURL(/\/c\/[^/]+$/);
  const composer = page.getByRole('textbox', { name: 'Nachricht', exact: true });
  await expect(composer).toHaveAttribute('placeholder', `Nachricht an ${ben.displayName}`);
  await expect(page.getByRole('button', { name: 'Dateien anhängen' })).toBeVisible();
  await composer.fill('Hallo Ben, wie geht es dir?');
  await page.getByRole('button', { name: 'Senden', exact: true }).click();
  const log = page.getByRole('log', { name: 'Verlauf der Unterhaltung' });
  const mine = log.getByTestId('message').filter({ hasText: 'Hallo Ben, wie geht es dir?' });
  await expect(mine).toBeVisible();
  await expect(log.getByRole('separator').filter({ hasText: 'Heute' })).toBeVisible();
  // 24-hour clock (an English browser shows "09:41 AM"), and a German full date in its title.
  const time = mine.locator('time');
  await expect(time).toHaveText(/^\d{2}:\d{2}$/);
  await expect(time).toHaveAttribute('title', GERMAN_WEEKDAY);
  await expect(mine).toHaveAttribute('aria-label', new RegExp(`^${ana.displayName} um \\d{2}:\\d{2}$`));

  // Ben answers; the typing-free reply arrives in the German timeline, and the sidebar preview says "Du:" for mine.
  const conversationId = /\/c\/([^/?#]+)/.exec(page.url())![1]!;
  await asUser(request, benToken).post(`/conversations/${conversationId}/messages`, { body: 'Gut, danke!' });
  await expect(log.getByTestId('message').filter({ hasText: 'Gut, danke!' })).toBeVisible();
  await expect(mine.getByRole('img', { name: 'Gesendet' })).toBeVisible();

  const violations = await axe(page, 'German conversation');

  // Settings, in German.
  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Einstellungen' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Profil', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Profil speichern' })).toBeVisible();
  await expect(page.getByLabel('Sprache', { exact: true })).toHaveValue('browser');
  violations.push(...(await axe(page, 'German settings')));
  expect(violations.join('\n'), 'axe: serious or critical violations in German').toBe('');

  // No console error so far (checked before the deliberate refusal below, whose 403 the browser logs).
  errors.expectNone();

  // A refusal the server words (lib/i18n/api-errors.ts) reaches a German reader in German.
  await page.getByLabel('Aktuelles Passwort').fill('not my password at all');
  await page.getByLabel('Neues Passwort').fill('another long password');
  await page.getByRole('button', { name: 'Passwort ändern' }).click();
  await expect(page.getByText('Falsches aktuelles Passwort')).toBeVisible();
  await context.close();
});

test('Settings → Language: English to Deutsch, kept after a reload, and back to the browser default', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const cleo = newPerson('lgc');
  await registerViaApi(request, cleo);
  const context = await browser.newContext({ locale: 'en-US' });
  const errors = new ConsoleErrors().watch(context);
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Username', { exact: true }).fill(cleo.username);
  await page.getByLabel('Password', { exact: true }).fill(cleo.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 30_000 });

  await page.getByRole('link', { name: 'Settings' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const language = page.getByLabel('Language', { exact: true });
  await expect(language).toHaveValue('browser');
  // By keyboard: focus the select and choose with the arrow keys' equivalent (selectOption fires the same change).
  await language.focus();
  await language.selectOption('de');
  await expect(page.getByRole('heading', { level: 1, name: 'Einstellungen' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.locator('nav.sidebar').getByRole('button', { name: 'Abmelden' })).toBeVisible();
  const cookie = (await context.cookies()).find((c) => c.name === 'locale');
  expect(cookie?.value).toBe('de');
  expect(cookie?.sameSite).toBe('Lax');
  expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(360 * 24 * 3600);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Einstellungen' })).toBeVisible();
  await expect(page.getByLabel('Sprache', { exact: true })).toHaveValue('de');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Wähle eine Unterhaltung' })).toBeVisible();

  await page.goto('/settings');
  await page.getByLabel('Sprache', { exact: true }).selectOption('browser');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect((await context.cookies()).find((c) => c.name === 'locale')).toBeUndefined();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByLabel('Language', { exact: true })).toHaveValue('browser');

  await context.close();
  errors.expectNone();
});

test('screenshots of the German chat and settings pages (only with I18N_SHOTS=dir)', async ({ browser, request }) => {
  const dir = process.env.I18N_SHOTS;
  test.skip(!dir, 'set I18N_SHOTS to a directory to write them');
  test.setTimeout(180_000);
  const dora = newPerson('shd');
  const emil = newPerson('she');
  await registerViaApi(request, dora);
  await registerViaApi(request, emil);
  const doraToken = await apiToken(request, dora);
  const emilId = (await asUser(request, doraToken).get<{ users: { id: string; username: string }[] }>(`/users?q=${emil.username}`)).users.find(
    (u) => u.username === emil.username,
  )!.id;
  const dmId = (await asUser(request, doraToken).post<{ conversation: { id: string } }>('/conversations', { kind: 'direct', userId: emilId })).conversation.id;
  await asUser(request, doraToken).post(`/conversations/${dmId}/messages`, { body: 'Hallo Emil! Sehen wir uns morgen um 9:00?' });
  const emilToken = await apiToken(request, emil);
  await asUser(request, emilToken).post(`/conversations/${dmId}/messages`, { body: 'Ja, gerne. Bis morgen!' });

  for (const width of [360, 1280]) {
    for (const theme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ locale: 'de-DE', viewport: { width, height: width < 600 ? 740 : 800 }, colorScheme: theme });
      await context.addInitScript((t) => {
        try {
          localStorage.setItem('chattrix-theme', t);
        } catch {
          // about:blank has no storage
        }
      }, theme);
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('Benutzername', { exact: true }).fill(dora.username);
      await page.getByLabel('Passwort', { exact: true }).fill(dora.password);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await expect(page.getByTestId('connection-state')).toHaveText('Verbunden', { timeout: 30_000 });
      await page.screenshot({ path: `${dir}/home-${width}-${theme}.png` });
      await page.goto(`/c/${dmId}`);
      await expect(page.getByRole('log', { name: 'Verlauf der Unterhaltung' }).getByTestId('message').first()).toBeVisible();
      await page.screenshot({ path: `${dir}/chat-${width}-${theme}.png` });
      await page.goto('/settings');
      await expect(page.getByRole('heading', { level: 1, name: 'Einstellungen' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Sicherheitsaktivität' })).toBeVisible();
      await page.screenshot({ path: `${dir}/settings-${width}-${theme}.png` });
      // The settings scroll inside the pane: each card on its own picture.
      const cards = page.locator('.settings .card');
      for (let i = 0; i < (await cards.count()); i++) await cards.nth(i).screenshot({ path: `${dir}/settings-${width}-${theme}-card${String(i).padStart(2, '0')}.png` });
      await context.close();
    }
  }
});
