/** Issue 11: Calls in progress fits the layout without pushing other panels out of view. */
import { test, expect } from './fixtures/test';
import { YAMADA, answer, inboundCall, park, yamadaCalls } from './support/scenarios';

const REGIONS = ['Ringing calls', 'Calls in progress', 'Queues', 'Park slots', 'Users', 'Groups', 'Missed calls'];

for (const size of [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
]) {
  test(`at ${size.width}×${size.height} every panel is in view with ringing and answered calls`, async ({ page, sim, operator }, testInfo) => {
    await page.setViewportSize(size);
    await sim.scenario([
      yamadaCalls(),
      inboundCall({ id: 'b', from: '0698765432', callingName: 'スズキ', toGroup: 'group1' }),
      answer('b', 'user2'),
      inboundCall({ id: 'c', from: '0451112222', toGroup: 'group1' }),
      answer('c', 'user3'),
    ]);
    const inProgress = page.getByRole('region', { name: 'Calls in progress' });
    await expect(inProgress.getByRole('button')).toHaveCount(2);
    await expect(operator.ringingCall(YAMADA.crmName)).toBeVisible();
    for (const name of REGIONS) {
      const box = await page.getByRole('region', { name }).boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.y + box!.height, `${name} bottom`).toBeLessThanOrEqual(size.height + 1);
      expect(box!.x + box!.width, `${name} right`).toBeLessThanOrEqual(size.width + 1);
      expect(box!.height, `${name} height`).toBeGreaterThan(60);
    }
    await testInfo.attach(`console-${size.width}x${size.height}.png`, { body: await page.screenshot(), contentType: 'image/png' });
    await page.screenshot({ path: testInfo.outputPath(`console-${size.width}x${size.height}.png`) });
  });
}

for (const zoom of [1.5, 2]) {
  test(`at 1366×768 and ${zoom * 100} % text, ringing calls and calls in progress both stay in view`, async ({ page, sim, operator }, testInfo) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.evaluate((z) => {
      const raw = JSON.parse(localStorage.getItem('basix-console-settings') ?? '{"state":{},"version":1}');
      raw.state = { ...raw.state, zoom: z };
      localStorage.setItem('basix-console-settings', JSON.stringify(raw));
    }, zoom);
    await page.reload();
    await operator.expectLive();
    await sim.scenario([yamadaCalls(), inboundCall({ id: 'b', from: '0698765432', toGroup: 'group1' }), answer('b', 'user2')]);
    await expect(page.getByRole('region', { name: 'Calls in progress' }).getByRole('button')).toHaveCount(1);
    await expect(operator.ringingCall(YAMADA.crmName)).toBeVisible();
    for (const name of ['Ringing calls', 'Calls in progress']) {
      const box = await page.getByRole('region', { name }).boundingBox();
      expect(box!.y + box!.height, `${name} bottom`).toBeLessThanOrEqual(769);
      expect(box!.height, `${name} height`).toBeGreaterThan(60);
    }
    await expect(page.getByRole('region', { name: 'Calls in progress' }).getByRole('button')).toBeInViewport();
    await page.screenshot({ path: testInfo.outputPath(`console-1366x768-${zoom * 100}.png`) });
  });
}

test('@core at 1366×768 and 150 % text the park slots the PBX numbers for the operator are in view without scrolling, parked calls among them', async ({
  page,
  sim,
  operator,
  profile,
}, testInfo) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.evaluate(() => {
    const raw = JSON.parse(localStorage.getItem('basix-console-settings') ?? '{"state":{},"version":1}');
    raw.state = { ...raw.state, zoom: 1.5 };
    localStorage.setItem('basix-console-settings', JSON.stringify(raw));
  });
  await page.reload();
  await operator.expectLive();
  await sim.scenario([yamadaCalls('p1'), park('p1', 'user1', 901), inboundCall({ id: 'p2', from: '0698765432', toGroup: 'group1' }), park('p2', 'user2', 902)]);
  await expect(operator.parkSlot(902)).toContainText(/\d:\d\d/);
  await page.screenshot({ path: testInfo.outputPath(`park-1366x768-150-${profile}.png`) });
  // the occupied slots, the operator's park group (901–903) and the shared 997–999
  const mustShow = profile === 'strict' ? await operator.parkSlots.getByRole('button', { name: /^Park slot \d+$/ }).all() : [901, 902, 903].map((n) => operator.parkSlot(n));
  for (const slot of mustShow) await expect(slot).toBeInViewport({ ratio: 1 });
  if (profile === 'strict') {
    // a PBX with only PROTOCOL.md's numbering: 901–903 and 997–999 — every slot fits, no scrolling
    expect(mustShow).toHaveLength(6);
    await expect.poll(() => operator.parkSlots.getByRole('list').evaluate((ul) => ul.parentElement!.scrollHeight <= ul.parentElement!.clientHeight + 1)).toBe(true);
  } else {
    // the simulator's optional domain range adds 904–910, which may scroll: the grid is at its most compact
    await expect(operator.parkSlots.getByRole('list')).toHaveAttribute('data-compact', '3');
  }
});
