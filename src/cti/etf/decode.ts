// Decoder for Erlang's External Term Format (ERTS User's Guide, "External Term Format"), hardened for hostile input.
import { Inflate } from 'fflate';
import { encodeEtf } from './encode.ts';
import { EtfDecodeError, isStackOverflow, type EtfDecodeErrorCode } from './errors.ts';
import { Tag, VERSION } from './tags.ts';
import {
  Atom,
  BitBinary,
  ErlMap,
  ExportFun,
  Float,
  ImproperList,
  OpaqueFun,
  Pid,
  Port,
  Reference,
  Tuple,
  type Term,
} from './term.ts';

/**
 * Limits of {@link decodeEtf} / {@link decodeEtfPlain}; exceeding one gives `EtfDecodeError` code `LIMIT`.
 * Each must be `undefined` (the default), an integer ≥ 0 or `Infinity` (no limit); anything else
 * (NaN, a negative or fractional number, a string…) is `EtfDecodeError` code `BAD_OPTION` naming the
 * option, before any byte is read. Other properties are ignored.
 */
export interface DecodeOptions {
  /**
   * Maximum nesting of tuples, lists and maps (the top-level term is depth 0). Default 256.
   * The decoder recurses once per level; where the JS stack runs out first (≈ 3,600 levels at
   * the top of a Node 20 stack, fewer for a caller already deep in its own), that is `LIMIT` too.
   */
  maxDepth?: number;
  /**
   * Maximum input size in bytes. Default 16 MiB (the largest real ws_cti frame, an initial_info of
   * 10,000 users, is under 2 MB; measured with bench/cti-frames.ts).
   */
  maxBytes?: number;
  /**
   * Maximum uncompressed size of a compressed term (tag 80), in bytes: the declared size is checked
   * before inflating, and inflating stops (in slices of at most 1 KiB of input) as soon as the output
   * passes the declared size. Default 16 MiB, as `maxBytes`.
   */
  maxInflatedBytes?: number;
  /**
   * Maximum number of elements of all the tuples, lists and maps of one frame together (a map entry
   * counts 2; a list's chained tails add theirs; a term that is a map key and a container counts
   * twice), checked at each container's header before any of its elements is read: the work and
   * memory a frame may cost, whatever its compression ratio. Default 1,000,000 (an initial_info of
   * 10,000 users, the largest real snapshot, has about 170,000 in 1.4 MB; 1,000 channels about 31,000 — bench/cti-frames.ts).
   */
  maxElements?: number;
  /** Maximum atom length in characters. Default 255 (Erlang's own limit). */
  maxAtomLength?: number;
  /** Maximum magnitude of a bignum (SMALL_BIG_EXT/LARGE_BIG_EXT) in bytes. Default 1024 (8192 bits). */
  maxBigBytes?: number;
}

/**
 * What {@link decodeEtfPlain} gives, as PROTOCOL.md ("Frame encoding") maps terms to JS:
 * atom `undefined` → `undefined`, `true`/`false` → booleans, other atoms → their name; binaries →
 * UTF-8 text (invalid sequences become U+FFFD); STRING_EXT → string of those char codes; tuples and
 * proper lists → arrays; improper lists → {@link ImproperList} (holding plain values); maps → `Map`;
 * integers → `number`, or `bigint` beyond ±(2^53 − 1); floats → `number`; bitstrings, pids, ports,
 * references and funs → the term-model classes.
 */
export type PlainValue =
  | undefined
  | boolean
  | number
  | bigint
  | string
  | PlainValue[]
  | Map<PlainValue, PlainValue>
  | ImproperList
  | BitBinary
  | Pid
  | Port
  | Reference
  | ExportFun
  | OpaqueFun;

const DEFAULT_MAX_DEPTH = 256;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_INFLATED = 16 * 1024 * 1024;
const DEFAULT_MAX_ELEMENTS = 1_000_000;
const DEFAULT_MAX_ATOM = 255;
const DEFAULT_MAX_BIG = 1024;

/**
 * Binaries up to this many bytes are decoded to text in JS; longer ones by the shared
 * `TextDecoder`, whose per-call cost only pays off on longer text.
 * Measured by `bench/text-threshold.bench.ts` (Node 20).
 */
export const SHORT_TEXT_BYTES = 48;

/**
 * Non-ASCII text (first byte ≥ 0x80) up to this many bytes is decoded in JS too: on such text the
 * TextDecoder costs 2–4× the JS loop (Node 20) (bench/text-threshold.bench.ts).
 */
export const SHORT_UTF8_BYTES = 128;

/**
 * Decode one ETF frame into the term model ({@link Term}), keeping atoms, binaries, strings,
 * tuples and lists distinguishable (so `encodeEtf(decodeEtf(b))` re-creates `b` for Erlang's canonical forms).
 *
 * Accepts every tag of the ERTS "External Term Format" chapter that `term_to_binary` writes:
 * 97/98/110/111 integers, 70/99 floats, 100/115/118/119 atoms, 109 binaries, 77 bitstrings,
 * 107 strings, 108/106 lists (proper and improper), 104/105 tuples, 116 maps, 80 compressed
 * (top level only, as in Erlang), 88/103 pids, 89/102/120 ports, 90/101/114 references,
 * 112 funs (opaque), 113 exports. Distribution-only tags (ATOM_CACHE_REF 82, 68) and the
 * obsolete FUN_EXT 117 are rejected.
 *
 * Binaries are copied out of `bytes`, so the input buffer may be reused afterwards.
 *
 * @param bytes the whole frame, starting with the version byte 131; nothing may follow the term.
 * @param opts limits, see {@link DecodeOptions}.
 * @throws {EtfDecodeError} for every malformed, truncated, over-limit or trailing-byte input, and
 *   for what `binary_to_term` rejects (duplicate map keys, bad FLOAT_EXT text, a NEW_FUN_EXT size
 *   that disagrees with its fields: `BAD_VALUE`); `LIMIT` also when the JS stack runs out before
 *   `maxDepth`; `BAD_OPTION` for a bad option. No other error escapes, for any input or options.
 */
export function decodeEtf(bytes: Uint8Array, opts?: DecodeOptions): Term {
  return run(bytes, opts, false) as Term;
}

/**
 * Decode one ETF frame straight to plain JS values ({@link PlainValue}), the mapping of
 * PROTOCOL.md — the fast path used by the message parser. Same tags, limits and errors as {@link decodeEtf}.
 *
 * @param bytes the whole frame, starting with the version byte 131.
 * @param opts limits, see {@link DecodeOptions}.
 * @throws {EtfDecodeError} as {@link decodeEtf}: for every malformed, truncated, over-limit or
 *   trailing-byte input, a stack overflow (`LIMIT`) and a bad option (`BAD_OPTION`); nothing else escapes.
 */
export function decodeEtfPlain(bytes: Uint8Array, opts?: DecodeOptions): PlainValue {
  return run(bytes, opts, true) as PlainValue;
}

