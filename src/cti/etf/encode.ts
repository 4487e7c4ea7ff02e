// Encoder for Erlang's External Term Format (ERTS User's Guide, "External Term Format"):
// writes what `binary_to_term/1` accepts, byte-identical to `term_to_binary/2` where Erlang has one canonical form.
import { zlibSync } from 'fflate';
import { EtfEncodeError, isStackOverflow } from './errors.ts';
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
 * Options of {@link encodeEtf}. Each is checked before anything is written: a value outside what is
 * listed here is {@link EtfEncodeError} with `path` `opts.<name>` (e.g. `opts.atomEncoding`).
 * Other properties are ignored.
 */
export interface EncodeOptions {
  /** zlib-compress the term (tag 80): `true` for level 6 (Erlang's default) or a level 0..9; like Erlang, the compressed form is used only when it is smaller. Default `false`. */
  compressed?: boolean | number;
  /** `'utf8'`: atoms as SMALL_ATOM_UTF8_EXT 119 / ATOM_UTF8_EXT 118 (`term_to_binary(T, [{minor_version, 2}])`, OTP 26+ default); `'latin1'`: ATOM_EXT 100 for atoms whose characters are all ≤ 255 (OTP ≤ 25 default), UTF-8 tags for the others. Default `'utf8'`. */
  atomEncoding?: 'utf8' | 'latin1';
  /**
   * Maximum nesting depth of tuples/lists/maps: an integer ≥ 0 or `Infinity`; deeper input (or a
   * cyclic array) throws {@link EtfEncodeError}. Default 256. The encoder recurses once per level:
   * where the JS stack runs out first (a few thousand levels), that is an `EtfEncodeError` too.
   */
  maxDepth?: number;
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
/** Erlang's own limit on atom length, in characters (ERTS "System Limits"). */
const MAX_ATOM_CHARS = 255;

const utf8 = new TextEncoder();
const utf8AtomBytes = new Map<Atom, Uint8Array>();
const latin1AtomBytes = new Map<Atom, Uint8Array>();

/**
 * Encode a term as an ETF frame (first byte 131).
 *
 * Mapping (ERTS "External Term Format" chapter, section per tag):
 * - `number`: a safe integer → SMALL_INTEGER_EXT 97 (0..255), INTEGER_EXT 98 (signed 32-bit) or
 *   SMALL_BIG_EXT 110; any other finite number → NEW_FLOAT_EXT 70. An integral number beyond
 *   ±(2^53 − 1) is rejected (it may already be rounded: pass a `bigint`). Wrap in {@link Float} to force a float.
 * - `bigint` → the smallest integer tag, SMALL_BIG_EXT 110 or LARGE_BIG_EXT 111 past 255 bytes.
 * - {@link Atom} → per `atomEncoding`; JS `true`/`false`/`undefined` → the atoms of those names.
 * - `Uint8Array` → BINARY_EXT 109; {@link BitBinary} → BIT_BINARY_EXT 77.
 * - `string` → STRING_EXT 107 when every char code ≤ 255 and length ≤ 65535 (`''` → NIL_EXT 106),
 *   else a LIST_EXT 108 of the code points — what Erlang does for such a "string". Text meant as
 *   an Erlang binary must be passed as `binary('text')` (UTF-8 bytes).
 * - arrays → LIST_EXT 108 … NIL_EXT 106, `[]` → NIL_EXT; an array of ≤ 65535 integers 0..255 →
 *   STRING_EXT 107, as Erlang writes it (so it decodes back as a `string`).
 * - {@link ImproperList} → LIST_EXT with its tail (a proper-list tail is merged, as Erlang would).
 * - {@link Tuple} → SMALL_TUPLE_EXT 104 / LARGE_TUPLE_EXT 105; {@link ErlMap} → MAP_EXT 116 in entry
 *   order (Erlang orders small maps by key; decoded maps keep the wire order, so they re-encode identically).
 * - {@link Pid}, {@link Port}, {@link Reference}, {@link ExportFun}, {@link OpaqueFun} → the tag they carry.
 *
 * Compressed output (tag 80) is valid zlib but not byte-identical to Erlang's (a different deflater).
 *
 * @param term the term; see the mapping above.
 * @param opts see {@link EncodeOptions}.
 * @returns a fresh `Uint8Array` holding the frame.
 * @throws {EtfEncodeError} for a value with no Erlang form: `null`, a plain object, a symbol or
 *   function, NaN/±Infinity, an unsafe integral number, an atom over 255 characters or with a lone
 *   surrogate, a bit count outside 1..8, nesting deeper than `maxDepth` (e.g. a cycle) or than the
 *   JS stack holds (path `$`), a bad option (path `opts.<name>`). No `RangeError` escapes.
 */
export function encodeEtf(term: Term, opts: EncodeOptions | null = {}): Uint8Array {
  opts ??= {};
  if (typeof opts !== 'object') throw new EtfEncodeError(`options must be an object, got ${typeof opts}`, 'opts');
  const compressed = opts.compressed ?? false;
  const level = compressed === true ? 6 : compressed === false ? -1 : compressed;
  if (compressed !== false && (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > 9)) {
    throw new EtfEncodeError(`compressed must be true, false or a level 0..9, got ${showOption(compressed)}`, 'opts.compressed');
  }
  const atomEncoding = opts.atomEncoding ?? 'utf8';
  if (atomEncoding !== 'utf8' && atomEncoding !== 'latin1') {
    throw new EtfEncodeError(`atomEncoding must be 'utf8' or 'latin1', got ${showOption(atomEncoding)}`, 'opts.atomEncoding');
  }
  const maxDepth = opts.maxDepth ?? 256;
  if (typeof maxDepth !== 'number' || !(maxDepth >= 0) || (maxDepth !== Infinity && !Number.isInteger(maxDepth))) {
    throw new EtfEncodeError(`maxDepth must be an integer ≥ 0 or Infinity, got ${showOption(maxDepth)}`, 'opts.maxDepth');
  }
  const w = new Writer(atomEncoding === 'latin1', maxDepth);
  w.u8(VERSION);
  try {
    w.term(term, 0);
  } catch (e) {
    // nesting within maxDepth but past what the JS stack holds; the stack is unwound here
    if (isStackOverflow(e)) throw new EtfEncodeError('nesting too deep for the JavaScript stack (lower maxDepth; a cycle?)', '$');
    throw e;
  }
  if (compressed === false) return w.result();
  const body = w.buf.subarray(1, w.pos);
  const z = zlibSync(body, { level: level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 });
  if (6 + z.length >= 1 + body.length) return w.result();
  const out = new Uint8Array(6 + z.length);
  out[0] = VERSION;
  out[1] = Tag.COMPRESSED;
  new DataView(out.buffer).setUint32(2, body.length);
  out.set(z, 6);
  return out;
}

/** A growable output buffer; one per `encodeEtf` call. */
class Writer {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  pos = 0;
  constructor(
    private readonly latin1: boolean,
    private readonly maxDepth: number,
  ) {}

  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0);
    this.pos += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  term(t: Term, depth: number): void {
    switch (typeof t) {
      case 'number':
        return this.number(t);
      case 'bigint':
        return this.bigint(t);
      case 'string':
        return this.string(t);
      case 'boolean':
        return this.atom(Atom.of(t ? 'true' : 'false'));
      case 'undefined':
        return this.atom(Atom.of('undefined'));
      case 'object':
        break;
      default:
        throw new EtfEncodeError(`a ${typeof t} has no Erlang term`, '$');
    }
    if (t === null) throw new EtfEncodeError('null has no Erlang term (use atom("nil") or undefined)', '$');
    if (t instanceof Atom) return this.atom(t);
    if (t instanceof Uint8Array) {
      // 109 BINARY_EXT
      this.u8(Tag.BINARY_EXT);
      this.u32(t.length);
      return this.bytes(t);
    }
    if (depth >= this.maxDepth) {
      throw new EtfEncodeError(`nesting deeper than maxDepth ${this.maxDepth} (a cycle?)`, '$');
    }
    if (Array.isArray(t)) return this.list(t, depth);
    if (t instanceof Tuple) {
      const n = t.elements.length;
      if (n <= 255) {
        // 104 SMALL_TUPLE_EXT
        this.u8(Tag.SMALL_TUPLE_EXT);
        this.u8(n);
      } else {
        // 105 LARGE_TUPLE_EXT
        this.u8(Tag.LARGE_TUPLE_EXT);
        this.u32(n);
      }
      return this.elements(t.elements, depth, '.elements');
    }
    if (t instanceof Float) return this.float(t.value);
    if (t instanceof ErlMap) {
      // 116 MAP_EXT
      this.u8(Tag.MAP_EXT);
      this.u32(t.entries.length);
      for (let i = 0; i < t.entries.length; i++) {
        const [k, v] = t.entries[i];
        try {
          this.term(k, depth + 1);
          this.term(v, depth + 1);
        } catch (e) {
          throw prefixPath(e, `.entries[${i}]`);
        }
      }
      return;
    }
    if (t instanceof ImproperList) return this.improper(t, depth);
    if (t instanceof BitBinary) {
      if (!Number.isInteger(t.bits) || t.bits < 1 || t.bits > 8 || t.bytes.length === 0) {
        throw new EtfEncodeError('BitBinary needs bits 1..8 and at least one byte', '$');
      }
      // 77 BIT_BINARY_EXT
      this.u8(Tag.BIT_BINARY_EXT);
      this.u32(t.bytes.length);
      this.u8(t.bits);
      return this.bytes(t.bytes);
    }
    if (t instanceof Pid) {
      if (t.wide) {
        // 88 NEW_PID_EXT
        this.u8(Tag.NEW_PID_EXT);
        this.atom(t.node);
        this.u32(t.id);
        this.u32(t.serial);
        return this.u32(t.creation);
      }
      // 103 PID_EXT
      this.u8(Tag.PID_EXT);
      this.atom(t.node);
      this.u32(t.id);
      this.u32(t.serial);
      return this.u8(t.creation);
    }
    if (t instanceof Port) return this.port(t);
    if (t instanceof Reference) return this.reference(t);
    if (t instanceof ExportFun) {
      // 113 EXPORT_EXT
      this.u8(Tag.EXPORT_EXT);
      this.atom(t.module);
      this.atom(t.fun);
      this.u8(Tag.SMALL_INTEGER_EXT);
      return this.u8(t.arity);
    }
    if (t instanceof OpaqueFun) {
      if (t.raw[0] !== Tag.NEW_FUN_EXT) throw new EtfEncodeError('OpaqueFun.raw must start with tag 112', '$');
      return this.bytes(t.raw);
    }
    throw new EtfEncodeError(`${describe(t)} has no Erlang term`, '$');
  }

