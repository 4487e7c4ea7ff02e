/**
 * soak — the console through a simulated working day (issue 12), in the system Chromium (headless).
 * Not in CI: it takes about a quarter of an hour and prints figures; nothing is asserted.
 *
 * Builds the console and serves it with `vite preview` (`--dev`: the dev server) with the simulator
 * (PBX_SIM=1) at a high time factor (PBX_SIM_SPEED) and a busy call rate (PBX_SIM_RATE, calls per
 * simulated minute), logs in as the demo operator, and prints one line per simulated hour:
 * - JS heap retained after a GC forced through CDP (HeapProfiler.collectGarbage twice, then
 *   Runtime.getHeapUsage — as bench:ui; without the forced GC the figure is mostly garbage);
 * - DOM nodes and event listeners (CDP Memory.getDOMCounters, after that GC);
 * - storage: navigator.storage.estimate().usage (IndexedDB, Cache, …) and localStorage's size
 *   (UTF-16 code units × 2 of every key and value);
 * - missed calls as the console shows them (the Missed calls panel's count badge: the production
 *   build has no window.__consoleStore);
 * - main-thread long tasks (> 50 ms, PerformanceObserver 'longtask') during that hour, outside the
 *   soak's own forced GCs: count and longest; and the machine's 1-minute load average (on a shared
 *   machine a long task is often the page waiting for a core, not the page's own work).
 *
 * The simulator's timestamps stay the machine's clock (docs/pbx-sim.md), so the whole simulated
 * day falls on one PBX date: the missed-call list is never trimmed by retention during a soak.
 *
 * Usage: `npm run soak [-- --hours 9 --speed 36 --rate 12 --seed 1 --port 5276 --dev --no-build --out DIR]`;
 * what the long tasks are: `--trace FILE [--trace-cpu] [--no-minify]` records a Chrome trace of the
 * last simulated hour, for `npx tsx bench/ui/trace-summary.ts FILE` (docs/e2e.md).
 * Exits 1 when the run could not be done (server, login, page crash).
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { assertChromiumInstalled, chromiumArgs, chromiumPath } from '../e2e/support/chromium.ts';
import { OPERATOR } from '../e2e/support/accounts.ts';
import { LoginPage } from '../e2e/pages/login-page.ts';
import { usableProbe } from './ui/console-dom.ts';
import { mb } from './ui/stats.ts';
import { startConsoleServer, waitForHttp } from './ui/console-server.ts';

const { values: args } = parseArgs({
  options: {
    hours: { type: 'string', default: '9' }, // simulated hours; default a 9-hour working day
    speed: { type: 'string', default: '36' }, // simulator time factor; default 36 (9 h in 15 min)
    rate: { type: 'string', default: '12' }, // calls per simulated minute; default 12 (busy)
    seed: { type: 'string', default: '1' }, // simulator seed; default 1
    port: { type: 'string', default: '5276' },
    dev: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/out/soak-dist' },
    'no-build': { type: 'boolean', default: false },
    trace: { type: 'string' }, // Chrome trace of the LAST simulated hour into this file
    'trace-cpu': { type: 'boolean', default: false }, // add V8's sampling profiler to --trace
    'no-minify': { type: 'boolean', default: false }, // readable function names in a --trace
  },
});
const hours = Number(args.hours);
const speed = Number(args.speed);
const rate = Number(args.rate);
const port = Number(args.port);
const origin = `http://127.0.0.1:${port}`;
for (const [name, v] of [['hours', hours], ['speed', speed], ['rate', rate], ['port', port]] as const) {
  if (!(Number.isFinite(v) && v > 0)) throw new Error(`--${name} must be a positive number, got ${String(args[name])}`);
  if (name === 'hours' && !Number.isInteger(v)) throw new Error(`--hours must be a whole number of simulated hours, got ${String(args.hours)}`);
}
/** Wall-clock ms of one simulated hour. */
const HOUR_MS = 3_600_000 / speed;
const GC_TIMEOUT_MS = 30_000;
const LONGTASK_PREFIX = '__soak ';
/** As bench:ui's --trace: tasks, script entry points, GC, layout, paint (and CPU samples with --trace-cpu). */
const TRACE_CATEGORIES = [
  '-*',
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'disabled-by-default-v8.gc',
  ...(args['trace-cpu'] ? ['disabled-by-default-v8.cpu_profiler'] : []),
];

