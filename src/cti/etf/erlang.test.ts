// The codec against a real Erlang (OTP ≥ 24): golden frames from term_to_binary, and our frames through binary_to_term.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeEtf, decodeEtfPlain } from './decode.ts';
import { encodeEtf } from './encode.ts';
import {
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
  tuple,
  type Term,
} from './term.ts';

const ESCRIPT = fileURLToPath(new URL('./__fixtures__/etf-check.escript', import.meta.url));
const MISSING = "Erlang not found: install it with `apt-get install erlang-nox` (Debian) or your OS's erlang package";

function escript(...args: string[]): string {
  const r = spawnSync('escript', [ESCRIPT, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(MISSING);
  if (r.status !== 0) throw new Error(`escript failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const node = atom('nonode@nohost');

/** The Erlang terms of `cases()` in etf-check.escript, in our term model (as decodeEtf gives them). */
const EXPECTED: Record<string, Term> = {
  small_int: 42,
  zero: 0,
  byte_max: 255,
  minus_one: -1,
  int32: 100000,
  int32_min: -2147483648,
  int32_max: 2147483647,
  ts: 1546839040024071,
  ts_neg: -1546839040024071,
  safe_max: 9007199254740991,
  beyond_safe: 9007199254740993n,
  big80: 1n << 80n,
  big_neg300: -(1n << 300n),
  large_big: 1n << 2100n,
  float_half: new Float(1.5),
  float_neg: new Float(-0.25),
  float_pi: new Float(3.141592653589793),
  float_huge: new Float(1.0e300),
  float_zero: new Float(0),
  atom_ok: atom('ok'),
  atom_empty: atom(''),
  atom_ja: atom('ユーザ'),
  atom_latin1: atom('café'),
  bin_empty: new Uint8Array(0),
  bin_hello: binary('hello'),
  bin_ja: binary('ユーザ・10001000'),
  bin_bytes: new Uint8Array([0, 255]),
  bits3: new BitBinary(new Uint8Array([0xa0]), 3),
  bits20: new BitBinary(new Uint8Array([1, 2, 0x30]), 4),
  str_abc: 'abc',
  str_mixed: [1, 2, 300],
  nil: [],
  str_ja: [0x65e5, 0x672c],
  tuple_empty: tuple(),
  tuple_pair: tuple(atom('a'), 1),
  tuple_300: tuple(...Array.from({ length: 300 }, (_, i) => i + 1)),
  list_atoms: [atom('a'), atom('b')],
  improper: new ImproperList([atom('a')], atom('b')),
  list_mixed: [new Float(1.5), binary('x'), tuple()],
  map_empty: new ErlMap([]),
  map_small: new ErlMap([
    [atom('a'), 1],
    [binary('k'), '\x01\x02'],
  ]),
  pid: new Pid(node, 42, 0, 0, true),
  ref: new Reference(node, 0, [3, 2, 1], 90),
  port: new Port(node, 7, 0, 89),
  export: new ExportFun(atom('lists'), atom('map'), 2),
  channel_event: tuple(
    atom('info_event'),
    atom('channel'),
    tuple(
      binary('5714495a-b8a1-4fff-8420-78648863ecd1'),
      atom('inbound'),
      atom('external'),
      binary('0312341234'),
      binary('0312341234'),
      binary('10001111'),
      1546839040024071,
      atom('undefined'),
      atom('undefined'),
      tuple(1546839040035125, atom('calling'), atom('int'), atom('group'), tuple(atom('ring'), 10001111, atom('x'), atom('y'), atom('group1'))),
      binary('山田 太郎'),
      atom('STATE_CHANGE'),
    ),
    atom('updated'),
  ),
  users: tuple(
    atom('initial_info'),
    atom('user'),
    Array.from({ length: 40 }, (_, k) => {
      const i = k + 1;
      const u = atom('undefined');
      return tuple(10001000 + i, binary(`user${i}`), 0, 0, 0, binary(String(1000 + i)), 0, 100, 0, u, 0, u,
        binary('u@test1.com'), u, binary(`ユーザ・${10001000 + i}`), new Uint8Array(0));
    }),
  ),
};

interface Golden {
  name: string;
  mode: 'v0' | 'v1' | 'v2' | 'z';
  bytes: Uint8Array;
}

function golden(): Golden[] {
  return escript('golden')
    .trim()
    .split('\n')
    .map((line) => {
      const [name, mode, hex] = line.split(' ');
      return { name, mode: mode as Golden['mode'], bytes: new Uint8Array(Buffer.from(hex, 'hex')) };
    });
}

describe('ETF codec against real Erlang', () => {
  it('decodes term_to_binary output (minor_version 0/1/2, compressed) and re-encodes it byte-identically', () => {
    const frames = golden();
    expect(frames.length).toBeGreaterThan(2 * Object.keys(EXPECTED).length);
    const v1 = new Map(frames.filter((f) => f.mode === 'v1').map((f) => [f.name, f.bytes]));
    for (const f of frames) {
      const decoded = decodeEtf(f.bytes);
      if (f.name === 'local_fun') {
        expect(decoded).toBeInstanceOf(OpaqueFun);
        expect(encodeEtf(decoded)).toEqual(f.bytes);
        continue;
      }
      expect(decoded, `${f.name} ${f.mode}`).toStrictEqual(EXPECTED[f.name]);
      if (f.mode === 'v2') expect(encodeEtf(decoded), `${f.name} v2`).toEqual(f.bytes);
      if (f.mode === 'v1') expect(encodeEtf(decoded, { atomEncoding: 'latin1' }), `${f.name} v1`).toEqual(f.bytes);
      if (f.mode === 'z') {
        expect(f.bytes[1]).toBe(80);
        expect(encodeEtf(decoded, { atomEncoding: 'latin1' }), `${f.name} z`).toEqual(v1.get(f.name));
      }
    }
    // the old string float (FLOAT_EXT 99) of minor_version 0 decodes, and plain mode agrees
    const old = frames.find((f) => f.mode === 'v0' && f.name === 'float_neg')!;
    expect(old.bytes[1]).toBe(99);
    expect(decodeEtfPlain(old.bytes)).toBe(-0.25);
  });

  it('maps an Erlang-written Basix event to plain JS values', () => {
    const f = golden().find((g) => g.name === 'channel_event' && g.mode === 'v2')!;
    const plain = decodeEtfPlain(f.bytes) as unknown[];
    expect(plain[0]).toBe('info_event');
    const rec = plain[2] as unknown[];
    expect(rec[3]).toBe('0312341234');
    expect(rec[7]).toBeUndefined();
    expect(rec[9]).toEqual([1546839040035125, 'calling', 'int', 'group', ['ring', 10001111, 'x', 'y', 'group1']]);
    expect(rec[10]).toBe('山田 太郎');
  });

  it('writes frames binary_to_term accepts, equal to the Erlang terms, canonical per term_to_binary', () => {
    const lines: string[] = [];
    for (const [name, term] of Object.entries(EXPECTED)) {
      lines.push(`${name} v2 ${Buffer.from(encodeEtf(term)).toString('hex')}`);
      lines.push(`${name} v1 ${Buffer.from(encodeEtf(term, { atomEncoding: 'latin1' })).toString('hex')}`);
      lines.push(`${name} z ${Buffer.from(encodeEtf(term, { compressed: 9 })).toString('hex')}`);
    }
    // convenience inputs: JS strings, booleans and undefined
    lines.push(`str_abc v2 ${Buffer.from(encodeEtf('abc')).toString('hex')}`);
    lines.push(`str_ja v2 ${Buffer.from(encodeEtf('日本')).toString('hex')}`);
    const file = join(mkdtempSync(join(tmpdir(), 'etf-')), 'frames.txt');
    writeFileSync(file, lines.join('\n') + '\n');
    const verdicts = escript('check', file).trim().split('\n');
    expect(verdicts).toHaveLength(lines.length);
    const failed = verdicts.filter((v) => !v.endsWith(' ok'));
    expect(failed).toEqual([]);
    // at least the big terms really went through zlib
    expect(encodeEtf(EXPECTED.users, { compressed: true })[1]).toBe(80);
  });
});
