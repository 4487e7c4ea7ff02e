// ETF codec: a corpus per tag, limits, errors, and property tests (round trip, truncation, fuzz).
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeEtf, decodeEtfPlain, plainReader, utf8Text, type PlainValue } from './decode.ts';
import { encodeEtf } from './encode.ts';
import { EtfDecodeError, EtfEncodeError, type EtfDecodeErrorCode } from './errors.ts';
import {
  Atom,
  atom,
  binary,
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
  tuple,
  type Term,
} from './term.ts';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

function decodeError(f: () => unknown): EtfDecodeError {
  try {
    f();
  } catch (e) {
    if (e instanceof EtfDecodeError) return e;
    throw new Error(`expected EtfDecodeError, got ${String(e)}`);
  }
  throw new Error('expected EtfDecodeError, decoding succeeded');
}

function expectCode(bytes: Uint8Array, code: EtfDecodeErrorCode, opts = {}): EtfDecodeError {
  const e = decodeError(() => decodeEtf(bytes, opts));
  expect(e.code).toBe(code);
  expect(decodeError(() => decodeEtfPlain(bytes, opts)).code).toBe(code);
  expect(e.name).toBe('EtfDecodeError');
  return e;
}

/** `fun() -> X end` with X = 7, from `erl -eval` (OTP 27): NEW_FUN_EXT with one free variable. */
const FUN =
  '83700000009A00065361AA461590D1BDF1EB62D1A6EB080000002B0000000164000865726C5F6576616C612B6200329B0D5864000D6E6F6E6F6465406E6F686F7374000000090000000000000000680661016C0000000168026400015861076A6400046E6F6E656400046E6F6E6574000000006C000000016805640006636C6175736561016A6A6C0000000168036400037661726101640001586A6A';

/**
 * A well-formed NEW_FUN_EXT (tag included): Size, Arity, Uniq, Index, NumFree, Module, OldIndex,
 * OldUniq, Pid, free variables — the layout `binary_to_term` checks against Size.
 */
function funRaw(arity: number, uniq: Uint8Array, index: number, module: string, free: Term[]): Uint8Array {
  const body = (t: Term): number[] => [...encodeEtf(t).subarray(1)];
  const fields = [
    arity,
    ...uniq,
    0, 0, 0, index,
    0, 0, 0, free.length,
    ...body(atom(module)),
    ...body(index),
    ...body(123456),
    ...body(new Pid(atom('n@h'), 1, 0, 0, true)),
    ...free.flatMap(body),
  ];
  const raw = new Uint8Array(5 + fields.length);
  raw[0] = 112;
  new DataView(raw.buffer).setUint32(1, 4 + fields.length);
  raw.set(fields, 5);
  return raw;
}

const n = atom('n');
/** "77 01 6E" is the node atom `n` as SMALL_ATOM_UTF8_EXT. */
const N = '77016E';

