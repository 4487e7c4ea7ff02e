/** Issue 4, test 4: a parked call's slot opens the caller and the parker in a dialog. */
import { test, expect } from './fixtures/test';
import { YAMADA, park, yamadaCalls } from './support/scenarios';

test('clicking Park slot 905 shows the caller and the parker', async ({ page, sim, operator }) => {
  await expect(operator.parkSlot(905)).toContainText('Free');
  await sim.scenario([yamadaCalls('p1'), park('p1', 'user1', 905)]);
  const slot = operator.parkSlot(905);
  await expect(slot).toContainText(YAMADA.crmName);
  await slot.click();
  const dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(YAMADA.formatted);
  await expect(dialog).toContainText(YAMADA.organization);
  await expect(dialog.getByRole('definition').filter({ hasText: /^905$/ })).toBeVisible();
  await expect(dialog).toContainText('Parked by');
  await expect(dialog).toContainText('佐藤 花子'); // user1's label: the PBX's parker_name is the login name
  await expect(dialog).not.toContainText('user1');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(slot).toBeFocused();
});
