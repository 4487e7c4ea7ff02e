// Map keys that are themselves maps, tuples or lists: decoded in time linear in the frame, and
// compared for duplicates as Erlang does (=:=), checked against OTP's binary_to_term.
import { describe, expect, it } from 'vitest';
import { decodeEtf, decodeEtfPlain, plainReader, type PlainValue } from './decode.ts';
import { encodeEtf } from './encode.ts';
import { EtfDecodeError } from './errors.ts';
import { atom, ErlMap, OpaqueFun, Pid, Tuple, type Term } from './term.ts';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const u32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

/** The body (no 131) of M_d, where M_0 = `inner` and M_i = #{M_{i-1} => 0}: each map the key of the next. */
function keyChain(d: number, inner: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < d; i++) out.push(116, ...u32(1));
  out.push(...inner);
  for (let i = 0; i < d; i++) out.push(97, 0);
  return out;
}
const bin = (n: number): number[] => [109, ...u32(n), ...new Array<number>(n).fill(120)];

/**
 * The input as a proxy that counts reads of its bytes by index (every header, tag and length the
 * decoder looks at; text is taken in bulk through `subarray` and not counted): a measure of the
 * work that does not depend on the machine's speed. The old decoder re-read nested keys at every
 * level of nesting, so its count grew with the cube of the depth.
 */
