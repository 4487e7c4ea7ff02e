/** Issue 11: a dark-mode control (system / light / dark), not only the OS setting. */
import { test, expect } from './fixtures/test';

const background = (page: import('@playwright/test').Page) =>
  page.getByRole('region', { name: 'Ringing calls' }).evaluate((el) => getComputedStyle(el).backgroundColor);

/** Whether an `rgb(...)` / `oklch(...)` colour, as the browser computes it, is a dark one (a rough lightness test). */
const isDark = (css: string) => {
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(css);
  if (m) return (Number(m[1]) + Number(m[2]) + Number(m[3])) / 3 < 100;
  const l = /oklch\(([\d.]+)/.exec(css);
  return l ? Number(l[1]) < 0.5 : false;
};

test('Settings → Colour scheme: Dark makes the console dark over a light OS, Light the other way, and it is kept after a reload', async ({ page, operator }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  expect(isDark(await background(page))).toBe(false);
  const choose = async (name: string) => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('Colour scheme').selectOption({ label: name });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
  };
  await choose('Dark');
  await expect.poll(async () => isDark(await background(page))).toBe(true);
  await page.reload();
  await operator.expectLive();
  await expect.poll(async () => isDark(await background(page))).toBe(true);
  await page.emulateMedia({ colorScheme: 'dark' });
  await choose('Light');
  await expect.poll(async () => isDark(await background(page))).toBe(false);
});
