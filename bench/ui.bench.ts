/**
 * bench:ui — how the console copes with a big, busy PBX, in the system Chromium (headless).
 *
 * Builds the console and serves it with `vite preview` (`--dev`: the dev server) with the simulator
 * in load mode (10,000 users, 2,000 live channels, 500 events/s; PBX_SIM_LOAD=1) plus its control
 * endpoints, logs in as the demo operator, and for `--duration` seconds measures:
 * - socket open → usable page (first CTI frame received → console live with the users table drawn);
 * - event → screen: every 200 ms the bench changes the voicemail counter of a user shown in the
 *   users table through POST /__sim/scenario (a unique count), and a MutationObserver in the
 *   page records when the new text alternative ("N new voicemail messages") reaches the DOM;
 *   latency = DOM time − time the request left the bench (same machine clock, so it includes
 *   the simulator's processing and the socket);
 * - main-thread long tasks (> 50 ms, PerformanceObserver 'longtask') after the page is usable,
 *   except during the bench's own forced GCs;
 * - frames per second during the load and while wheel-scrolling the users table for 3 s;
 * - JS heap retained: after a forced GC (CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage)
 *   5 s after usable and after the run, both under load; plus the per-second samples' floor and peak.
 *
 * Usage: `npm run bench:ui [-- --duration 30 --port 5274 --no-docs --strict]`; to compare builds
 * `--out DIR --no-build`; to find what a long task is `--trace FILE [--trace-cpu] [--no-minify]`
 * and bench/ui/trace-summary.ts (docs/e2e.md).
 * Prints a table with pass/fail per target and writes it into docs/e2e.md (unless --no-docs).
 * Exits 1 if the run could not be done, and (with --strict) if a target failed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { assertChromiumInstalled, chromiumArgs, chromiumPath } from '../e2e/support/chromium.ts';
import { OPERATOR } from '../e2e/support/accounts.ts';
import { LoginPage } from '../e2e/pages/login-page.ts';
import { BENCH_PREFIX, installProbes, type BenchEvent } from './ui/page-probes.ts';
import { markdownTable, mb, ms, quantile, type Row } from './ui/stats.ts';
import { findMarkerUser, mwiMarkerStep, usableProbe } from './ui/console-dom.ts';
import { startConsoleServer, waitForHttp } from './ui/console-server.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    port: { type: 'string', default: '5274' },
    dev: { type: 'boolean', default: false },
    light: { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    trace: { type: 'string' },
    'trace-cpu': { type: 'boolean', default: false },
    'no-minify': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/out/ui-dist' },
    'no-build': { type: 'boolean', default: false },
  },
});
const durationS = Number(args.duration);
const port = Number(args.port);
const origin = `http://127.0.0.1:${port}`;

const TARGET_USABLE_MS = 1000;
const TARGET_P95_MS = 100;
const TARGET_HEAP_GROWTH = 0.2;
const MARKER_EVERY_MS = 200;
/** Load between usable and the start heap measurement: the snapshot's tail and first renders settle. */
const HEAP_SETTLE_MS = 5000;
/** A forced GC the page cannot answer within this is given up (then the load is stopped and it is tried again). */
const GC_TIMEOUT_MS = 20_000;
/** After the run, how long to wait for the last marker (measures how far behind a lagging console is). */
const LAG_WAIT_MS = 30_000;

/**
 * `--trace FILE`: what the Chrome trace (from login to the end of the run) records — the DevTools
 * timeline (tasks, script entry points, GC, layout, paint), to attribute long tasks
 * (bench/ui/trace-summary.ts);
 * `--trace-cpu` adds V8's sampling profiler (function-level, but it slows the page down a lot:
 * compare shares, not counts).
 */
const TRACE_CATEGORIES = [
  '-*',
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8.execute',
  'v8',
  'disabled-by-default-v8.gc',
  'blink.user_timing',
  ...(args['trace-cpu'] ? ['disabled-by-default-v8.cpu_profiler'] : []),
];

function log(msg: string): void {
  process.stderr.write(`[bench:ui] ${msg}\n`);
}

/** Where the production build goes (`--out`; another folder lets two benches run side by side). */
const OUT_DIR = args.out;