/**
 * The decoder for one frame, positioned on its term (after the version byte; inflated first for tag 80),
 * with the same input checks as {@link decodeEtfPlain}. For the message parser's fused path, which
 * reads records straight into its objects instead of going through an array per record; call
 * {@link PlainReader.finish} after the term.
 * @throws {EtfDecodeError} as decodeEtfPlain does for a bad header, size or zlib stream
 */
export function plainReader(bytes: Uint8Array, opts?: DecodeOptions): PlainReader {
  return open(bytes, opts);
}

function run(bytes: Uint8Array, opts: DecodeOptions | undefined, plain: boolean): Term | PlainValue {
  const d = open(bytes, opts);
  let value: Term | PlainValue;
  try {
    value = plain ? d.plain() : d.term();
  } catch (e) {
    // A deep term with a high maxDepth (or a caller deep in its own stack): the stack is unwound here.
    if (isStackOverflow(e)) d.fail('LIMIT', 'nesting too deep for the JavaScript stack (lower maxDepth)', d.pos);
    throw e;
  }
  d.finish();
  return value;
}

/** Limits of one decoding pass, validated. */
interface Limits {
  maxDepth: number;
  maxAtom: number;
  maxBig: number;
  maxElements: number;
}
const DEFAULT_LIMITS: Limits = { maxDepth: DEFAULT_MAX_DEPTH, maxAtom: DEFAULT_MAX_ATOM, maxBig: DEFAULT_MAX_BIG, maxElements: DEFAULT_MAX_ELEMENTS };

/** `opts[name]`, or `dflt` when absent; `BAD_OPTION` unless an integer ≥ 0 or Infinity. */
function limitOption(opts: DecodeOptions, name: keyof DecodeOptions, dflt: number): number {
  const v: unknown = opts[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v >= 0) || (v !== Infinity && !Number.isInteger(v))) {
    const shown = typeof v === 'number' ? String(v) : typeof v === 'string' ? JSON.stringify(v) : typeof v;
    throw new EtfDecodeError('BAD_OPTION', `opts.${name} must be an integer ≥ 0 or Infinity, got ${shown}`, 0, false, name);
  }
  return v;
}

/** Every limit of a decoding pass, validated. */
interface AllLimits {
  limits: Limits;
  maxBytes: number;
  maxInflated: number;
}
const DEFAULT_ALL_LIMITS: AllLimits = { limits: DEFAULT_LIMITS, maxBytes: DEFAULT_MAX_BYTES, maxInflated: DEFAULT_MAX_INFLATED };

/**
 * Validate decode options, as every decode does before reading a byte: for a caller (the message
 * parser) that takes options once and wants a bad one refused then, not on every frame.
 * @param opts undefined or null for the defaults
 * @returns the limits the options give (internal shape)
 * @throws {EtfDecodeError} `BAD_OPTION`, its `option` naming the property at fault (undefined when `opts` is not an object)
 */
export function validateDecodeOptions(opts: DecodeOptions | null | undefined): AllLimits {
  if (opts === undefined || opts === null) return DEFAULT_ALL_LIMITS;
  if (typeof opts !== 'object') throw new EtfDecodeError('BAD_OPTION', `opts must be an object, got ${typeof opts}`, 0);
  return {
    maxBytes: limitOption(opts, 'maxBytes', DEFAULT_MAX_BYTES),
    maxInflated: limitOption(opts, 'maxInflatedBytes', DEFAULT_MAX_INFLATED),
    limits: {
      maxDepth: limitOption(opts, 'maxDepth', DEFAULT_MAX_DEPTH),
      maxAtom: limitOption(opts, 'maxAtomLength', DEFAULT_MAX_ATOM),
      maxBig: limitOption(opts, 'maxBigBytes', DEFAULT_MAX_BIG),
      maxElements: limitOption(opts, 'maxElements', DEFAULT_MAX_ELEMENTS),
    },
  };
}

function open(bytes: Uint8Array, opts: DecodeOptions | undefined): Decoder {
  const { limits, maxBytes, maxInflated } = validateDecodeOptions(opts);
  if (!(bytes instanceof Uint8Array)) {
    // another realm's Uint8Array (a worker, a test DOM), a DataView or another view: same bytes
    const view = bytes as unknown;
    if (ArrayBuffer.isView(view)) bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    else throw new EtfDecodeError('BAD_VALUE', 'input is not a Uint8Array', 0);
  }
  if (bytes.length > maxBytes) {
    throw new EtfDecodeError('LIMIT', `frame of ${bytes.length} bytes exceeds maxBytes ${maxBytes}`, 0);
  }
  if (bytes.length === 0) throw new EtfDecodeError('TRUNCATED', 'empty frame', 0);
  if (bytes[0] !== VERSION) {
    throw new EtfDecodeError('BAD_VERSION', `version byte is ${bytes[0]}, not 131`, 0);
  }
  if (bytes.length >= 2 && bytes[1] === Tag.COMPRESSED) {
    return new Decoder(inflate(bytes, maxInflated), 0, limits, true);
  }
  return new Decoder(bytes, 1, limits, false);
}

// ---------------------------------------------------------------------------------------------
// 80 compressed term: 131, 80, UncompressedSize (u32), zlib stream of the term without its 131.

/**
 * Input slice per inflate step. Deflate expands at most ~1,032×, so one slice yields at most ~1 MiB
 * before the size check runs: a stream that inflates past its declared size is stopped within about
 * 1 MiB of output (16 KiB slices let one step inflate 16 MiB first).
 */
const INFLATE_CHUNK = 1024;

