/**
 * End-to-end tests: the console in the system Chromium against the simulated PBX, started by
 * the Vite dev server in scenario mode (no random traffic; tests drive it through /__sim/*).
 * See docs/e2e.md.
 */
import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './e2e/support/chromium';

/** Port of the dev server the tests start (E2E_PORT, default 5273; must be free). */
const port = Number(process.env.E2E_PORT ?? 5273);
const baseURL = `http://127.0.0.1:${port}`;
const ci = !!process.env.CI;

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  // The simulator is one shared state: one test at a time, each starting from a reset.
  fullyParallel: false,
  workers: 1,
  forbidOnly: ci,
  retries: ci ? 1 : 0,
  // Generous for a loaded CI machine; a passing test takes 1–9 s.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: ci ? [['list'], ['html', { open: 'never' }]] : [['list']],
  // Per port: two runs in one checkout (E2E_PORT) must not delete each other's artifacts.
  outputDir: `./test-results/e2e-${port}`,
  use: {
    baseURL,
    trace: 'on-first-retry',
    locale: 'en-US',
    timezoneId: 'Asia/Tokyo',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: { executablePath: chromiumPath, args: [...chromiumArgs] },
      },
    },
  ],
  webServer: {
    // e2e/vite.config.ts: no file watcher, so an edit elsewhere in the tree cannot restart the
    // server (new simulator, sessions lost → login page) or reload the page mid-test.
    command: `npx vite --config e2e/vite.config.ts --port ${port} --strictPort --host 127.0.0.1`,
    url: `${baseURL}/`,
    // A server already on the port would have unknown simulator settings: refuse it unless asked.
    reuseExistingServer: process.env.E2E_REUSE_SERVER === '1',
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PBX_SIM_QUIET: '1',
      PBX_SIM_CONTROL: '1',
      PBX_SIM_SEED: '1',
    },
  },
});
