// Issue 12: 20,000 records of one key in one initial_info took 10–55 s, because each repeated key
// re-read the frame to name the earlier record. Now the frame is read again once at most, whatever
// the number of repeats (counted here by wrapping the decoder's reader; times printed, not asserted).
import { describe, expect, it, vi } from 'vitest';
import { fieldSpec, recordList, sameKey, USER_FIELDS, userRecord } from '../../../test/fuzz/hostile-frames.ts';

const readers = vi.hoisted(() => ({ opened: 0 }));
vi.mock('../etf/decode.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../etf/decode.ts')>();
  return {
    ...m,
    plainReader: (...args: Parameters<typeof m.plainReader>) => {
      readers.opened++;
      return m.plainReader(...args);
    },
  };
});

const { createParserState, parseFrame, parseTerm } = await import('./parse.ts');
const { decodeEtfPlain } = await import('../etf/decode.ts');
type ParserState = import('./parse.ts').ParserState;
type CtiProtocolError = import('./errors.ts').CtiProtocolError;

function state(codegen: boolean): ParserState {
  const st = createParserState({ codegen });
  parseFrame(fieldSpec('user', USER_FIELDS), st);
  // every error reported, so that each repeat asks for its earlier record
  return { ...st, maxErrorsPerFrame: Infinity };
}

describe('repeated keys in one initial_info: linear', () => {
  for (const codegen of [true, false]) {
    it(`20,000 records of one key read the frame twice at most, each repeat naming the one before (codegen ${codegen})`, () => {
      const frame = sameKey(20_000);
      const st = state(codegen);
      const errors: CtiProtocolError[] = [];
      readers.opened = 0;
      const t0 = performance.now();
      const [m] = parseFrame(frame, st, (e) => errors.push(e));
      console.log(`20,000 records of one key (${frame.length} bytes): ${(performance.now() - t0).toFixed(0)} ms, ${readers.opened} reads of the frame`);
      expect(readers.opened).toBeLessThanOrEqual(2);
      expect(Object.keys((m as { data: object }).data)).toStrictEqual(['1']);
      expect(errors).toHaveLength(19_999);
      expect(errors[0].message).toContain('of record 0 too');
      expect(errors[19_998].index).toBe(19_999);
      expect(errors[19_998].message).toContain('of record 19998 too');
    });
  }

  it('parseTerm names the earlier record the same way', () => {
    const errors: CtiProtocolError[] = [];
    parseTerm(decodeEtfPlain(sameKey(5000)), state(true), (e) => errors.push(e));
    expect(errors).toHaveLength(4999);
    expect(errors[4998].message).toContain('of record 4998 too');
  });

  it('keys repeated among others: each repeat names the last earlier record of its key, after a record that failed too', () => {
    // ids 1 2 1 3 2 1; record 3 is of the wrong arity (not counted), so the last 1 names record 2
    const all = recordList('user', [userRecord(1), userRecord(2), userRecord(1), [104, 2, 97, 1, 97, 1], userRecord(2), userRecord(1)]);
    for (const codegen of [true, false]) {
      const errors: CtiProtocolError[] = [];
      parseFrame(all, state(codegen), (e) => errors.push(e));
      expect(errors.map((e) => [e.code, e.index, /record (\d+) too/.exec(e.message)?.[1]])).toStrictEqual([
        ['BAD_RECORD', 2, '0'],
        ['ARITY_MISMATCH', 3, undefined],
        ['BAD_RECORD', 4, '1'],
        ['BAD_RECORD', 5, '2'],
      ]);
    }
  });

  it('40,000 records of distinct keys read the frame once', () => {
    // ids as INTEGER_EXT
    const frame = recordList('user', Array.from({ length: 40_000 }, (_, i) => [104, 4, 98, (i >>> 24) & 255, (i >>> 16) & 255, (i >>> 8) & 255, i & 255, ...userRecord(0).slice(4)]));
    const st = state(true);
    readers.opened = 0;
    const t0 = performance.now();
    const [m] = parseFrame(frame, st);
    console.log(`40,000 records of distinct keys (${frame.length} bytes): ${(performance.now() - t0).toFixed(0)} ms`);
    expect(Object.keys((m as { data: object }).data)).toHaveLength(40_000);
    expect(readers.opened).toBe(1);
  });
});
