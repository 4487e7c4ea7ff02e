/**
 * The dev server the tests run against must not watch files (docs/e2e.md "Known issues"): an edit
 * anywhere in the working tree during a run restarted it (a new simulator without sessions: the
 * console went to /basix/login mid-test) or reloaded the page under test.
 */
import { test, expect } from '@playwright/test';
import e2eViteConfig from './vite.config';
import playwrightConfig from '../playwright.config';

test('the e2e dev server runs the console config without a file watcher', () => {
  expect(e2eViteConfig.server?.watch).toBeNull();
  expect(e2eViteConfig.plugins?.flat().some((p: unknown) => typeof p === 'object' && p !== null && (p as { name?: unknown }).name === 'basix-pbx')).toBe(true);
  const servers = [playwrightConfig.webServer ?? []].flat();
  // the dev server of the default profile, then the strict simulator and the production proxy (no watchers there)
  expect(servers.map((s) => s.command)).toEqual([
    expect.stringContaining('--config e2e/vite.config.ts'),
    expect.stringContaining('src/pbx-sim/cli.ts --strict'),
    expect.stringContaining('scripts/serve.ts'),
  ]);
});
