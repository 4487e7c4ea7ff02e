import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeEtf } from '../etf/encode.ts';
import { atom, binary, tuple } from '../etf/term.ts';
import { convertBigints, createWarner } from './drop-in.ts';
import { CtiOptionError, CtiProtocolError } from './errors.ts';
import { createMessageParser, message_parser } from './message-parser.ts';
import type { MessageParserOptions } from './types.ts';

const spec = (element: string, fields: string[]) => encodeEtf(tuple(atom('field_spec'), atom(element), fields.map(atom)));
const userSpec = spec('user', ['id', 'label']);
const users = (...recs: unknown[]) => encodeEtf(tuple(atom('initial_info'), atom('user'), recs as never));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('without on_error (drop-in for basix_ws_cti 1.4.0)', () => {
  it('nothing throws: a bad frame, a bad record and a bad field are warned, good records delivered, next frame processed', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const got: string[] = [];
    message_parser.init({ on_initial_info: (el, d) => got.push(`${el}:${Object.keys(d).join(',')}`), on_system_msg: (m) => got.push(m) });
    expect(() => message_parser.handle_message(new Uint8Array([131, 255]))).not.toThrow();
    expect(() => message_parser.handle_message(Buffer.from('text'))).not.toThrow();
    message_parser.handle_message(userSpec);
    // record 1 has the wrong arity, record 2 a label that is not text: 0 and 2 are delivered
    expect(() => message_parser.handle_message(users(tuple(7, binary('山田')), tuple(8), tuple(9, tuple(1))))).not.toThrow();
    message_parser.handle_message(encodeEtf(tuple(atom('system_msg'), atom('connection_replaced'))));
    expect(got).toStrictEqual(['user:7,9', 'connection_replaced']);
    const texts = warn.mock.calls.map((c) => String(c[0]));
    expect(texts).toHaveLength(4);
    expect(texts[0]).toMatch(/^basix-cti: EtfDecodeError /);
    expect(texts[2]).toMatch(/ARITY_MISMATCH/);
    expect(texts[3]).toMatch(/BAD_FIELD/);
  });

  it('a Blob that cannot be read is warned and its promise resolves (no unhandled rejection)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const p = createMessageParser({});
    await expect(p.handle_message(new Blob([new Uint8Array([1, 2, 3])]))).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("a callback's own exception still propagates on the bytes path, as in 1.4.0", () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const p = createMessageParser({ on_system_msg: () => { throw new Error('mine'); } });
    expect(() => p.handle_message(encodeEtf(tuple(atom('system_msg'), atom('x'))))).toThrow('mine');
  });

  it('strict: true throws; on_error gets everything and nothing is warned', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => createMessageParser({}, { strict: true }).handle_message(new Uint8Array([131, 255]))).toThrow();
    const errs: Error[] = [];
    createMessageParser({ on_error: (e) => errs.push(e) }).handle_message('x' as never);
    expect(errs[0]).toBeInstanceOf(CtiProtocolError);
    expect(warn).not.toHaveBeenCalled();
  });

  it('bad strict / big_integers options are CtiOptionErrors', () => {
    for (const opts of [{ strict: 'yes' }, { big_integers: 'hex' }, { big_integers: 1 }]) {
      expect(() => createMessageParser({}, opts as unknown as MessageParserOptions)).toThrow(CtiOptionError);
    }
    expect(() => createMessageParser({}, { strict: null, big_integers: null } as unknown as MessageParserOptions)).not.toThrow();
  });
});

describe('createWarner', () => {
  it('shows at most burst warnings per window, then says how many were left out', () => {
    const out: string[] = [];
    let t = 0;
    const w = createWarner({ burst: 2, windowMs: 1000, now: () => t, warn: (s) => out.push(s) });
    for (let i = 0; i < 5; i++) w(new CtiProtocolError('BAD_RECORD', `r${i}`));
    expect(out).toHaveLength(2);
    t = 1000;
    w(new Error('later'));
    expect(out).toHaveLength(3);
    expect(out[2]).toMatch(/^basix-cti: Error: later \(3 more problems not shown\)/);
    expect(out[0]).toMatch(/^basix-cti: CtiProtocolError BAD_RECORD: r0/);
  });

  it('a warn that throws is ignored', () => {
    const w = createWarner({ warn: () => { throw new Error('console gone'); } });
    expect(() => w(new Error('x'))).not.toThrow();
  });
});

describe('big_integers', () => {
  const big = 2n ** 60n + 1n;
  const frame = () => encodeEtf(tuple(atom('info_event'), atom('user'), tuple(big, binary('a')), atom('added')));
  for (const [mode, want] of [
    ['bigint', big],
    ['string', '1152921504606846977'],
    ['number', 1152921504606846976],
    [undefined, big],
  ] as const) {
    it(`${String(mode)} → ${typeof want}`, () => {
      let got: unknown;
      const p = createMessageParser({ on_info_event: (_e, d) => (got = d.id) }, mode === undefined ? {} : { big_integers: mode });
      p.handle_message(userSpec);
      p.handle_message(frame());
      expect(got).toStrictEqual(want);
    });
  }

  it('convertBigints walks arrays, plain objects and Maps, leaves small numbers and class instances', () => {
    class Opaque {
      v = 5n;
    }
    const o = { a: [1, 2n ** 70n], m: new Map([['k', 2n ** 64n]]), c: new Opaque(), n: 3 };
    convertBigints(o, 'string');
    expect(o.a).toStrictEqual([1, '1180591620717411303424']);
    expect(o.m.get('k')).toBe('18446744073709551616');
    expect(o.c.v).toBe(5n);
    expect(o.n).toBe(3);
  });
});
