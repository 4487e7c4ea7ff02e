/** Issue 4, tests 2, 3 and 7: ringing calls, queues, and the call actions end to end. */
import { test, expect } from './fixtures/test';
import { YAMADA, yamadaCalls } from './support/scenarios';

/** "m:ss" or "h:mm:ss" → seconds. */
function seconds(text: string): number {
  const m = /(?:(\d+):)?(\d+):(\d{2})/.exec(text);
  if (!m) return Number.NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

test('@core a ringing call shows the Japanese caller name, the formatted number and the CRM data', async ({ sim, operator }) => {
  await expect(operator.ringing.getByText('No calls ringing')).toBeVisible();
  await sim.scenario([yamadaCalls()]);
  const call = operator.ringingCall(YAMADA.crmName);
  await expect(call).toBeVisible();
  await expect(call).toContainText(YAMADA.formatted);
  await expect(call).toContainText(YAMADA.callingName);
  await expect(call).toContainText(YAMADA.organization);
  await expect(operator.ringing.getByRole('listitem')).toHaveCount(1);
});

test("@core a queued caller's wait time grows", async ({ sim, operator }) => {
  await sim.scenario([yamadaCalls('q1', { queue: true })]);
  const waiting = operator.queues.getByRole('listitem').filter({ hasText: YAMADA.crmName });
  await expect(waiting).toBeVisible();
  await expect(waiting).toContainText('Position 1');
  const first = seconds((await waiting.textContent()) ?? '');
  expect(first).toBeGreaterThanOrEqual(0);
  await expect.poll(async () => seconds((await waiting.textContent()) ?? ''), { timeout: 5_000 }).toBeGreaterThanOrEqual(first + 2);
});

test('@core park, transfer and hang up from the console act on the PBX and the result shows from events', async ({ page, sim, operator }) => {
  await sim.scenario([yamadaCalls()]);

  // Park the ringing call from its detail dialog.
  await operator.ringingCall(YAMADA.crmName).getByRole('button').click();
  let dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Park' }).click();
  await expect(dialog.getByRole('status')).toContainText(/Park: done — park slot 9\d\d/); // the slot to announce
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(operator.ringing.getByText('No calls ringing')).toBeVisible();
  const slot = operator.parkSlots.getByRole('button', { name: /^Park slot \d+$/ }).filter({ hasText: YAMADA.crmName });
  await expect(slot).toBeVisible();
  await expect(slot).toContainText('Parked by 受付 花子'); // the operator's label, not the login name

  // Transfer it to user1 (佐藤 花子, extension 1001) through the type-ahead box.
  await slot.click();
  dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  await dialog.getByRole('combobox', { name: 'Transfer to' }).fill('1001');
  await dialog.getByRole('option', { name: /佐藤 花子/ }).click();
  await expect(dialog.getByRole('status').last()).toContainText(/Transfer.*: done/);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(slot).toHaveCount(0);
  const ringingUser1 = operator.ringingCall(YAMADA.crmName);
  await expect(ringingUser1).toContainText('User 佐藤 花子');

  // Hang it up (with the confirmation).
  await ringingUser1.getByRole('button').click();
  dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  await dialog.getByRole('button', { name: 'Hang up' }).click();
  await dialog.getByRole('button', { name: 'Yes, hang up' }).click();
  await expect(dialog.getByText('This call has ended.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(operator.ringing.getByText('No calls ringing')).toBeVisible();
  const state = await sim.state<{ channels?: unknown[] }>();
  expect(JSON.stringify(state)).not.toContain(YAMADA.number);
});
