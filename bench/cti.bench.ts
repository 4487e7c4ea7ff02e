// CTI speed benchmark (`npm run bench`): our parser (ETF decode + PROTOCOL.md translation) against
// erlang_js's binary_to_term on the same frames and JSON.parse of the same data as JSON text.
// Figures only; tests never assert on wall time.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { createMessageParser } from '../src/cti/parser/message-parser.ts';
import { buildFrames } from './cti-frames.ts';

const require = createRequire(import.meta.url);
const { Erlang } = require('erlang_js') as {
  Erlang: { binary_to_term(data: Buffer, cb: (err: unknown, term: unknown) => void): void };
};

interface Scenario {
  name: string;
  /** the frames decoded in one iteration */
  etf: Uint8Array[];
  /** records per iteration (users, channels, events) */
  records: number;
  unit: string;
}

const f = buildFrames();
const scenarios: Scenario[] = [
  { name: 'initial_info user ×5,000', etf: [f.users], records: 5000, unit: 'user' },
  { name: 'initial_info channel ×1,000', etf: [f.channels], records: 1000, unit: 'channel' },
  { name: 'info_event channel ×10,000', etf: f.events, records: 10_000, unit: 'event' },
];

// One parser for the whole run, as on one connection: field_specs first.
let sink: unknown;
let jsonOut: string[] | null = null;
const parser = createMessageParser({
  on_initial_info(element, data) {
    sink = data;
    jsonOut?.push(JSON.stringify({ type: 'initial_info', element, data }, bigintAsString));
  },
  on_info_event(element, data, event) {
    sink = data;
    jsonOut?.push(JSON.stringify({ type: 'info_event', element, data, event }, bigintAsString));
  },
});
parser.handle_message(f.userSpec);
parser.handle_message(f.channelSpec);

function bigintAsString(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** The same data as the JSON a JSON-speaking server would send: our parser's output, stringified. */
function jsonFramesOf(etf: Uint8Array[]): Uint8Array[] {
  jsonOut = [];
  for (const b of etf) parser.handle_message(b);
  const text = jsonOut;
  jsonOut = null;
  const enc = new TextEncoder();
  return text.map((t) => enc.encode(t));
}

/**
 * Median (and best) wall time in ms of each of `fns`, run in rotation (ours, JSON, erlang_js, ours, …) so
 * that load from other processes and GC pauses hit all of them alike (a full GC before each run was tried: it
 * made every contender slower and noisier); `warmup` rounds are not counted.
 */
function medians(fns: Array<() => void>, warmup: number, runs: number): { median: number[]; best: number[] } {
  const times: number[][] = fns.map(() => []);
  for (let round = 0; round < warmup + runs; round++) {
    fns.forEach((fn, i) => {
      const t0 = performance.now();
      fn();
      const dt = performance.now() - t0;
      if (round >= warmup) times[i].push(dt);
    });
  }
  const sorted = times.map((t) => t.sort((a, b) => a - b));
  return { median: sorted.map((t) => t[Math.floor(t.length / 2)]), best: sorted.map((t) => t[0]) };
}

const total = (frames: Uint8Array[]): number => frames.reduce((s, b) => s + b.length, 0);
const mbps = (bytes: number, ms: number): string => (bytes / 1e6 / (ms / 1000)).toFixed(0).padStart(6);
const pad = (s: string, n: number): string => s.padEnd(n);

interface Row {
  name: string;
  etfBytes: number;
  jsonBytes: number;
  ours: number;
  json: number;
  erl: number;
  records: number;
  unit: string;
  /** the same ratios from the best (fastest) runs, less sensitive to background load */
  bestRatio: number;
  bestSpeedup: number;
}

const rows: Row[] = [];
for (const s of scenarios) {
  const json = jsonFramesOf(s.etf);
  const buffers = s.etf.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  const td = new TextDecoder();
  const big = s.etf.length === 1;
  const runOurs = (): void => {
    for (let i = 0; i < s.etf.length; i++) parser.handle_message(s.etf[i]);
  };
  const runJson = (): void => {
    for (let i = 0; i < json.length; i++) sink = JSON.parse(td.decode(json[i]));
  };
  const runErl = (): void => {
    for (let i = 0; i < buffers.length; i++) {
      Erlang.binary_to_term(buffers[i], (err, term) => {
        if (err) throw err;
        sink = term;
      });
    }
  };
  // ours and JSON in rotation; erlang_js in its own phase, since the Buffer views it leaves
  // behind make V8 run full GCs that would land on whoever runs next.
  const m1 = medians([runOurs, runJson], big ? 5 : 3, big ? 31 : 11);
  const m2 = medians([runErl], 2, big ? 15 : 7);
  const m = { median: [...m1.median, ...m2.median], best: [...m1.best, ...m2.best] };
  const [ours, jsonMs, erl] = m.median;
  const [oursBest, jsonBest, erlBest] = m.best;
  rows.push({
    name: s.name, etfBytes: total(s.etf), jsonBytes: total(json), ours, json: jsonMs, erl, records: s.records, unit: s.unit,
    bestRatio: oursBest / jsonBest, bestSpeedup: erlBest / oursBest,
  });
}
void sink;

console.log(`CTI benchmark — Node ${process.version}, median of several runs after warm-up`);
console.log('ours     = createMessageParser().handle_message: ETF decode (decodeEtfPlain) + field_spec zip + PROTOCOL.md translations');
console.log('JSON     = JSON.parse(new TextDecoder().decode(bytes)) of the same translated data as JSON text');
console.log('erlang_js = Erlang.binary_to_term on the same ETF frames (decode only, no translation)\n');
console.log(
  [
    pad('scenario', 28),
    pad('ETF KB', 7),
    pad('JSON KB', 8),
    pad('ours ms', 8),
    pad('MB/s', 6),
    pad('µs/rec', 13),
    pad('JSON ms', 8),
    pad('MB/s', 6),
    pad('erl_js ms', 10),
    pad('ours/JSON', 10),
    pad('vs erlang_js', 13),
    'best-run ratios',
  ].join(' '),
);
let allMet = true;
for (const r of rows) {
  const ratio = r.ours / r.json;
  const speedup = r.erl / r.ours;
  const met = ratio <= 0.6 && speedup >= 8;
  allMet &&= met;
  console.log(
    [
      pad(r.name, 28),
      pad((r.etfBytes / 1024).toFixed(0), 7),
      pad((r.jsonBytes / 1024).toFixed(0), 8),
      pad(r.ours.toFixed(2), 8),
      pad(mbps(r.etfBytes, r.ours), 6),
      pad(`${((r.ours * 1000) / r.records).toFixed(2)}/${r.unit}`, 13),
      pad(r.json.toFixed(2), 8),
      pad(mbps(r.jsonBytes, r.json), 6),
      pad(r.erl.toFixed(1), 10),
      pad(`${ratio.toFixed(2)}×${ratio <= 0.6 ? ' ok' : ' MISS'}`, 10),
      pad(`${speedup.toFixed(1)}×${speedup >= 8 ? ' ok' : ' MISS'}`, 13),
      `${r.bestRatio.toFixed(2)}× / ${r.bestSpeedup.toFixed(1)}×`,
    ].join(' '),
  );
}
console.log('(ratios from medians; the last column gives ours/JSON and the erlang_js speed-up from the fastest runs)');
console.log(`targets: ours/JSON ≤ 0.6× and ≥ 8× faster than erlang_js on all three — ${allMet ? 'MET' : 'NOT MET'}`);
