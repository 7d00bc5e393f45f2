import { expect, type Locator, type Page } from '@playwright/test';

export class RegisterPage {
  readonly username: Locator;
  readonly displayName: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.username = page.getByLabel('Username', { exact: true });
    this.displayName = page.getByLabel('Display name', { exact: true });
    this.email = page.getByLabel('Email', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.submit = page.getByRole('button', { name: 'Create account' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/register');
    await expect(this.page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  }

  async register(user: { username: string; password: string; displayName?: string }): Promise<void> {
    await this.username.fill(user.username);
    if (user.displayName) await this.displayName.fill(user.displayName);
    await this.password.fill(user.password);
    await this.submit.click();
  }
}
