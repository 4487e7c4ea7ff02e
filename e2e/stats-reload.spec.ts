/** Issue 13: the queue statistics of a scripted morning, unchanged by a reload and by a PBX restart. */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures/test';
import { inboundCall } from './support/scenarios';

/** The reception group (group1) of the simulator's directory. */
const RECEPTION = '代表';

/** Three callers to the reception: one answered after ~2 s, one gives up after ~2 s, one to voicemail. */
const morning = [
  inboundCall({ id: 's1', from: '0311110001', toGroup: 'group1', queue: true }),
  inboundCall({ id: 's2', from: '0311110002', toGroup: 'group1', queue: true }),
  inboundCall({ id: 's3', from: '0311110003', toGroup: 'group1', queue: true }),
  { op: 'wait', ms: 2000 },
  { op: 'answer', call: 's1', user: 'user1' },
  { op: 'hangup', call: 's2', cause: 'recv_cancel,ORIGINATOR_CANCEL' },
  { op: 'voicemail', call: 's3', group: 'group1' },
];

async function receptionRow(page: Page): Promise<string[]> {
  const region = page.getByRole('region', { name: 'Queue statistics' });
  const row = region.getByRole('row').filter({ has: page.getByRole('rowheader', { name: RECEPTION }) });
  await expect(row).toBeVisible();
  // offered … service level (not "waiting now" / "longest now", which tick)
  return (await row.getByRole('cell').allTextContents()).slice(2, 10);
}

/** Calls with a final outcome in the statistics' IndexedDB. */
function storedFinalCalls(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const req = indexedDB.open('basix-console-stats');
        req.onerror = () => resolve(-1);
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('calls')) return resolve(0);
          const all = db.transaction('calls').objectStore('calls').getAll();
          all.onsuccess = () => resolve((all.result as Array<{ outcome: string }>).filter((c) => c.outcome !== 'waiting' && c.outcome !== 'left').length);
          all.onerror = () => resolve(-1);
        };
      }),
  );
}

async function openStats(page: Page) {
  await page.getByRole('button', { name: 'Statistics' }).click();
  await expect(page.getByRole('region', { name: 'Queue statistics' })).toBeVisible();
}

test('@core statistics count the scripted calls, and a reload and a PBX restart leave them as they were', async ({ page, sim, operator }) => {
  test.setTimeout(150_000); // a 12 s outage and the reconnect backoff after it
  await sim.scenario(morning);
  await openStats(page);
  const region = page.getByRole('region', { name: 'Queue statistics' });
  await expect(region.getByTestId('stats-since')).toContainText(/Statistics since \d\d:\d\d/);
  await expect.poll(() => receptionRow(page)).toEqual(['3', '1', '1', '1', expect.stringMatching(/^0:0\d$/), expect.stringMatching(/^0:0\d$/), expect.stringMatching(/^0:0\d$/), '100 %']);
  const before = await receptionRow(page);
  await expect(region.getByTestId('stats-chart').locator('canvas')).toBeVisible();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: test.info().outputPath('stats-1366x768.png') });

  // the batched write (every 2 s) holds the three settled calls before the reload
  await expect.poll(() => storedFinalCalls(page)).toBeGreaterThanOrEqual(3);
  await page.reload();
  await operator.expectLive();
  await openStats(page);
  await expect.poll(() => receptionRow(page)).toEqual(before);

  await page.getByRole('button', { name: 'Close' }).click();
  await sim.restart(12_000);
  await expect(operator.connection).not.toHaveText(/\bLive\b/);
  await expect(operator.connection).toHaveText(/\bLive\b/, { timeout: 60_000 }); // after the backoff
  await openStats(page);
  await expect.poll(() => receptionRow(page)).toEqual(before);
  await expect(region.getByTestId('stats-outages')).toContainText(/no data \d\d:\d\d–\d\d:\d\d/);
});
