import { expect, type Locator, type Page } from '@playwright/test';

/** One open conversation (/c/{id}): the message list, each message's actions, the composer, typing and receipts. */
export class ConversationView {
  readonly composer: Locator;
  readonly messages: Locator;
  readonly typing: Locator;
  readonly history: Locator;
  readonly pinnedButton: Locator;

  constructor(readonly page: Page) {
    this.composer = page.getByRole('textbox', { name: 'Message', exact: true });
    this.messages = page.getByTestId('message');
    this.typing = page.getByTestId('typing');
    this.history = page.getByRole('log', { name: 'Conversation history' });
    this.pinnedButton = page.getByRole('button', { name: 'Pinned', exact: true });
  }

  async goto(conversationId: string, messageId?: string): Promise<void> {
    await this.page.goto(`/c/${conversationId}${messageId ? `?m=${messageId}` : ''}`);
    await expect(this.history).toBeVisible();
  }

  /** The message whose text contains `text` (the newest, if several do). */
  message(text: string | RegExp): Locator {
    return this.messages.filter({ hasText: text }).last();
  }

  byId(id: string): Locator {
    return this.page.locator(`[data-testid="message"][data-message-id="${id}"]`);
  }

  /** Sends through the composer with Enter. */
  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press('Enter');
    await expect(this.composer).toHaveValue('');
  }

  /** Hovers the message so its toolbar shows, and clicks one of its actions. */
  async action(message: Locator, name: 'React' | 'Reply' | 'Edit' | 'Pin' | 'Unpin' | 'Delete'): Promise<void> {
    await message.hover();
    await message.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name, exact: true }).click();
  }

  editor(message: Locator): Locator {
    return message.getByRole('textbox', { name: 'Edit message' });
  }

  /** Deletes a message, accepting the "Delete for everyone?" confirmation. */
  async delete(message: Locator): Promise<void> {
    this.page.once('dialog', (d) => void d.accept());
    await this.action(message, 'Delete');
  }

  async react(message: Locator, emoji: string): Promise<void> {
    await this.action(message, 'React');
    await message.getByRole('button', { name: `React ${emoji}`, exact: true }).click();
  }

  /** The reaction chip for `emoji` on a message (a toggle button: aria-pressed says whether it is yours). */
  reaction(message: Locator, emoji: string): Locator {
    return message.locator('.reactions').getByRole('button', { name: new RegExp(`^${emoji} \\d+`) });
  }

  seen(message: Locator): Locator {
    return message.getByTestId('seen');
  }

  replyQuote(message: Locator): Locator {
    return message.locator('.reply-quote');
  }
}