  private elements(items: readonly Term[], depth: number, at: string): void {
    for (let i = 0; i < items.length; i++) {
      try {
        this.term(items[i], depth + 1);
      } catch (e) {
        throw prefixPath(e, `${at}[${i}]`);
      }
    }
  }

  private number(n: number): void {
    if (Number.isInteger(n)) {
      if (n >= 0 && n <= 255) {
        // 97 SMALL_INTEGER_EXT
        this.u8(Tag.SMALL_INTEGER_EXT);
        return this.u8(n);
      }
      if (n >= INT32_MIN && n <= INT32_MAX) {
        // 98 INTEGER_EXT
        this.u8(Tag.INTEGER_EXT);
        return this.u32(n);
      }
      if (!Number.isSafeInteger(n)) {
        throw new EtfEncodeError(`${n} is beyond ±(2^53 − 1) and may be rounded: pass a bigint or a Float`, '$');
      }
      // 110 SMALL_BIG_EXT: sign byte then magnitude, little-endian
      let m = Math.abs(n);
      const digits: number[] = [];
      while (m > 0) {
        digits.push(m % 256);
        m = Math.floor(m / 256);
      }
      this.u8(Tag.SMALL_BIG_EXT);
      this.u8(digits.length);
      this.u8(n < 0 ? 1 : 0);
      for (const d of digits) this.u8(d);
      return;
    }
    this.float(n);
  }