function counting(b: Uint8Array): { bytes: Uint8Array; reads: () => number; copied: () => number } {
  let reads = 0;
  let copied = 0;
  const bytes = new Proxy(b, {
    get(t, p) {
      if (typeof p === 'string' && p.length > 0 && p.charCodeAt(0) >= 48 && p.charCodeAt(0) <= 57) reads++;
      if (p === 'slice') {
        return (start: number, end: number): Uint8Array => {
          const c = t.slice(start, end);
          copied += c.length;
          return c;
        };
      }
      const v = Reflect.get(t, p, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return { bytes, reads: () => reads, copied: () => copied };
}

/** Byte reads of decoding `body` (with its 131) by each decoder. */
function readsOf(body: number[]): { term: number; plain: number; size: number } {
  const frame = new Uint8Array([131, ...body]);
  const a = counting(frame);
  decodeEtf(a.bytes, { maxDepth: 1e4 });
  const b = counting(frame);
  decodeEtfPlain(b.bytes, { maxDepth: 1e4 });
  return { term: a.reads(), plain: b.reads(), size: frame.length };
}

function decodeError(f: () => unknown): EtfDecodeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EtfDecodeError);
    return e as EtfDecodeError;
  }
  throw new Error('no error');
}

describe('nested map keys: cost linear in the frame', () => {
  // Before the fix: 12 KB took 2.1 s (plain decoder), 100 KB 14 s through the parser.
  it('a chain of 250 maps, each the key of the next, around a 100 KB binary decodes once', { timeout: 20_000 }, () => {
    const frame = new Uint8Array([131, ...keyChain(250, bin(100_000))]);
    let plain = decodeEtfPlain(frame) as PlainValue;
    let term = decodeEtf(frame) as Term;
    for (let i = 0; i < 250; i++) {
      const m = plain as Map<PlainValue, PlainValue>;
      expect(m).toBeInstanceOf(Map);
      expect(m.size).toBe(1);
      const [[k, v]] = [...m];
      expect(v).toBe(0);
      plain = k;
      const t = term as ErlMap;
      expect(t).toBeInstanceOf(ErlMap);
      expect(t.entries.length).toBe(1);
      expect(t.entries[0][1]).toBe(0);
      term = t.entries[0][0];
    }
    expect(plain).toBe('x'.repeat(100_000));
    expect(term).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(term as Uint8Array).equals(new Uint8Array(100_000).fill(120))).toBe(true);
  });

  it('byte reads grow linearly with the depth of the key chain (they grew with its cube)', () => {
    const r100 = readsOf(keyChain(100, bin(10)));
    const r200 = readsOf(keyChain(200, bin(10)));
    for (const r of [r100, r200]) {
      expect(r.plain).toBeLessThan(4 * r.size);
      expect(r.term).toBeLessThan(4 * r.size);
    }
    expect(r200.plain / r100.plain).toBeLessThan(2.2);
    expect(r200.term / r100.term).toBeLessThan(2.2);
  });

  it('the same for deep tuples in keys, maps in keys in lists, and funs whose free variables hold keyed maps', () => {
    const shapes: Array<(d: number) => number[]> = [
      // #{{{...{x}...}} => 0} nested in keys of keys
      (d) => keyChain(d, [...new Array<number>(d).fill(0).flatMap(() => [104, 1]), 106]),
      // [#{[#{...} ] => 0}]: each map a key inside a one-element list
      (d) => {
        const out: number[] = [];
        for (let i = 0; i < d; i++) out.push(108, ...u32(1), 116, ...u32(1));
        out.push(97, 7);
        for (let i = 0; i < d; i++) out.push(97, 0, 106);
        return out;
      },
      // maps in tuples in keys: #{{#{{...} => 1}} => 1}
      (d) => {
        const out: number[] = [];
        for (let i = 0; i < d; i++) out.push(116, ...u32(1), 104, 1);
        out.push(106);
        for (let i = 0; i < d; i++) out.push(97, 1);
        return out;
      },
    ];
    for (const shape of shapes) {
      const r60 = readsOf(shape(60));
      const r120 = readsOf(shape(120));
      for (const r of [r60, r120]) {
        expect(r.plain).toBeLessThan(4 * r.size);
        expect(r.term).toBeLessThan(4 * r.size);
      }
      expect(r120.plain / r60.plain).toBeLessThan(2.3);
      expect(r120.term / r60.term).toBeLessThan(2.3);
    }
  });

  it('funs in keys whose free variables are maps with fun keys: linear too', () => {
    // F_0 = fun with free variable 0; F_i = fun with free variable #{F_{i-1} => 0}
    const funBytes = (free: number[]): number[] => {
      const body = (t: Term): number[] => [...encodeEtf(t).subarray(1)];
      const fields = [
        0, ...new Array<number>(16).fill(0), 0, 0, 0, 0, 0, 0, 0, 1,
        ...body(atom('m')), ...body(0), ...body(0), ...body(new Pid(atom('n@h'), 1, 0, 0, true)),
        ...free,
      ];
      return [112, ...u32(fields.length + 4), ...fields];
    };
    const chain = (d: number): number[] => {
      let f = funBytes([97, 0]);
      for (let i = 0; i < d; i++) f = funBytes([116, ...u32(1), ...f, 97, 0]);
      return f;
    };
    const r40 = readsOf(chain(40));
    const r80 = readsOf(chain(80));
    expect(decodeEtfPlain(new Uint8Array([131, ...chain(80)]), { maxDepth: 1e4 })).toBeInstanceOf(OpaqueFun);
    expect(r80.plain / r40.plain).toBeLessThan(2.3);
    expect(r80.term / r40.term).toBeLessThan(2.3);
  });

  it('funs nested 200 deep around a 100 KB binary: each byte copied out once (each level copied its whole fun)', () => {
    const body = (t: Term): number[] => [...encodeEtf(t).subarray(1)];
    const head = [...body(atom('m')), ...body(0), ...body(0), ...body(new Pid(atom('n@h'), 1, 0, 0, true))];
    const inner = bin(100_000);
    const fields = [0, ...new Array<number>(16).fill(0), 0, 0, 0, 0, 0, 0, 0, 1, ...head];
    const hdr = 5 + fields.length;
    const frame = new Uint8Array(1 + 200 * hdr + inner.length);
    frame[0] = 131;
    for (let i = 0; i < 200; i++) frame.set([112, ...u32(frame.length - 1 - i * hdr - 1), ...fields], 1 + i * hdr);
    frame.set(inner, 1 + 200 * hdr);
    for (const dec of [decodeEtf, decodeEtfPlain]) {
      const c = counting(frame);
      const v = dec(c.bytes, { maxDepth: 1e4 }) as OpaqueFun;
      expect(v).toBeInstanceOf(OpaqueFun);
      expect(Buffer.from(v.raw).equals(frame.subarray(1))).toBe(true);
      expect(c.copied()).toBe(frame.length - 1);
    }
  });

  it('plainReader (the parser\'s path) reads a 250-deep key chain, and a too-deep one is LIMIT', () => {
    const frame = new Uint8Array([131, ...keyChain(250, bin(3))]);
    const r = plainReader(frame);
    expect(r.plain()).toBeInstanceOf(Map);
    r.finish();
    const e = decodeError(() => plainReader(new Uint8Array([131, ...keyChain(300, bin(3))])).plain());
    expect(e.code).toBe('LIMIT');
  });
});