/** [name, frame hex, decoded term, does encodeEtf give the same bytes back] — one or more per tag. */
const CORPUS: Array<[string, string, Term, boolean]> = [
  ['97 SMALL_INTEGER_EXT', '83 61 05', 5, true],
  ['98 INTEGER_EXT negative', '83 62 FFFFFFFE', -2, true],
  ['98 INTEGER_EXT', '83 62 000186A0', 100000, true],
  ['110 SMALL_BIG_EXT µs timestamp', '83 6E 07 00 075E8187D77E05', 1546839040024071, true],
  ['110 SMALL_BIG_EXT negative', '83 6E 07 01 075E8187D77E05', -1546839040024071, true],
  ['110 SMALL_BIG_EXT 2^53+1 stays exact', '83 6E 07 00 01000000000020', 9007199254740993n, true],
  ['110 SMALL_BIG_EXT high zero bytes', '83 6E 08 01 0500000000000000', -5, false],
  ['111 LARGE_BIG_EXT', '83 6F 00000009 00 000000000000000001', 1n << 64n, false],
  ['70 NEW_FLOAT_EXT', '83 46 3FF8000000000000', new Float(1.5), true],
  [
    '99 FLOAT_EXT',
    '83 63' + Buffer.from('-2.50000000000000000000e-01'.padEnd(31, '\0')).toString('hex'),
    new Float(-0.25),
    false,
  ],
  ['100 ATOM_EXT', '83 64 0002 6F6B', atom('ok'), false],
  ['100 ATOM_EXT Latin-1', '83 64 0004 636166E9', atom('café'), false],
  ['115 SMALL_ATOM_EXT', '83 73 02 6F6B', atom('ok'), false],
  ['118 ATOM_UTF8_EXT', '83 76 0009 E383A6E383BCE382B6', atom('ユーザ'), false],
  ['119 SMALL_ATOM_UTF8_EXT', '83 77 02 6F6B', atom('ok'), true],
  ['109 BINARY_EXT', '83 6D 00000003 616263', binary('abc'), true],
  ['77 BIT_BINARY_EXT', '83 4D 00000001 03 A0', new BitBinary(new Uint8Array([0xa0]), 3), true],
  ['107 STRING_EXT', '83 6B 0003 616263', 'abc', true],
  ['108 LIST_EXT', '83 6C 00000002 770161 620000012C 6A', [atom('a'), 300], true],
  ['108 LIST_EXT improper', '83 6C 00000001 6101 6102', new ImproperList([1], 2), true],
  ['108 LIST_EXT chained tails', '83 6C 00000001 770161 6C00000001 620000012C 6A', [atom('a'), 300], false],
  ['108 LIST_EXT string tail', '83 6C 00000001 770161 6B 0001 62', [atom('a'), 0x62], false],
  ['106 NIL_EXT', '83 6A', [], true],
  ['104 SMALL_TUPLE_EXT', '83 68 02 6101 6A', tuple(1, []), true],
  ['105 LARGE_TUPLE_EXT', '83 69 00000001 6101', tuple(1), false],
  ['116 MAP_EXT', '83 74 00000001 770161 6101', new ErlMap([[atom('a'), 1]]), true],
  ['103 PID_EXT', `83 67 ${N} 00000001 00000002 03`, new Pid(n, 1, 2, 3, false), true],
  ['88 NEW_PID_EXT', `83 58 ${N} 00000001 00000002 00000003`, new Pid(n, 1, 2, 3, true), true],
  ['102 PORT_EXT', `83 66 ${N} 00000007 01`, new Port(n, 7, 1, 102), true],
  ['89 NEW_PORT_EXT', `83 59 ${N} 00000007 00000001`, new Port(n, 7, 1, 89), true],
  ['120 V4_PORT_EXT', `83 78 ${N} 0000000100000000 00000001`, new Port(n, 1n << 32n, 1, 120), true],
  ['101 REFERENCE_EXT', `83 65 ${N} 00000005 02`, new Reference(n, 2, [5], 101), true],
  ['114 NEW_REFERENCE_EXT', `83 72 0002 ${N} 01 00000001 00000002`, new Reference(n, 1, [1, 2], 114), true],
  ['90 NEWER_REFERENCE_EXT', `83 5A 0001 ${N} 00000004 00000009`, new Reference(n, 4, [9], 90), true],
  ['112 NEW_FUN_EXT (opaque)', FUN, new OpaqueFun(hex(FUN).subarray(1)), true],
  ['113 EXPORT_EXT', '83 71 77016D 770166 6102', new ExportFun(atom('m'), atom('f'), 2), true],
];

/** A zlib-compressed (tag 80) frame of `term`, built by hand so the test does not rely on the encoder's choice. */
function compressedFrame(term: Term, declared?: number, mutate?: (z: Uint8Array) => void): Uint8Array {
  const body = encodeEtf(term).subarray(1);
  const z = zlibSync(body);
  mutate?.(z);
  const out = new Uint8Array(6 + z.length);
  out[0] = 131;
  out[1] = 80;
  new DataView(out.buffer).setUint32(2, declared ?? body.length);
  out.set(z, 6);
  return out;
}

const BIG_TERM: Term = tuple(atom('initial_info'), atom('user'), Array.from({ length: 50 }, (_, i) => tuple(i, binary('ユーザ'))));

describe('decodeEtf: corpus per tag', () => {
  for (const [name, h, expected, canonical] of CORPUS) {
    it(name, () => {
      const bytes = hex(h);
      expect(decodeEtf(bytes)).toStrictEqual(expected);
      if (canonical) expect(encodeEtf(expected)).toEqual(bytes);
      // the re-encoding of whatever we decoded decodes to the same term
      expect(decodeEtf(encodeEtf(decodeEtf(bytes)))).toStrictEqual(decodeEtf(bytes));
    });
  }

  it('80 compressed', () => {
    const frame = compressedFrame(BIG_TERM);
    expect(frame.length).toBeLessThan(encodeEtf(BIG_TERM).length);
    expect(decodeEtf(frame)).toStrictEqual(BIG_TERM);
    const ours = encodeEtf(BIG_TERM, { compressed: true });
    expect(ours[1]).toBe(80);
    expect(decodeEtf(ours)).toStrictEqual(BIG_TERM);
  });

  it('takes any view of the bytes, and refuses what is not bytes', () => {
    const frame = hex('00 83 61 05 00');
    expect(decodeEtf(new DataView(frame.buffer, 1, 3) as unknown as Uint8Array)).toBe(5);
    expect(decodeEtfPlain(Buffer.from(frame.buffer, 1, 3))).toBe(5);
    expect(decodeError(() => decodeEtf('\x83a\x05' as unknown as Uint8Array)).code).toBe('BAD_VALUE');
  });

  it('keeps a decoded binary independent of the input buffer', () => {
    const bytes = hex('83 6D 00000001 41');
    const b = decodeEtf(bytes) as Uint8Array;
    bytes[6] = 0x42;
    expect(b).toEqual(new Uint8Array([0x41]));
  });
});

