/**
 * bench:ui — how the console copes with a big, busy PBX, in the system Chromium (headless).
 *
 * Starts the dev server with the simulator in load mode (10,000 users, 2,000 live channels,
 * 500 events/s; PBX_SIM_LOAD=1) plus its control endpoints, logs in as the demo operator, and for
 * `--duration` seconds measures:
 * - socket open → usable page (first CTI frame received → console live with the users table drawn);
 * - event → screen: every 200 ms the bench changes the voicemail counter of a user shown in the
 *   users table through POST /__sim/scenario (a unique count), and a MutationObserver in the
 *   page records when the new text alternative ("N new voicemail messages") reaches the DOM;
 *   latency = DOM time − time the request left the bench (same machine clock, so it includes
 *   the simulator's processing and the socket);
 * - main-thread long tasks (> 50 ms, PerformanceObserver 'longtask') after the page is usable;
 * - frames per second while scrolling the users table (one step per animation frame);
 * - JS heap (CDP Performance.getMetrics, after a forced GC) when usable and at the end.
 *
 * Usage: `npm run bench:ui [-- --duration 30 --port 5274 --no-docs --strict]`.
 * Prints a table with pass/fail per target and writes it into docs/e2e.md (unless --no-docs).
 * Exits 1 if the run could not be done, and (with --strict) if a target failed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { assertChromiumInstalled, chromiumArgs, chromiumPath } from '../e2e/support/chromium.ts';
import { OPERATOR } from '../e2e/support/accounts.ts';
import { LoginPage } from '../e2e/pages/login-page.ts';
import { installProbes, scrollAndCountFrames, type BenchProbeState } from './ui/page-probes.ts';
import { markdownTable, mb, ms, quantile, type Row } from './ui/stats.ts';
import { findMarkerUser, mwiMarkerStep, usableProbe, USERS_SCROLL_SELECTOR, USERS_REGION_SELECTOR } from './ui/console-dom.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    port: { type: 'string', default: '5274' },
    'no-docs': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
  },
});
const durationS = Number(args.duration);
const port = Number(args.port);
const origin = `http://127.0.0.1:${port}`;

const TARGET_USABLE_MS = 1000;
const TARGET_P95_MS = 100;
const TARGET_HEAP_GROWTH = 0.2;
const MARKER_EVERY_MS = 200;

function log(msg: string): void {
  process.stderr.write(`[bench:ui] ${msg}\n`);
}

async function waitForHttp(url: string, timeoutMs: number, server: ChildProcess): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`dev server exited with code ${server.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`dev server not answering at ${url} after ${timeoutMs} ms`);
}

function startServer(): ChildProcess {
  log(`starting the dev server on ${origin} (simulator in load mode)`);
  const child = spawn('npx', ['vite', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    env: { ...process.env, PBX_SIM_LOAD: '1', PBX_SIM_CONTROL: '1', PBX_SIM_SEED: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // own process group, so stopping it also stops what npx started
  });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[vite] ${d}`));
  return child;
}

function stopServer(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
}

async function post(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(origin + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path} -> ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function run(): Promise<Row[]> {
  assertChromiumInstalled();
  const server = startServer();
  const cleanup = (): void => stopServer(server);
  process.on('exit', cleanup);
  try {
    await waitForHttp(`${origin}/`, 60_000, server);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs], headless: true });
    try {
      const context = await browser.newContext({ baseURL: origin, viewport: { width: 1440, height: 900 }, locale: 'en-US' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`));
      await page.addInitScript(installProbes);

      // socket open ≈ first CTI frame (the server sends field_spec right after the handshake)
      let firstFrameAt = 0;
      page.on('websocket', (ws) => {
        if (!/ws_cti/.test(ws.url())) return;
        ws.once('framereceived', () => {
          if (!firstFrameAt) firstFrameAt = Date.now();
        });
      });

      const login = new LoginPage(page);
      await login.goto();
      await login.login(OPERATOR.username, OPERATOR.password);
      const usableAt = (await (await page.waitForFunction(usableProbe, undefined, { polling: 'raf', timeout: 60_000 })).jsonValue()) as number;
      if (!firstFrameAt) throw new Error('the console became usable but no ws_cti frame was seen');
      const openToUsable = usableAt - firstFrameAt;
      log(`usable ${openToUsable} ms after the first frame`);

      const heapStart = await heapUsed(page);
      const markerUser = await findMarkerUser(page, origin);
      await page.evaluate((root) => {
        (window as unknown as { __bench: BenchProbeState }).__bench.root = root;
      }, USERS_REGION_SELECTOR);
      log(`event → screen markers on user ${markerUser.name} (${markerUser.id}); running ${durationS} s`);

      const sentAt = new Map<string, number>();
      const t0 = Date.now();
      let k = 0;
      let scroll: Awaited<ReturnType<typeof scrollAndCountFrames>> | null = null;
      const scrollAtMs = Math.min(10_000, (durationS * 1000) / 3);
      while (Date.now() - t0 < durationS * 1000) {
        if (scroll === null && Date.now() - t0 >= scrollAtMs) {
          // the scroll runs in the page while the load continues; markers pause meanwhile
          scroll = await page.evaluate(scrollAndCountFrames, { selector: USERS_SCROLL_SELECTOR, ms: 3000, stepPx: 60 });
          await page.evaluate((sel) => {
            const el = document.querySelector(sel);
            if (el) el.scrollTop = 0;
          }, USERS_SCROLL_SELECTOR);
          continue;
        }
        const n = 100 + k++;
        const marker = `${n} new voicemail messages`;
        await page.evaluate((m) => (window as unknown as { __bench: BenchProbeState }).__bench.pending.push(m), marker);
        sentAt.set(marker, Date.now());
        await post('/__sim/scenario', { steps: [mwiMarkerStep(markerUser.id, n)] });
        await new Promise((r) => setTimeout(r, MARKER_EVERY_MS));
      }
      await new Promise((r) => setTimeout(r, 1000)); // let the last markers land
      const probe = (await page.evaluate(() => (window as unknown as { __bench: BenchProbeState }).__bench)) as BenchProbeState;
      const heapEnd = await heapUsed(page);

      const lat: number[] = [];
      let lost = 0;
      for (const [m, at] of sentAt) {
        const seen = probe.seen[m];
        if (seen) lat.push(seen - at);
        else lost++;
      }
      const after = probe.longTasks.filter((t) => t.start >= usableAt);
      const longest = after.reduce((a, t) => Math.max(a, t.duration), 0);
      const growth = heapEnd / heapStart - 1;
      if (errors.length) log(`the page logged ${errors.length} error(s); first: ${errors[0]}`);
      const p50 = quantile(lat, 0.5);
      const p95 = quantile(lat, 0.95);
      return [
        { metric: 'Socket open → usable page', value: ms(openToUsable), target: '< 1000 ms', pass: openToUsable < TARGET_USABLE_MS },
        { metric: 'Event → screen p50', value: ms(p50), target: '—', pass: null },
        { metric: 'Event → screen p95', value: ms(p95), target: '< 100 ms', pass: lost === 0 && p95 < TARGET_P95_MS },
        { metric: 'Event → screen samples (lost)', value: `${lat.length} (${lost})`, target: '0 lost', pass: lost === 0 },
        { metric: 'Long tasks after load (longest)', value: `${after.length} (${ms(longest)})`, target: '0', pass: after.length === 0 },
        { metric: 'Long tasks before usable', value: String(probe.longTasks.length - after.length), target: '—', pass: null },
        { metric: 'Users table scroll', value: scroll ? `${scroll.fps.toFixed(1)} fps (worst frame ${ms(scroll.worstFrameMs)})` : 'not run', target: '—', pass: null },
        { metric: 'JS heap start → end', value: `${mb(heapStart)} → ${mb(heapEnd)} (${(growth * 100).toFixed(1)} %)`, target: '< 20 % growth', pass: growth < TARGET_HEAP_GROWTH },
        { metric: 'Page errors', value: String(errors.length), target: '0', pass: errors.length === 0 },
      ];
    } finally {
      await browser.close();
    }
  } finally {
    cleanup();
  }
}

function writeDocs(table: string): void {
  const path = new URL('../docs/e2e.md', import.meta.url);
  const start = '<!-- bench:ui:start -->';
  const end = '<!-- bench:ui:end -->';
  const doc = readFileSync(path, 'utf8');
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`docs/e2e.md has no ${start} … ${end} block`);
  const stamp = `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${durationS} s of load, Chromium headless (\`npm run bench:ui\`).`;
  writeFileSync(path, `${doc.slice(0, i + start.length)}\n${stamp}\n\n${table}\n${doc.slice(j)}`);
}

try {
  const rows = await run();
  const table = markdownTable(rows);
  console.log(`\n${table}\n`);
  if (!args['no-docs']) writeDocs(table);
  const failed = rows.filter((r) => r.pass === false).length;
  console.log(failed === 0 ? 'all targets met' : `${failed} target(s) missed`);
  process.exit(args.strict && failed > 0 ? 1 : 0);
} catch (e) {
  console.error(`[bench:ui] failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
}