describe('map keys compared as Erlang compares them (=:=)', () => {
  it('maps equal but written in another order are one key (badarg in erl)', () => {
    // #{#{a => 1, b => 2} => 1, #{b => 2, a => 1} => 2}
    const b = hex('83 74 00000002  74 00000002 770161 6101 770162 6102  6101  74 00000002 770162 6102 770161 6101  6102');
    expect(decodeError(() => decodeEtf(b)).offset).toBe(23);
    expect(decodeError(() => decodeEtfPlain(b)).code).toBe('BAD_VALUE');
    // #{#{a => 1, b => 2} => 1, #{a => 1, b => 3} => 2} is fine
    const ok = hex('83 74 00000002  74 00000002 770161 6101 770162 6102  6101  74 00000002 770161 6101 770162 6103  6102');
    expect((decodeEtf(ok) as ErlMap).entries.length).toBe(2);
    expect((decodeEtfPlain(ok) as Map<PlainValue, PlainValue>).size).toBe(2);
  });

  it('a duplicate inside a key is found (badarg in erl), at its offset, by both decoders', () => {
    // #{#{1 => 1, 1 => 2} => 3}
    const b = hex('83 74 00000001 74 00000002 6101 6101 6101 6102 6103');
    for (const dec of [decodeEtf, decodeEtfPlain]) {
      const e = decodeError(() => dec(b));
      expect(e.code).toBe('BAD_VALUE');
      expect(e.offset).toBe(15);
    }
    // and deep inside a key of a key, in a tuple in a list
    const deep = [131, ...keyChain(30, [108, ...u32(1), 104, 1, 116, ...u32(2), 97, 1, 97, 1, 97, 1, 97, 2, 106])];
    for (const dec of [decodeEtf, decodeEtfPlain]) expect(decodeError(() => dec(new Uint8Array(deep))).code).toBe('BAD_VALUE');
  });

  it('keys that differ only in how they are written are one; {1} and [1], 1 and 1.0, 0.0 and -0.0 are two', () => {
    const same: Array<[string, string]> = [
      ['6B00020102', '6C00000002 6101 6102 6A'], // [1,2] as STRING_EXT and LIST_EXT
      ['6C00000001 6101 6C00000001 6102 6A', '6B00020102'], // [1 | [2]] written with a chained tail
      ['68 01 64000161', '68 01 770161'], // {a}, atom as ATOM_EXT and SMALL_ATOM_UTF8_EXT
      ['68 02 6105 6A', '68 02 6E0100 05 6A'], // {5, []}, 5 as SMALL_BIG_EXT
      ['6A', '6B0000'], // [] and an empty STRING_EXT
    ];
    for (const [x, y] of same) {
      const b = hex(`83 74 00000002 ${x} 6101 ${y} 6102`);
      expect(decodeError(() => decodeEtf(b)).code, `${x} / ${y}`).toBe('BAD_VALUE');
      expect(decodeError(() => decodeEtfPlain(b)).code, `${x} / ${y}`).toBe('BAD_VALUE');
    }
    const distinct: Array<[string, string]> = [
      ['68 01 6101', '6C00000001 6101 6A'], // {1} and [1]
      ['6101', '46 3FF0000000000000'], // 1 and 1.0
      ['46 0000000000000000', '46 8000000000000000'], // 0.0 and -0.0 (OTP 27: not =:=)
      ['6D00000001 61', '770161'], // <<"a">> and a
      ['6C00000001 6101 6102', '6C00000002 6101 6102 6A'], // [1 | 2] and [1, 2]
      ['68 00', '6A'], // {} and []
    ];
    for (const [x, y] of distinct) {
      const b = hex(`83 74 00000002 ${x} 6101 ${y} 6102`);
      expect((decodeEtf(b) as ErlMap).entries.length, `${x} / ${y}`).toBe(2);
      decodeEtfPlain(b);
    }
  });

  it('a key is decoded to the same value as before: tuples, lists, maps, binaries', () => {
    const k = new Tuple([atom('a'), [1, 2], new ErlMap([[atom('b'), new Uint8Array([104, 105])]])]);
    const frame = encodeEtf(new ErlMap([[k, 1]]));
    const t = decodeEtf(frame) as ErlMap;
    expect(t.entries[0][0]).toEqual(new Tuple([atom('a'), '\x01\x02', new ErlMap([[atom('b'), new Uint8Array([104, 105])]])]));
    const p = decodeEtfPlain(frame) as Map<PlainValue, PlainValue>;
    expect([...p][0][0]).toEqual(['a', '\x01\x02', new Map([['b', 'hi']])]);
  });
});
