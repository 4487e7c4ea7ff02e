/**
 * Runs every test suite of the project and ends with one plain line, `N passed, M failed`,
 * which CI reads (vitest's and Playwright's own summaries are not recognised there).
 *
 * Suites, in order: the TypeScript type check (counted as one test), vitest (unit, property,
 * golden-frame and simulator tests; some need Erlang's `escript`), Playwright end-to-end tests
 * (need Chromium). A skipped test counts as failed: nothing here may silently not run.
 *
 * Usage: `npm test` (all), `npm test -- --unit` (type check + vitest), `npm test -- --e2e`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { unit: { type: 'boolean', default: false }, e2e: { type: 'boolean', default: false } },
});
const runUnit = values.unit || !values.e2e;
const runE2e = values.e2e || !values.unit;

const out = mkdtempSync(join(tmpdir(), 'basix-tests-'));
let passed = 0;
let failed = 0;
const lines: string[] = [];

function run(cmd: string, args: string[], env: Record<string, string> = {}): number {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function tally(name: string, p: number, f: number, note = ''): void {
  passed += p;
  failed += f;
  lines.push(`${name}: ${p} passed, ${f} failed${note ? ` (${note})` : ''}`);
}

// Tell the developer up front what is missing; the tests that need it fail by themselves too.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (runE2e && !existsSync(chromium)) {
  console.error(`! Chromium not found at ${chromium}: install it with \`apt-get install chromium\` (Debian) or set CHROMIUM_PATH.`);
}
if (runUnit && spawnSync('escript', ['-h'], { stdio: 'ignore' }).error) {
  console.error("! Erlang not found: install it with `apt-get install erlang-nox` (Debian) or your OS's erlang package.");
}

if (runUnit) {
  console.log('\n=== Type check (tsc --noEmit)');
  const tsc = run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  tally('typecheck', tsc === 0 ? 1 : 0, tsc === 0 ? 0 : 1);

  console.log('\n=== Unit, property, golden-frame and simulator tests (vitest)');
  const vitestJson = join(out, 'vitest.json');
  const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
  const v = readJson(vitestJson);
  if (v) {
    const skipped = (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
    // A test file that fails to load has no tests in the counts: count it as one failure.
    const brokenFiles = (v.testResults ?? []).filter(
      (t: any) => t.status === 'failed' && (t.assertionResults ?? []).length === 0,
    ).length;
    tally('vitest', v.numPassedTests, v.numFailedTests + skipped + brokenFiles, skipped ? `${skipped} skipped, counted as failed` : '');
  } else {
    tally('vitest', 0, 1, `vitest produced no report (exit ${code})`);
  }
}

if (runE2e) {
  console.log('\n=== End-to-end tests (Playwright, system Chromium)');
  const pwJson = join(out, 'playwright.json');
  const code = run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  const p = readJson(pwJson);
  if (p?.stats) {
    const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = p.stats;
    const setupFailed = (p.errors ?? []).length > 0 && expected + unexpected + flaky === 0 ? 1 : 0;
    tally('playwright', expected + flaky, unexpected + skipped + setupFailed, skipped ? `${skipped} skipped, counted as failed` : '');
  } else {
    tally('playwright', 0, 1, `playwright produced no report (exit ${code})`);
  }
}

console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