describe('the Erlang-written ws_cti frames of test/golden', () => {
  const dir = new URL('../../../test/golden/frames/', import.meta.url);
  const names = readdirSync(dir).filter((f) => f.endsWith('.bin'));

  it('decode in both modes and re-encode byte-identically', () => {
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      const bytes = new Uint8Array(readFileSync(new URL(name, dir)));
      const term = decodeEtf(bytes);
      expect(decodeEtfPlain(bytes), name).toStrictEqual(toPlain(term));
      const utf8 = encodeEtf(term);
      const latin1 = encodeEtf(term, { atomEncoding: 'latin1' });
      expect(bytes[1] === 80 || Buffer.compare(utf8, bytes) === 0 || Buffer.compare(latin1, bytes) === 0, name).toBe(true);
    }
  });
});

describe('decodeEtfPlain: PROTOCOL.md mapping', () => {
  it('maps atoms, binaries, strings, tuples, lists, maps and numbers', () => {
    const frame = encodeEtf(
      tuple(
        atom('undefined'),
        atom('true'),
        atom('false'),
        atom('calling'),
        binary('ユーザ・10001000'),
        binary(''),
        'abc',
        [1, tuple(2, 3)],
        new ErlMap([[atom('k'), binary('v')]]),
        1546839040024071,
        9007199254740993n,
        new Float(0.5),
        new ImproperList([atom('a')], atom('b')),
      ),
    );
    expect(decodeEtfPlain(frame)).toStrictEqual([
      undefined,
      true,
      false,
      'calling',
      'ユーザ・10001000',
      '',
      'abc',
      [1, [2, 3]],
      new Map([['k', 'v']]),
      1546839040024071,
      9007199254740993n,
      0.5,
      new ImproperList(['a'], 'b'),
    ]);
  });

  it('decodes text of every length like TextDecoder does, including invalid UTF-8', () => {
    const td = new TextDecoder();
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }).map(binary)), (b) => {
        expect(utf8Text(b, 0, b.length)).toBe(td.decode(b));
        const frame = encodeEtf(b);
        expect(decodeEtfPlain(frame)).toBe(td.decode(b));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same atoms from the cache as fresh (keyed by bytes and encoding)', () => {
    // the same bytes as Latin-1 (ATOM_EXT) and as UTF-8 (SMALL_ATOM_UTF8_EXT) are different atoms
    const latin1 = hex('83 64 0002 C3A9');
    const utf8 = hex('83 77 02 C3A9');
    for (let i = 0; i < 3; i++) {
      expect(decodeEtfPlain(latin1)).toBe('Ã©');
      expect(decodeEtfPlain(utf8)).toBe('é');
      expect(decodeEtf(utf8)).toBe(atom('é'));
    }
  });
});

describe('decodeEtf: errors', () => {
  it('BAD_VERSION for a first byte other than 131', () => {
    expect(expectCode(hex('84 61 01'), 'BAD_VERSION').offset).toBe(0);
  });

  it('UNKNOWN_TAG for distribution-only and obsolete tags', () => {
    expect(expectCode(hex('83 52 00'), 'UNKNOWN_TAG').offset).toBe(1); // 82 ATOM_CACHE_REF
    expect(expectCode(hex('83 68 01 75 00'), 'UNKNOWN_TAG').offset).toBe(3); // 117 FUN_EXT
    expectCode(hex('83 68 01 50 00000000'), 'UNKNOWN_TAG'); // compressed only at the top
  });

  it('TRAILING_BYTES after the term, also inside a compressed term', () => {
    expect(expectCode(hex('83 61 01 00'), 'TRAILING_BYTES').offset).toBe(3);
    const body = hex('61 01 00');
    const z = zlibSync(body);
    const frame = new Uint8Array([131, 80, 0, 0, 0, 3, ...z]);
    const e = expectCode(frame, 'TRAILING_BYTES');
    expect(e.inflated).toBe(true);
    expect(e.offset).toBe(2);
  });

  it('TRUNCATED with the offset where bytes ran out', () => {
    const e = expectCode(hex('83 6D 00000005 6162'), 'TRUNCATED');
    expect(e.offset).toBe(6);
    expect(e.truncated).toBe(true);
    expectCode(new Uint8Array(0), 'TRUNCATED');
    // a count larger than the bytes left is rejected before anything is allocated
    expectCode(hex('83 6C FFFFFFFF 6A'), 'TRUNCATED');
    expectCode(hex('83 69 FFFFFFFF'), 'TRUNCATED');
    expectCode(hex('83 74 80000000 6101'), 'TRUNCATED');
  });

  it('BAD_VALUE for well-framed nonsense', () => {
    expectCode(hex('83 46 7FF0000000000000'), 'BAD_VALUE'); // +Infinity
    expectCode(hex('83 63' + Buffer.from('one point five'.padEnd(31, '\0')).toString('hex')), 'BAD_VALUE');
    expectCode(hex('83 4D 00000001 00 FF'), 'BAD_VALUE'); // 0 bits
    expectCode(hex('83 4D 00000001 09 FF'), 'BAD_VALUE'); // 9 bits
    expectCode(hex('83 6E 01 02 05'), 'BAD_VALUE'); // sign byte 2
    expectCode(hex('83 58 6101 00000001 00000002 00000003'), 'BAD_VALUE'); // node not an atom
    expectCode(hex('83 77 02 C328'), 'BAD_VALUE'); // atom not UTF-8
    expectCode(hex('83 71 77016D 770166 62 00000002'), 'BAD_VALUE'); // export arity not 97
  });

  it('INFLATE_FAILED for corrupt zlib data or a wrong declared size', () => {
    expectCode(compressedFrame(BIG_TERM, undefined, (z) => (z[z.length - 1] ^= 1)), 'INFLATE_FAILED'); // checksum
    expectCode(compressedFrame(BIG_TERM, undefined, (z) => (z[0] = 0x79)), 'INFLATE_FAILED'); // header
    const size = encodeEtf(BIG_TERM).length - 1;
    expect(expectCode(compressedFrame(BIG_TERM, size - 1), 'INFLATE_FAILED').message).toMatch(/more than the declared/);
    expect(expectCode(compressedFrame(BIG_TERM, size + 1), 'INFLATE_FAILED').message).toMatch(/declared/);
  });
});

