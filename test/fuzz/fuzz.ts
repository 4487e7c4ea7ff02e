// `npm run fuzz [-- CASES [SEED]]`: the hostile-frame property (test/fuzz/hostile-property.ts) for a
// million cases (default), not in CI. Prints the seeds of issue 12 at full size (time, heap), then
// progress and figures: outcomes by kind, the slowest frame, the heap. Exits 1 on the first
// counterexample, printing fast-check's report (seed and path to replay it).
import fc from 'fast-check';
import { compressed, errorStorm, initialInfo, msgBomb, nestedBomb, sameKey } from './hostile-frames.ts';
import { heapAfterGc, mib } from './heap.ts';
import { checkHostile, hostileFrame, userState, type Outcome } from './hostile-property.ts';

const cases = Number(process.argv[2] ?? 1_000_000);
const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [CASES (default 1000000)] [SEED]');
  process.exit(2);
}

const st = userState(true);
const heap0 = heapAfterGc();
console.log(`seeds of issue 12 at full size (heap ${mib(heap0)} MiB):`);
const SEEDS: Array<[string, () => Uint8Array]> = [
  ['error storm: 1,000,000 non-tuple records', () => errorStorm(1_000_000)],
  ['error storm: 999,990 non-tuple records (under the element limit)', () => errorStorm(999_990)],
  ['error storm: 10,000,000 records (~10 KB)', () => errorStorm(10_000_000)],
  ['20,000 records of one key', () => sameKey(20_000)],
  ['{msg, [[] x 64M]}', () => msgBomb(64 * 1024 * 1024)],
  ['{msg, [[] x 16M-20]}', () => msgBomb(16 * 1024 * 1024 - 20)],
  ['declares 1 KB, inflates to 16 MB', () => msgBomb(16 * 1024 * 1024 - 20, 1024)],
  ['{msg, [[[] x 100,000] x 100]}', () => nestedBomb(100, 100_000)],
  ['50,000 BAD_FIELD records, compressed', () => compressed(initialInfo('user', [104, 4, 97, 1, 106, 106, 97, 5], 50_000))],
];
for (const [name, make] of SEEDS) {
  const frame = make();
  const before = heapAfterGc();
  const t0 = performance.now();
  const o = checkHostile(frame, st);
  const ms = performance.now() - t0;
  console.log(`  ${name} (${frame.length} bytes): ${describe(o)} in ${ms.toFixed(0)} ms, heap +${mib(heapAfterGc() - before)} MiB kept`);
}

function describe(o: Outcome): string {
  return o.thrown ?? `${o.messages} message(s), ${o.errors} error(s)${o.summary ? ' (last TOO_MANY_ERRORS)' : ''}`;
}

const tally = new Map<string, number>();
let done = 0;
let slowest = { ms: 0, size: 0, what: '' };
const t0 = performance.now();
const property = (scale: number) =>
  fc.property(hostileFrame(scale), fc.boolean(), (frame, codegen) => {
    const s = performance.now();
    const o = checkHostile(frame, codegen ? st : plainSt);
    const ms = performance.now() - s;
    if (ms > slowest.ms) slowest = { ms, size: frame.length, what: describe(o) };
    const key = o.thrown ?? (o.summary ? 'delivered, TOO_MANY_ERRORS' : o.errors > 0 ? 'delivered with record errors' : 'delivered');
    tally.set(key, (tally.get(key) ?? 0) + 1);
    if (++done % 100_000 === 0) progress();
  });
const plainSt = userState(false);

function progress(): void {
  const s = (performance.now() - t0) / 1000;
  console.log(`${done} cases in ${s.toFixed(0)} s (${Math.round(done / s)}/s), slowest ${slowest.ms.toFixed(1)} ms (${slowest.size} bytes: ${slowest.what}), heap ${mib(process.memoryUsage().heapUsed)} MiB`);
}

console.log(`\n${cases} cases, seed ${seed} (99.9 % of at most 300 records or elements, 0.1 % of at most 1,000,000):`);
const big = Math.max(1, Math.floor(cases / 1000));
for (const [n, scale, s] of [
  [cases - big, 300, seed],
  [big, 1_000_000, seed + 1],
] as const) {
  const r = fc.check(property(scale), { numRuns: n, seed: s });
  if (r.failed) {
    console.error(fc.defaultReportMessage(r));
    process.exit(1);
  }
}
progress();
console.log('outcomes:');
for (const [k, v] of [...tally].sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(8)}  ${k}`);
console.log(`heap after a full GC: ${mib(heapAfterGc())} MiB (at start ${mib(heap0)} MiB)`);
