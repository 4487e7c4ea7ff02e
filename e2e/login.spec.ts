/**
 * The session gate (issue 4, tests 1 and 10; issue 9: a real PBX has no session endpoint and the
 * browser hides a refused upgrade's 401, so a lost login is noticed from the socket alone).
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures/test';
import type { ConsolePage } from './pages/console-page';
import type { ConsoleGuard } from './fixtures/console-guard';
import { LoginPage } from './pages/login-page';
import { OPERATOR } from './support/accounts';

/** Chromium logs each refused handshake (and a 401 of our optional session endpoint). */
function allowRefusedSockets(guard: ConsoleGuard): void {
  guard.allow({ text: /WebSocket connection to '.*\/basix\/api\/ws_cti.*' failed/, why: 'the socket is refused while logged out, on purpose' });
  guard.allow({ text: /status of 401/, url: /\/basix\/api\/session/, why: 'our optional session endpoint says 401 while logged out' });
}

/** The banner's "Log in to the PBX" opens the PBX login in another tab; log in there. */
async function logInInOtherTab(page: Page): Promise<Page> {
  const banner = page.getByTestId('login-required');
  await expect(banner).toBeVisible({ timeout: 20_000 });
  const popupPromise = page.context().waitForEvent('page');
  await banner.getByRole('link', { name: 'Log in to the PBX' }).click();
  const popup = await popupPromise;
  const login = new LoginPage(popup);
  await login.expectShown();
  await login.login(OPERATOR.username, OPERATOR.password);
  await expect(popup).not.toHaveURL(/\/basix\/login/);
  return popup;
}

test('@core without a session the console offers "Log in to the PBX"; logging in in the other tab brings it live by itself', async ({
  page,
  consolePage,
  consoleGuard,
}) => {
  allowRefusedSockets(consoleGuard);
  await page.goto('/');
  await expect(consolePage.connection).not.toHaveText(/\bLive\b/);
  const popup = await logInInOtherTab(page);
  // the console was never reloaded: it reconnects on its own
  await consolePage.expectLive();
  await expect(page.getByTestId('login-required')).toBeHidden();
  for (const region of [consolePage.ringing, consolePage.queues, consolePage.parkSlots, consolePage.users, consolePage.groups, consolePage.missed]) {
    await expect(region).toBeVisible();
  }
  await popup.close();
});

test('a wrong password stays on the login page', async ({ page, loginPage, consoleGuard }) => {
  // the simulator answers a failed login with the form again and status 401, which Chromium logs
  consoleGuard.allow({ text: /status of 401/, url: /\/basix\/login$/, why: 'the wrong password is on purpose' });
  await loginPage.goto();
  await loginPage.login(OPERATOR.username, 'not-the-password');
  await expect(page).toHaveURL(/\/basix\/login/);
  await expect(page.getByRole('alert')).toContainText('Wrong username or password');
  await expect(loginPage.password).toBeVisible();
});

test('@core the session ending on the PBX leads to logging in again', async ({ page, sim, operator, loginPage, profile, consoleGuard }) => {
  allowRefusedSockets(consoleGuard);
  await sim.logout(OPERATOR.username);
  if (profile === 'default') {
    // `system_msg logout` (older servers) goes straight to the login page, and our session
    // endpoint keeps the console closed until the operator logs in again
    await loginPage.expectShown();
    await page.goto('/');
    await loginPage.expectShown();
    await loginPage.login(OPERATOR.username, OPERATOR.password);
  } else {
    // a PBX that just closes the socket: the refused reconnects lead to "Log in to the PBX"
    await logInInOtherTab(page);
  }
  await operator.expectLive();
});

test('@core a session cookie gone meanwhile: the next reconnect leads to logging in again', async ({
  page,
  context,
  sim,
  operator,
  loginPage,
  profile,
  consoleGuard,
}) => {
  allowRefusedSockets(consoleGuard);
  await context.clearCookies();
  await sim.restart(200);
  if (profile === 'default') {
    // our session endpoint answered well before, so its 401 means "logged out" at once
    await loginPage.expectShown();
  } else {
    await logInInOtherTab(page);
    await (operator as ConsolePage).expectLive();
  }
});