function log(msg: string): void {
  process.stderr.write(`[soak] ${msg}\n`);
}


/** Runs in the page before the app: reports long tasks as console lines (pushed, never polled). */
function installLongTaskProbe(): void {
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) console.debug('__soak ' + JSON.stringify({ start: performance.timeOrigin + e.startTime, duration: e.duration }));
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no longtask support */
  }
}

/** Runs in the page: what the page itself can tell. */
async function pageFigures(): Promise<{ storage: number | null; localStorage: number; missed: number | null; live: boolean }> {
  let storage: number | null = null;
  try {
    storage = (await navigator.storage.estimate()).usage ?? null;
  } catch {
    /* not available */
  }
  let ls = 0;
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i) ?? '';
    ls += (k.length + (localStorage.getItem(k)?.length ?? 0)) * 2;
  }
  // The Missed calls panel's count badge: its screen-reader text is "N call(s)".
  const section = document.querySelector('section[aria-label="Missed calls"]');
  const badge = section?.querySelector('header [title]');
  const m = /\d[\d,]*/.exec(badge?.getAttribute('title') ?? '');
  const status = document.querySelector('[role="status"][aria-label="Connection status"]');
  return { storage, localStorage: ls, missed: m ? Number(m[0].replace(/,/g, '')) : section ? 0 : null, live: /\bLive\b/.test(status?.textContent ?? '') };
}

interface Sample {
  hour: number;
  heap: number | null;
  nodes: number | null;
  listeners: number | null;
  storage: number | null;
  localStorage: number;
  missed: number | null;
  live: boolean;
  longTasks: number;
  longest: number;
  /** the machine's 1-minute load average when sampled: long tasks on a busy machine are its doing too */
  load: number;
}

