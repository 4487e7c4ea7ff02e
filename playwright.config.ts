/**
 * End-to-end tests: the console in the system Chromium against the simulated PBX, in two
 * profiles (docs/e2e.md):
 * - `default`: the Vite dev server with the simulator on the same origin (scenario mode: no
 *   random traffic; tests drive it through /__sim/*). Every spec.
 * - `strict`: the simulator's strict profile (only what PROTOCOL.md documents: no session
 *   endpoint, no reply to commands, the login lands on the PBX's own web app) behind the
 *   production proxy (`npm run build` + `npm run serve` with BASIX_PBX_URL), as a real PBX is
 *   used. The core specs (tagged `@core`).
 */
import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './e2e/support/chromium';
import type { E2eOptions } from './e2e/fixtures/test';

/** Port of the dev server the tests start (E2E_PORT, default 5273; it and the next two must be free). */
const port = Number(process.env.E2E_PORT ?? 5273);
const baseURL = `http://127.0.0.1:${port}`;
/** The strict simulator (its /__sim/* control is reached directly) and the production proxy in front of it. */
const strictSimPort = port + 1;
const strictPort = port + 2;
const ci = !!process.env.CI;

const chromium = {
  ...devices['Desktop Chrome'],
  viewport: { width: 1440, height: 900 },
  launchOptions: { executablePath: chromiumPath, args: [...chromiumArgs] },
};

export default defineConfig<E2eOptions>({
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
    trace: 'on-first-retry',
    locale: 'en-US',
    timezoneId: 'Asia/Tokyo',
  },
  projects: [
    { name: 'default', use: { ...chromium, baseURL, simUrl: baseURL, profile: 'default' } },
    {
      name: 'strict',
      grep: /@core/,
      use: { ...chromium, baseURL: `http://127.0.0.1:${strictPort}`, simUrl: `http://127.0.0.1:${strictSimPort}`, profile: 'strict' },
    },
  ],
  webServer: [
    {
      // e2e/vite.config.ts: no file watcher, so an edit elsewhere in the tree cannot restart the
      // server (new simulator, sessions lost → login page) or reload the page mid-test.
      command: `npx vite --config e2e/vite.config.ts --port ${port} --strictPort --host 127.0.0.1`,
      url: `${baseURL}/`,
      // A server already on the port would have unknown simulator settings: refuse it unless asked.
      reuseExistingServer: process.env.E2E_REUSE_SERVER === '1',
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { PBX_SIM_QUIET: '1', PBX_SIM_CONTROL: '1', PBX_SIM_SEED: '1' },
    },
    {
      command: `npx tsx src/pbx-sim/cli.ts --strict --control --quiet --seed 1 --host 127.0.0.1 --port ${strictSimPort}`,
      url: `http://127.0.0.1:${strictSimPort}/basix/login`,
      reuseExistingServer: process.env.E2E_REUSE_SERVER === '1',
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The production build behind the production proxy, as a site would run it.
      // Its own output folder: a concurrent `npm run build` must not swap files under a test.
      command: `npx vite build --logLevel warn --emptyOutDir --outDir test-results/dist-e2e-${port} && npx tsx scripts/serve.ts`,
      url: `http://127.0.0.1:${strictPort}/`,
      reuseExistingServer: process.env.E2E_REUSE_SERVER === '1',
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { BASIX_PBX_URL: `http://127.0.0.1:${strictSimPort}`, PORT: String(strictPort), HOST: '127.0.0.1', BASIX_DIST_DIR: `test-results/dist-e2e-${port}` },
    },
  ],
});