describe('decodeEtf: limits (one test each)', () => {
  const nested = (depth: number): Uint8Array => {
    const b = new Uint8Array(1 + 2 * depth + 1);
    b[0] = 131;
    for (let i = 0; i < depth; i++) b.set([104, 1], 1 + 2 * i);
    b[b.length - 1] = 106;
    return b;
  };

  it('maxDepth: default 256, deep hostile nesting gives LIMIT rather than a stack overflow', () => {
    expect(() => decodeEtf(nested(256))).not.toThrow();
    expect(expectCode(nested(257), 'LIMIT').message).toMatch(/maxDepth 256/);
    expectCode(nested(1_000_000), 'LIMIT');
    expectCode(nested(4), 'LIMIT', { maxDepth: 3 });
    // a long chain of list tails is not nesting: decoded in a loop
    const chain = [131];
    for (let i = 0; i < 100_000; i++) chain.push(108, 0, 0, 0, 1, 97, 1);
    chain.push(106);
    expect((decodeEtfPlain(new Uint8Array(chain)) as number[]).length).toBe(100_000);
  });

  it('maxBytes', () => {
    const frame = encodeEtf(binary('x'.repeat(100)));
    expect(expectCode(frame, 'LIMIT', { maxBytes: 100 }).offset).toBe(0);
    expect(decodeEtfPlain(frame, { maxBytes: frame.length })).toBe('x'.repeat(100));
  });

  it('maxInflatedBytes is checked before inflating', () => {
    // declares 4 GiB with a zlib stream that could not even inflate: the limit fires first
    const e = expectCode(hex('83 50 FFFFFFFF 789C 0000 00000000'), 'LIMIT');
    expect(e.offset).toBe(2);
    const frame = compressedFrame(BIG_TERM);
    expectCode(frame, 'LIMIT', { maxInflatedBytes: 100 });
    expect(decodeEtf(frame, { maxInflatedBytes: 100_000 })).toStrictEqual(BIG_TERM);
  });

  it('maxAtomLength: default 255 characters, Erlang’s own limit', () => {
    expect(decodeEtf(encodeEtf(atom('a'.repeat(255))))).toBe(atom('a'.repeat(255)));
    const long = new Uint8Array([131, 118, 1, 0, ...new Uint8Array(256).fill(0x61)]);
    expectCode(long, 'LIMIT');
    const ja = encodeEtf(atom('あ'.repeat(10)));
    expect(decodeEtfPlain(ja)).toBe('あ'.repeat(10));
    expectCode(ja, 'LIMIT', { maxAtomLength: 9 }); // also when the atom is already cached
    expectCode(encodeEtf(atom('abcd'), { atomEncoding: 'latin1' }), 'LIMIT', { maxAtomLength: 3 });
  });

  it('maxBigBytes: default 1024', () => {
    const big = 1n << BigInt(8 * 1024 - 1);
    expect(decodeEtf(encodeEtf(big))).toBe(big);
    expectCode(encodeEtf(big << 8n), 'LIMIT');
    expectCode(encodeEtf(1n << 80n), 'LIMIT', { maxBigBytes: 8 });
  });
});

