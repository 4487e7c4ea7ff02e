// Where does the shared TextDecoder beat decoding UTF-8 in JS? Sets SHORT_TEXT_BYTES in
// src/cti/etf/decode.ts. Run: `npx tsx bench/text-threshold.bench.ts`. Figures only.
import { performance } from 'node:perf_hooks';
import { asciiText, SHORT_TEXT_BYTES, SHORT_UTF8_BYTES, utf8Js } from '../src/cti/etf/decode.ts';

const td = new TextDecoder();

function sample(len: number, japanese = false): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < 256; i++) {
    let s = '';
    // Japanese: 3 UTF-8 bytes per kana, so `len` is a multiple of 3
    if (japanese) while (s.length * 3 < len) s += String.fromCharCode(0x3042 + ((i + s.length) % 80));
    else while (s.length < len) s += String.fromCharCode(97 + ((i + s.length) % 26));
    const b = new TextEncoder().encode(s);
    // place each in a bigger buffer, as in a frame
    const frame = new Uint8Array(len + 16);
    frame.set(b, 8);
    out.push(frame);
  }
  return out;
}

function nsPerCall(fn: (b: Uint8Array, s: number, e: number) => string, data: Uint8Array[], len: number): number {
  let sink = 0;
  const loops = Math.max(20, Math.floor(200_000 / (len + 8)));
  const run = (): void => {
    for (let k = 0; k < loops; k++) for (const b of data) sink += fn(b, 8, 8 + len).length;
  };
  run();
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  if (sink < 0) console.log(sink);
  return (times[2] * 1e6) / (loops * data.length);
}

const viaTextDecoder = (b: Uint8Array, s: number, e: number): string => td.decode(b.subarray(s, e));
const viaJs = (b: Uint8Array, s: number, e: number): string => asciiText(b, s, e)!;
const viaUtf8Js = (b: Uint8Array, s: number, e: number): string => utf8Js(b, s, e)!;

// Non-ASCII text always goes to the TextDecoder (one call, and exactly its semantics for invalid UTF-8).
console.log(`ns per ASCII string: JS path (asciiText) vs the shared TextDecoder; SHORT_TEXT_BYTES is ${SHORT_TEXT_BYTES}`);
console.log('bytes   asciiText  TextDecoder');
for (const len of [4, 8, 12, 16, 24, 32, 40, 48, 64, 96, 128]) {
  const a = sample(len);
  console.log(String(len).padStart(5), nsPerCall(viaJs, a, len).toFixed(0).padStart(11), nsPerCall(viaTextDecoder, a, len).toFixed(0).padStart(12));
}

// Text that starts with a non-ASCII byte (names, labels) is decoded by utf8Js up to SHORT_UTF8_BYTES.
console.log(`\nns per Japanese string: JS path (utf8Js) vs the shared TextDecoder; SHORT_UTF8_BYTES is ${SHORT_UTF8_BYTES}`);
console.log('bytes     utf8Js  TextDecoder');
for (const len of [6, 12, 24, 48, 96, 129, 192, 255]) {
  const a = sample(len, true);
  console.log(String(len).padStart(5), nsPerCall(viaUtf8Js, a, len).toFixed(0).padStart(10), nsPerCall(viaTextDecoder, a, len).toFixed(0).padStart(12));
}
