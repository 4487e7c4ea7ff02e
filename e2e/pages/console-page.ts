import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The operator console, by the accessible names the issue fixes: one region per panel, a
 * button per park slot (`Park slot 905`), MWI counters with a text alternative
 * (`3 new voicemail messages`), a connection status, and a banner with `Take over`.
 */
export class ConsolePage {
  readonly ringing: Locator;
  readonly queues: Locator;
  readonly parkSlots: Locator;
  readonly users: Locator;
  readonly groups: Locator;
  readonly missed: Locator;
  /** The connection indicator (live / reconnecting / stopped). */
  readonly connection: Locator;
  readonly takeOver: Locator;

  constructor(readonly page: Page) {
    this.ringing = page.getByRole('region', { name: 'Ringing calls' });
    this.queues = page.getByRole('region', { name: 'Queues' });
    this.parkSlots = page.getByRole('region', { name: 'Park slots' });
    this.users = page.getByRole('region', { name: 'Users' });
    this.groups = page.getByRole('region', { name: 'Groups' });
    this.missed = page.getByRole('region', { name: 'Missed calls' });
    this.connection = page.getByRole('status', { name: 'Connection status', exact: true });
    this.takeOver = page.getByRole('button', { name: 'Take over' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  /** Wait until the console shows all its panels and says it is live. */
  async expectLive(): Promise<void> {
    await expect(this.ringing).toBeVisible();
    await expect(this.connection).toHaveText(/\bLive\b/);
  }

  parkSlot(slot: number): Locator {
    return this.page.getByRole('button', { name: `Park slot ${slot}` });
  }

  /** Type into the users table's search box (the table is virtualized: rows off screen are not in the DOM). */
  async searchUsers(text: string): Promise<void> {
    await this.users.getByRole('searchbox', { name: 'Search users' }).or(this.users.getByRole('textbox', { name: 'Search users' })).fill(text);
  }

  /** The row of the users table of the user whose login name (or label) is exactly `name`. */
  userRow(name: string): Locator {
    return this.users.getByRole('row').filter({ has: this.page.getByText(name, { exact: true }) });
  }

  /** A ringing call entry, found by a text it shows (caller name or number). */
  ringingCall(text: string | RegExp): Locator {
    return this.ringing.getByRole('listitem').filter({ hasText: text });
  }
}