describe('encodeEtf', () => {
  it('writes JS convenience values as Erlang does', () => {
    expect(encodeEtf(true)).toEqual(hex('83 77 04 74727565'));
    expect(encodeEtf(undefined)).toEqual(hex('83 77 09 756E646566696E6564'));
    expect(encodeEtf('')).toEqual(hex('83 6A'));
    expect(encodeEtf([1, 2])).toEqual(hex('83 6B 0002 0102')); // Erlang's [1,2] is a "string"
    expect(encodeEtf('日')).toEqual(hex('83 6C 00000001 62000065E5 6A'));
    expect(encodeEtf(0.5)).toEqual(hex('83 46 3FE0000000000000'));
    expect(encodeEtf(-(2 ** 40))).toEqual(hex('83 6E 06 01 000000000001'));
    expect(encodeEtf(7n)).toEqual(hex('83 61 07'));
    expect(encodeEtf(atom('ok'), { atomEncoding: 'latin1' })).toEqual(hex('83 64 0002 6F6B'));
    expect(encodeEtf(atom('ユ'), { atomEncoding: 'latin1' })).toEqual(hex('83 77 03 E383A6'));
    expect(encodeEtf(1n << 2100n)[1]).toBe(111); // LARGE_BIG_EXT past 255 bytes
    expect(encodeEtf(tuple(...new Array(256).fill(0)))[1]).toBe(105);
  });

  it('compresses only when that makes the frame smaller, as Erlang does', () => {
    expect(encodeEtf(atom('ok'), { compressed: true })).toEqual(encodeEtf(atom('ok')));
    expect(encodeEtf(BIG_TERM, { compressed: 1 })[1]).toBe(80);
    expect(() => encodeEtf(1, { compressed: 12 })).toThrow(EtfEncodeError);
  });

  it('rejects values without an Erlang term, saying where they are', () => {
    const bad: Array<[unknown, RegExp]> = [
      [null, /null/],
      [{ a: 1 }, /plain object/],
      [new Date(0), /Date/],
      [NaN, /NaN/],
      [new Float(Infinity), /Infinity/],
      [2 ** 60, /2\^53/],
      [Symbol('x'), /symbol/],
      [() => 1, /function/],
      [atom('a'.repeat(256)), /255 characters/],
      [atom('\ud800'), /well-formed/],
      [new BitBinary(new Uint8Array([1]), 0), /bits 1\.\.8/],
    ];
    for (const [v, msg] of bad) {
      expect(() => encodeEtf(v as Term), String(msg)).toThrow(msg);
      expect(() => encodeEtf(v as Term)).toThrow(EtfEncodeError);
    }
    try {
      encodeEtf(tuple(1, [2, null as unknown as Term]));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EtfEncodeError);
      expect((e as EtfEncodeError).path).toBe('$.elements[1][1]');
    }
    const cyclic: Term[] = [];
    cyclic.push(cyclic);
    expect(() => encodeEtf(cyclic)).toThrow(/maxDepth/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const nodeAtom = fc.constantFrom(atom('nonode@nohost'), atom('pbx@basix'), atom('ノード@h'));

const leaf: fc.Arbitrary<Term> = fc.oneof(
  fc.integer(),
  fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.bigInt({ min: -(1n << 600n), max: 1n << 600n }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => new Float(v)),
  // a plain number that is integral must be safe (else encodeEtf refuses it as possibly rounded)
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Number.isInteger(v) || Number.isSafeInteger(v)),
  fc.string({ unit: 'binary', maxLength: 12 }).map(atom),
  fc.constantFrom<Term>(true, false, undefined),
  fc.uint8Array({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 12 }).map(binary),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 8 })).map(([b, bits]) => new BitBinary(b, bits)),
  fc.tuple(nodeAtom, u32, u32, u32, fc.boolean()).map(([nd, id, s, c, w]) => new Pid(nd, id, s, w ? c : c & 0xff, w)),
  fc.oneof(
    fc.tuple(nodeAtom, u32, fc.integer({ min: 0, max: 255 })).map(([nd, id, c]) => new Port(nd, id, c, 102)),
    fc.tuple(nodeAtom, u32, u32).map(([nd, id, c]) => new Port(nd, id, c, 89)),
    fc.tuple(nodeAtom, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), u32).map(([nd, id, c]) => new Port(nd, id, c, 120)),
  ),
  fc.oneof(
    fc.tuple(nodeAtom, u32, fc.integer({ min: 0, max: 255 })).map(([nd, id, c]) => new Reference(nd, c, [id], 101)),
    fc.tuple(nodeAtom, fc.array(u32, { minLength: 1, maxLength: 5 }), u32).map(([nd, ids, c]) => new Reference(nd, c, ids, 90)),
    fc.tuple(nodeAtom, fc.array(u32, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 255 })).map(
      ([nd, ids, c]) => new Reference(nd, c, ids, 114),
    ),
  ),
  fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 255 })).map(
    ([m, f, a]) => new ExportFun(atom(m), atom(f), a),
  ),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 255 }), fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 3 })).map(
    ([arity, uniq, index, free]) => new OpaqueFun(funRaw(arity, uniq, index, 'm', free)),
  ),
);

const { term: arbTerm } = fc.letrec<{ term: Term }>((tie) => ({
  term: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('term'), { maxLength: 5 }).map((e) => new Tuple(e)),
    fc.array(tie('term'), { maxLength: 5 }),
    fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }),
    // keys unique as Erlang sees them (binary_to_term rejects a map with two equal keys)
    fc
      .uniqueArray(fc.tuple(tie('term'), tie('term')), { maxLength: 3, selector: ([k]) => Buffer.from(encodeEtf(k)).toString('hex') })
      .map((e) => new ErlMap(e)),
    fc
      .tuple(fc.array(tie('term'), { minLength: 1, maxLength: 3 }), fc.oneof(fc.integer(), fc.string({ maxLength: 3 }).map(atom)))
      .map(([e, t]) => new ImproperList(e, t)),
  ),
}));