/** `p`, or `fallback` if it has not settled within `ms` (a busy page may not answer). */
async function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p.catch(() => fallback), new Promise<T>((r) => (timer = setTimeout(() => r(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function formatRow(s: Sample): string[] {
  const n = (x: number | null): string => (x === null ? '—' : x.toLocaleString('en-US'));
  return [
    `${s.hour}`,
    s.heap === null ? 'no answer' : mb(s.heap),
    `${n(s.nodes)} / ${n(s.listeners)}`,
    s.storage === null ? '—' : mb(s.storage),
    `${(s.localStorage / 1024).toFixed(1)} KB`,
    n(s.missed),
    s.hour === 0 ? '—' : `${s.longTasks}${s.longTasks ? ` (longest ${Math.round(s.longest)} ms)` : ''}`,
    s.live ? 'Live' : 'not live',
    s.load.toFixed(1),
  ];
}

const HEAD = ['sim. hour', 'JS heap after GC', 'DOM nodes / listeners', 'storage estimate', 'localStorage', 'missed calls shown', 'long tasks', 'header', 'machine load'];

function table(rows: string[][]): string {
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  return [line(HEAD), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

async function sample(page: Page, cdp: CDPSession, hour: number, gcWindows: Array<{ from: number; to: number }>, tasks: Array<{ start: number; duration: number }>, since: number): Promise<Sample> {
  const from = Date.now();
  const heap = await within(
    (async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    })(),
    GC_TIMEOUT_MS,
    null,
  );
  const dom = await within(cdp.send('Memory.getDOMCounters'), GC_TIMEOUT_MS, null);
  gcWindows.push({ from, to: Date.now() + 100 });
  const f = await within(page.evaluate(pageFigures), GC_TIMEOUT_MS, { storage: null, localStorage: 0, missed: null, live: false });
  const ownGc = (t: { start: number; duration: number }): boolean => gcWindows.some((w) => t.start < w.to && t.start + t.duration > w.from);
  const hourTasks = tasks.filter((t) => t.start >= since && t.start < from && !ownGc(t));
  return {
    hour,
    heap,
    nodes: dom?.nodes ?? null,
    listeners: dom?.jsEventListeners ?? null,
    ...f,
    longTasks: hourTasks.length,
    longest: hourTasks.reduce((a, t) => Math.max(a, t.duration), 0),
    load: loadavg()[0],
  };
}

async function run(): Promise<void> {
  assertChromiumInstalled();
  const { server, stop: cleanup } = await startConsoleServer({
    port,
    dev: !!args.dev,
    out: args.out,
    noBuild: !!args['no-build'],
    noMinify: !!args['no-minify'],
    env: { PBX_SIM_CONTROL: '1', PBX_SIM_SPEED: String(speed), PBX_SIM_RATE: String(rate), PBX_SIM_SEED: String(args.seed) },
    describe: `simulator speed ${speed}, ${rate} calls/simulated min, seed ${args.seed}`,
    log,
  });
  try {
    await waitForHttp(`${origin}/`, 60_000, server);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs], headless: true });
    try {
      const context = await browser.newContext({ baseURL: origin, viewport: { width: 1440, height: 900 }, locale: 'en-US' });
      const page = await context.newPage();
      const errors: string[] = [];
      const tasks: Array<{ start: number; duration: number }> = [];
      let crashed = false;
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('crash', () => {
        crashed = true;
        log('the page crashed');
      });
      page.on('console', (m) => {
        const text = m.text();
        if (text.startsWith(LONGTASK_PREFIX)) tasks.push(JSON.parse(text.slice(LONGTASK_PREFIX.length)) as { start: number; duration: number });
        else if (m.type() === 'error') errors.push(`console.error: ${text}`);
      });
      await page.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
      await page.addInitScript(installLongTaskProbe);
      const login = new LoginPage(page);
      await login.goto();
      await login.login(OPERATOR.username, OPERATOR.password);
      await page.waitForFunction(usableProbe, undefined, { polling: 'raf', timeout: 60_000 });
      log(`live; ${hours} simulated hours = ${((hours * HOUR_MS) / 60_000).toFixed(1)} min of wall time`);
      const cdp = await context.newCDPSession(page);
      const gcWindows: Array<{ from: number; to: number }> = [];
      const rows: string[][] = [];
      const t0 = Date.now();
      let since = t0;
      let tracing = false;
      for (let h = 0; h <= hours; h++) {
        const due = t0 + h * HOUR_MS;
        while (Date.now() < due && !crashed) await new Promise((r) => setTimeout(r, Math.min(1000, due - Date.now())));
        if (crashed) throw new Error(`the page crashed during simulated hour ${h}`);
        if (args.trace && h === hours && tracing) {
          writeFileSync(args.trace, await browser.stopTracing());
          tracing = false;
          log(`trace of the last simulated hour written to ${args.trace} (npx tsx bench/ui/trace-summary.ts ${args.trace})`);
        }
        const s = await sample(page, cdp, h, gcWindows, tasks, since);
        since = Date.now();
        if (args.trace && h === hours - 1) {
          await browser.startTracing(page, { categories: TRACE_CATEGORIES });
          tracing = true;
        }
        rows.push(formatRow(s));
        log(`hour ${HEAD.map((k, i) => `${k}: ${rows[rows.length - 1][i]}`).slice(1).join(', ')}`);
      }
      if (errors.length) log(`the page logged ${errors.length} error(s); first: ${errors[0]}`);
      const stamp = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${hours} simulated hours at speed ${speed}, ${rate} calls/simulated min, seed ${args.seed}, ${args.dev ? 'dev server' : 'production build'}, Chromium headless; page errors: ${errors.length}`;
      process.stdout.write(`${stamp}\n\n${table(rows)}\n`);
    } finally {
      await within(browser.close(), 10_000, undefined);
    }
  } finally {
    cleanup();
  }
}

run().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
