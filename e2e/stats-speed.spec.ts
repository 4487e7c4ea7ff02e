/**
 * Issue 13: "a 10-minute run at high speed shows the figures move as the scenario says". The
 * first ten minutes of the simulator's call-centre morning (src/pbx-sim/scenarios/call-centre-day.ts)
 * played twenty times faster: the reception's figures grow step by step while it runs and end at
 * what the scenario says (counts do not depend on the speed; every wait is then under the 20 s
 * service-level target).
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures/test';
import { callCentreDayCalls, callCentreDayExpected, callCentreDayTimeline } from '../src/pbx-sim/scenarios/call-centre-day';

const SPEED = 20;
const RECEPTION = '代表'; // group1 of the simulator's directory

/** The first ten minutes' callers, with every time divided by SPEED. */
const calls = callCentreDayCalls()
  .filter((c) => c.atMs < 10 * 60_000)
  .map((c) => ({ ...c, atMs: c.atMs / SPEED, waitMs: c.waitMs / SPEED }));

/** The scaled timeline as scenario steps, up to the last caller's outcome (the hang-ups after it count for nothing here). */
function steps(): Array<Record<string, unknown>> {
  const lastOutcomeMs = Math.max(...calls.map((c) => c.atMs + c.waitMs));
  const out: Array<Record<string, unknown>> = [];
  let t = 0;
  for (const e of callCentreDayTimeline(calls)) {
    if (e.atMs > lastOutcomeMs) break;
    if (e.atMs > t) out.push({ op: 'wait', ms: Math.round(e.atMs - t) });
    t = e.atMs;
    out.push(...e.steps);
  }
  return out;
}

async function receptionCounts(page: Page): Promise<number[]> {
  const row = page
    .getByRole('region', { name: 'Queue statistics' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: RECEPTION }) });
  if ((await row.count()) === 0) return [0, 0, 0, 0];
  // offered, answered, abandoned, voicemail
  return (await row.getByRole('cell').allTextContents()).slice(2, 6).map((x) => Number(x) || 0);
}

test('@core ten minutes of the call-centre morning at 20× speed: the reception figures move as the scenario says', async ({ page, sim, operator }) => {
  test.setTimeout(120_000);
  const expected = callCentreDayExpected(20, calls).group1;
  expect(expected.offered).toBeGreaterThanOrEqual(3); // the scenario's first ten minutes hold several reception callers
  await page.getByRole('button', { name: 'Statistics' }).click();
  await expect(page.getByRole('region', { name: 'Queue statistics' })).toBeVisible();
  const run = sim.scenario(steps(), { timeoutMs: 90_000 }); // runs for ~25 s; the figures are read meanwhile
  const seen: number[] = [];
  await expect
    .poll(
      async () => {
        const [offered, answered, abandoned, voicemail] = await receptionCounts(page);
        if (seen.at(-1) !== offered) seen.push(offered);
        return [offered, answered, abandoned, voicemail];
      },
      { timeout: 90_000, intervals: [250] },
    )
    .toEqual([expected.offered, expected.answered, expected.abandoned, expected.voicemail]);
  await run;
  // it moved: the offered count went up through the values in between, never down
  expect(seen.length).toBeGreaterThanOrEqual(3);
  expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  const row = page.getByRole('region', { name: 'Queue statistics' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: RECEPTION }) });
  await expect(row).toContainText('100 %'); // every (sped-up) wait is within the 20 s target
  void operator;
});
