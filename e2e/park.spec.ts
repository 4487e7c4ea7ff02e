/** Issue 4, test 4: a parked call's slot opens the caller and the parker in a dialog. */
import { test, expect } from './fixtures/test';
import { YAMADA, park, yamadaCalls } from './support/scenarios';

test('@core clicking Park slot 902 shows the caller and the parker', async ({ page, sim, operator }) => {
  // 902: park group 0 (901–903), the reception's; its free slots are shown in both profiles
  await expect(operator.parkSlot(902)).toContainText('Free');
  await sim.scenario([yamadaCalls('p1'), park('p1', 'user1', 902)]);
  const slot = operator.parkSlot(902);
  await expect(slot).toContainText(YAMADA.crmName);
  // parked (sent as a channel_waiting in state park too): in its slot only, in no queue, not ringing
  await expect(operator.queues.getByText(YAMADA.crmName)).toHaveCount(0);
  await expect(operator.ringingCall(YAMADA.crmName)).toHaveCount(0);
  await slot.click();
  const dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(YAMADA.formatted);
  await expect(dialog).toContainText(YAMADA.organization);
  await expect(dialog.getByRole('definition').filter({ hasText: /^902$/ })).toBeVisible();
  await expect(dialog).toContainText('Parked by');
  await expect(dialog).toContainText('佐藤 花子'); // user1's label: the PBX's parker_name is the login name
  await expect(dialog).not.toContainText('user1');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(slot).toBeFocused();
});

test('a parked call ringing back is shown as a park ring-back, not as a new call', async ({ sim, operator }) => {
  await sim.scenario([yamadaCalls('p2'), park('p2', 'user1', 905)]);
  await expect(operator.parkSlot(905)).toContainText(YAMADA.crmName);
  await sim.scenario([{ op: 'ring_back', call: 'p2' }]);
  const call = operator.ringingCall(YAMADA.crmName);
  await expect(call).toHaveCount(1);
  await expect(call).toContainText('Park ring-back from 905');
  await expect(call).toContainText('rings 佐藤 花子'); // the parker (user1's label)
  await expect(operator.parkSlot(905)).not.toContainText(YAMADA.crmName);
});