/** What decodeEtf gives for the term `encodeEtf(t)` wrote (Erlang's canonical forms). */
function norm(t: Term): Term {
  switch (typeof t) {
    case 'boolean':
      return atom(String(t));
    case 'undefined':
      return atom('undefined');
    case 'number':
      return Number.isInteger(t) ? t + 0 : new Float(t);
    case 'bigint':
      return t >= -BigInt(Number.MAX_SAFE_INTEGER) && t <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(t) : t;
    case 'string': {
      if (t === '') return [];
      const codes = Array.from(t, (c) => c.codePointAt(0)!);
      return t.length <= 0xffff && codes.every((c) => c <= 255) ? t : codes;
    }
  }
  if (Array.isArray(t)) {
    const items = t.map(norm);
    if (items.length > 0 && items.length <= 0xffff && items.every((v) => typeof v === 'number' && v >= 0 && v <= 255)) {
      return String.fromCharCode(...(items as number[]));
    }
    return items;
  }
  if (t instanceof Tuple) return new Tuple(t.elements.map(norm));
  if (t instanceof ErlMap) return new ErlMap(t.entries.map(([k, v]) => [norm(k), norm(v)]));
  if (t instanceof ImproperList) return new ImproperList(t.elements.map(norm), norm(t.tail));
  return t;
}

/** The plain-mode view of a decoded term, to check both decoders agree. */
function toPlain(t: Term): PlainValue {
  if (t instanceof Atom) return t.name === 'undefined' ? undefined : t.name === 'true' ? true : t.name === 'false' ? false : t.name;
  if (t instanceof Uint8Array) return new TextDecoder().decode(t);
  if (t instanceof Float) return t.value;
  if (t instanceof Tuple) return t.elements.map(toPlain);
  if (Array.isArray(t)) return t.map(toPlain);
  if (t instanceof ErlMap) return new Map(t.entries.map(([k, v]) => [toPlain(k), toPlain(v)]));
  if (t instanceof ImproperList) return new ImproperList(t.elements.map(toPlain) as Term[], toPlain(t.tail) as Term);
  return t as PlainValue;
}

const frames = fc.tuple(arbTerm, fc.boolean(), fc.constantFrom<false | true | 1>(false, false, true, 1)).map(([t, latin1, compressed]) =>
  encodeEtf(t, { atomEncoding: latin1 ? 'latin1' : 'utf8', compressed }),
);

describe('properties', () => {
  it('encode → decode round-trips arbitrary terms, and re-encoding gives the same bytes', () => {
    fc.assert(
      fc.property(arbTerm, fc.boolean(), (t, latin1) => {
        const opts = { atomEncoding: latin1 ? ('latin1' as const) : ('utf8' as const) };
        const bytes = encodeEtf(t, opts);
        const back = decodeEtf(bytes);
        expect(back).toStrictEqual(norm(t));
        expect(encodeEtf(back, opts)).toEqual(bytes);
        expect(decodeEtfPlain(bytes)).toStrictEqual(toPlain(back));
        const z = encodeEtf(t, { ...opts, compressed: 1 });
        expect(decodeEtf(z)).toStrictEqual(back);
      }),
      { numRuns: 400 },
    );
  });

  it('every frame cut at every prefix length gives TRUNCATED', () => {
    const corpus = [...CORPUS.map(([, h]) => hex(h)), compressedFrame(BIG_TERM)];
    const check = (bytes: Uint8Array): void => {
      for (let len = 0; len < bytes.length; len++) {
        const cut = bytes.slice(0, len);
        const e = decodeError(() => decodeEtf(cut));
        if (e.code !== 'TRUNCATED') throw new Error(`cut at ${len} of ${Buffer.from(bytes).toString('hex')}: ${e.message}`);
        expect(decodeError(() => decodeEtfPlain(cut)).code).toBe('TRUNCATED');
      }
    };
    corpus.forEach(check);
    fc.assert(fc.property(frames, (b) => check(b)), { numRuns: 150 });
  });

  it('random and mutated bytes only ever give EtfDecodeError, and the decoder still works afterwards', () => {
    const good = encodeEtf(BIG_TERM);
    const goodZ = compressedFrame(BIG_TERM);
    const outcome = (b: Uint8Array): void => {
      for (const decode of [decodeEtf, decodeEtfPlain]) {
        try {
          decode(b, { maxInflatedBytes: 1 << 20 });
        } catch (e) {
          if (!(e instanceof EtfDecodeError)) throw e;
        }
      }
      expect(decodeEtf(good)).toStrictEqual(BIG_TERM);
      expect(decodeEtf(goodZ)).toStrictEqual(BIG_TERM);
    };
    const mutated = fc
      .tuple(frames, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }))
      .map(([b, edits]) => {
        const c = b.slice();
        for (const [at, v] of edits) c[at % c.length] = v;
        return c;
      });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.uint8Array({ maxLength: 64 }).map((b) => new Uint8Array([131, ...b])),
          fc.uint8Array({ maxLength: 64 }).map((b) => new Uint8Array([131, 80, 0, 0, 1, 0, 0x78, 0x9c, ...b])),
          mutated,
        ),
        outcome,
      ),
      { numRuns: 1500 },
    );
  });
});