function inflate(bytes: Uint8Array, maxInflated: number): Uint8Array {
  if (bytes.length < 6) throw new EtfDecodeError('TRUNCATED', 'compressed term without its size', bytes.length);
  const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(2);
  if (size > maxInflated) {
    throw new EtfDecodeError('LIMIT', `declared uncompressed size ${size} exceeds maxInflatedBytes ${maxInflated}`, 2);
  }
  const z = bytes.subarray(6);
  if (z.length < 6) throw new EtfDecodeError('TRUNCATED', 'zlib stream cut short', bytes.length);
  const cmf = z[0];
  const flg = z[1];
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || (cmf * 256 + flg) % 31 !== 0 || flg & 0x20) {
    throw new EtfDecodeError('INFLATE_FAILED', 'bad zlib header', 6);
  }
  const out = new Uint8Array(size);
  let got = 0;
  const tooLong = new Error('inflated past the declared size');
  // Streamed in slices and stopped as soon as the output passes `size`: a deflate stream can
  // expand ~1000×, so inflating blindly would let a small frame cost seconds of CPU.
  const inf = new Inflate((chunk) => {
    if (got + chunk.length > size) throw tooLong;
    out.set(chunk, got);
    got += chunk.length;
  });
  const body = z.subarray(2, z.length - 4);
  // fflate returns nothing, without an error, for an empty deflate body; a real stream has ≥ 2 bytes.
  if (body.length === 0) throw new EtfDecodeError('TRUNCATED', 'zlib stream cut short', bytes.length);
  try {
    for (let i = 0; i < body.length; i += INFLATE_CHUNK) {
      inf.push(body.subarray(i, i + INFLATE_CHUNK), i + INFLATE_CHUNK >= body.length);
    }
  } catch (e) {
    if (e === tooLong) {
      throw new EtfDecodeError('INFLATE_FAILED', `inflates to more than the declared ${size} bytes`, 2);
    }
    // fflate's error code 0 is "unexpected EOF": the stream was cut short.
    if ((e as { code?: number }).code === 0) {
      throw new EtfDecodeError('TRUNCATED', 'zlib stream cut short', bytes.length);
    }
    throw new EtfDecodeError('INFLATE_FAILED', `corrupt zlib data: ${(e as Error).message}`, 8);
  }
  if (got !== size) {
    throw new EtfDecodeError('INFLATE_FAILED', `inflated to ${got} bytes, declared ${size}`, 2);
  }
  const t = z.length - 4;
  const expected = ((z[t] << 24) | (z[t + 1] << 16) | (z[t + 2] << 8) | z[t + 3]) >>> 0;
  if (adler32(out) !== expected) throw new EtfDecodeError('INFLATE_FAILED', 'zlib checksum mismatch', 6 + t);
  return out;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Atom cache: direct-mapped, keyed by (encoding, bytes); bounded to ATOM_CACHE_SIZE entries.

const ATOM_CACHE_SIZE = 4096;
const ATOM_CACHE_MAX_LEN = 64;

/**
 * The atom cache slot of the atom name `b[start, start + len)` in the given encoding: FNV-1a over
 * the length, the first byte and the last (up to) eight bytes, folded to the cache size; a hit is
 * still confirmed byte by byte. Exported for tests. Atoms that share a prefix differ at the end
 * (FreeSWITCH's CHANNEL_CREATE, CHANNEL_BRIDGE, CHANNEL_ANSWER…: a hash of the length, first, middle
 * and last byte gave them one slot, so they evicted each other on every event); hashing every byte
 * cost 3–4 % of a channel snapshot's parse.
 */
export function atomCacheSlot(b: Uint8Array, start: number, len: number, utf8: boolean): number {
  let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
  if (len > 0) h = Math.imul(h ^ b[start], 0x01000193);
  const end = start + len;
  for (let i = len > 8 ? end - 8 : start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return ((h ^ (h >>> 15)) + (utf8 ? 1 : 0)) & (ATOM_CACHE_SIZE - 1);
}
interface AtomEntry {
  key: Uint8Array;
  utf8: boolean;
  name: string;
  /** Length in characters, checked against `maxAtomLength` on every hit (the limit may differ per call). */
  chars: number;
  plain: string | boolean | undefined;
  atom: Atom | undefined;
}
const atomCache: Array<AtomEntry | undefined> = new Array(ATOM_CACHE_SIZE).fill(undefined);

function plainOfAtom(name: string): string | boolean | undefined {
  if (name === 'undefined') return undefined;
  if (name === 'true') return true;
  if (name === 'false') return false;
  return name;
}

// ---------------------------------------------------------------------------------------------
// Text

const textDecoder = new TextDecoder('utf-8');
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * ASCII bytes → string in JS; `null` at the first non-ASCII byte (the caller then uses the
 * TextDecoder, so both paths agree on every input, invalid UTF-8 included). Sixteen, then four
 * bytes per `String.fromCharCode` call, no temporary array: faster than the TextDecoder's fixed
 * ~100 ns per call up to about 48 bytes (bench/text-threshold.bench.ts). Strings over 12 characters
 * come out as V8 cons strings, flattened on their first use as a key.
 */
export function asciiText(b: Uint8Array, start: number, end: number): string | null {
  let s = '';
  let i = start;
  for (; i + 16 <= end; i += 16) {
    const c0 = b[i], c1 = b[i + 1], c2 = b[i + 2], c3 = b[i + 3], c4 = b[i + 4], c5 = b[i + 5], c6 = b[i + 6], c7 = b[i + 7];
    const c8 = b[i + 8], c9 = b[i + 9], c10 = b[i + 10], c11 = b[i + 11], c12 = b[i + 12], c13 = b[i + 13], c14 = b[i + 14], c15 = b[i + 15];
    if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14 | c15) & 0x80) return null;
    s += String.fromCharCode(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15);
  }
  for (; i + 4 <= end; i += 4) {
    const c0 = b[i], c1 = b[i + 1], c2 = b[i + 2], c3 = b[i + 3];
    if ((c0 | c1 | c2 | c3) & 0x80) return null;
    s += String.fromCharCode(c0, c1, c2, c3);
  }
  for (; i < end; i++) {
    const c = b[i];
    if (c & 0x80) return null;
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * Valid UTF-8 → string in JS; `null` at the first invalid byte (overlong forms, surrogates,
 * cut sequences, > U+10FFFF), where the caller falls back to the TextDecoder, so invalid input
 * always gets the TextDecoder's U+FFFD handling; also `null` for a leading BOM, which the TextDecoder drops.
 */
export function utf8Js(b: Uint8Array, start: number, end: number): string | null {
  if (b[start] === 0xef && end - start >= 3 && b[start + 1] === 0xbb && b[start + 2] === 0xbf) return null;
  const units: number[] = [];
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      units.push(c);
      i++;
    } else if (c < 0xc2) {
      return null; // continuation byte, or lead of an overlong 2-byte form
    } else if (c < 0xe0) {
      if (i + 1 >= end) return null;
      const c1 = b[i + 1];
      if ((c1 & 0xc0) !== 0x80) return null;
      units.push(((c & 0x1f) << 6) | (c1 & 0x3f));
      i += 2;
    } else if (c < 0xf0) {
      if (i + 2 >= end) return null;
      const c1 = b[i + 1];
      const c2 = b[i + 2];
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return null;
      const cp = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return null;
      units.push(cp);
      i += 3;
    } else {
      if (c > 0xf4 || i + 3 >= end) return null;
      const c1 = b[i + 1];
      const c2 = b[i + 2];
      const c3 = b[i + 3];
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) return null;
      const cp = ((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
      if (cp < 0x10000 || cp > 0x10ffff) return null;
      units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
      i += 4;
    }
  }
  return String.fromCharCode.apply(null, units);
}

/**
 * Binary → text. Up to {@link SHORT_TEXT_BYTES}: ASCII in JS, or UTF-8 in JS at the first
 * non-ASCII byte; up to {@link SHORT_UTF8_BYTES} when it starts with a non-ASCII byte (Japanese
 * names and labels): UTF-8 in JS; else, and for any invalid UTF-8, the shared TextDecoder.
 */
