/**
 * Issue 12: a page on another origin cannot use a logged-in operator's session through
 * `npm run serve` — neither open the CTI socket (cross-site WebSocket hijacking) nor log the
 * browser in as someone else (login CSRF). Self-contained: builds the console into its own
 * folder, starts the simulator, the production server (src/pbx-sim/prod-server.ts) in front
 * of it and a second "attacker" server, each on a random port of 127.0.0.1 (the Vite server the
 * Playwright config starts on E2E_PORT is not used). The attacker's origin is
 * http://localhost:OTHER_PORT: same site as the console's http://localhost:PORT, so the browser
 * sends the session cookie (even SameSite=Strict) — only the Origin check stands in the way.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect, type Page } from '@playwright/test';
import { createProdServer } from '../src/pbx-sim/prod-server';
import { startPbxSim, type RunningPbxSim } from '../src/pbx-sim/server';
import { ConsolePage } from './pages/console-page';
import { LoginPage } from './pages/login-page';
import { OPERATOR } from './support/accounts';

let sim: RunningPbxSim;
let prod: http.Server;
let attacker: http.Server;
let consoleOrigin: string;
let attackerOrigin: string;
const proxyLog: string[] = [];
const outDir = fileURLToPath(new URL(`../test-results/cross-origin-dist-${process.pid}`, import.meta.url));

const listen = async (s: http.Server): Promise<number> => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as { port: number }).port;
};

/** The attacker's pages: one opens the console's CTI socket, one posts a login form to it. */
function attackerPage(path: string): string {
  const ws = `${consoleOrigin.replace('http', 'ws')}/basix/api/ws_cti?app_name=evil&full_events=true`;
  if (path === '/ws')
    return `<!doctype html><title>cute cats</title><output id="r">pending</output><script>
      const r = document.getElementById('r');
      const s = new WebSocket(${JSON.stringify(ws)});
      s.binaryType = 'arraybuffer';
      s.onmessage = (e) => { r.textContent = 'read ' + e.data.byteLength + ' bytes of live calls'; s.close(); };
      s.onopen = () => { r.textContent = 'open'; };
      s.onclose = () => { if (r.textContent === 'pending') r.textContent = 'refused'; };
    </script>`;
  return `<!doctype html><title>win a prize</title><form method="post" action="${consoleOrigin}/basix/login">
      <input type="hidden" name="username" value="user1"><input type="hidden" name="password" value="user1">
      <button>Claim the prize</button></form>`;
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const b = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (b.status !== 0) throw new Error(`vite build failed (exit ${b.status})`);
  sim = await startPbxSim({ quiet: true });
  prod = createProdServer({ distDir: outDir, pbxUrl: sim.url, log: (l) => proxyLog.push(l) });
  consoleOrigin = `http://localhost:${await listen(prod)}`;
  attacker = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(attackerPage(req.url ?? '/'));
  });
  attackerOrigin = `http://localhost:${await listen(attacker)}`;
});

test.afterAll(async () => {
  for (const s of [prod, attacker]) {
    s?.closeAllConnections();
    await new Promise((r) => (s ? s.close(r) : r(undefined)));
  }
  await sim?.close();
  rmSync(outDir, { recursive: true, force: true });
});

/** Console errors and uncaught exceptions of a page (the console's own page must have none). */
function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('a page of another origin cannot open the logged-in operator\'s CTI socket through npm run serve', async ({ context }) => {
  // the operator logs in and the console goes live through the production server (the control)
  const page = await context.newPage();
  const consoleErrors = errorsOf(page);
  await page.goto(`${consoleOrigin}/basix/login`);
  const login = new LoginPage(page);
  await login.login(OPERATOR.username, OPERATOR.password);
  await expect.poll(async () => (await context.cookies(consoleOrigin)).length).toBeGreaterThan(0);
  await page.goto(`${consoleOrigin}/`);
  await new ConsolePage(page).expectLive();
  // Nothing may be logged: not even the third of the simulator's avatars that are absolute URLs on
  // its own plain-http origin (a PBX may send those: img-src allows http: and https: images).
  expect(consoleErrors).toEqual([]);
  const before = sim.sim.connectionCount;

  // another site the operator opens in the same browser tries the socket with the operator's cookie
  const evil = await context.newPage();
  await evil.goto(`${attackerOrigin}/ws`);
  await expect(evil.locator('#r')).toHaveText('refused');
  expect(sim.sim.connectionCount).toBe(before);
  expect(proxyLog.join('\n')).toContain(`refused cross-origin WebSocket upgrade /basix/api/ws_cti?app_name=evil&full_events=true: Origin ${attackerOrigin}`);
  // the operator's own console is still live
  await new ConsolePage(page).expectLive();
});

test('a cross-site form cannot log the browser in (login CSRF) through npm run serve', async ({ context }) => {
  const evil = await context.newPage();
  await evil.goto(`${attackerOrigin}/login`);
  const answer = evil.waitForResponse((r) => r.url() === `${consoleOrigin}/basix/login` && r.request().method() === 'POST');
  await evil.getByRole('button', { name: 'Claim the prize' }).click();
  expect((await answer).status()).toBe(403);
  await expect(evil.locator('body')).toContainText('Cross-origin request refused');
  expect(await context.cookies(consoleOrigin)).toEqual([]);

  // the same form on the console's own origin (the PBX login page) still logs in
  const own = await context.newPage();
  await own.goto(`${consoleOrigin}/basix/login`);
  const login = new LoginPage(own);
  await login.login('user1', 'user1');
  await expect.poll(async () => (await context.cookies(consoleOrigin)).length).toBeGreaterThan(0);
});
