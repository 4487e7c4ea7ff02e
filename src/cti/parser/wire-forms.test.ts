// Legal encodings term_to_binary (or another ETF writer) may use for the same term: a list written
// as chained LIST_EXT tails (`[a | [b | []]]`, one cell each), a list of small integers written as
// STRING_EXT (tag 107, term_to_binary's choice), the empty STRING_EXT (107 0 0, read back as []).
// Built by hand here, byte by byte (the encoder writes none of them). PROTOCOL.md "Frame encoding".
import { describe, expect, it } from 'vitest';
import { CtiProtocolError } from './errors.ts';
import { decodeEtfPlain } from '../etf/decode.ts';
import { createParserState, parseFrame, parseTerm } from './parse.ts';
import type { MessageParserOptions } from './types.ts';

type B = number[];
const u32 = (n: number): B => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const A = (s: string): B => [119, s.length, ...[...s].map((c) => c.charCodeAt(0))];
const T = (...els: B[]): B => [104, els.length, ...els.flat()];
/** `[e1 | [e2 | … []]]`: one LIST_EXT of length 1 per element. */
const LC = (...els: B[]): B => {
  let t: B = [106];
  for (let i = els.length - 1; i >= 0; i--) t = [108, ...u32(1), ...els[i], ...t];
  return t;
};
const I = (n: number): B => [97, n];
const L = (...els: B[]): B => (els.length ? [108, ...u32(els.length), ...els.flat(), 106] : [106]);
const STR = (...codes: number[]): B => [107, 0, codes.length, ...codes];
const BIN = (s: string): B => [109, ...u32(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const F = (t: B) => Uint8Array.from([131, ...t]);

function run(frames: Uint8Array[], opts: MessageParserOptions = {}) {
  const st = createParserState(opts);
  const msgs: unknown[] = [];
  const errors: string[] = [];
  for (const f of frames) {
    try {
      msgs.push(...parseFrame(f, st, (e) => errors.push(`${e.code}@${e.index}`)));
    } catch (e) {
      errors.push(`threw ${(e as CtiProtocolError).code}`);
    }
  }
  return { msgs, errors };
}

describe.each([true, false])('wire forms (codegen %s)', (codegen) => {
  it('a field_spec written with 300 chained tails is one list of 300 fields, not 300 levels deep', () => {
    const names = Array.from({ length: 300 }, (_, i) => `f${i}`);
    const { msgs, errors } = run([F(T(A('field_spec'), A('user'), LC(...names.map(A))))], { codegen });
    expect(errors).toEqual([]);
    expect(msgs).toEqual([{ type: 'field_spec', element: 'user', fields: names }]);
  });

  it('chained tails stay within a small maxDepth (field_spec and records)', () => {
    // {field_spec, user, [id, name, label]}: the top tuple and the list are 2 levels; a record 3
    const opts = { codegen, decode_limits: { maxDepth: 3 } };
    const spec = F(T(A('field_spec'), A('user'), LC(A('id'), A('name'), A('label'))));
    const ii = F(T(A('initial_info'), A('user'), LC(T(I(1), BIN('a'), BIN('b')), T(I(2), BIN('c'), BIN('d')), T(I(3), BIN('e'), BIN('f')))));
    const { msgs, errors } = run([spec, ii], opts);
    expect(errors).toEqual([]);
    expect(msgs[0]).toEqual({ type: 'field_spec', element: 'user', fields: ['id', 'name', 'label'] });
    expect(Object.keys((msgs[1] as { data: object }).data)).toEqual(['1', '2', '3']);
  });

  const spec = F(T(A('field_spec'), A('user'), L(A('id'), A('name'))));

  it('Records as a STRING_EXT ([1, 2] as term_to_binary writes it) is a list of non-records: BAD_RECORD each, {} delivered', () => {
    const { msgs, errors } = run([spec, F(T(A('initial_info'), A('user'), STR(1, 2)))], { codegen });
    expect(errors).toEqual(['BAD_RECORD@0', 'BAD_RECORD@1']);
    expect(msgs[1]).toEqual({ type: 'initial_info', element: 'user', data: {} });
    // before the field_spec, as for any record
    expect(run([F(T(A('initial_info'), A('user'), STR(1)))], { codegen }).errors).toEqual(['NO_FIELD_SPEC@0']);
  });

  it('the empty STRING_EXT (107 0 0, binary_to_term gives []) is [] as Records and as a field list', () => {
    const { msgs, errors } = run([spec, F(T(A('initial_info'), A('user'), STR())), F(T(A('field_spec'), A('grp'), STR())), F(T(A('initial_info'), A('grp'), L(T())))], { codegen });
    expect(errors).toEqual([]);
    expect(msgs.slice(1)).toEqual([
      { type: 'initial_info', element: 'user', data: {} },
      { type: 'field_spec', element: 'grp', fields: [] },
      { type: 'initial_info', element: 'grp', data: { 0: {} } },
    ]);
  });

  it('a binary is still no Records, and a non-empty STRING_EXT no field list (BAD_MESSAGE)', () => {
    expect(run([spec, F(T(A('initial_info'), A('user'), BIN('ab')))], { codegen }).errors).toEqual(['threw BAD_MESSAGE']);
    expect(run([spec, F(T(A('initial_info'), A('user'), BIN('')))], { codegen }).errors).toEqual(['threw BAD_MESSAGE']);
    expect(run([F(T(A('field_spec'), A('grp'), STR(105, 100)))], { codegen }).errors).toEqual(['threw BAD_MESSAGE']);
  });
});

describe('a key field named twice in the field_spec: its last value is the key, on every path', () => {
  const frames = [
    F(T(A('field_spec'), A('user'), L(A('id'), A('name'), A('id')))),
    F(T(A('initial_info'), A('user'), L(T(I(1), BIN('a'), I(2)), T(I(3), BIN('b'), A('undefined')), T(A('undefined'), BIN('c'), I(9))))),
    F(T(A('info_event'), A('user'), T(A('undefined'), BIN('c'), I(9)), A('added'))),
    F(T(A('info_event'), A('user'), T(I(3), BIN('b'), A('undefined')), A('added'))),
  ];
  const expected = {
    msgs: [
      { type: 'field_spec', element: 'user', fields: ['id', 'name', 'id'] },
      { type: 'initial_info', element: 'user', data: { 2: { id: 2, name: 'a' }, 9: { id: 9, name: 'c' } } },
      { type: 'info_event', element: 'user', data: { id: 9, name: 'c' }, event: 'added' },
    ],
    errors: ['BAD_MESSAGE@undefined', 'BAD_RECORD@1', 'BAD_RECORD@0'],
  };
  it.each([true, false])('parseFrame (codegen %s)', (codegen) => {
    expect(run(frames, { codegen })).toEqual(expected);
  });
  it('parseTerm', () => {
    const st = createParserState();
    const msgs: unknown[] = [];
    const errors: string[] = [];
    for (const f of frames) msgs.push(...parseTerm(decodeEtfPlain(f), st, (e) => errors.push(`${e.code}@${e.index}`)));
    expect({ msgs, errors }).toEqual(expected);
  });
});

describe('two records of one initial_info with the same key: the later is reported (BAD_RECORD naming the earlier) and kept', () => {
  const BIG5: B = [110, 1, 0, 5]; // 5 as SMALL_BIG_EXT: the same key as the small integer 5
  const user = (k: B, name: string) => T(k, BIN(name));
  const ch = (uuid: string, n: number) => T(BIN(uuid), I(n));
  const frames = [
    F(T(A('field_spec'), A('user'), L(A('id'), A('name')))),
    F(T(A('initial_info'), A('user'), L(user(BIG5, 'a'), user(I(6), 'b'), user(I(5), 'c'), user(I(6), 'd')))),
    // chained tails, keys that Object.prototype has (toString, __proto__): only own keys count
    F(T(A('initial_info'), A('user'), LC(user(I(1), 'a'), T(I(9)), user(I(2), 'b'), user(I(1), 'c'), user(I(1), 'd')))),
    F(T(A('field_spec'), A('channel'), L(A('uuid'), A('n')))),
    F(T(A('initial_info'), A('channel'), L(ch('toString', 0), ch('x', 1), ch('toString', 2), ch('__proto__', 3), ch('__proto__', 4), ch('constructor', 5)))),
  ];
  const messages = (errors: string[]) => errors.filter((e) => e.includes('key'));
  const check = (got: { msgs: unknown[]; errors: string[] }) => {
    const data = got.msgs.filter((m) => (m as { type: string }).type === 'initial_info').map((m) => (m as { data: Record<string, { name?: string; n?: number }> }).data);
    expect(data[0]).toEqual({ 5: { id: 5, name: 'c' }, 6: { id: 6, name: 'd' } });
    expect(data[1]).toEqual({ 1: { id: 1, name: 'd' }, 2: { id: 2, name: 'b' } });
    expect(Object.keys(data[2])).toEqual(['toString', 'x', '__proto__', 'constructor']);
    expect(data[2].toString).toEqual({ uuid: 'toString', n: 2 });
    expect(Object.getOwnPropertyDescriptor(data[2], '__proto__')!.value).toEqual({ uuid: '__proto__', n: 4 });
    expect(messages(got.errors)).toEqual([
      'BAD_RECORD@2 record of user has the key 5 of record 0 too; this later one is kept',
      'BAD_RECORD@3 record of user has the key 6 of record 1 too; this later one is kept',
      'BAD_RECORD@3 record of user has the key 1 of record 0 too; this later one is kept',
      'BAD_RECORD@4 record of user has the key 1 of record 3 too; this later one is kept',
      'BAD_RECORD@2 record of channel has the key toString of record 0 too; this later one is kept',
      'BAD_RECORD@4 record of channel has the key __proto__ of record 3 too; this later one is kept',
    ]);
  };
  const runAll = (parse: (f: Uint8Array, st: ReturnType<typeof createParserState>, onErr: (e: CtiProtocolError) => void) => unknown[], codegen: boolean) => {
    const st = createParserState({ codegen });
    const msgs: unknown[] = [];
    const errors: string[] = [];
    for (const f of frames) msgs.push(...parse(f, st, (e) => errors.push(`${e.code}@${e.index} ${e.message.replace(/ \(BAD_RECORD.*$/, '')}`)));
    return { msgs, errors };
  };
  it.each([true, false])('parseFrame (codegen %s)', (codegen) => check(runAll(parseFrame, codegen)));
  it('parseTerm', () => check(runAll((f, st, onErr) => parseTerm(decodeEtfPlain(f), st, onErr), true)));
});

describe('a frame that fails after its record leaves nothing to the next frame', () => {
  it.each([true, false])('info_event with a BAD_FIELD and bad bytes after the record (codegen %s)', (codegen) => {
    const spec = F(T(A('field_spec'), A('channel'), L(A('uuid'), A('state'))));
    const bad = F(T(A('info_event'), A('channel'), T(BIN('u'), I(5)), [119, 9])); // the event atom cut short
    const good = F(T(A('info_event'), A('channel'), T(BIN('v'), A('undefined')), A('added')));
    expect(run([spec, bad, good], { codegen }).errors).toEqual(['threw TRUNCATED']);
  });
});

describe('BAD_FIELD says what the value was, no more than the reader knows', () => {
  const messages = (codegen: boolean, rec: B) => {
    const st = createParserState({ codegen });
    parseFrame(F(T(A('field_spec'), A('user'), L(A('id'), A('label'), A('mwi')))), st);
    const out: string[] = [];
    parseFrame(F(T(A('info_event'), A('user'), rec, A('added'))), st, (e) => out.push(`${e.field}: ${e.message}`));
    return out;
  };
  it.each([true, false])('a list label (an Erlang unicode string [12354]) is not called a tuple; a list target is a list (codegen %s)', (codegen) => {
    const m = messages(codegen, T(I(1), L([98, 0, 0, 0x30, 0x42]), A('true')));
    expect(m[0]).toMatch(/^label: label is a tuple or list of 1 value, not a string/);
    expect(m[1]).toMatch(/^mwi: mwi is the atom true \(a boolean\), not a string/);
    const st = createParserState({ codegen });
    parseFrame(F(T(A('field_spec'), A('channel'), L(A('uuid'), A('target')))), st);
    const out: string[] = [];
    parseFrame(F(T(A('info_event'), A('channel'), T(BIN('u'), L(I(1), I(2), I(3), I(4))), A('added'))), st, (e) => out.push(e.message));
    expect(out[0]).toMatch(/^target is a list of 4 values, not \{Type, Id, Name, Address\}/);
  });
});
