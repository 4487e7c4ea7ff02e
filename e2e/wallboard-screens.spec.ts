/** Issue 13: the wallboard on a TV at 1920×1080 and 3840×2160, dark, with the figures of the day. */
import { test, expect } from './fixtures/test';
import { inboundCall } from './support/scenarios';

const calls = [
  inboundCall({ id: 'w1', from: '0311110001', toGroup: 'group1', queue: true }),
  inboundCall({ id: 'w2', from: '0311110002', toGroup: 'group1', queue: true }),
  inboundCall({ id: 'w3', from: '0311110003', toGroup: 'group2', queue: true }),
  { op: 'wait', ms: 1500 },
  { op: 'answer', call: 'w1', user: 'user1' },
  { op: 'hangup', call: 'w3', cause: 'recv_cancel,ORIGINATOR_CANCEL' },
];

for (const [width, height] of [
  [1920, 1080],
  [3840, 2160],
] as const) {
  test(`@core the wallboard fits ${width}×${height} without scrolling, shows the groups of the URL and says when it is not live`, async ({ page, sim, operator }, testInfo) => {
    await page.setViewportSize({ width, height });
    await page.goto('/wallboard?groups=10001111,10001112,10001113,10001114,10001115,10001116,10001117,10001118');
    const board = page.getByTestId('wallboard');
    await expect(board).toBeVisible();
    await expect(page.getByTestId('wb-notlive')).toHaveCount(0, { timeout: 15_000 });
    await sim.scenario(calls);
    const reception = page.getByRole('region', { name: '代表' });
    await expect(reception.getByTestId('wb-waiting')).toContainText('1');
    await expect(reception.getByTestId('wb-answered')).toContainText('1');
    await expect(page.getByRole('region', { name: '営業部' }).getByTestId('wb-abandoned')).toContainText('1');
    await expect(page.locator('.wb-tile')).toHaveCount(8);
    const scroll = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth }));
    expect(scroll.h).toBeLessThanOrEqual(height);
    expect(scroll.w).toBeLessThanOrEqual(width);
    // every tile's big number is inside its tile (nothing cut off)
    for (const tile of await page.locator('.wb-tile').all()) {
      const t = (await tile.boundingBox())!;
      const n = (await tile.getByTestId('wb-waiting').boundingBox())!;
      expect(n.y + n.height).toBeLessThanOrEqual(t.y + t.height + 1);
    }
    await page.screenshot({ path: testInfo.outputPath(`wallboard-${width}x${height}.png`) });

    await sim.restart(4000);
    await expect(page.getByTestId('wb-notlive')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`wallboard-${width}x${height}-not-live.png`) });
    await expect(page.getByTestId('wb-notlive')).toHaveCount(0, { timeout: 40_000 });
    void operator;
  });
}
