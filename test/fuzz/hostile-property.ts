// The hostile-frame property shared by the CI test (src/cti/parser/hostile.property.test.ts, a few
// hundred cases) and `npm run fuzz` (a million): whatever a frame holds, parseFrame gives messages
// or one typed error, reports at most MAX_ERRORS_PER_FRAME + 1 record errors (the last a
// TOO_MANY_ERRORS when there were more), and the same parser state still parses the next frame.
import fc from 'fast-check';
import { EtfDecodeError } from '../../src/cti/etf/errors.ts';
import { CtiProtocolError } from '../../src/cti/parser/errors.ts';
import { createParserState, MAX_ERRORS_PER_FRAME, parseFrame, type ParserState } from '../../src/cti/parser/parse.ts';
import { atomBytes, binaryBytes, compressed, errorStorm, fieldSpec, msgBomb, nestedBomb, recordList, sameKey, USER_FIELDS, userRecord } from './hostile-frames.ts';

/** A parser state with the user field_spec of the seeds. */
export function userState(codegen: boolean): ParserState {
  const st = createParserState({ codegen });
  parseFrame(fieldSpec('user', USER_FIELDS), st);
  return st;
}

/** One record of the palette: good, or bad in one of the ways of issue 12. */
const record: fc.Arbitrary<number[]> = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((id) => userRecord(id)), // good (ids repeat: duplicate keys)
  fc.integer({ min: 0, max: 255 }).map((id) => userRecord(id, [97, 5])), // BAD_FIELD
  fc.constant<number[]>([97, 1]), // not a tuple
  fc.constant<number[]>([106]), // [] is not a tuple either
  fc.constant<number[]>([104, 2, 97, 1, 97, 2]), // wrong arity
  fc.constant<number[]>([104, 4, ...atomBytes('undefined'), 106, 106, 106]), // no key
  fc.integer({ min: 1, max: 300 }).map((d) => [...new Array(d).fill([104, 1]).flat(), 106]), // deep (past maxDepth at 257)
  fc.string({ maxLength: 8 }).map((t) => [104, 4, ...binaryBytes(t), ...binaryBytes(t), 106, ...binaryBytes(t)]),
);

/** A frame of `count` records drawn from a few palette records repeated (so large frames stay cheap to make). */
const mixed = (maxCount: number): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.array(record, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: maxCount }), fc.constantFrom('user', 'group')).map(([palette, count, el]) =>
    recordList(el, Array.from({ length: count }, (_, i) => palette[i % palette.length])),
  );

/**
 * Hostile frames: the seeds of issue 12 at random sizes up to `scale` records/elements (error storm,
 * one key repeated, `{msg, [[] × n]}` with an honest or lying size, nested lists), mixtures of bad
 * records, each maybe compressed, then maybe cut short or with one byte changed.
 */
export function hostileFrame(scale: number): fc.Arbitrary<Uint8Array> {
  const n = fc.integer({ min: 0, max: scale });
  const base = fc.oneof(
    n.map(errorStorm),
    n.map(sameKey),
    fc.tuple(n, fc.option(fc.integer({ min: 0, max: scale }), { nil: undefined })).map(([k, declared]) => msgBomb(k, declared)),
    fc.tuple(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: Math.ceil(scale / 8) })).map(([o, i]) => nestedBomb(o, i)),
    fc.tuple(mixed(scale), fc.boolean()).map(([f, z]) => (z ? compressed(f) : f)),
  );
  return fc.tuple(base, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('as is', 'as is', 'cut', 'byte')).map(([f, pos, byte, how]) => {
    if (how === 'as is' || f.length === 0) return f;
    const i = pos % f.length;
    if (how === 'cut') return f.subarray(0, i);
    const g = f.slice();
    g[i] = byte;
    return g;
  });
}

/** What one frame gave: a message count, the reported record errors' codes, or the thrown error's class and code. */
export interface Outcome {
  messages: number;
  errors: number;
  summary: boolean;
  thrown: string | undefined;
}

/** A good frame and what it gives, to prove the parser state still works after a hostile one. */
const GOOD = recordList('user', [userRecord(7, binaryBytes('山田・太郎'))]);

/**
 * Parse `frame` on `st` and check the property; throws an Error saying what broke it.
 * @returns the outcome, for the fuzz script's figures
 */
export function checkHostile(frame: Uint8Array, st: ParserState): Outcome {
  const errors: CtiProtocolError[] = [];
  let thrown: string | undefined;
  let messages = 0;
  try {
    messages = parseFrame(frame, st, (e) => errors.push(e)).length;
  } catch (e) {
    if (!(e instanceof EtfDecodeError) && !(e instanceof CtiProtocolError)) throw new Error(`an error that is not the library's: ${String(e)}`, { cause: e });
    thrown = `${e.name} ${e.code}`;
  }
  const max = st.maxErrorsPerFrame ?? MAX_ERRORS_PER_FRAME;
  if (errors.length > max + 1) throw new Error(`${errors.length} record errors reported for one frame`);
  const summaries = errors.filter((e) => e.code === 'TOO_MANY_ERRORS');
  if (summaries.length > 1 || (summaries.length === 1 && errors[errors.length - 1] !== summaries[0])) throw new Error('TOO_MANY_ERRORS not last, or twice');
  if (summaries.length === 1 && (errors.length !== max + 1 || !(summaries[0].suppressed! > 0))) throw new Error('TOO_MANY_ERRORS without the errors it stands for');
  if (!errors.every((e) => e instanceof CtiProtocolError)) throw new Error('a record error that is not a CtiProtocolError');
  const [good] = parseFrame(GOOD, st);
  const label = (good as { data: Record<string, { label: string }> }).data['7']?.label;
  if (label !== '山田・太郎') throw new Error('the parser no longer parses a good frame after this one');
  return { messages, errors: errors.length, summary: summaries.length === 1, thrown };
}