describe('options are validated; a JS stack overflow never escapes', () => {
  const small = encodeEtf(tuple(atom('msg'), binary('hi')));
  /** `depth` nested 1-tuples around `{}`. */
  const deep = (depth: number): Uint8Array => {
    const b = new Uint8Array(1 + 2 * depth + 2);
    b[0] = 131;
    for (let i = 0; i < depth; i++) b.set([104, 1], 1 + 2 * i);
    b.set([104, 0], 1 + 2 * depth);
    return b;
  };
  /** Run `f` with `levels` frames of our own recursion on the stack first (a caller already deep). */
  const atDepth = <T>(levels: number, f: () => T): T => (levels === 0 ? f() : atDepth(levels - 1, f));

  it('maxDepth above what the stack holds: LIMIT, in both decoders, at any caller depth', () => {
    for (const callerDepth of [0, 2000, 5000]) {
      for (const dec of [decodeEtf, decodeEtfPlain]) {
        const e = atDepth(callerDepth, () => decodeError(() => dec(deep(50_000), { maxDepth: 1e9 })));
        expect(e.code).toBe('LIMIT');
        expect(e.message).toMatch(/JavaScript stack/);
        expect(decodeError(() => dec(deep(50_000), { maxDepth: Infinity })).code).toBe('LIMIT');
      }
    }
    // and the decoder still works afterwards
    expect(decodeEtfPlain(small)).toEqual(['msg', 'hi']);
  });

  it('plainReader (the parser\'s fused path, no run() around it): plain() of a too-deep value is LIMIT', () => {
    const inList = (inner: Uint8Array): Uint8Array => new Uint8Array([131, 108, 0, 0, 0, 1, ...inner.subarray(1), 106]);
    const inMap = (inner: Uint8Array): Uint8Array => new Uint8Array([131, 116, 0, 0, 0, 1, 97, 1, ...inner.subarray(1)]);
    const funWith = (inner: Uint8Array): Uint8Array => {
      const raw = funRaw(0, new Uint8Array(16), 0, 'm', [0]);
      const b = new Uint8Array([131, ...raw.subarray(0, raw.length - 2), ...inner.subarray(1)]);
      new DataView(b.buffer).setUint32(2, b.length - 2);
      return b;
    };
    for (const frame of [deep(50_000), inList(deep(50_000)), inMap(deep(50_000)), funWith(deep(50_000))]) {
      for (const callerDepth of [0, 3000]) {
        let err: unknown;
        try {
          atDepth(callerDepth, () => plainReader(frame, { maxDepth: 1e9 }).plain());
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(EtfDecodeError);
        expect((err as EtfDecodeError).code).toBe('LIMIT');
      }
    }
  });

  it('a map key too deep to re-encode (duplicate-key check) on the stack left: LIMIT, never EtfEncodeError', () => {
    const b = [131, 116, 0, 0, 0, 2, 97, 1, 97, 1];
    for (let i = 0; i < 3000; i++) b.push(104, 1);
    b.push(106, 97, 2);
    const bytes = new Uint8Array(b);
    for (let callerDepth = 0; callerDepth < 4000; callerDepth += 97) {
      for (const dec of [decodeEtf, decodeEtfPlain]) {
        let r: unknown;
        try {
          r = atDepth(callerDepth, () => dec(bytes, { maxDepth: 1e9 }));
        } catch (e) {
          r = e;
        }
        if (!(r instanceof ErlMap || r instanceof Map)) {
          expect(r).toBeInstanceOf(EtfDecodeError);
          expect((r as EtfDecodeError).code).toBe('LIMIT');
        }
      }
    }
  });

  it.each([
    ['maxDepth', NaN],
    ['maxDepth', 'abc'],
    ['maxDepth', -1],
    ['maxDepth', 1.5],
    ['maxBytes', NaN],
    ['maxBytes', '100'],
    ['maxInflatedBytes', -Infinity],
    ['maxAtomLength', null],
    ['maxBigBytes', true],
  ])('decode option %s = %s is BAD_OPTION naming it', (name, value) => {
    for (const dec of [decodeEtf, decodeEtfPlain]) {
      const e = decodeError(() => dec(small, { [name]: value } as never));
      expect(e.code).toBe('BAD_OPTION');
      expect(e.message).toContain(`opts.${name}`);
    }
  });

  it('decode options: integers ≥ 0 and Infinity are accepted; undefined is the default', () => {
    expect(decodeEtfPlain(small, { maxDepth: Infinity, maxBytes: Infinity, maxAtomLength: 3, maxBigBytes: 0, maxInflatedBytes: 0 })).toEqual(['msg', 'hi']);
    expect(decodeEtfPlain(small, { maxDepth: undefined })).toEqual(['msg', 'hi']);
    expect(decodeError(() => decodeEtfPlain(small, 5 as never)).code).toBe('BAD_OPTION');
  });

  it.each([
    ['atomEncoding', 'bogus'],
    ['atomEncoding', 1],
    ['compressed', 10],
    ['compressed', 'yes'],
    ['maxDepth', NaN],
    ['maxDepth', '5'],
    ['maxDepth', -1],
  ])('encode option %s = %s is EtfEncodeError at its path', (name, value) => {
    let err: unknown;
    try {
      encodeEtf(atom('a'), { [name]: value } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EtfEncodeError);
    expect((err as EtfEncodeError).path).toBe(`opts.${name}`);
  });

  it('encode: nesting within maxDepth but past the JS stack is EtfEncodeError, not RangeError', () => {
    let a: Term = [];
    for (let i = 0; i < 100_000; i++) a = [a];
    for (const callerDepth of [0, 3000]) {
      expect(() => atDepth(callerDepth, () => encodeEtf(a, { maxDepth: 1e6 }))).toThrow(EtfEncodeError);
      expect(() => atDepth(callerDepth, () => encodeEtf(a, { maxDepth: Infinity }))).toThrow(/JavaScript stack/);
    }
    expect(encodeEtf(atom('ok'))).toEqual(hex('83 77 02 6F6B'));
    expect(encodeEtf(atom('ok'), null)).toEqual(hex('83 77 02 6F6B'));
    expect(() => encodeEtf(atom('ok'), 5 as never)).toThrow(EtfEncodeError);
  });
});

describe('frames binary_to_term rejects (badarg) are rejected', () => {
  it('MAP_EXT with a duplicate key: BAD_VALUE at the second key, however the key is written', () => {
    expect(expectCode(hex('83 74 00000002 6101 6102 6101 6103'), 'BAD_VALUE').offset).toBe(10);
    // atom a as ATOM_EXT then SMALL_ATOM_UTF8_EXT; 1 as SMALL_INTEGER_EXT then SMALL_BIG_EXT;
    // [1] as STRING_EXT then LIST_EXT (all badarg in OTP 27)
    expectCode(hex('83 74 00000002 64000161 6101 770161 6102'), 'BAD_VALUE');
    expectCode(hex('83 74 00000002 6101 6102 6E010001 6103'), 'BAD_VALUE');
    expectCode(hex('83 74 00000002 6B000101 6102 6C00000001 6101 6A 6103'), 'BAD_VALUE');
    // distinct keys that share a plain value, and 1 vs 1.0, are fine
    expect(decodeEtf(hex('83 74 00000002 770161 6101 6D0000000161 6102'))).toBeInstanceOf(ErlMap);
    expect(decodeEtf(hex('83 74 00000002 6101 6101 46 3FF0000000000000 6102'))).toBeInstanceOf(ErlMap);
    const m = decodeEtfPlain(hex('83 74 00000002 6101 6102 6102 6103')) as Map<PlainValue, PlainValue>;
    expect([...m]).toEqual([[1, 2], [2, 3]]);
  });

  it('FLOAT_EXT text: exactly what erl accepts', () => {
    const f = (text: string): Uint8Array => new Uint8Array([131, 99, ...Buffer.from(text.padEnd(31, '\0'), 'latin1')]);
    // accepted by OTP 27's binary_to_term
    for (const [text, v] of [
      ['5.0', 5],
      ['+5.0', 5],
      ['-5.0e3', -5000],
      ['1.5E2', 150],
      ['1.0e+05', 1e5],
      ['1,5', 1.5],
      ['-1,5e2', -150],
      ['00.5', 0.5],
      ['1.0e-400', 0],
      ['1.00000000000000000000e+00', 1],
    ] as const) {
      expect(decodeEtfPlain(f(text)), text).toBe(v);
      expect((decodeEtf(f(text)) as Float).value, text).toBe(v);
    }
    // badarg in OTP 27
    // 31 characters and no NUL: Erlang's parser reads past the field
    expectCode(new Uint8Array([131, 99, ...Buffer.from('1.00000000000000000000000000005')]), 'BAD_VALUE');
    expect(decodeEtfPlain(new Uint8Array([131, 99, ...Buffer.from('1.0000000000000000000000000005\0')]))).toBe(1);
    for (const text of ['  5 ', '5', ' 5.0', '5.0 ', '\t5.0', '5.', '.5', '+.5', '5e3', '1.e5', '1.5e', '1.5e2x', '1.5e 2', '0x10', 'Infinity', 'nan', '1.0e+400', '']) {
      expect(expectCode(f(text), 'BAD_VALUE').offset, JSON.stringify(text)).toBe(2);
    }
  });

  it('NEW_FUN_EXT whose Size disagrees with its fields: BAD_VALUE at the Size', () => {
    const good = hex(FUN);
    expect(decodeEtf(good)).toBeInstanceOf(OpaqueFun);
    expect(decodeEtfPlain(good)).toBeInstanceOf(OpaqueFun);
    expect(expectCode(hex('83 70 00000005 00'), 'BAD_VALUE').offset).toBe(2);
    const size = 0x9a;
    for (const delta of [-1, -30, 1]) {
      const b = new Uint8Array([...good, ...(delta > 0 ? new Array(delta).fill(106) : [])]);
      new DataView(b.buffer).setUint32(2, size + delta);
      expect(expectCode(b, 'BAD_VALUE').offset, `size ${size + delta}`).toBe(2);
    }
    // a cut frame is still TRUNCATED
    expectCode(good.subarray(0, good.length - 1), 'TRUNCATED');
  });
});
