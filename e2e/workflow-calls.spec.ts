/** Issue 11: calls in progress, Take call (keyboard too), click-to-call, Japanese input, the header. */
import { test, expect } from './fixtures/test';
import { YAMADA, answer, yamadaCalls } from './support/scenarios';

/** The operator's label in the simulator's directory. */
const OPERATOR_LABEL = '受付 花子';

test('an answered call shows once in Calls in progress and its dialog parks the caller', async ({ page, sim, operator }) => {
  const inProgress = page.getByRole('region', { name: 'Calls in progress' });
  await expect(inProgress).toContainText('No answered calls');
  await sim.scenario([yamadaCalls(), answer('yamada', 'user1')]);
  const call = inProgress.getByRole('button').filter({ hasText: YAMADA.crmName });
  await expect(call).toHaveCount(1);
  await expect(call).toContainText('佐藤 花子');
  await expect(call).toContainText('Incoming');
  await expect(operator.ringing.getByText('No calls ringing')).toBeVisible();

  await call.click();
  const dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  await expect(dialog).toContainText('Answered by佐藤 花子');
  await expect(dialog.getByRole('button', { name: 'Take call' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Park' }).click();
  await expect(dialog.getByRole('status')).toContainText(/Park: done — park slot 9\d\d/);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(inProgress).toContainText('No answered calls');
  await expect(operator.parkSlots.getByRole('button', { name: /^Park slot \d+$/ }).filter({ hasText: YAMADA.crmName })).toBeVisible();
});

test('T on a ringing call takes it to the operator’s phone (call_user pickup), then it is “My call”', async ({ page, sim, operator }) => {
  await sim.scenario([yamadaCalls()]);
  const item = operator.ringingCall(YAMADA.crmName).getByRole('button');
  await item.focus();
  await page.keyboard.press('t');
  const dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  await expect(dialog).toContainText('your phone is ringing');
  // The simulated phone answers by itself after a few seconds; the PBX then picks the call up.
  const mine = page.getByRole('region', { name: 'Calls in progress' }).getByRole('button').filter({ hasText: 'My call' });
  await expect(mine).toContainText(YAMADA.crmName, { timeout: 15_000 });
  await expect(mine).toContainText(OPERATOR_LABEL);
});

test('Call next to the caller’s number rings the operator’s phone, then the number', async ({ page, sim, operator }) => {
  await sim.scenario([yamadaCalls()]);
  await operator.ringingCall(YAMADA.crmName).getByRole('button').click();
  const dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  const answerPromise = page.waitForResponse((r) => r.url().endsWith('/basix/api/call_user'));
  await dialog.getByRole('button', { name: `Call ${YAMADA.formatted}` }).click();
  const res = await answerPromise;
  expect(res.request().postDataJSON()).toMatchObject({ destination: YAMADA.number });
  expect(await res.json()).toMatchObject({ result_code: 0 });
  await expect(dialog).toContainText(`Your phone is ringing: answer it to call ${YAMADA.formatted}`);
});

test('a 404 from call_user: Take call falls back to transfer, and Call says click-to-call is not available', async ({ page, sim, operator, consoleGuard }) => {
  consoleGuard.allow({ text: /status of 404/, url: /\/basix\/api\/call_user/, why: 'a PBX without call_user, on purpose' });
  await page.route('**/basix/api/call_user', (route) => route.fulfill({ status: 404, contentType: 'text/html', body: '<h1>Not Found</h1>' }));
  await sim.scenario([yamadaCalls()]);
  await operator.ringingCall(YAMADA.crmName).getByRole('button').click();
  const dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  await dialog.getByRole('button', { name: 'Take call' }).click();
  await expect(dialog).toContainText('sent as a transfer to your phone');
  await expect(dialog.getByRole('status').last()).toContainText(new RegExp(`Transfer → ${OPERATOR_LABEL}: done`));
  await expect(dialog.getByRole('button', { name: `Call ${YAMADA.formatted}` })).toBeDisabled();
  await expect(dialog).toContainText('Click-to-call is not available on this PBX');
});

test('Japanese input: Enter that confirms the IME text sends no transfer', async ({ page, sim, operator }) => {
  await sim.scenario([yamadaCalls()]);
  await operator.ringingCall(YAMADA.crmName).getByRole('button').click();
  const dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  const box = dialog.getByRole('combobox', { name: 'Transfer to' });
  await box.focus();
  // A real composition through Chromium's IME input path (CDP): the Enter that commits it is keyCode 229.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'さとう', selectionStart: 3, selectionEnd: 3 });
  await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', windowsVirtualKeyCode: 229, key: 'Enter', code: 'Enter' });
  await cdp.send('Input.insertText', { text: '佐藤' });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', windowsVirtualKeyCode: 13, key: 'Enter', code: 'Enter' });
  await expect(box).toHaveValue('佐藤');
  await expect(dialog.getByRole('option', { name: /佐藤 花子/ })).toBeVisible();
  await expect(dialog.getByRole('alertdialog')).toHaveCount(0);
  await expect(dialog.getByRole('status').last()).not.toContainText('Transfer');
  // Enter after the composition picks the first match (an Away user: the transfer asks first).
  await box.press('Enter');
  await expect(dialog.getByRole('alertdialog', { name: /^Transfer to 佐藤 .+\?$/ })).toContainText('presence is Away');
});

test('the header says who is logged in; Log out goes to the PBX login page', async ({ page, operator }) => {
  await expect(page.getByRole('banner').first()).toContainText('Logged in as operator');
  await operator.users.getByRole('searchbox', { name: 'Search users' }).focus();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/basix\/login/);
});
