/**
 * Issue 11 "Search by reading": a kanji name is found by its reading in hiragana, katakana or
 * romaji. The PBX's user record has no kana field; the reading comes from what it does carry —
 * the romaji of the e-mail address (the simulator's users are `given.family@…`), the login name,
 * or a kana label.
 */
import { test, expect } from './fixtures/test';
import { yamadaCalls, YAMADA } from './support/scenarios';

test('the users search finds 井上 蓮 by いのうえ, イノウエ and inoue, and ranks the same in the transfer box', async ({ page, sim, operator }) => {
  for (const q of ['いのうえ', 'イノウエ', 'inoue']) {
    await operator.searchUsers(q);
    await expect(operator.userRow('user5')).toBeVisible();
    await expect(operator.userRow('user5')).toContainText('井上 蓮');
  }
  await operator.searchUsers('');
  await sim.scenario([yamadaCalls()]);
  await operator.ringingCall(YAMADA.crmName).getByRole('button').first().click();
  const dialog = page.getByRole('dialog', { name: `Call from ${YAMADA.crmName}` });
  await dialog.getByRole('combobox', { name: 'Transfer to' }).fill('いのうえ');
  await expect(dialog.getByRole('option', { name: /井上 蓮/ })).toBeVisible();
});
