import { expect, type Locator, type Page } from '@playwright/test';

/** The signed-in chat shell: sidebar (people directory, account, sign out) and the conversation pane. */
export class ChatPage {
  readonly sidebar: Locator;
  readonly signOutButton: Locator;
  readonly peopleSearch: Locator;
  readonly people: Locator;

  constructor(readonly page: Page) {
    // The sidebar's name is the site's (an admin may rename it): found by its place, not its name.
    this.sidebar = page.locator('nav.sidebar');
    this.signOutButton = page.getByRole('button', { name: 'Sign out' });
    this.peopleSearch = page.getByRole('searchbox', { name: 'Search people' });
    this.people = page.getByRole('list', { name: 'People' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  /** The shell is showing, signed in as this user. */
  async expectSignedInAs(user: { username: string; displayName?: string }): Promise<void> {
    await expect(this.page).toHaveURL(/\/$/);
    await expect(this.sidebar).toBeVisible();
    await expect(this.sidebar.getByText(`@${user.username}`, { exact: true }).first()).toBeVisible();
    // The page is live (hydrated, socket connected): a click before that would do nothing.
    await this.expectLive();
  }

  /** Hydrated, connected and caught up: no status banner ("Syncing…", "Reconnecting…") above the conversation. */
  async expectLive(): Promise<void> {
    await expect(this.page.getByTestId('connection-state')).toHaveText('Connected', { timeout: 30_000 });
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
    await expect(this.page).toHaveURL(/\/login$/);
  }

  person(username: string): Locator {
    return this.page.getByTestId(`person-${username}`);
  }

  presenceOf(username: string): Locator {
    return this.person(username).getByTestId('presence');
  }

  async searchPeople(text: string): Promise<void> {
    await this.peopleSearch.fill(text);
  }

  // ---- Conversations ----------------------------------------------------------------------------------------

  get conversations(): Locator {
    return this.page.getByRole('list', { name: 'Conversations' });
  }

  /** A row in the conversation list (it carries the unread badge, `[data-testid=unread]`). */
  conversationRow(conversationId: string): Locator {
    return this.page.getByTestId(`conversation-${conversationId}`);
  }

  unreadBadge(conversationId: string): Locator {
    return this.conversationRow(conversationId).getByTestId('unread');
  }

  /** The id of the conversation open now (from the `/c/{id}` URL). */
  openConversationId(): string {
    const m = /\/c\/([^/?#]+)/.exec(this.page.url());
    if (!m) throw new Error(`no conversation is open at ${this.page.url()}`);
    return m[1]!;
  }

  /** Clicks a person in the People directory: their direct conversation opens. Returns its id. */
  async openDirectWith(username: string): Promise<string> {
    await this.searchPeople(username);
    await this.person(username).click();
    await expect(this.page).toHaveURL(/\/c\/[^/]+$/);
    await expect(this.composer).toBeVisible();
    return this.openConversationId();
  }

  /** Opens a conversation from the list (by id), or by URL when `direct` is set. */
  async openConversation(conversationId: string, opts: { direct?: boolean } = {}): Promise<void> {
    if (opts.direct) await this.page.goto(`/c/${conversationId}`);
    else await this.conversationRow(conversationId).click();
    await expect(this.page).toHaveURL(new RegExp(`/c/${conversationId}$`));
    await expect(this.history).toBeVisible();
  }

  get newGroupButton(): Locator {
    return this.page.getByRole('button', { name: '+ New group' });
  }

  get newGroupDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'New group' });
  }

  /** Creates a group through the "+ New group" dialog; the new group opens. Returns its id. */
  async createGroup(title: string, people: { username: string; displayName: string }[]): Promise<string> {
    await this.newGroupButton.click();
    const dialog = this.newGroupDialog;
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Group name').fill(title);
    const picked = dialog.getByRole('list', { name: 'Members to add' });
    for (const person of people) {
      await dialog.getByLabel('Add people').fill(person.username);
      await dialog.getByRole('list', { name: 'Matching people' }).getByRole('button').filter({ hasText: `@${person.username}` }).click();
      await expect(picked.getByText(person.displayName)).toBeVisible();
    }
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await expect(dialog).toBeHidden();
    await expect(this.page).toHaveURL(/\/c\/[^/]+$/);
    await expect(this.conversationTitle).toHaveText(title);
    return this.openConversationId();
  }

  // ---- The open conversation ----------------------------------------------------------------------------------

  get conversationTitle(): Locator {
    return this.page.locator('main').getByRole('heading', { level: 1 });
  }

  get history(): Locator {
    return this.page.getByRole('log', { name: 'Conversation history' });
  }

  get composer(): Locator {
    return this.page.getByRole('textbox', { name: 'Message' });
  }

  /** Stored messages shown in the open conversation (`data-seq` holds each one's place in the order). */
  get messages(): Locator {
    return this.history.getByTestId('message');
  }

  get pendingMessages(): Locator {
    return this.history.getByTestId('pending-message');
  }

  get systemMessages(): Locator {
    return this.history.getByTestId('system-message');
  }

  message(text: string): Locator {
    return this.messages.filter({ hasText: text });
  }

  /** Types into the composer and presses Enter (which sends). */
  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press('Enter');
    await expect(this.composer).toHaveValue('');
  }

  /** The message is shown exactly once, as a stored message. */
  async expectMessage(text: string): Promise<void> {
    await expect(this.message(text)).toHaveCount(1);
    await expect(this.message(text)).toBeVisible();
  }

  /** The `data-seq` of every stored message shown, in the order shown. */
  async shownSeqs(): Promise<number[]> {
    return (await this.messages.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq')))));
  }

  /** The texts of the stored messages shown, in order. */
  async shownTexts(): Promise<string[]> {
    return this.messages.locator('.msg-body').allInnerTexts();
  }

  /** Scrolls the history to its top (the app then loads older messages). */
  async scrollHistoryToTop(): Promise<void> {
    await this.history.evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
  }
}
