/**
 * Issue 9: "a quiet PBX is not a dead one". The protocol has no ping: the console must stay live
 * through long quiet spells without sending anything or reconnecting, and notice a sleep of the
 * PC (a page timer that fires far too late) with a fresh connection. Playwright's page clock
 * stands in for the minutes (it drives the page's timers; the CTI worker's own run in real time,
 * and its silence limit and sleep detector are unit-tested with fake timers in
 * src/features/connection/cti-connection.test.ts).
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures/test';
import type { ConsolePage } from './pages/console-page';
import type { LoginPage } from './pages/login-page';
import { OPERATOR } from './support/accounts';
import { YAMADA, yamadaCalls } from './support/scenarios';

/** Installs the page clock before the console loads, logs in and waits for Live. */
async function liveOnPageClock(page: Page, loginPage: LoginPage, consolePage: ConsolePage): Promise<void> {
  await page.clock.install();
  await loginPage.goto();
  await loginPage.login(OPERATOR.username, OPERATOR.password);
  // a real PBX's login may land on its own web app
  if (new URL(page.url()).pathname.startsWith('/basix/')) await page.goto('/');
  await consolePage.expectLive();
}

test('@core a quiet PBX: ten quiet minutes later the console is still live, sent nothing and never reconnected', async ({ page, sim, loginPage, consolePage }) => {
  await liveOnPageClock(page, loginPage, consolePage);
  const before = await sim.consoleSockets();
  // In 5 s steps with a little real time between them: the page's watchdog pings the CTI worker
  // (which runs on the real clock) every 5 s and must get its answer before a 10 s deadline, as
  // it would in ten real minutes.
  for (let step = 0; step < 120; step++) {
    await page.clock.runFor(5_000);
    await page.waitForTimeout(25);
  }
  await expect(consolePage.connection).toHaveText(/\bLive\b/);
  expect(await sim.consoleSockets()).toEqual(before);
  // and it is still really live: a new call shows
  await sim.scenario([yamadaCalls()]);
  await expect(consolePage.ringingCall(YAMADA.crmName)).toBeVisible();
  expect((await sim.consoleSockets()).accepted).toBe(before.accepted);
});

test('@core the PC slept: the page timers stood still, and the console opens a fresh connection by itself', async ({ page, sim, loginPage, consolePage }) => {
  await liveOnPageClock(page, loginPage, consolePage);
  const before = await sim.consoleSockets();
  // the lid closes for 20 minutes: time jumps, the timers fire once, late
  await page.clock.fastForward('20:00');
  await expect.poll(async () => (await sim.consoleSockets()).accepted).toBe(before.accepted + 1);
  await expect(consolePage.connection).toHaveText(/\bLive\b/);
  expect((await sim.consoleSockets()).commands).toBe(before.commands);
});
