/** Issue 4, tests 1 and 10: the session gate. */
import { test, expect } from './fixtures/test';
import { OPERATOR } from './support/accounts';

test('without a session / redirects to the login page, and logging in shows the console', async ({
  page,
  loginPage,
  consolePage,
}) => {
  await page.goto('/');
  await loginPage.expectShown();
  await loginPage.login(OPERATOR.username, OPERATOR.password);
  await expect(page).not.toHaveURL(/\/basix\/login/);
  await consolePage.expectLive();
  for (const region of [consolePage.ringing, consolePage.queues, consolePage.parkSlots, consolePage.users, consolePage.groups, consolePage.missed]) {
    await expect(region).toBeVisible();
  }
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

test('the session ending on the PBX (logout) leads to the login page', async ({ page, sim, operator, loginPage }) => {
  await sim.logout(OPERATOR.username);
  await loginPage.expectShown();
  // and the console is not reachable any more without logging in again
  await page.goto('/');
  await loginPage.expectShown();
  void operator;
});

test('a cleared session cookie leads to the login page on the next reconnect (401)', async ({
  context,
  sim,
  operator,
  loginPage,
  consoleGuard,
}) => {
  // Chromium may log the refused handshake / the 401 of the session check itself
  consoleGuard.allow({ text: /WebSocket connection to '.*\/basix\/api\/ws_cti.*' failed/, why: 'the reconnect is refused with 401 on purpose' });
  consoleGuard.allow({ text: /status of 401/, url: /\/basix\/api\/session/, why: 'the session check answers 401 on purpose' });
  await context.clearCookies();
  await sim.restart(200);
  await loginPage.expectShown();
  void operator;
});
