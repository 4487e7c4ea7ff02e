/** Issue 4, tests 5 and 6: voicemail counters and avatars in the users table. */
import { test, expect } from './fixtures/test';
import { setMwi } from './support/scenarios';

test('@core MWI counters change when the PBX changes them', async ({ sim, operator }) => {
  await operator.searchUsers('1001');
  const row = operator.userRow('user1');
  await expect(row).toBeVisible();
  await sim.scenario([setMwi('user1', { new: 3, saved: 5 })]);
  await expect(row).toContainText('3 new voicemail messages, 5 saved');
  await sim.scenario([setMwi('user1', { new: 1, saved: 6 })]);
  await expect(row).toContainText('1 new voicemail message, 6 saved');
  await expect(row).not.toContainText('3 new voicemail messages');
  // an empty box shows no counter at all
  await sim.scenario([setMwi('user1', { new: 0, saved: 0 })]);
  await expect(row).not.toContainText('voicemail');
  await sim.scenario([setMwi('user1', { new: 2, saved: 0 })]);
  await expect(row).toContainText('2 new voicemail messages, 0 saved');
});

test('@core avatars resolve against base_url, load, and a broken one falls back', async ({ page, baseURL, operator, consoleGuard }) => {
  // the operator's avatar is a relative file name (`u10000900.png`): base_url + basix/avatars/users/
  await operator.searchUsers('operator');
  const row = operator.userRow('operator');
  const img = row.locator('img').first();
  await expect(img).toHaveAttribute('src', `${baseURL}/basix/avatars/users/u10000900.png`);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);

  // Point base_url at a place without avatars: the image fails and the fallback is drawn instead.
  consoleGuard.allow({ text: /Failed to load resource.*404/, url: /\/no-avatars-here\//, why: 'the broken avatar is on purpose' });
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByLabel('Avatar base URL').fill(`${baseURL}/no-avatars-here/`);
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings).toBeHidden();
  await expect(img).toHaveAttribute('src', /^data:image\/svg\+xml,/);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
});
