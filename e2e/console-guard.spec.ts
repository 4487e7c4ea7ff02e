/**
 * The console-error guard that every other test relies on (issue 4, test 11) must itself work:
 * a console.error or an uncaught exception fails the test, an allowed browser log line does not.
 */
import { test, expect } from '@playwright/test';
import { ConsoleGuard } from './fixtures/console-guard';

test.describe('console error guard', () => {
  test('fails on console.error and on an uncaught exception', async ({ browser }, testInfo) => {
    const context = await browser.newContext();
    const guard = new ConsoleGuard();
    guard.attach(context);
    const page = await context.newPage();
    await page.setContent('<p>guard</p>');
    await page.evaluate(() => console.error('boom from the page'));
    await page.evaluate(() => setTimeout(() => { throw new Error('thrown later'); }, 0));
    await expect.poll(() => guard.problems.length).toBe(2);
    await expect(guard.verify(testInfo)).rejects.toThrow(/boom from the page[\s\S]*thrown later/);
    await context.close();
  });

  test('tolerates only the lines a test declares', async ({ browser }, testInfo) => {
    const context = await browser.newContext();
    const guard = new ConsoleGuard();
    guard.allow({ text: /^expected network noise$/, why: 'declared by this test' });
    guard.attach(context);
    const page = await context.newPage();
    await page.setContent('<p>guard</p>');
    await page.evaluate(() => console.error('expected network noise'));
    await expect.poll(() => guard.tolerated.length).toBe(1);
    await guard.verify(testInfo);
    await page.evaluate(() => console.error('something else'));
    await expect.poll(() => guard.problems.length).toBe(1);
    await expect(guard.verify(testInfo)).rejects.toThrow(/something else/);
    await context.close();
  });
});
