import { expect, type Locator, type Page } from '@playwright/test';

/** The PBX login page, `/basix/login` (served by the simulator in tests). */
export class LoginPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.username = page.getByLabel(/user ?name|login|ユーザー名/i);
    this.password = page.getByLabel(/password|パスワード/i);
    this.submit = page.getByRole('button', { name: /log ?in|sign in|ログイン/i });
  }

  async goto(): Promise<void> {
    await this.page.goto('/basix/login');
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/basix\/login(\?|$)/);
    await expect(this.password).toBeVisible();
  }

  /** Fill and submit the form (does not wait for what comes next). */
  async login(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }
}
