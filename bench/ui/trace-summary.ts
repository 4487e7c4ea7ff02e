/**
 * What the main thread's long tasks are made of, from a Chrome trace written by
 * `npm run bench:ui -- --trace FILE` (add `--no-minify` for readable function names).
 *
 * Usage: `npx tsx bench/ui/trace-summary.ts FILE [--min 50] [--top 12]`.
 *
 * For the renderer main thread (`CrRendererMain` with the most events) it lists every task
 * longer than `--min` ms (default 50, the Long Tasks API threshold) with its biggest trace
 * events (GC, layout, paint, script entry points), and attributes V8's CPU samples that fall
 * inside long tasks: self time by function, and inclusive time by function (each function once
 * per sample). Then the same over all long tasks together, and GC totals for the whole trace.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { min: { type: 'string', default: '50' }, top: { type: 'string', default: '12' } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: tsx bench/ui/trace-summary.ts TRACE.json [--min 50] [--top 12]');
  process.exit(2);
}
const MIN_US = Number(opts.min) * 1000;
const TOP = Number(opts.top);

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  parent?: number;
}

const raw = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(raw) ? raw : raw.traceEvents;

// ---- the renderer main thread --------------------------------------------------------------
const mainThreads = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
const count = new Map<string, number>();
for (const e of events) count.set(`${e.pid}:${e.tid}`, (count.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
const main = mainThreads.map((m) => ({ pid: m.pid, tid: m.tid, n: count.get(`${m.pid}:${m.tid}`) ?? 0 })).sort((a, b) => b.n - a.n)[0];
if (!main) throw new Error('no CrRendererMain thread in the trace');
const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);

const isTask = (e: TraceEvent): boolean => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask';
// Outermost tasks only (RunTask can nest inside ThreadControllerImpl::RunTask).
const tasks: TraceEvent[] = [];
let openUntil = -1;
for (const e of onMain) {
  if (!isTask(e)) continue;
  if (e.ts < openUntil) continue;
  tasks.push(e);
  openUntil = e.ts + e.dur!;
}
const long = tasks.filter((t) => t.dur! > MIN_US);

// ---- CPU samples of the main thread --------------------------------------------------------
const nodes = new Map<number, ProfileNode>();
const samples: Array<{ ts: number; node: number }> = [];
{
  const profiles = events.filter((e) => e.name === 'Profile' && e.pid === main.pid);
  const mainProfile = profiles.find((p) => p.tid === main.tid) ?? profiles[0];
  if (mainProfile) {
    let ts = Number(mainProfile.args?.data?.startTime ?? 0);
    const chunks = events.filter((e) => e.name === 'ProfileChunk' && e.pid === main.pid && e.id === mainProfile.id);
    for (const c of chunks) {
      const cp = c.args?.data?.cpuProfile as { nodes?: ProfileNode[]; samples?: number[] } | undefined;
      for (const n of cp?.nodes ?? []) nodes.set(n.id, n);
      const deltas = (c.args?.data?.timeDeltas as number[] | undefined) ?? [];
      (cp?.samples ?? []).forEach((node, i) => {
        ts += deltas[i] ?? 0;
        samples.push({ ts, node });
      });
    }
  }
}
samples.sort((a, b) => a.ts - b.ts);

const frameName = (n: ProfileNode): string => {
  const f = n.callFrame;
  const fn = f.functionName || (f.url ? '(anonymous)' : '');
  if (!f.url) return fn || '(program)';
  const file = f.url.replace(/^.*\/(assets|src|node_modules)\//, '$1/').replace(/\?.*$/, '');
  return `${fn} ${file}:${f.lineNumber + 1}`;
};

function attribute(from: number, to: number, self: Map<string, number>, incl: Map<string, number>): number {
  let n = 0;
  let i = lowerBound(from);
  for (; i < samples.length && samples[i]!.ts < to; i++) {
    n++;
    let node = nodes.get(samples[i]!.node);
    if (!node) continue;
    const leaf = frameName(node);
    self.set(leaf, (self.get(leaf) ?? 0) + 1);
    const seen = new Set<string>();
    while (node) {
      const name = frameName(node);
      if (!seen.has(name)) {
        seen.add(name);
        incl.set(name, (incl.get(name) ?? 0) + 1);
      }
      node = node.parent !== undefined ? nodes.get(node.parent) : undefined;
    }
  }
  return n;
}
function lowerBound(ts: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
const top = (m: Map<string, number>, total: number, k = TOP): string[] =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, v]) => `      ${((100 * v) / Math.max(1, total)).toFixed(0).padStart(3)} %  ${name}`);

// ---- the trace events inside a task --------------------------------------------------------
const INTERESTING = /GC|Layout|UpdateLayoutTree|Paint|Commit|FunctionCall|EventDispatch|TimerFire|FireAnimationFrame|RunMicrotasks|v8\.callFunction|ParseHTML|EvaluateScript|HandlePostMessage|PrePaint|Layerize|HitTest|ScheduleStyleRecalculation|RecalculateStyles/;
function describe(e: TraceEvent): string {
  const d = e.args?.data ?? {};
  const extra = d.functionName ? ` ${d.functionName}` : d.type ? ` ${d.type}` : e.args?.usedHeapSizeBefore ? ` ${(e.args.usedHeapSizeBefore / 1048576).toFixed(0)}→${(e.args.usedHeapSizeAfter / 1048576).toFixed(0)} MB` : '';
  return `${e.name}${extra}`;
}

const t0 = tasks[0]?.ts ?? 0;
console.log(`main thread pid ${main.pid} tid ${main.tid}: ${tasks.length} tasks, ${long.length} longer than ${MIN_US / 1000} ms; ${samples.length} CPU samples`);
const allSelf = new Map<string, number>();
const allIncl = new Map<string, number>();
let allN = 0;
for (const t of long) {
  const end = t.ts + t.dur!;
  console.log(`\n● task at +${((t.ts - t0) / 1e6).toFixed(2)} s, ${(t.dur! / 1000).toFixed(1)} ms`);
  const inner = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts < end && INTERESTING.test(e.name) && e.dur! >= 2000);
  const byName = new Map<string, { ms: number; n: number }>();
  for (const e of inner) {
    const k = describe(e);
    const v = byName.get(k) ?? { ms: 0, n: 0 };
    v.ms += e.dur! / 1000;
    v.n++;
    byName.set(k, v);
  }
  for (const [k, v] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10)) console.log(`    ${v.ms.toFixed(1).padStart(6)} ms ×${v.n}  ${k}`);
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const n = attribute(t.ts, end, self, incl);
  allN += n;
  for (const [k, v] of self) allSelf.set(k, (allSelf.get(k) ?? 0) + v);
  for (const [k, v] of incl) allIncl.set(k, (allIncl.get(k) ?? 0) + v);
  if (n > 0) {
    console.log(`    samples ${n}; self:`);
    console.log(top(self, n, 8).join('\n'));
    console.log(`    inclusive:`);
    console.log(top(incl, n, 14).join('\n'));
  }
}
if (long.length > 1) {
  console.log(`\n=== all ${long.length} long tasks: ${allN} samples; self:`);
  console.log(top(allSelf, allN, 20).join('\n'));
  console.log('    inclusive:');
  console.log(top(allIncl, allN, 30).join('\n'));
}

// ---- every CPU sample of the main thread (not only those in long tasks) --------------------
if (samples.length > 0) {
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const n = attribute(-Infinity, Infinity, self, incl);
  console.log(`\n=== all ${n} CPU samples of the main thread; self:`);
  console.log(top(self, n, 25).join('\n'));
  console.log('    inclusive:');
  console.log(top(incl, n, Number(process.env.INCL ?? 45)).join('\n'));
}

// ---- GC over the whole trace ---------------------------------------------------------------
const gcs = onMain.filter((e) => /^(MajorGC|MinorGC|V8\.GCScavenger|V8\.GCFinalizeMC|V8\.GCIncrementalMarking|V8\.GCCompactor|BlinkGC\.|ThreadState::)/.test(e.name));
const gcBy = new Map<string, { ms: number; n: number; max: number }>();
for (const e of gcs) {
  const v = gcBy.get(e.name) ?? { ms: 0, n: 0, max: 0 };
  v.ms += e.dur! / 1000;
  v.n++;
  v.max = Math.max(v.max, e.dur! / 1000);
  gcBy.set(e.name, v);
}
const span = tasks.length ? (tasks[tasks.length - 1]!.ts + tasks[tasks.length - 1]!.dur! - t0) / 1e6 : 0;
console.log(`\n=== GC on the main thread over ${span.toFixed(1)} s (may nest):`);
for (const [k, v] of [...gcBy].sort((a, b) => b[1].ms - a[1].ms)) console.log(`    ${v.ms.toFixed(0).padStart(6)} ms ×${v.n} (max ${v.max.toFixed(1)} ms)  ${k}`);
const busy = tasks.reduce((a, t) => a + t.dur!, 0) / 1000;
console.log(`main thread busy in tasks: ${busy.toFixed(0)} ms of ${(span * 1000).toFixed(0)} ms`);
// Thread CPU time (tdur) hardly depends on what else the machine runs, unlike wall time: on a
// busy 2-core box it is the fairer way to compare two builds.
const cpu = tasks.reduce((a, t) => a + ((t as TraceEvent & { tdur?: number }).tdur ?? 0), 0) / 1000;
const longCpu = tasks.filter((t) => ((t as TraceEvent & { tdur?: number }).tdur ?? 0) > MIN_US);
console.log(
  `main thread CPU in tasks: ${cpu.toFixed(0)} ms (${((100 * cpu) / Math.max(1, span * 1000)).toFixed(1)} % of the span); tasks over ${MIN_US / 1000} ms of CPU: ${longCpu.length}` +
    (longCpu.length ? ` (${longCpu.map((t) => `+${((t.ts - t0) / 1e6).toFixed(1)}s ${((t as TraceEvent & { tdur?: number }).tdur! / 1000).toFixed(0)}ms`).join(', ')})` : ''),
);

// ---- where the main thread's time goes, over the whole trace -------------------------------
// Outermost occurrence of each name only (Paint nests in Paint, FunctionCall in v8.callFunction).
const KINDS = ['HandlePostMessage', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'RunMicrotasks', 'FunctionCall', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'MinorGC', 'MajorGC', 'V8.GCIncrementalMarking'];
const total = new Map<string, { ms: number; n: number }>();
for (const name of KINDS) {
  let until = -1;
  for (const e of onMain) {
    if (e.name !== name || e.ts < until) continue;
    until = e.ts + e.dur!;
    const v = total.get(name) ?? { ms: 0, n: 0 };
    v.ms += e.dur! / 1000;
    v.n++;
    total.set(name, v);
  }
}
console.log(`\n=== main thread time by event (outermost per name; script kinds overlap each other):`);
for (const [k, v] of [...total].sort((a, b) => b[1].ms - a[1].ms)) console.log(`    ${v.ms.toFixed(0).padStart(6)} ms ×${v.n}  ${k}  (${(v.ms / v.n).toFixed(2)} ms each)`);
const fnCalls = new Map<string, { ms: number; n: number }>();
{
  let until = -1;
  for (const e of onMain) {
    if (e.name !== 'FunctionCall' || e.ts < until) continue;
    until = e.ts + e.dur!;
    const k = String(e.args?.data?.functionName || '(anonymous)') + ' ' + String(e.args?.data?.url ?? '').replace(/^.*\//, '');
    const v = fnCalls.get(k) ?? { ms: 0, n: 0 };
    v.ms += e.dur! / 1000;
    v.n++;
    fnCalls.set(k, v);
  }
}
console.log(`=== script entry points (FunctionCall):`);
for (const [k, v] of [...fnCalls].sort((a, b) => b[1].ms - a[1].ms).slice(0, TOP)) console.log(`    ${v.ms.toFixed(0).padStart(6)} ms ×${v.n}  ${k}  (${(v.ms / v.n).toFixed(2)} ms each)`);
