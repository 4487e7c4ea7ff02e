// Issue 12 "Hostile frames": a frame's record errors are bounded (the first 100 one by one, the
// rest counted in one TOO_MANY_ERRORS) on every error path, and the bombs are one typed error with
// bounded memory. Times are printed, never asserted.
import { describe, expect, it } from 'vitest';
import { decodeEtfPlain } from '../etf/decode.ts';
import { EtfDecodeError } from '../etf/errors.ts';
import { heapAfterGc, mib } from '../../../test/fuzz/heap.ts';
import { atomBytes, binaryBytes, compressed, errorStorm, fieldSpec, initialInfo, msgBomb, recordList, nestedBomb, USER_FIELDS, userRecord } from '../../../test/fuzz/hostile-frames.ts';
import { CtiProtocolError } from './errors.ts';
import { MAX_ERRORS_PER_FRAME, createParserState, parseFrame, parseTerm, type ParserState } from './parse.ts';

function userState(codegen: boolean): ParserState {
  const st = createParserState({ codegen });
  parseFrame(fieldSpec('user', USER_FIELDS), st);
  // no id or uuid: records keyed by position
  parseFrame(fieldSpec('group', ['name', 'label']), st);
  return st;
}

/** parseFrame's errors (kept, as a naive consumer would keep them) and its messages. */
function run(frame: Uint8Array, st: ParserState) {
  const errors: CtiProtocolError[] = [];
  const messages = parseFrame(frame, st, (e) => errors.push(e));
  return { errors, messages };
}

const N = 5000;
/** One hostile record shape per error path, and the code each of its records gives. */
const PATHS: Array<[string, Uint8Array, string, number]> = [
  ['records that are no tuples', initialInfo('user', [97, 7], N), 'BAD_RECORD', N],
  ['records of the wrong arity', initialInfo('user', [104, 2, 97, 1, 97, 2], N), 'ARITY_MISMATCH', N],
  ['records without their key', initialInfo('user', [104, 4, ...atomBytes('undefined'), 106, 106, 106], N), 'BAD_RECORD', N],
  ['records with a label that is no text (BAD_FIELD, record kept)', initialInfo('group', [104, 2, ...binaryBytes('g'), 97, 5], N), 'BAD_FIELD', N],
  ['records that all have one key', initialInfo('user', userRecord(1), N), 'BAD_RECORD', N - 1],
  ['records before their field_spec', initialInfo('queue', userRecord(1), N), 'NO_FIELD_SPEC', N],
  ['a STRING_EXT record list', Uint8Array.from([131, 104, 3, ...atomBytes('initial_info'), ...atomBytes('user'), 107, 0xff, 0xff, ...new Array(0xffff).fill(65)]), 'BAD_RECORD', 0xffff],
];

describe('record errors of one frame are bounded', () => {
  for (const codegen of [true, false]) {
    it.each(PATHS)(`%s (codegen ${codegen}): the first ${MAX_ERRORS_PER_FRAME} in full, the rest in one TOO_MANY_ERRORS`, (_, frame, code, total) => {
      const { errors } = run(frame, userState(codegen));
      expect(errors).toHaveLength(MAX_ERRORS_PER_FRAME + 1);
      expect(errors.slice(0, -1).every((e) => e.code === code)).toBe(true);
      const last = errors[errors.length - 1];
      expect(last.code).toBe('TOO_MANY_ERRORS');
      expect(last.suppressed).toBe(total - MAX_ERRORS_PER_FRAME);
      expect(last.suppressedCodes).toStrictEqual({ [code]: total - MAX_ERRORS_PER_FRAME });
      expect(last.message).toContain(`${total - MAX_ERRORS_PER_FRAME} more record errors`);
    });
  }

  it('parseTerm (a frame decoded beforehand) is bounded the same way', () => {
    for (const [, frame, code, total] of PATHS.slice(0, 5)) {
      const errors: CtiProtocolError[] = [];
      parseTerm(decodeEtfPlain(frame), userState(true), (e) => errors.push(e));
      expect(errors).toHaveLength(MAX_ERRORS_PER_FRAME + 1);
      expect(errors[errors.length - 1].suppressedCodes).toStrictEqual({ [code]: total - MAX_ERRORS_PER_FRAME });
    }
  });

  it('errors of several codes are counted per code; the good records are still delivered', () => {
    // 200 copies of (good record 1, record 2 with a bad label, a non-tuple) = 600 records
    const many = recordList('user', Array.from({ length: 200 }, () => [userRecord(1), userRecord(2, [97, 5]), [97, 0]]).flat());
    const { errors, messages } = run(many, userState(true));
    expect(Object.keys((messages[0] as { data: object }).data)).toStrictEqual(['1', '2']);
    const last = errors[errors.length - 1];
    // per copy: BAD_FIELD (record 2), BAD_RECORD (not a tuple); from the 2nd copy on, BAD_RECORD for each repeated key (1 and 2)
    expect(last.suppressed).toBe(200 * 2 + 199 * 2 - MAX_ERRORS_PER_FRAME);
    expect((last.suppressedCodes!.BAD_FIELD ?? 0) + (last.suppressedCodes!.BAD_RECORD ?? 0)).toBe(last.suppressed);
  });

  it('a frame within the bound reports every error and no summary', () => {
    const { errors } = run(initialInfo('user', [97, 7], MAX_ERRORS_PER_FRAME), userState(true));
    expect(errors.map((e) => e.code)).toStrictEqual(new Array(MAX_ERRORS_PER_FRAME).fill('BAD_RECORD'));
  });

  it('maxErrorsPerFrame in the state sets the bound (Infinity: every error)', () => {
    const st: ParserState = { ...userState(true), maxErrorsPerFrame: 3 };
    expect(run(initialInfo('user', [97, 7], 10), st).errors.map((e) => e.code)).toStrictEqual(['BAD_RECORD', 'BAD_RECORD', 'BAD_RECORD', 'TOO_MANY_ERRORS']);
    const all: ParserState = { ...userState(true), maxErrorsPerFrame: Infinity };
    expect(run(initialInfo('user', [97, 7], 1000), all).errors).toHaveLength(1000);
  });
});