  private float(v: number): void {
    if (!Number.isFinite(v)) throw new EtfEncodeError(`${v} has no Erlang float`, '$');
    // 70 NEW_FLOAT_EXT: IEEE 754 double, big-endian
    this.u8(Tag.NEW_FLOAT_EXT);
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  private bigint(n: bigint): void {
    if (n >= -0x80000000n && n <= 0x7fffffffn) return this.number(Number(n));
    const neg = n < 0n;
    let hex = (neg ? -n : n).toString(16);
    if (hex.length & 1) hex = '0' + hex;
    const len = hex.length >> 1;
    if (len <= 255) {
      // 110 SMALL_BIG_EXT
      this.u8(Tag.SMALL_BIG_EXT);
      this.u8(len);
    } else {
      // 111 LARGE_BIG_EXT
      this.u8(Tag.LARGE_BIG_EXT);
      this.u32(len);
    }
    this.u8(neg ? 1 : 0);
    this.ensure(len);
    for (let i = 0; i < len; i++) {
      const at = hex.length - 2 * (i + 1);
      this.buf[this.pos++] = parseInt(hex.substring(at, at + 2), 16);
    }
  }

  private string(s: string): void {
    const n = s.length;
    if (n === 0) return this.u8(Tag.NIL_EXT);
    let bytewise = n <= 0xffff;
    for (let i = 0; bytewise && i < n; i++) if (s.charCodeAt(i) > 255) bytewise = false;
    if (bytewise) {
      // 107 STRING_EXT
      this.u8(Tag.STRING_EXT);
      this.u16(n);
      this.ensure(n);
      for (let i = 0; i < n; i++) this.buf[this.pos++] = s.charCodeAt(i);
      return;
    }
    // a list of code points, as Erlang has it for "日本" (LIST_EXT 108 … NIL_EXT 106)
    const codes: number[] = [];
    for (const ch of s) codes.push(ch.codePointAt(0)!);
    this.u8(Tag.LIST_EXT);
    this.u32(codes.length);
    for (const c of codes) this.number(c);
    this.u8(Tag.NIL_EXT);
  }

  private list(items: readonly Term[], depth: number): void {
    const n = items.length;
    if (n === 0) return this.u8(Tag.NIL_EXT);
    if (n <= 0xffff && isByteList(items)) {
      // 107 STRING_EXT: Erlang writes every list of 0..255 integers this way
      this.u8(Tag.STRING_EXT);
      this.u16(n);
      this.ensure(n);
      for (let i = 0; i < n; i++) this.buf[this.pos++] = Number(items[i]);
      return;
    }
    // 108 LIST_EXT, then the elements, then the tail 106 NIL_EXT
    this.u8(Tag.LIST_EXT);
    this.u32(n);
    this.elements(items, depth, '');
    this.u8(Tag.NIL_EXT);
  }

  private improper(l: ImproperList, depth: number): void {
    // Merge nested tails, as Erlang holds `[a | [b | c]]` as `[a, b | c]`.
    let items: Term[] = l.elements;
    let tail: Term = l.tail;
    for (;;) {
      if (tail instanceof ImproperList) {
        items = items.concat(tail.elements);
        tail = tail.tail;
      } else if (Array.isArray(tail)) {
        return this.list(items.concat(tail), depth);
      } else if (typeof tail === 'string') {
        return this.list(items.concat(Array.from(tail, (ch) => ch.codePointAt(0)!)), depth);
      } else break;
    }
    if (items.length === 0) return this.term(tail, depth);
    // 108 LIST_EXT with a non-NIL tail
    this.u8(Tag.LIST_EXT);
    this.u32(items.length);
    this.elements(items, depth, '.elements');
    try {
      this.term(tail, depth + 1);
    } catch (e) {
      throw prefixPath(e, '.tail');
    }
  }

  private port(p: Port): void {
    this.u8(p.tag);
    this.atom(p.node);
    switch (p.tag) {
      case Tag.PORT_EXT: // 102 PORT_EXT
        this.u32(Number(p.id));
        return this.u8(p.creation);
      case Tag.NEW_PORT_EXT: // 89 NEW_PORT_EXT
        this.u32(Number(p.id));
        return this.u32(p.creation);
      case Tag.V4_PORT_EXT: // 120 V4_PORT_EXT
        this.ensure(8);
        this.view.setBigUint64(this.pos, BigInt(p.id));
        this.pos += 8;
        return this.u32(p.creation);
      default:
        throw new EtfEncodeError(`Port.tag must be 102, 89 or 120, got ${p.tag}`, '$');
    }
  }

  private reference(r: Reference): void {
    switch (r.tag) {
      case Tag.REFERENCE_EXT: // 101 REFERENCE_EXT: one id word, 8-bit creation
        if (r.ids.length !== 1) throw new EtfEncodeError('REFERENCE_EXT holds exactly one id', '$');
        this.u8(r.tag);
        this.atom(r.node);
        this.u32(r.ids[0]);
        return this.u8(r.creation);
      case Tag.NEW_REFERENCE_EXT: // 114 NEW_REFERENCE_EXT: 8-bit creation
      case Tag.NEWER_REFERENCE_EXT: // 90 NEWER_REFERENCE_EXT: 32-bit creation
        if (r.ids.length === 0 || r.ids.length > 0xffff) throw new EtfEncodeError('a reference needs 1.. id words', '$');
        this.u8(r.tag);
        this.u16(r.ids.length);
        this.atom(r.node);
        if (r.tag === Tag.NEW_REFERENCE_EXT) this.u8(r.creation);
        else this.u32(r.creation);
        for (const id of r.ids) this.u32(id);
        return;
      default:
        throw new EtfEncodeError(`Reference.tag must be 101, 114 or 90, got ${r.tag}`, '$');
    }
  }

  private atom(a: Atom): void {
    if (this.latin1) {
      let b = latin1AtomBytes.get(a);
      if (b === undefined) {
        b = latin1Bytes(a);
        latin1AtomBytes.set(a, b);
      }
      return this.bytes(b);
    }
    let b = utf8AtomBytes.get(a);
    if (b === undefined) {
      b = utf8Bytes(a);
      utf8AtomBytes.set(a, b);
    }
    this.bytes(b);
  }
}

/** The complete encoding (tag, length, text) of an atom with the UTF-8 tags. */
function utf8Bytes(a: Atom): Uint8Array {
  const text = utf8.encode(a.name);
  if (new TextDecoder().decode(text) !== a.name) {
    throw new EtfEncodeError(`atom ${JSON.stringify(a.name)} is not well-formed Unicode`, '$');
  }
  if ([...a.name].length > MAX_ATOM_CHARS) {
    throw new EtfEncodeError(`atom longer than ${MAX_ATOM_CHARS} characters`, '$');
  }
  if (text.length <= 255) {
    // 119 SMALL_ATOM_UTF8_EXT
    const out = new Uint8Array(2 + text.length);
    out[0] = Tag.SMALL_ATOM_UTF8_EXT;
    out[1] = text.length;
    out.set(text, 2);
    return out;
  }
  // 118 ATOM_UTF8_EXT
  const out = new Uint8Array(3 + text.length);
  out[0] = Tag.ATOM_UTF8_EXT;
  out[1] = text.length >> 8;
  out[2] = text.length & 0xff;
  out.set(text, 3);
  return out;
}

/** ATOM_EXT 100 with Latin-1 text, as OTP ≤ 25 writes atoms; falls back to the UTF-8 tags. */
function latin1Bytes(a: Atom): Uint8Array {
  const name = a.name;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) > 255) return utf8Bytes(a);
  if (name.length > MAX_ATOM_CHARS) throw new EtfEncodeError(`atom longer than ${MAX_ATOM_CHARS} characters`, '$');
  const out = new Uint8Array(3 + name.length);
  out[0] = Tag.ATOM_EXT;
  out[1] = 0;
  out[2] = name.length;
  for (let i = 0; i < name.length; i++) out[3 + i] = name.charCodeAt(i);
  return out;
}

function isByteList(items: readonly Term[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (typeof v === 'number') {
      if (!(v >= 0 && v <= 255 && Number.isInteger(v))) return false;
    } else if (typeof v === 'bigint') {
      if (!(v >= 0n && v <= 255n)) return false;
    } else return false;
  }
  return true;
}

function prefixPath(e: unknown, segment: string): unknown {
  if (e instanceof EtfEncodeError) {
    const path = '$' + segment + e.path.slice(1);
    const msg = e.message.slice(0, e.message.length - e.path.length - 4);
    return new EtfEncodeError(msg, path);
  }
  return e;
}

function showOption(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v;
}

function describe(v: object): string {
  const name = v.constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'a plain object';
}
