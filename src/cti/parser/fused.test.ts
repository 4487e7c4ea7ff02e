// The fused path of parseFrame (records decoded straight into their objects by a reader compiled
// per field_spec) must give exactly what the generic reader gives (`codegen: false`, a loop over
// the values, then the generic builder): the same messages, the same record errors in the same
// order, the same frame errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEtf } from '../etf/encode.ts';
import { atom, binary, tuple, type Term } from '../etf/term.ts';
import { CtiProtocolError } from './errors.ts';
import { createParserState, parseFrame, type ParserState } from './parse.ts';

const CH = ['uuid', 'state', 'target', 'end_user', 'origination', 'tags', 'other_info', 'label'];
const US = ['id', 'name', 'avatar', 'label'];
const spec = (el: string, fields: string[]) => encodeEtf(tuple(atom('field_spec'), atom(el), fields.map(atom)));

function states(codegen: boolean): ParserState {
  const st = createParserState({ codegen, base_url: 'https://pbx.example.jp' });
  parseFrame(spec('channel', CH), st);
  parseFrame(spec('user', US), st);
  return st;
}

/** parseFrame's outcome: messages and reported errors, or the error it threw. */
function outcome(bytes: Uint8Array, st: ParserState) {
  const errors: unknown[] = [];
  try {
    const msgs = parseFrame(bytes, st, (e) => errors.push({ code: e.code, index: e.index, element: e.element, message: e.message }));
    return { msgs, errors };
  } catch (e) {
    const err = e as { name: string; code: string; message: string };
    return { thrown: { name: err.name, code: err.code, message: err.message }, errors };
  }
}

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('***', 'a;b;', '%E5%B1%B1*x+y*%ZZ', '山田・太郎'));
const value: fc.Arbitrary<Term> = fc.oneof(
  fc.integer(),
  fc.constant(undefined),
  text.map(binary),
  fc.constantFrom(atom('bridged'), atom('inbound'), atom('true')),
  fc.tuple(fc.nat(), fc.constantFrom('calling', 'park', 'bridged'), fc.nat()).map(([ts, n, x]) => tuple(ts, atom(n), atom('int'), atom('user'), tuple(x))),
  fc.array(fc.nat({ max: 300 }), { maxLength: 3 }),
);
const record = (n: number): fc.Arbitrary<Term> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.array(value, { minLength: n, maxLength: n }).map((vs) => tuple(...vs)) },
    { weight: 1, arbitrary: fc.array(value, { maxLength: n + 2 }).map((vs) => tuple(...vs)) }, // any arity
    { weight: 1, arbitrary: value }, // not a tuple
  );

describe('fused parseFrame ≡ decode-then-zip', () => {
  const fused = states(true);
  const plain = states(false);

  it('initial_info and info_event of random records, good and bad', () => {
    fc.assert(
      fc.property(fc.constantFrom('channel', 'user'), fc.array(record(8), { maxLength: 8 }), fc.boolean(), (el, recs, event) => {
        const n = (el === 'channel' ? CH : US).length;
        const fixed = recs.map((r) => (r instanceof Object && 'elements' in r && (r as { elements: Term[] }).elements.length === 8 ? tuple(...(r as { elements: Term[] }).elements.slice(0, n)) : r));
        const frame = event
          ? encodeEtf(tuple(atom('info_event'), atom(el), fixed[0] ?? tuple(), atom('updated')))
          : encodeEtf(tuple(atom('initial_info'), atom(el), fixed));
        expect(outcome(frame, fused)).toStrictEqual(outcome(frame, plain));
      }),
      { numRuns: 400 },
    );
  });

  it('mutated and cut frames give the same messages or the same error', () => {
    const recs = [
      tuple(binary('c1'), tuple(5, atom('bridged')), tuple(atom('group'), 1, binary('g'), binary('1')), binary('1*a+b*c*d.png*e'), undefined, binary('x;y'), undefined, binary('l')),
      tuple(binary('c2'), undefined, undefined, binary('***'), binary('a*b'), undefined, undefined, binary('m')),
    ];
    const base = [
      encodeEtf(tuple(atom('initial_info'), atom('channel'), recs)),
      encodeEtf(tuple(atom('info_event'), atom('channel'), recs[0], atom('added'))),
      encodeEtf(tuple(atom('initial_info'), atom('channel'), recs), { compressed: true }),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...base), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (frame, pos, byte, cut) => {
        const f = frame.slice();
        const i = pos % f.length;
        const mutated = cut ? f.subarray(0, i) : (f.set([byte], i), f);
        expect(outcome(mutated, fused)).toStrictEqual(outcome(mutated, plain));
      }),
      { numRuns: 1000 },
    );
  });

  it('with a bound on reported errors, both give the first errors of the unbounded run, then one TOO_MANY_ERRORS counting the rest', () => {
    fc.assert(
      fc.property(fc.constantFrom('channel', 'user'), fc.array(record(8), { maxLength: 30 }), fc.integer({ min: 0, max: 6 }), (el, recs, max) => {
        const n = (el === 'channel' ? CH : US).length;
        const fixed = recs.map((r) => (r instanceof Object && 'elements' in r && (r as { elements: Term[] }).elements.length === 8 ? tuple(...(r as { elements: Term[] }).elements.slice(0, n)) : r));
        const frame = encodeEtf(tuple(atom('initial_info'), atom(el), fixed));
        const all = outcome(frame, { ...fused, maxErrorsPerFrame: Infinity });
        const bounded = outcome(frame, { ...fused, maxErrorsPerFrame: max });
        expect(bounded).toStrictEqual(outcome(frame, { ...plain, maxErrorsPerFrame: max }));
        expect(bounded.msgs).toStrictEqual(all.msgs);
        if (all.errors.length <= max) {
          expect(bounded.errors).toStrictEqual(all.errors);
        } else {
          expect(bounded.errors.slice(0, max)).toStrictEqual(all.errors.slice(0, max));
          expect(bounded.errors).toHaveLength(max + 1);
          const last = bounded.errors[max] as { code: string; message: string };
          expect(last.code).toBe('TOO_MANY_ERRORS');
          expect(last.message).toContain(`${all.errors.length - max} more record errors`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an arity mismatch is a record error that keeps the other records, on the fused path too', () => {
    const frame = encodeEtf(tuple(atom('initial_info'), atom('user'), [tuple(1, binary('a'), undefined, binary('A')), tuple(2, binary('b')), tuple(3, binary('c'), binary('c.png'), binary('C'))]));
    const errors: CtiProtocolError[] = [];
    const [m] = parseFrame(frame, fused, (e) => errors.push(e));
    expect(Object.keys((m as { data: object }).data)).toStrictEqual(['1', '3']);
    expect(errors.map((e) => [e.code, e.index])).toStrictEqual([['ARITY_MISMATCH', 1]]);
    expect(fused.specs.get('user')!.read).toBeTypeOf('function');
    // without codegen, records are still read from the bytes (tuples told from lists), by a generic loop
    expect(plain.specs.get('user')!.read).toBeTypeOf('function');
  });
});
