// The per-frame limits of issue 12 ("Decompression limits"): defaults that fit the real traffic
// (16 MiB in and inflated, 1,000,000 elements), the element budget, and the decoder's options.
import { describe, expect, it } from 'vitest';
import { compressed, msgBomb, recordList, userRecord } from '../../../test/fuzz/hostile-frames.ts';
import { decodeEtf, decodeEtfPlain, plainReader, type DecodeOptions } from './decode.ts';
import { EtfDecodeError } from './errors.ts';

function error(f: () => unknown): EtfDecodeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EtfDecodeError);
    return e as EtfDecodeError;
  }
  throw new Error('no error');
}

/** `[[] × n]`, uncompressed. */
function nils(n: number): Uint8Array {
  const b = new Uint8Array(1 + 5 + n + 1).fill(106);
  b.set([131, 108, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  return b;
}

describe('maxElements: the elements of all tuples, lists and maps of a frame', () => {
  it('default 1,000,000: a list of 1,000,000 is read, one more element is LIMIT at the header', () => {
    expect((decodeEtfPlain(nils(1_000_000)) as unknown[]).length).toBe(1_000_000);
    const e = error(() => decodeEtfPlain(nils(1_000_001)));
    expect(e.code).toBe('LIMIT');
    expect(e.offset).toBe(6); // after the header, before any element
    expect(e.message).toContain('maxElements 1000000');
  });

  it('counts across containers: nested lists, tuples, chained tails and maps (an entry counts 2)', () => {
    // [[], [[]]] → 2 + 1 = 3 elements; {a, {b}} → 2 + 1
    const list = Uint8Array.from([131, 108, 0, 0, 0, 2, 106, 108, 0, 0, 0, 1, 106, 106, 106]);
    expect(decodeEtfPlain(list, { maxElements: 3 })).toEqual([[], [[]]]);
    expect(error(() => decodeEtfPlain(list, { maxElements: 2 })).code).toBe('LIMIT');
    const tup = Uint8Array.from([131, 104, 2, 97, 1, 104, 1, 97, 2]);
    expect(decodeEtf(tup, { maxElements: 3 })).toBeDefined();
    expect(error(() => decodeEtf(tup, { maxElements: 2 })).code).toBe('LIMIT');
    // [1 | [2]] written as two LIST_EXTs: 2 elements
    const chained = Uint8Array.from([131, 108, 0, 0, 0, 1, 97, 1, 108, 0, 0, 0, 1, 97, 2, 106]);
    expect(decodeEtfPlain(chained, { maxElements: 2 })).toEqual([1, 2]);
    expect(error(() => decodeEtfPlain(chained, { maxElements: 1 })).code).toBe('LIMIT');
    // #{1 => 2, 3 => 4}: 4
    const map = Uint8Array.from([131, 116, 0, 0, 0, 2, 97, 1, 97, 2, 97, 3, 97, 4]);
    expect(decodeEtfPlain(map, { maxElements: 4 })).toEqual(new Map([[1, 2], [3, 4]]));
    expect(error(() => decodeEtfPlain(map, { maxElements: 3 })).code).toBe('LIMIT');
  });

  it('the reader the parser uses counts the same way and shows the count', () => {
    const frame = recordList('user', [userRecord(1), userRecord(2)]);
    const d = plainReader(frame);
    d.plain();
    d.finish();
    expect(d.elements).toBe(3 + 2 + 2 * 4);
    expect(error(() => plainReader(frame, { maxElements: 12 }).plain()).code).toBe('LIMIT');
  });

  it('Infinity lifts it; a bad value is BAD_OPTION naming it', () => {
    expect((decodeEtfPlain(nils(1_000_001), { maxElements: Infinity }) as unknown[]).length).toBe(1_000_001);
    for (const v of [-1, 0.5, NaN, '10']) {
      const e = error(() => decodeEtfPlain(nils(1), { maxElements: v } as unknown as DecodeOptions));
      expect([e.code, e.option]).toStrictEqual(['BAD_OPTION', 'maxElements']);
    }
  });
});

describe('defaults: 16 MiB per frame, in and inflated', () => {
  it('maxInflatedBytes 16 MiB: a declared size past it is LIMIT before inflating, at it the frame inflates', () => {
    const over = error(() => decodeEtfPlain(msgBomb(16 * 1024 * 1024 - 12)));
    expect([over.code, over.offset]).toStrictEqual(['LIMIT', 2]);
    expect(over.message).toContain('declared uncompressed size 16777217 exceeds maxInflatedBytes 16777216');
    // exactly 16 MiB inflated: past inflation, then stopped by the element budget
    const at = error(() => decodeEtfPlain(msgBomb(16 * 1024 * 1024 - 13)));
    expect(at.message).toContain('maxElements');
    expect(at.inflated).toBe(true);
  });

  it('maxBytes 16 MiB', () => {
    const big = new Uint8Array(16 * 1024 * 1024 + 1);
    expect(error(() => decodeEtfPlain(big)).message).toContain('maxBytes 16777216');
    const ok = new Uint8Array(16 * 1024 * 1024);
    ok.set([131, 109, 0, 0xff, 0xff, 0xfa]);
    expect((decodeEtfPlain(ok) as string).length).toBe(16 * 1024 * 1024 - 6);
  });

  it('a compressed snapshot of 10,000 users (the largest real frame) is within every default', () => {
    const frame = compressed(recordList('user', Array.from({ length: 10_000 }, (_, i) => [104, 4, 98, 0, 0, (i >>> 8) & 255, i & 255, ...userRecord(0).slice(4)])));
    expect((decodeEtfPlain(frame) as unknown[][])[2]).toHaveLength(10_000);
  });
});
