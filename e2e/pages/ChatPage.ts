import { expect, type Locator, type Page } from '@playwright/test';

/** The signed-in chat shell: sidebar (people directory, account, sign out) and the conversation pane. */
export class ChatPage {
  readonly sidebar: Locator;
  readonly signOutButton: Locator;
  readonly peopleSearch: Locator;
  readonly people: Locator;

  constructor(readonly page: Page) {
    this.sidebar = page.getByRole('navigation', { name: 'Chattrix' });
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
}