function heapFloor(ticks: ReadonlyArray<{ at: number; heap: number | null }>, from: number, to: number): number {
  const xs = ticks.filter((t) => t.at >= from && t.at <= to && t.heap !== null).map((t) => t.heap as number);
  return xs.length ? Math.min(...xs) : Number.NaN;
}

async function post(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(origin + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path} -> ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** `p`, or `fallback` if it has not settled within `ms` (the page may be too busy to answer). */
async function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([p.catch(() => fallback), t]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(): Promise<Row[]> {
  assertChromiumInstalled();
  const { server, stop: cleanup } = await startConsoleServer({
    port,
    dev: !!args.dev,
    out: OUT_DIR,
    noBuild: !!args['no-build'],
    noMinify: !!args['no-minify'],
    // --light: the seeded demo company without traffic, to check the bench itself
    env: { ...(args.light ? { PBX_SIM_QUIET: '1' } : { PBX_SIM_LOAD: '1' }), PBX_SIM_CONTROL: '1', PBX_SIM_SEED: '1' },
    describe: `simulator ${args.light ? 'quiet, --light' : 'in load mode'}`,
    log,
  });
  try {
    await waitForHttp(`${origin}/`, 60_000, server);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, '--enable-precise-memory-info'], headless: true });
    try {
      const context = await browser.newContext({ baseURL: origin, viewport: { width: 1440, height: 900 }, locale: 'en-US' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      const seen = new Map<string, number>();
      const longTasks: Array<{ start: number; duration: number }> = [];
      const ticks: Array<{ at: number; frames: number; heap: number | null }> = [];
      page.on('console', (m) => {
        const text = m.text();
        if (text.startsWith(BENCH_PREFIX)) {
          const e = JSON.parse(text.slice(BENCH_PREFIX.length)) as BenchEvent;
          if (e.kind === 'seen') seen.set(e.n, e.at);
          else if (e.kind === 'longtask') longTasks.push(e);
          else ticks.push(e);
        } else if (m.type() === 'error') errors.push(`console.error: ${text} ${m.location().url}`);
      });
      page.on('crash', () => log('the page crashed'));
      // tsx (esbuild keepNames) wraps named inner functions in __name(...): give the page a no-op one
      await page.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
      await page.addInitScript(installProbes);

      // socket open ≈ first CTI frame (the server sends field_spec right after the handshake)
      let firstFrameAt = 0;
      page.on('websocket', (ws) => {
        if (!/ws_cti/.test(ws.url())) return;
        ws.once('framereceived', () => {
          if (!firstFrameAt) firstFrameAt = Date.now();
        });
      });

      if (args.trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const login = new LoginPage(page);
      await login.goto();
      await login.login(OPERATOR.username, OPERATOR.password);
      const usable = (await (await page.waitForFunction(usableProbe, undefined, { polling: 'raf', timeout: 60_000 })).jsonValue()) as NonNullable<ReturnType<typeof usableProbe>>;
      if (!firstFrameAt) throw new Error('the console became usable but no ws_cti frame was seen');
      const usableAt = usable.at;
      const openToUsable = usableAt - firstFrameAt;
      log(`usable ${openToUsable} ms after the first frame${args.trace ? ' (traced: slower)' : ''}`);

      // Retained JS heap of the page: forced GC (twice: finalizers, weak maps), then the used size.
      // The GC itself is the bench's work, so long tasks during it are not counted.
      const cdp = await context.newCDPSession(page);
      const gcWindows: Array<{ from: number; to: number }> = [];
      const retainedHeap = async (): Promise<number | null> => {
        const from = Date.now();
        const used = await within(
          (async () => {
            await cdp.send('HeapProfiler.collectGarbage');
            await cdp.send('HeapProfiler.collectGarbage');
            return (await cdp.send('Runtime.getHeapUsage')).usedSize;
          })(),
          GC_TIMEOUT_MS,
          null,
        );
        gcWindows.push({ from, to: Date.now() + 100 });
        return used;
      };
      await new Promise((r) => setTimeout(r, HEAP_SETTLE_MS));
      const heapStartGc = await retainedHeap();
      log(`retained heap ${HEAP_SETTLE_MS / 1000} s after usable: ${heapStartGc === null ? 'no answer' : mb(heapStartGc)}`);

      const markerUser = await findMarkerUser(origin, usable.firstRow);
      const box = usable.table;
      log(`event → screen markers on ${markerUser.name} (${markerUser.id}), the first row of the users table; running ${durationS} s`);

      const sentAt = new Map<string, number>();
      const t0 = Date.now();
      let k = 0;
      const scrollAtMs = Math.min(10_000, (durationS * 1000) / 3);
      let scrollWindow: { from: number; to: number } | null = null;
      let scrolling: Promise<void> | null = null;
      let scrollActive = false;
      while (Date.now() - t0 < durationS * 1000) {
        if (!scrolling && Date.now() - t0 >= scrollAtMs) {
          // Wheel over the users table for 3 s (browser input: no page.evaluate needed).
          const from = Date.now();
          scrolling = (async () => {
            await within(page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200)), 1000, undefined);
            let dir = 1;
            for (let i = 0; Date.now() - from < 3000; i++) {
              if (i % 60 === 59) dir = -dir;
              await within(page.mouse.wheel(0, dir * 120), 1000, undefined);
              await new Promise((r) => setTimeout(r, 16));
            }
            scrollWindow = { from, to: Date.now() };
            // back to the top, where the marker user's row is
            await within(page.mouse.wheel(0, -1_000_000), 5000, undefined);
          })().finally(() => {
            scrollActive = false;
          });
          scrollActive = true;
        }
        if (scrollActive) {
          // the marker row may be scrolled out of the DOM meanwhile: no markers while scrolling
          await new Promise((r) => setTimeout(r, MARKER_EVERY_MS));
          continue;
        }
        const n = 100 + k++;
        sentAt.set(String(n), Date.now());
        await post('/__sim/scenario', { steps: [mwiMarkerStep(markerUser.id, n)] });
        await new Promise((r) => setTimeout(r, MARKER_EVERY_MS));
      }
      await scrolling;
      const tEnd = Date.now();
      if (args.trace) {
        writeFileSync(args.trace, await browser.stopTracing());
        log(`trace written to ${args.trace} (summary: npx tsx bench/ui/trace-summary.ts ${args.trace})`);
      }
      // let the last markers and reports arrive; if the console lags, how far behind is it?
      const lastMarker = String(100 + k - 1);
      const lagDeadline = Date.now() + LAG_WAIT_MS;
      while (!seen.has(lastMarker) && Date.now() < lagDeadline) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1000));
      const lastShownAfter = seen.has(lastMarker) ? seen.get(lastMarker)! - sentAt.get(lastMarker)! : Number.NaN;
      const countUntil = Date.now();
      let heapEndGc = await retainedHeap();
      let heapEndNote = 'under load';
      if (heapEndGc === null) {
        // The page could not answer under load: stop the load (all sockets closed, refused for a
        // minute; the console keeps its data, marked stale) and measure in the quiet.
        log(`no answer to a forced GC within ${GC_TIMEOUT_MS / 1000} s: stopping the load to measure`);
        await post('/__sim/restart', { downMs: 60_000 });
        await new Promise((r) => setTimeout(r, 3000));
        heapEndGc = await retainedHeap();
        heapEndNote = 'load stopped';
      }
      const growthGc = heapStartGc !== null && heapEndGc !== null ? heapEndGc / heapStartGc - 1 : Number.NaN;

      // The floors: the first seconds after usable (before the forced GC) and the end of the run.
      const window = Math.min(5000, (durationS * 1000) / 4);
      const heapStart = heapFloor(ticks, usableAt, usableAt + HEAP_SETTLE_MS);
      const heapEnd = heapFloor(ticks, tEnd - window, countUntil);
      const heaps = ticks.filter((t) => t.heap !== null).map((t) => t.heap as number);
      const heapPeak = heaps.length ? Math.max(...heaps) : Number.NaN;
      const growth = heapEnd / heapStart - 1;

      const lat: number[] = [];
      let lost = 0;
      for (const [n, at] of sentAt) {
        const s = seen.get(n);
        if (s && s <= tEnd + 2000) lat.push(s - at);
        else lost++;
      }
      // After usable until the end of the run (and the lag wait), minus the bench's own forced GC.
      const ownGc = (t: { start: number; duration: number }): boolean => gcWindows.some((w) => t.start < w.to && t.start + t.duration > w.from);
      const after = longTasks.filter((t) => t.start >= usableAt && t.start < countUntil && !ownGc(t));
      if (after.length) log(`long tasks (s after usable / ms): ${after.map((t) => `${((t.start - usableAt) / 1000).toFixed(1)}/${Math.round(t.duration)}`).join(' ')}`);
      const longest = after.reduce((a, t) => Math.max(a, t.duration), 0);
      const busyMs = after.reduce((a, t) => a + t.duration, 0);
      const fps = (from: number, to: number): number => {
        const f = ticks.filter((t) => t.at > from && t.at <= to + 1000).reduce((a, t) => a + t.frames, 0);
        return (f * 1000) / Math.max(1, to - from + 1000);
      };
      const sw = scrollWindow as { from: number; to: number } | null;
      const fpsRun = fps(t0, tEnd);
      const fpsScroll = sw ? fps(sw.from, sw.to) : Number.NaN;
      const lastTick = ticks.length ? ticks[ticks.length - 1].at : 0;
      if (errors.length) log(`the page logged ${errors.length} error(s); first: ${errors[0]}`);
      if (lastTick < tEnd - 3000) log(`the page's last report came ${((tEnd - lastTick) / 1000).toFixed(1)} s before the end: its main thread was saturated`);
      const p50 = quantile(lat, 0.5);
      const p95 = quantile(lat, 0.95);
      return [
        { metric: 'Socket open → usable page', value: ms(openToUsable), target: '< 1000 ms', pass: openToUsable < TARGET_USABLE_MS },
        { metric: 'Event → screen p50', value: ms(p50), target: '—', pass: null },
        { metric: 'Event → screen p95', value: ms(p95), target: '< 100 ms', pass: lost === 0 && p95 < TARGET_P95_MS },
        { metric: 'Event → screen: markers sent (not shown by the end of the run)', value: `${sentAt.size} (${lost})`, target: '0', pass: lost === 0 },
        { metric: 'Last marker shown after', value: Number.isFinite(lastShownAfter) ? ms(lastShownAfter) : `not within ${LAG_WAIT_MS / 1000} s after the run`, target: '—', pass: null },
        { metric: 'Long tasks after usable: count, longest, total', value: `${after.length}, ${ms(longest)}, ${ms(busyMs)}`, target: '0', pass: after.length === 0 },
        { metric: 'Frames per second during the load', value: fpsRun.toFixed(1), target: '—', pass: null },
        { metric: 'Frames per second while wheel-scrolling the users table', value: Number.isFinite(fpsScroll) ? fpsScroll.toFixed(1) : 'n/a', target: '—', pass: null },
        {
          metric: 'JS heap after a forced GC, start → end',
          value: `${heapStartGc === null ? 'no answer' : mb(heapStartGc)} → ${heapEndGc === null ? 'no answer' : mb(heapEndGc)} (${Number.isFinite(growthGc) ? `${(growthGc * 100).toFixed(1)} %` : 'n/a'}; end ${heapEndNote})`,
          target: '< 20 % growth',
          pass: growthGc < TARGET_HEAP_GROWTH,
        },
        { metric: 'JS heap without forced GC: floor start → end (peak)', value: `${mb(heapStart)} → ${mb(heapEnd)} (${Number.isFinite(growth) ? `${(growth * 100).toFixed(1)} %` : 'n/a'}; peak ${mb(heapPeak)})`, target: '—', pass: null },
        { metric: 'Console errors / page errors', value: String(errors.length), target: '0', pass: errors.length === 0 },
      ];
    } finally {
      await within(browser.close(), 10_000, undefined);
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
  const stamp = `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${durationS} s of load, ${args.dev ? 'dev server' : 'production build'}, Chromium headless (\`npm run bench:ui\`).`;
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
