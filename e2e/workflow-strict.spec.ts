/**
 * Issue 11 on a PBX that speaks only the documents (the strict profile in the `strict` project):
 * no session endpoint, so the console does not know who the operator is until "My PBX user id" is
 * set; Take call then works through call_user alone.
 */
import { test, expect } from './fixtures/test';
import { YAMADA, yamadaCalls } from './support/scenarios';

/** The simulator's `operator` user (src/pbx-sim/directory.ts OPERATOR_ID). */
const OPERATOR_ID = 10000900;

test('@core Take call is disabled with the reason until the operator is known, then picks the call up on their phone', async ({ page, sim, operator, profile }) => {
  await sim.scenario([yamadaCalls()]);
  await operator.ringingCall(YAMADA.crmName).getByRole('button').click();
  let dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  const take = dialog.getByRole('button', { name: 'Take call' });
  if (profile === 'strict') {
    // Only the documents: the PBX never says who is logged in.
    await expect(take).toBeDisabled();
    await expect(dialog).toContainText('My PBX user id');
    await expect(page.getByRole('banner').first()).not.toContainText('Logged in as');
    await page.evaluate((id) => {
      const raw = JSON.parse(localStorage.getItem('basix-console-settings') ?? '{"state":{},"version":1}');
      raw.state = { ...raw.state, myUserId: id };
      localStorage.setItem('basix-console-settings', JSON.stringify(raw));
    }, OPERATOR_ID);
    await page.reload();
    await operator.expectLive();
    await expect(page.getByRole('banner').first()).toContainText('My phone: 受付 花子');
    await operator.ringingCall(YAMADA.crmName).getByRole('button').click();
    dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  }
  await dialog.getByRole('button', { name: 'Take call' }).click();
  await expect(dialog).toContainText('your phone is ringing');
  const mine = page.getByRole('region', { name: 'Calls in progress' }).getByRole('button').filter({ hasText: 'My call' });
  await expect(mine).toContainText(YAMADA.crmName, { timeout: 15_000 });
});
