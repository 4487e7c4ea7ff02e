/**
 * Keyboard focus around the call dialog in a real browser, where a focused element that is
 * removed or disabled drops focus to <body> (jsdom models this only in part).
 */
import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import { inboundCall, park } from './support/scenarios';

const calls = (...names: string[]) => names.map((n, i) => inboundCall({ id: n, from: `031111000${i + 1}`, callingName: n, toGroup: 'group1' }));

/** What has focus, for messages: never expected to be <body>. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.tagName ?? 'none');

test('a ringing call parked from its dialog: Escape puts focus on the next ringing call', async ({ page, sim, operator }) => {
  await sim.scenario(calls('AAA', 'BBB', 'CCC'));
  await expect(operator.ringing.getByRole('listitem')).toHaveCount(3);
  await operator.ringingCall('BBB').getByRole('button').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Call from BBB' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Park' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('status')).toContainText(/Park: done — park slot 9\d\d/);
  await expect(operator.ringingCall('BBB')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(operator.ringingCall('CCC').getByRole('button')).toBeFocused();
  // and the list goes on from there
  await page.keyboard.press('ArrowUp');
  await expect(operator.ringingCall('AAA').getByRole('button')).toBeFocused();
});

test("hang up → 'Yes, hang up': focus stays in the open dialog, then Escape puts it on the (now empty) Ringing calls panel", async ({ page, sim, operator }) => {
  await sim.scenario(calls('AAA'));
  await operator.ringingCall('AAA').getByRole('button').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Call from AAA' });
  await dialog.getByRole('button', { name: 'Hang up' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('button', { name: 'Yes, hang up' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByText('This call has ended.')).toBeFocused();
  expect(await focused(page)).not.toBe('BODY');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(operator.ringing).toBeFocused();
  // focusable for this once only: Tab does not stop on the panel afterwards
  await page.keyboard.press('Tab');
  await expect(operator.ringing).not.toBeFocused();
  expect(await operator.ringing.getAttribute('tabindex')).toBeNull();
});

test("a parked call picked up while its slot's dialog is open: the dialog stays usable and Escape returns to the slot", async ({ page, sim, operator }) => {
  await sim.scenario([...calls('PPP'), { op: 'answer', call: 'PPP', user: 'user1' }, park('PPP', 'user1', 905)]);
  const slot = operator.parkSlot(905);
  await expect(slot).toContainText('PPP');
  await slot.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Call from PPP' });
  const hangUp = dialog.getByRole('button', { name: 'Hang up' });
  await hangUp.focus();
  await sim.scenario([{ op: 'answer', call: 'PPP', user: 'user2' }]);
  await expect(slot).toContainText('Free');
  await expect(dialog).toContainText('On a call');
  await expect(hangUp).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(slot).toBeFocused();
});
