// Decode-only figures (no translation): decodeEtfPlain on the CTI bench frames, best of 40 runs. `npx tsx bench/etf-decode.bench.ts`.
import { buildFrames } from './cti-frames.ts';
import { decodeEtfPlain } from '../src/cti/etf/decode.ts';
const f = buildFrames();
let s: unknown;
const mins = { users: Infinity, channels: Infinity, events: Infinity };
for (let k = 0; k < 40; k++) {
  let t = performance.now(); s = decodeEtfPlain(f.users); mins.users = Math.min(mins.users, performance.now() - t);
  t = performance.now(); s = decodeEtfPlain(f.channels); mins.channels = Math.min(mins.channels, performance.now() - t);
  t = performance.now(); for (const e of f.events) s = decodeEtfPlain(e); mins.events = Math.min(mins.events, performance.now() - t);
}
void s;
console.log('decodeEtfPlain, best of 40:', Object.entries(mins).map(([k, v]) => `${k} ${v.toFixed(2)}ms`).join('  '));