describe('bombs: one typed error, bounded memory', () => {
  /** Parse `frame` (errors kept), print time and heap, and return what came out. */
  function bomb(name: string, frame: Uint8Array, st = userState(true)) {
    const errors: CtiProtocolError[] = [];
    const before = heapAfterGc();
    const t0 = performance.now();
    let thrown: unknown;
    let messages: unknown;
    try {
      messages = parseFrame(frame, st, (e) => errors.push(e));
    } catch (e) {
      thrown = e;
    }
    const ms = performance.now() - t0;
    const grew = heapAfterGc() - before;
    console.log(`${name}: ${frame.length} bytes → ${thrown instanceof Error ? `${thrown.name} ${(thrown as EtfDecodeError).code}` : `${errors.length} errors`} in ${ms.toFixed(0)} ms, heap +${mib(grew)} MiB kept`);
    return { thrown, errors, messages, grew };
  }

  it('a compressed initial_info of a million non-tuple records (~2 KB) is one LIMIT error', () => {
    const frame = errorStorm(1_000_000);
    expect(frame.length).toBeLessThan(4096);
    const r = bomb('error storm ×1M', frame);
    expect(r.thrown).toBeInstanceOf(EtfDecodeError);
    expect((r.thrown as EtfDecodeError).code).toBe('LIMIT');
    expect(r.errors).toHaveLength(0);
    expect(r.grew).toBeLessThan(32 * 1048576);
  });

  it('just under the element limit (999,990 non-tuple records) it is delivered with 101 errors and little heap', () => {
    const r = bomb('error storm ×999,990', errorStorm(999_990));
    expect(r.thrown).toBeUndefined();
    expect(r.errors).toHaveLength(MAX_ERRORS_PER_FRAME + 1);
    expect(r.errors[MAX_ERRORS_PER_FRAME].suppressed).toBe(999_990 - MAX_ERRORS_PER_FRAME);
    // 100 errors and their stacks, not a million
    expect(r.grew).toBeLessThan(32 * 1048576);
  });

  it('{msg, [[] × 64M]} (64 KB compressed) is one LIMIT error before inflating', () => {
    const frame = msgBomb(64 * 1024 * 1024);
    const r = bomb('{msg, [[] × 64M]}', frame);
    expect((r.thrown as EtfDecodeError).code).toBe('LIMIT');
    expect((r.thrown as EtfDecodeError).message).toContain('maxInflatedBytes');
    expect(r.grew).toBeLessThan(32 * 1048576);
  });

  it('{msg, [[] × 16M − 20]} (declared under 16 MiB) is one LIMIT error at the list header', () => {
    const r = bomb('{msg, [[] × 16M-20]}', msgBomb(16 * 1024 * 1024 - 20));
    expect((r.thrown as EtfDecodeError).code).toBe('LIMIT');
    expect((r.thrown as EtfDecodeError).message).toContain('maxElements');
    expect(r.grew).toBeLessThan(32 * 1048576);
  });

  it('{msg, [[[] × 100,000] × 100]}: lists each under the limit, together over it: one LIMIT error', () => {
    const r = bomb('{msg, [[[] × 1e5] × 100]}', nestedBomb(100, 100_000));
    expect((r.thrown as EtfDecodeError).code).toBe('LIMIT');
    expect(r.grew).toBeLessThan(64 * 1048576);
  });

  it('a frame that declares 1 KB and inflates to 16 MB is one INFLATE_FAILED', () => {
    const r = bomb('declared 1 KB, inflates to 16 MB', msgBomb(16 * 1024 * 1024 - 20, 1024));
    expect((r.thrown as EtfDecodeError).code).toBe('INFLATE_FAILED');
    expect(r.grew).toBeLessThan(32 * 1048576);
  });

  it('the parser still works after each bomb', () => {
    const st = userState(true);
    for (const f of [errorStorm(1_000_000), msgBomb(16 * 1024 * 1024 - 20), compressed(initialInfo('user', [97, 1], 10), 5)]) {
      expect(() => parseFrame(f, st, () => {})).toThrow(EtfDecodeError);
    }
    const ok = run(initialInfo('user', [...userRecord(7, binaryBytes('山田・太郎'))], 1), st);
    expect(ok.messages).toStrictEqual([{ type: 'initial_info', element: 'user', data: { 7: { id: 7, name: 'user', avatar: undefined, label: '山田・太郎' } } }]);
  });
});