export function utf8Text(b: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= SHORT_TEXT_BYTES) {
    const s = asciiText(b, start, end) ?? utf8Js(b, start, end);
    if (s !== null) return s;
  } else if (n <= SHORT_UTF8_BYTES && b[start] > 0x7f) {
    const s = utf8Js(b, start, end);
    if (s !== null) return s;
  }
  return textDecoder.decode(b.subarray(start, end));
}

/** Bytes → string of those char codes (STRING_EXT and Latin-1 atoms). */
function latin1Text(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode.apply(null, b.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------

const MAX_SAFE_HI = 0x1fffff; // high 21 bits of a 53-bit integer

/** FLOAT_EXT text that `binary_to_term` accepts (its C parser takes `,` as the decimal point too). */
const FLOAT_TEXT = /^[+-]?\d+[.,]\d+(?:[eE][+-]?\d+)?$/;

/**
 * The identity of a decoded term that holds no other term, under Erlang's exact equality (`=:=`),
 * whatever tags wrote it: an atom written as ATOM_EXT or SMALL_ATOM_UTF8_EXT, 5 as SMALL_INTEGER_EXT
 * or SMALL_BIG_EXT are one; 1 and 1.0 are two (so are 0.0 and -0.0, as in OTP 27). Bitstrings,
 * pids, ports, references, exports: their canonical encoding (after the version byte, like a fun's
 * bytes in {@link Decoder.ident}). Binaries, tuples, lists, maps and funs are identified by
 * `ident` itself. The first letter names the kind, so kinds never collide.
 */
function leafIdentity(v: Term): string {
  if (v instanceof Atom) return 'a' + v.name;
  if (typeof v === 'number' || typeof v === 'bigint') return 'i' + v;
  if (v instanceof Float) return 'f' + (Object.is(v.value, -0) ? '-0' : v.value);
  const b = encodeEtf(v); // a leaf: no recursion, cost linear in its size
  return 'x' + latin1Text(b, 1, b.length);
}

/** The reader {@link plainReader} gives: `plain()` reads one value; the others are for walking tuples and lists by hand. */
export type PlainReader = Pick<Decoder, 'pos' | 'elements' | 'plain' | 'tupleArity' | 'listLength' | 'atomValue' | 'nextIsNil' | 'peekTag' | 'leave' | 'finish'>;

/** One decoding pass over one frame; the read position is `pos`, never a slice of the input. */
class Decoder {
  /** Made on first use (floats, 64-bit port ids): most frames need none, and it costs an allocation per frame. */
  private dv: DataView | undefined;
  /** End of the readable bytes: the frame's, or a NEW_FUN_EXT's while its fields are checked. */
  end: number;
  private depth = 0;
  /**
   * > 0 while decoding a map key whose bytes {@link ident} has just walked: its maps' keys were
   * identified and checked for duplicates then, so they are not again (that made nested keys cost
   * the cube of their depth).
   */
  private trusted = 0;
  /** Identities of the terms inside map keys met so far in this frame, each a small integer (made on first use). */
  private idTable: Map<string, number> | undefined;
  private readonly maxDepth: number;
  private readonly maxAtom: number;
  private readonly maxBig: number;
  /** {@link DecodeOptions.maxElements} */
  private readonly maxElements: number;
  /** Elements announced by the container headers read so far in this frame (see {@link count}). */
  elements = 0;

  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    limits: Limits,
    private readonly inflated: boolean,
  ) {
    this.end = bytes.length;
    this.maxDepth = limits.maxDepth;
    this.maxAtom = limits.maxAtom;
    this.maxBig = limits.maxBig;
    this.maxElements = limits.maxElements;
  }

  private view(): DataView {
    return (this.dv ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength));
  }

  fail(code: EtfDecodeErrorCode, message: string, offset: number): never {
    throw new EtfDecodeError(code, message, offset, this.inflated);
  }

  /** Ensure `n` more bytes exist before reading them. */
  private need(n: number): void {
    if (this.pos + n > this.end) this.fail('TRUNCATED', `needs ${n} more bytes, ${this.end - this.pos} left`, this.pos);
  }

  /**
   * A count of elements read from the wire (a container's header): each element takes at least
   * `min` bytes, and the frame's elements together (`min` per element: a map entry is 2 terms) may
   * not pass `maxElements` — checked here, before anything is allocated for them.
   */
  private count(n: number, min: number): void {
    if (n * min > this.end - this.pos) {
      this.fail('TRUNCATED', `${n} elements announced, only ${this.end - this.pos} bytes left`, this.pos);
    }
    if ((this.elements += n * min) > this.maxElements) {
      this.fail('LIMIT', `more than maxElements ${this.maxElements} elements of tuples, lists and maps in one frame`, this.pos);
    }
  }

  private u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }
  private u16(): number {
    this.need(2);
    const b = this.bytes;
    const v = (b[this.pos] << 8) | b[this.pos + 1];
    this.pos += 2;
    return v;
  }
  private u32(): number {
    this.need(4);
    const b = this.bytes;
    const p = this.pos;
    const v = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
    this.pos += 4;
    return v;
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) this.fail('LIMIT', `nesting deeper than maxDepth ${this.maxDepth}`, this.pos);
  }

  /** Close a tuple or list opened by {@link tupleArity} / {@link listLength}. */
  leave(): void {
    this.depth--;
  }

  /** Nothing may follow the term. */
  finish(): void {
    if (this.pos !== this.end) this.fail('TRAILING_BYTES', `${this.end - this.pos} bytes after the term`, this.pos);
  }

  /**
   * At a 104 SMALL_TUPLE_EXT / 105 LARGE_TUPLE_EXT: read its header, check its arity against the
   * bytes left and open a nesting level (as `plain()` does; close it with {@link leave}) and return
   * the arity. At any other tag: -1, nothing read.
   */
  tupleArity(): number {
    this.need(1);
    const tag = this.bytes[this.pos];
    if (tag !== 104 && tag !== 105) return -1;
    this.pos++;
    const n = tag === 104 ? this.u8() : this.u32();
    this.count(n, 1);
    this.enter();
    return n;
  }

  /** At a 108 LIST_EXT: read its header, check it, open a nesting level and return its length; else -1, nothing read. */
  listLength(): number {
    this.need(1);
    if (this.bytes[this.pos] !== 108) return -1;
    this.pos++;
    const n = this.u32();
    this.count(n, 1);
    this.enter();
    return n;
  }

  /**
   * The tag byte of the next term (e.g. 107 STRING_EXT, 109 BINARY_EXT, 104 SMALL_TUPLE_EXT), nothing
   * read: for callers that must tell apart what the plain mapping makes alike (a STRING_EXT list of
   * small integers and a binary are both strings; an empty tuple and `[]` both empty arrays).
   * @throws {EtfDecodeError} TRUNCATED at the end of the bytes
   */
  peekTag(): number {
    this.need(1);
    return this.bytes[this.pos];
  }

  /** At 106 NIL_EXT: read it and return true; else false, nothing read. */
  nextIsNil(): boolean {
    this.need(1);
    if (this.bytes[this.pos] !== 106) return false;
    this.pos++;
    return true;
  }

  /** At an atom (100/115/118/119): read it and return its plain value; else `null`, nothing read. */
  atomValue(): string | boolean | undefined | null {
    this.need(1);
    const tag = this.bytes[this.pos];
    if (tag !== 100 && tag !== 115 && tag !== 118 && tag !== 119) return null;
    return this.plain() as string | boolean | undefined;
  }

  /** The atom at the current position, after its tag (`len` already read). */
  private atomEntry(len: number, utf8: boolean): AtomEntry {
    const start = this.pos;
    if (len > (utf8 ? this.maxAtom * 4 : this.maxAtom)) this.fail('LIMIT', `atom of ${len} bytes exceeds maxAtomLength`, start);
    this.need(len);
    const b = this.bytes;
    this.pos = start + len;
    if (len <= ATOM_CACHE_MAX_LEN) {
      const e = atomCache[atomCacheSlot(b, start, len, utf8)];
      if (e !== undefined && e.key.length === len && e.utf8 === utf8) {
        const k = e.key;
        let i = 0;
        while (i < len && k[i] === b[start + i]) i++;
        if (i === len) {
          if (e.chars > this.maxAtom) this.fail('LIMIT', `atom of ${e.chars} characters exceeds maxAtomLength ${this.maxAtom}`, start);
          return e;
        }
      }
      const fresh = this.newAtomEntry(start, len, utf8);
      atomCache[atomCacheSlot(b, start, len, utf8)] = fresh;
      return fresh;
    }
    return this.newAtomEntry(start, len, utf8);
  }

  private newAtomEntry(start: number, len: number, utf8: boolean): AtomEntry {
    const b = this.bytes;
    let name: string;
    let chars = len;
    if (utf8) {
      try {
        name = strictDecoder.decode(b.subarray(start, start + len));
      } catch {
        return this.fail('BAD_VALUE', 'atom is not valid UTF-8', start);
      }
      chars = 0;
      for (let i = start; i < start + len; i++) if ((b[i] & 0xc0) !== 0x80) chars++;
      if (chars > this.maxAtom) this.fail('LIMIT', `atom of ${chars} characters exceeds maxAtomLength ${this.maxAtom}`, start);
    } else {
      name = latin1Text(b, start, start + len);
      if (chars > this.maxAtom) this.fail('LIMIT', `atom of ${chars} characters exceeds maxAtomLength ${this.maxAtom}`, start);
    }
    return { key: b.slice(start, start + len), utf8, name, chars, plain: plainOfAtom(name), atom: undefined };
  }

  /** After a 119 tag: is it the atom `undefined`? If so it is read (its length byte and 9 bytes). */
  private isUndefinedAtom(): boolean {
    const b = this.bytes;
    const p = this.pos;
    if (
      p + 10 <= this.end &&
      b[p] === 9 &&
      b[p + 1] === 0x75 && // u
      b[p + 2] === 0x6e && // n
      b[p + 3] === 0x64 && // d
      b[p + 4] === 0x65 && // e
      b[p + 5] === 0x66 && // f
      b[p + 6] === 0x69 && // i
      b[p + 7] === 0x6e && // n
      b[p + 8] === 0x65 && // e
      b[p + 9] === 0x64 && // d
      this.maxAtom >= 9
    ) {
      this.pos = p + 10;
      return true;
    }
    return false;
  }

  /** An atom tag and its atom, for the node/module fields of pids, ports, refs and exports. */
  private atomTerm(): Atom {
    const at = this.pos;
    const tag = this.u8();
    let e: AtomEntry;
    switch (tag) {
      case 100: // ATOM_EXT
        e = this.atomEntry(this.u16(), false);
        break;
      case 115: // SMALL_ATOM_EXT
        e = this.atomEntry(this.u8(), false);
        break;
      case 118: // ATOM_UTF8_EXT
        e = this.atomEntry(this.u16(), true);
        break;
      case 119: // SMALL_ATOM_UTF8_EXT
        e = this.atomEntry(this.u8(), true);
        break;
      default:
        return this.fail('BAD_VALUE', `expected an atom, found tag ${tag}`, at);
    }
    return (e.atom ??= Atom.of(e.name));
  }

  /** Magnitude of `n` little-endian bytes + sign → number when |v| ≤ 2^53 − 1, else bigint. */
  private big(n: number): number | bigint {
    const at = this.pos;
    if (n > this.maxBig) this.fail('LIMIT', `bignum of ${n} bytes exceeds maxBigBytes ${this.maxBig}`, at);
    this.need(n + 1);
    const b = this.bytes;
    const sign = b[this.pos++];
    if (sign > 1) this.fail('BAD_VALUE', `bignum sign byte ${sign}`, at);
    const start = this.pos;
    this.pos += n;
    let top = start + n; // drop high zero bytes (not written by Erlang, but legal)
    while (top > start && b[top - 1] === 0) top--;
    const len = top - start;
    if (len <= 7) {
      let lo = 0;
      for (let i = Math.min(len, 4) - 1; i >= 0; i--) lo = lo * 256 + b[start + i];
      let hi = 0;
      for (let i = len - 1; i >= 4; i--) hi = hi * 256 + b[start + i];
      if (hi <= MAX_SAFE_HI) {
        const v = hi * 0x100000000 + lo;
        return sign === 1 && v !== 0 ? -v : v;
      }
    }
    let hex = '';
    for (let i = top - 1; i >= start; i--) hex += (b[i] < 16 ? '0' : '') + b[i].toString(16);
    const v = BigInt('0x' + hex);
    return sign === 1 ? -v : v;
  }

  private float(): number {
    this.need(8);
    const v = this.view().getFloat64(this.pos);
    if (!Number.isFinite(v)) this.fail('BAD_VALUE', 'float is NaN or infinite', this.pos);
    this.pos += 8;
    return v;
  }

  /**
   * 99 FLOAT_EXT: 31 bytes of `%.20e` text, NUL-padded. Accepted exactly as `binary_to_term` does
   * (checked with OTP's erl): the text up to the first NUL must be `[+-]digits(.|,)digits`, then
   * optionally `e|E[+-]digits` — no spaces, no `5`, `5.`, `.5`, `5e3`, `0x10`, `Infinity` — and finite
   * (`1.0e+400` is rejected, `1.0e-400` is 0.0). The text must end in a NUL within the 31 bytes:
   * Erlang's C parser reads on past them otherwise (and rejects a frame that ends there).
   */
  private oldFloat(): number {
    const at = this.pos;
    this.need(31);
    let e = at;
    while (e < at + 31 && this.bytes[e] !== 0) e++;
    const text = latin1Text(this.bytes, at, e);
    this.pos = at + 31;
    const v = e < at + 31 && FLOAT_TEXT.test(text) ? Number(text.replace(',', '.')) : NaN;
    if (!Number.isFinite(v)) this.fail('BAD_VALUE', `bad FLOAT_EXT text ${JSON.stringify(text)}`, at);
    return v;
  }

  private binaryBounds(): number {
    const len = this.u32();
    this.need(len);
    return len;
  }

  private bitBinary(): BitBinary {
    const at = this.pos;
    const len = this.u32();
    const bits = this.u8();
    if (bits < 1 || bits > 8 || len === 0) this.fail('BAD_VALUE', `bitstring of ${len} bytes with ${bits} bits in the last`, at);
    this.need(len);
    const v = new BitBinary(this.bytes.slice(this.pos, this.pos + len), bits);
    this.pos += len;
    return v;
  }

  /** 103 PID_EXT / 88 NEW_PID_EXT, after the tag. */
  private pid(wide: boolean): Pid {
    const node = this.atomTerm();
    const id = this.u32();
    const serial = this.u32();
    const creation = wide ? this.u32() : this.u8();
    return new Pid(node, id, serial, creation, wide);
  }

  /** 102 PORT_EXT / 89 NEW_PORT_EXT / 120 V4_PORT_EXT, after the tag. */
  private port(tag: number): Port {
    const node = this.atomTerm();
    if (tag === Tag.V4_PORT_EXT) {
      this.need(8);
      const id = this.view().getBigUint64(this.pos);
      this.pos += 8;
      return new Port(node, id, this.u32(), tag);
    }
    const id = this.u32();
    return new Port(node, id, tag === Tag.PORT_EXT ? this.u8() : this.u32(), tag);
  }

  /** 101 REFERENCE_EXT / 114 NEW_REFERENCE_EXT / 90 NEWER_REFERENCE_EXT, after the tag. */
  private reference(tag: number): Reference {
    if (tag === Tag.REFERENCE_EXT) {
      const node = this.atomTerm();
      const id = this.u32();
      return new Reference(node, this.u8(), [id], tag);
    }
    const at = this.pos;
    const n = this.u16();
    if (n === 0) this.fail('BAD_VALUE', 'reference without id words', at);
    const node = this.atomTerm();
    const creation = tag === Tag.NEW_REFERENCE_EXT ? this.u8() : this.u32();
    this.need(4 * n);
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push(this.u32());
    return new Reference(node, creation, ids, tag);
  }

  /**
   * 112 NEW_FUN_EXT, kept as raw bytes; `Size` counts itself and everything after it. Its fields are
   * walked to check `Size`, as `binary_to_term` does: Arity (1), Uniq (16), Index (4), NumFree (4),
   * Module (atom), OldIndex and OldUniq (integers), Pid (pid), then NumFree free-variable terms.
   */
  private fun(tagAt: number): OpaqueFun {
    return new OpaqueFun(this.bytes.slice(tagAt, this.funCheck(tagAt)));
  }

  /**
   * {@link fun}'s checks, copying nothing; returns the fun's end. The free variables are walked by
   * {@link ident} without identities, so funs nested in funs are checked once and not copied (a
   * copy per level of nesting made a 1 MB fun nested 200 deep cost a second).
   */
  private funCheck(tagAt: number): number {
    const size = this.u32();
    if (size < 4) this.fail('BAD_VALUE', `NEW_FUN_EXT size ${size}`, tagAt + 1);
    this.need(size - 4);
    const funEnd = tagAt + 1 + size;
    const frameEnd = this.end;
    this.end = funEnd; // the fields may not run past Size
    try {
      this.need(25);
      const numFree = this.u32At(this.pos + 21);
      this.pos += 25;
      this.atomTerm();
      const at = this.pos;
      const oldIndex = this.term();
      const oldUniq = this.term();
      if (typeof oldIndex !== 'number' || typeof oldUniq !== 'number') this.fail('BAD_VALUE', 'NEW_FUN_EXT OldIndex/OldUniq is not an integer', at);
      const pidAt = this.pos;
      if (!(this.term() instanceof Pid)) this.fail('BAD_VALUE', 'NEW_FUN_EXT Pid is not a pid', pidAt);
      this.count(numFree, 1);
      this.enter();
      for (let i = 0; i < numFree; i++) this.ident(false);
      this.depth--;
    } catch (e) {
      if (e instanceof EtfDecodeError && e.code === 'TRUNCATED') {
        this.fail('BAD_VALUE', `NEW_FUN_EXT size ${size} is shorter than its fields`, tagAt + 1);
      }
      return this.unwound(e);
    } finally {
      this.end = frameEnd;
    }
    if (this.pos !== funEnd) this.fail('BAD_VALUE', `NEW_FUN_EXT size ${size} is longer than its fields`, tagAt + 1);
    return funEnd;
  }

  private u32At(p: number): number {
    const b = this.bytes;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  /** MAP_EXT: `binary_to_term` rejects a map with two equal keys; `ids[i]` from {@link ident}, `at[i]` the key's offset. */
  private noDuplicateKeys(ids: number[], at: number[]): void {
    if (ids.length < 2) return;
    const seen = new Set<number>();
    for (let i = 0; i < ids.length; i++) {
      if (seen.has(ids[i])) this.fail('BAD_VALUE', 'map has a duplicate key', at[i]);
      seen.add(ids[i]);
    }
  }

  /** The number standing for identity `s` in this frame: equal terms get equal numbers, distinct terms distinct ones. */
  private intern(s: string): number {
    const t = (this.idTable ??= new Map());
    let id = t.get(s);
    if (id === undefined) {
      id = t.size;
      t.set(s, id);
    }
    return id;
  }

  /**
   * Read the term at `pos` with the checks, limits and errors of {@link term}, building no value,
   * and return its identity under Erlang's `=:=` as a number from {@link intern} — or, with `id`
   * false (a fun's free variables, which only need checking), -1. For map keys and everything
   * inside them. One pass: a container's identity is made of its elements' numbers (a map's from
   * its entries sorted by key number, as Erlang's map equality ignores the order on the wire), so
   * a term costs the same however deeply it is nested, and maps met on the way are checked for
   * duplicate keys here, once.
   */
  private ident(id: boolean): number {
    const at = this.pos;
    const tag = this.u8();
    switch (tag) {
      case 97: {
        // SMALL_INTEGER_EXT
        const v = this.u8();
        return id ? this.intern('i' + v) : -1;
      }
      case 109: {
        // BINARY_EXT, without copying it out
        const len = this.binaryBounds();
        this.pos += len;
        return id ? this.intern('b' + latin1Text(this.bytes, this.pos - len, this.pos)) : -1;
      }
      case 104: // SMALL_TUPLE_EXT
        return this.identSeq(this.u8(), id);
      case 105: // LARGE_TUPLE_EXT
        return this.identSeq(this.u32(), id);
      case 106: // NIL_EXT
        return id ? this.intern('l') : -1;
      case 107: {
        // STRING_EXT: the list of its bytes, as Erlang sees it
        const len = this.u16();
        this.need(len);
        if (!id) {
          this.pos += len;
          return -1;
        }
        const ids: number[] = new Array(len);
        for (let i = 0; i < len; i++) ids[i] = this.intern('i' + this.bytes[this.pos++]);
        return this.intern('l' + ids.join(','));
      }
      case 108: // LIST_EXT
        return this.identList(id);
      case 116: {
        // MAP_EXT
        const n = this.u32();
        this.count(n, 2);
        this.enter();
        const keys: number[] = new Array(n);
        const values: number[] = new Array(n);
        const keyAt: number[] = new Array(n);
        for (let i = 0; i < n; i++) {
          keyAt[i] = this.pos;
          keys[i] = this.ident(true);
          values[i] = this.ident(id);
        }
        this.noDuplicateKeys(keys, keyAt);
        this.depth--;
        if (!id) return -1;
        const order = keys.map((_, i) => i).sort((x, y) => keys[x] - keys[y]);
        let s = 'm';
        for (const i of order) s += keys[i] + ':' + values[i] + ',';
        return this.intern(s);
      }
      case 112: {
        // NEW_FUN_EXT: identified by its bytes, as it is encoded back (OpaqueFun)
        const end = this.funCheck(at);
        return id ? this.intern('x' + latin1Text(this.bytes, at, end)) : -1;
      }
      default: {
        // the other tags hold no term
        this.pos = at;
        const v = this.term();
        return id ? this.intern(leafIdentity(v)) : -1;
      }
    }
  }

  /** Tuple elements after the arity, as {@link termSeq}. */
  private identSeq(n: number, id: boolean): number {
    this.count(n, 1);
    this.enter();
    const ids: number[] = id ? new Array(n) : [];
    for (let i = 0; i < n; i++) {
      const e = this.ident(id);
      if (id) ids[i] = e;
    }
    this.depth--;
    return id ? this.intern('t' + ids.join(',')) : -1;
  }

  /** 108 LIST_EXT after the tag, as {@link termList}: chained tails merged, so `[1 | [2]]` is `[1, 2]`. */
  private identList(id: boolean): number {
    let n = this.u32();
    this.enter();
    const ids: number[] = [];
    for (;;) {
      this.count(n, 1);
      for (let i = 0; i < n; i++) {
        const e = this.ident(id);
        if (id) ids.push(e);
      }
      this.need(1);
      const tag = this.bytes[this.pos];
      if (tag === Tag.NIL_EXT) {
        this.pos++;
        break;
      }
      if (tag === Tag.LIST_EXT) {
        this.pos++;
        n = this.u32();
        continue;
      }
      if (tag === Tag.STRING_EXT) {
        this.pos++;
        const len = this.u16();
        this.need(len);
        if (!id) this.pos += len;
        else for (let i = 0; i < len; i++) ids.push(this.intern('i' + this.bytes[this.pos++]));
        break;
      }
      const tail = this.ident(id);
      this.depth--;
      return id ? this.intern('L' + ids.join(',') + '|' + tail) : -1;
    }
    this.depth--;
    return id ? this.intern('l' + ids.join(',')) : -1;
  }

  /**
   * A map key: its identity (for the duplicate check) from one {@link ident} pass over its bytes,
   * then its value decoded by `read` with the maps inside it trusted, i.e. not checked again.
   */
  private mapKey<T>(ids: number[], keyAt: number[], read: () => T): T {
    const kAt = this.pos;
    keyAt.push(kAt);
    ids.push(this.ident(true));
    this.pos = kAt;
    this.trusted++;
    try {
      return read();
    } finally {
      this.trusted--;
    }
  }

  /** 113 EXPORT_EXT, after the tag. */
  private exportFun(): ExportFun {
    const module = this.atomTerm();
    const fun = this.atomTerm();
    const at = this.pos;
    if (this.u8() !== Tag.SMALL_INTEGER_EXT) this.fail('BAD_VALUE', 'EXPORT_EXT arity is not a SMALL_INTEGER_EXT', at);
    return new ExportFun(module, fun, this.u8());
  }

  private unknown(tag: number, at: number): never {
    return this.fail('UNKNOWN_TAG', `unknown tag ${tag}`, at);
  }

  // -------------------------------------------------------------------------------------------
  // Term model

  term(): Term {
    const at = this.pos;
    const tag = this.u8();
    switch (tag) {
      case 97: // SMALL_INTEGER_EXT
        return this.u8();
      case 98: // INTEGER_EXT
        return this.u32() | 0;
      case 110: // SMALL_BIG_EXT
        return this.big(this.u8());
      case 111: // LARGE_BIG_EXT
        return this.big(this.u32());
      case 70: // NEW_FLOAT_EXT
        return new Float(this.float());
      case 99: // FLOAT_EXT
        return new Float(this.oldFloat());
      case 100: // ATOM_EXT
      case 115: // SMALL_ATOM_EXT
      case 118: // ATOM_UTF8_EXT
      case 119: // SMALL_ATOM_UTF8_EXT
        this.pos = at;
        return this.atomTerm();
      case 109: {
        // BINARY_EXT
        const len = this.binaryBounds();
        const v = this.bytes.slice(this.pos, this.pos + len);
        this.pos += len;
        return v;
      }
      case 77: // BIT_BINARY_EXT
        return this.bitBinary();
      case 104: // SMALL_TUPLE_EXT
        return new Tuple(this.termSeq(this.u8()));
      case 105: // LARGE_TUPLE_EXT
        return new Tuple(this.termSeq(this.u32()));
      case 106: // NIL_EXT
        return [];
      case 107: {
        // STRING_EXT
        const len = this.u16();
        this.need(len);
        this.pos += len;
        return latin1Text(this.bytes, this.pos - len, this.pos);
      }
      case 108: // LIST_EXT
        return this.termList();
      case 116: {
        // MAP_EXT
        const n = this.u32();
        this.count(n, 2);
        this.enter();
        const entries: Array<[Term, Term]> = [];
        if (this.trusted > 0) {
          for (let i = 0; i < n; i++) entries.push([this.term(), this.term()]);
        } else {
          const ids: number[] = [];
          const keyAt: number[] = [];
          const readKey = (): Term => this.term();
          for (let i = 0; i < n; i++) entries.push([this.mapKey(ids, keyAt, readKey), this.term()]);
          this.noDuplicateKeys(ids, keyAt);
        }
        this.depth--;
        return new ErlMap(entries);
      }
      case 103: // PID_EXT
        return this.pid(false);
      case 88: // NEW_PID_EXT
        return this.pid(true);
      case 102: // PORT_EXT
      case 89: // NEW_PORT_EXT
      case 120: // V4_PORT_EXT
        return this.port(tag);
      case 101: // REFERENCE_EXT
      case 114: // NEW_REFERENCE_EXT
      case 90: // NEWER_REFERENCE_EXT
        return this.reference(tag);
      case 112: // NEW_FUN_EXT
        return this.fun(at);
      case 113: // EXPORT_EXT
        return this.exportFun();
      default:
        return this.unknown(tag, at);
    }
  }

  private termSeq(n: number): Term[] {
    this.count(n, 1);
    this.enter();
    const out: Term[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.term();
    this.depth--;
    return out;
  }

  /** 108 LIST_EXT after the tag. Chained list tails (`[a | [b]]` written as two LIST_EXTs) are merged without recursion. */
  private termList(): Term {
    let n = this.u32();
    this.enter();
    const out: Term[] = [];
    for (;;) {
      this.count(n, 1);
      for (let i = 0; i < n; i++) out.push(this.term());
      this.need(1);
      const tag = this.bytes[this.pos];
      if (tag === Tag.NIL_EXT) {
        this.pos++;
        break;
      }
      if (tag === Tag.LIST_EXT) {
        this.pos++;
        n = this.u32();
        continue;
      }
      if (tag === Tag.STRING_EXT) {
        this.pos++;
        const len = this.u16();
        this.need(len);
        for (let i = 0; i < len; i++) out.push(this.bytes[this.pos++]);
        break;
      }
      const tail = this.term();
      this.depth--;
      return new ImproperList(out, tail);
    }
    this.depth--;
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Plain JS values (PROTOCOL.md "Frame encoding")

  plain(): PlainValue {
    const at = this.pos;
    this.need(1);
    const tag = this.bytes[this.pos++];
    switch (tag) {
      case 97: // SMALL_INTEGER_EXT
        return this.u8();
      case 98: // INTEGER_EXT
        return this.u32() | 0;
      case 119: // SMALL_ATOM_UTF8_EXT
        // `undefined` fills most absent fields of every record: compared in place, no cache lookup
        if (this.isUndefinedAtom()) return undefined;
        return this.atomEntry(this.u8(), true).plain;
      case 100: // ATOM_EXT
        return this.atomEntry(this.u16(), false).plain;
      case 109: {
        // BINARY_EXT
        const len = this.binaryBounds();
        const start = this.pos;
        this.pos += len;
        return utf8Text(this.bytes, start, start + len);
      }
      case 104: // SMALL_TUPLE_EXT
        return this.plainSeq(this.u8());
      case 106: // NIL_EXT
        return [];
      case 108: // LIST_EXT
        return this.plainList();
      case 110: // SMALL_BIG_EXT
        return this.big(this.u8());
      case 115: // SMALL_ATOM_EXT
        return this.atomEntry(this.u8(), false).plain;
      case 118: // ATOM_UTF8_EXT
        return this.atomEntry(this.u16(), true).plain;
      case 107: {
        // STRING_EXT
        const len = this.u16();
        this.need(len);
        this.pos += len;
        return latin1Text(this.bytes, this.pos - len, this.pos);
      }
      case 105: // LARGE_TUPLE_EXT
        return this.plainSeq(this.u32());
      case 111: // LARGE_BIG_EXT
        return this.big(this.u32());
      case 70: // NEW_FLOAT_EXT
        return this.float();
      case 99: // FLOAT_EXT
        return this.oldFloat();
      case 116: {
        // MAP_EXT
        const n = this.u32();
        this.count(n, 2);
        this.enter();
        const m = new Map<PlainValue, PlainValue>();
        try {
          if (this.trusted > 0) {
            for (let i = 0; i < n; i++) {
              const k = this.plain();
              m.set(k, this.plain());
            }
          } else {
            // each key's identity from its bytes (distinct Erlang keys may share a plain value,
            // e.g. atom a and binary <<"a">>), then its plain value
            const ids: number[] = [];
            const keyAt: number[] = [];
            const readKey = (): PlainValue => this.plain();
            for (let i = 0; i < n; i++) {
              const k = this.mapKey(ids, keyAt, readKey);
              m.set(k, this.plain());
            }
            this.noDuplicateKeys(ids, keyAt);
          }
        } catch (e) {
          return this.unwound(e);
        }
        this.depth--;
        return m;
      }
      case 77: // BIT_BINARY_EXT
        return this.bitBinary();
      case 103: // PID_EXT
        return this.pid(false);
      case 88: // NEW_PID_EXT
        return this.pid(true);
      case 102: // PORT_EXT
      case 89: // NEW_PORT_EXT
      case 120: // V4_PORT_EXT
        return this.port(tag);
      case 101: // REFERENCE_EXT
      case 114: // NEW_REFERENCE_EXT
      case 90: // NEWER_REFERENCE_EXT
        return this.reference(tag);
      case 112: // NEW_FUN_EXT
        return this.fun(at);
      case 113: // EXPORT_EXT
        return this.exportFun();
      default:
        return this.unknown(tag, at);
    }
  }

  private plainSeq(n: number): PlainValue[] {
    this.count(n, 1);
    this.enter();
    const out: PlainValue[] = new Array(n);
    try {
      for (let i = 0; i < n; i++) out[i] = this.plain();
    } catch (e) {
      return this.unwound(e);
    }
    this.depth--;
    return out;
  }

  /**
   * Rethrow `e`, a stack overflow as `LIMIT`. Called by the plain containers (tuple, list, map) and
   * NEW_FUN_EXT: a {@link plainReader} user (the parser's fused path) calls `plain()` itself, without
   * {@link run}'s net, so the conversion happens in the decoder, at the first level with stack to spare.
   */
  private unwound(e: unknown): never {
    if (isStackOverflow(e)) this.fail('LIMIT', 'nesting too deep for the JavaScript stack (lower maxDepth)', this.pos);
    throw e;
  }

  /** 108 LIST_EXT after the tag; see {@link termList}. */
  private plainList(): PlainValue {
    try {
      return this.plainListBody();
    } catch (e) {
      return this.unwound(e);
    }
  }

  private plainListBody(): PlainValue {
    let n = this.u32();
    this.count(n, 1);
    this.enter();
    const out: PlainValue[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.plain();
    for (;;) {
      this.need(1);
      const tag = this.bytes[this.pos];
      if (tag === Tag.NIL_EXT) {
        this.pos++;
        break;
      }
      if (tag === Tag.LIST_EXT) {
        this.pos++;
        n = this.u32();
        this.count(n, 1);
        for (let i = 0; i < n; i++) out.push(this.plain());
        continue;
      }
      if (tag === Tag.STRING_EXT) {
        this.pos++;
        const len = this.u16();
        this.need(len);
        for (let i = 0; i < len; i++) out.push(this.bytes[this.pos++]);
        break;
      }
      const tail = this.plain();
      this.depth--;
      return new ImproperList(out as Term[], tail as Term);
    }
    this.depth--;
    return out;
  }
}
