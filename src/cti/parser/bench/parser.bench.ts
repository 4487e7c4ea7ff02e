// Parser benchmark: decode+translate (parseFrame) against JSON.parse of the same messages as
// JSON, and the compiled record builder against the generic loop. Prints figures, asserts nothing.
//   npx tsx src/cti/parser/bench/parser.bench.ts
import { encodeEtf } from '../../etf/encode.ts';
import { atom, binary, tuple, type Term } from '../../etf/term.ts';
import { createParserState, parseFrame, parseTerm, type ParserState } from '../parse.ts';
import { decodeEtfPlain } from '../../etf/decode.ts';

const CH_FIELDS = ['uuid', 'call_id', 'direction', 'peer_location', 'state', 'calling_name', 'calling_number', 'called_number', 'offer_timestamp', 'answer_timestamp', 'hangup_timestamp', 'other_uuid', 'user_id', 'group_id', 'target', 'origination', 'end_user', 'tags', 'last_bridged_user_id', 'last_event', 'last_event_data', 'other_info'];
const USER_FIELDS = ['id', 'name', 'fwd_always_status', 'do_not_disturb_status', 'language', 'main_extension', 'presence', 'role', 'park_group', 'mwi_target', 'flags', 'followme', 'email', 'avatar', 'label', 'mwi'];
const U = atom('undefined');
const EU = 'C-1001*%E5%B1%B1%E7%94%B0+%E5%A4%AA%E9%83%8E*%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE*yamada.png*%E6%9D%B1%E4%BA%AC%E9%83%BD';

function channel(i: number): Term {
  const ts = 1_700_000_000_000_000 + i * 1000;
  const state = i % 3 === 0 ? tuple(ts, atom('bridged')) : tuple(ts, atom('calling'), atom('int'), atom('group'), tuple(atom('ring'), 10001111, binary('group1'), 0, binary('group1')));
  return tuple(
    binary(`c0000000-0000-4000-8000-${String(i).padStart(12, '0')}`), binary(`call-${i}@192.0.2.1`), atom('inbound'), atom('external'), state,
    binary('山田 太郎'), binary('0312345678'), binary('0312349999'), ts, i % 3 === 0 ? ts + 5_000_000 : U, U, U, 10001001, 10001111,
    tuple(atom('group'), 10001111, binary('営業部'), binary('0312349999')), U, i % 4 === 0 ? binary(EU) : binary('***'),
    binary('monitoring_required'), U, atom('STATE_CHANGE'), U, U,
  );
}
function user(i: number): Term {
  return tuple(10_000_000 + i, binary(`user${i}`), 0, 0, 1, binary(String(2000 + i)), i % 4, 10, 0, U, 0, U, binary(`user${i}@example.jp`), U, binary(`利用者${i}`), binary(i % 5 === 0 ? '2/5 (1/0)' : ''));
}

function setup(codegen: boolean): ParserState {
  const st = createParserState({ codegen, base_url: 'https://pbx.example.jp' });
  parseFrame(encodeEtf(tuple(atom('field_spec'), atom('channel'), CH_FIELDS.map(atom))), st);
  parseFrame(encodeEtf(tuple(atom('field_spec'), atom('user'), USER_FIELDS.map(atom))), st);
  return st;
}

function bench(name: string, f: () => unknown, ms = 400): number {
  for (let i = 0; i < 50; i++) f();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    f();
    n++;
    t = performance.now();
  }
  const us = ((t - t0) / n) * 1000;
  console.log(`${name.padEnd(44)} ${us.toFixed(1).padStart(9)} µs/op`);
  return us;
}

const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x === undefined ? null : x));
const st = setup(true);
const generic = setup(false);
for (const [label, frame] of [
  ['initial_info 200 channels', encodeEtf(tuple(atom('initial_info'), atom('channel'), Array.from({ length: 200 }, (_, i) => channel(i))))],
  ['initial_info 2000 users', encodeEtf(tuple(atom('initial_info'), atom('user'), Array.from({ length: 2000 }, (_, i) => user(i))))],
  ['info_event 1 channel', encodeEtf(tuple(atom('info_event'), atom('channel'), channel(4), atom('updated')))],
] as const) {
  const text = json(parseFrame(frame, st));
  console.log(`\n${label}: ETF ${frame.byteLength} bytes, JSON ${Buffer.byteLength(text)} bytes`);
  const a = bench('parseFrame (decode + translate)', () => parseFrame(frame, st));
  const b = bench('JSON.parse of the same messages', () => JSON.parse(text));
  const term = decodeEtfPlain(frame);
  bench('  of which decodeEtfPlain', () => decodeEtfPlain(frame));
  bench('  of which parseTerm (compiled builder)', () => parseTerm(term, st));
  bench('  parseTerm with the generic builder', () => parseTerm(term, generic));
  console.log(`parseFrame / JSON.parse = ${(a / b).toFixed(2)}`);
}
