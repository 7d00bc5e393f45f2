import { expect, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { ChatPage } from './ChatPage';
import { LoginPage } from './LoginPage';

/** One open conversation (/c/{id}): its history, the composer with attachments, and the sidebar's status line. */
export class RoomPage {
  readonly history: Locator;
  readonly messages: Locator;
  readonly pending: Locator;
  readonly composer: Locator;
  readonly sendButton: Locator;
  readonly attachButton: Locator;
  /** The hidden <input type=file> behind "Attach files" (Playwright sets files on it directly). */
  readonly fileInput: Locator;
  readonly uploads: Locator;
  readonly thumbnails: Locator;
  readonly fileCards: Locator;
  readonly offlineBanner: Locator;

  constructor(readonly page: Page) {
    this.history = page.getByRole('log', { name: 'Conversation history' });
    this.messages = this.history.getByTestId('message');
    this.pending = this.history.getByTestId('pending-message');
    this.composer = page.getByRole('textbox', { name: 'Message' });
    this.sendButton = page.getByRole('button', { name: 'Send', exact: true });
    this.attachButton = page.getByRole('button', { name: 'Attach files' });
    this.fileInput = page.getByTestId('file-input');
    this.uploads = page.getByRole('list', { name: 'Attachments' }).getByTestId('upload');
    this.thumbnails = this.history.getByTestId('attachment-thumbnail');
    this.fileCards = this.history.getByTestId('attachment-file');
    this.offlineBanner = page.getByRole('status').filter({ hasText: 'You are offline' });
  }

  async goto(conversationId: string): Promise<void> {
    await this.page.goto(`/c/${conversationId}`);
    await expect(this.history).toBeVisible();
  }

  conversationLink(conversationId: string): Locator {
    return this.page.getByTestId(`conversation-${conversationId}`);
  }

  /** A stored message (not a pending one) containing this text. */
  message(text: string): Locator {
    return this.messages.filter({ hasText: text });
  }

  pendingMessage(text: string): Locator {
    return this.pending.filter({ hasText: text });
  }

  progressOf(fileName: string): Locator {
    return this.page.getByRole('progressbar', { name: `Uploading ${fileName}` });
  }

  cancelUpload(fileName: string): Locator {
    return this.page.getByRole('button', { name: `Cancel ${fileName}` });
  }

  upload(fileName: string): Locator {
    return this.uploads.filter({ hasText: fileName });
  }

  downloadLink(fileName: string): Locator {
    return this.history.getByRole('link', { name: `Download ${fileName}` });
  }

  async write(text: string): Promise<void> {
    await this.composer.fill(text);
  }

  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press('Enter');
  }
}

export interface Credentials {
  username: string;
  password: string;
}

/** A new browser context signed in as this person (through the login form), on the chat shell. */
export async function signedIn(
  browser: Browser,
  who: Credentials,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page; room: RoomPage }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(who.username, who.password);
  await new ChatPage(page).expectSignedInAs(who);
  return { context, page, room: new RoomPage(page) };
}

/** A personal access token, for setting up data through REST as that person. */
export async function apiToken(request: APIRequestContext, who: Credentials): Promise<string> {
  const res = await request.post('/api/v1/auth/tokens', { data: { username: who.username, password: who.password, name: 'e2e' } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

/** REST as the owner of `token`. */
export function asUser(request: APIRequestContext, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  return {
    async post<T>(path: string, data: unknown): Promise<T> {
      const res = await request.post(`/api/v1${path}`, { data, headers });
      expect(res.status(), await res.text()).toBeLessThan(300);
      return (await res.json()) as T;
    },
    async put<T>(path: string, data: unknown): Promise<T> {
      const res = await request.put(`/api/v1${path}`, { data, headers });
      expect(res.status(), await res.text()).toBeLessThan(300);
      return (await res.json()) as T;
    },
    async get<T>(path: string): Promise<T> {
      const res = await request.get(`/api/v1${path}`, { headers });
      expect(res.status(), await res.text()).toBe(200);
      return (await res.json()) as T;
    },
  };
}
