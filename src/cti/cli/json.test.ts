// cti:tail's JSON form of Erlang values (src/cti/cli/json.ts): nothing is silently lost.
import { describe, expect, it } from 'vitest';
import { decodeEtfPlain } from '../etf/decode.ts';
import { encodeEtf } from '../etf/encode.ts';
import { atom, binary, BitBinary, ErlMap, ExportFun, ImproperList, OpaqueFun, Pid, Port, Reference, tuple, type Term } from '../etf/term.ts';
import { createParserState, parseFrame } from '../parser/parse.ts';
import { messageToJsonLine } from './json.ts';

/** Term → wire → plain value (as the parser hands it out) → cti:tail's JSON, parsed back. */
const viaJson = (t: Term): unknown => JSON.parse(messageToJsonLine(decodeEtfPlain(encodeEtf(t))));

describe('cti:tail JSON of Erlang values', () => {
  it('a map with string/number keys is an object; a key that is anything else, starts with $ or collides: {"$map": pairs}', () => {
    expect(viaJson(new ErlMap([[atom('a'), 1], [binary('b'), 2], [3, binary('c')]]))).toEqual({ a: 1, b: 2, 3: 'c' });
    expect(viaJson(new ErlMap([]))).toEqual({});
    expect(viaJson(new ErlMap([[tuple(1, 2), 1], [atom('true'), 2]]))).toEqual({ $map: [[[1, 2], 1], [true, 2]] });
    expect(viaJson(new ErlMap([[1, binary('x')], [binary('1'), binary('y')]]))).toEqual({ $map: [[1, 'x'], ['1', 'y']] });
    expect(viaJson(new ErlMap([[binary('$map'), 1]]))).toEqual({ $map: [['$map', 1]] });
    expect(viaJson(new ErlMap([[binary('__proto__'), 1]]))).toEqual(JSON.parse('{"__proto__":1}'));
    expect(viaJson(new ErlMap([[atom('m'), new ErlMap([[atom('n'), 2n ** 64n]])]]))).toEqual({ m: { n: '18446744073709551616' } });
  });

  it('bitstrings, improper lists, pids, ports, refs, funs, bigints have tagged forms', () => {
    expect(viaJson(new BitBinary(new Uint8Array([0xe0]), 3))).toEqual({ $bitstring: 'e0', bits: 3 });
    expect(viaJson(new ImproperList([1, 2], 3))).toEqual({ $improper: [1, 2], tail: 3 });
    expect(viaJson(new Pid(atom('n@h'), 80, 0, 7, true))).toEqual({ $pid: 'n@h', id: 80, serial: 0, creation: 7 });
    expect(viaJson(new Port(atom('n@h'), 2n ** 40n, 1, 120))).toEqual({ $port: 'n@h', id: '1099511627776', creation: 1 });
    expect(viaJson(new Reference(atom('n@h'), 1, [1, 2, 3], 90))).toEqual({ $ref: 'n@h', ids: [1, 2, 3], creation: 1 });
    expect(viaJson(new ExportFun(atom('lists'), atom('map'), 2))).toEqual({ $fun: 'lists:map/2' });
    expect(JSON.parse(messageToJsonLine(new OpaqueFun(new Uint8Array([112, 0, 0, 0, 4]))))).toEqual({ $fun: '7000000004' });
    expect(viaJson(-(2n ** 70n))).toBe('-1180591620717411303424');
  });

  it('a record field holding a map or a bitstring comes out in full (was "x":{} and Buffer JSON)', () => {
    const state = createParserState({});
    parseFrame(encodeEtf(tuple(atom('field_spec'), atom('user'), [atom('id'), atom('x')])), state, () => {});
    const line = (x: Term): string =>
      messageToJsonLine(parseFrame(encodeEtf(tuple(atom('info_event'), atom('user'), tuple(1, x), atom('added'))), state, () => {})[0]);
    expect(JSON.parse(line(new ErlMap([[atom('a'), 1], [binary('b'), 2]]))).data.x).toEqual({ a: 1, b: 2 });
    expect(JSON.parse(line(new BitBinary(new Uint8Array([0xe0]), 3))).data.x).toEqual({ $bitstring: 'e0', bits: 3 });
    expect(line(binary('line1\nline2\u2028'))).not.toContain('\n');
  });
});
