// MessageParserOptions are checked once, when the parser is made (createParserState,
// createMessageParser, message_parser.init), not found wrong on every frame afterwards.
import { describe, expect, it } from 'vitest';
import { encodeEtf } from '../etf/encode.ts';
import { atom, binary, tuple } from '../etf/term.ts';
import { CtiOptionError } from './errors.ts';
import { createMessageParser, message_parser } from './message-parser.ts';
import { createParserState } from './parse.ts';
import type { MessageParserOptions } from './types.ts';

const bad: Array<[unknown, string]> = [
  [{ base_url: 123 }, 'base_url'],
  [{ base_url: ['http://x'] }, 'base_url'],
  [{ codegen: 'no' }, 'codegen'],
  [{ codegen: 0 }, 'codegen'],
  [{ decode_limits: { maxDepth: -1 } }, 'decode_limits.maxDepth'],
  [{ decode_limits: { maxBytes: 1.5 } }, 'decode_limits.maxBytes'],
  [{ decode_limits: 5 }, 'decode_limits'],
  ['str', 'opts'],
  [[], 'opts'],
];

describe('parser options', () => {
  it.each(bad)('%j is refused at once, naming the option', (opts, option) => {
    for (const make of [
      () => createParserState(opts as MessageParserOptions),
      () => createMessageParser({}, opts as MessageParserOptions),
      () => message_parser.init({}, opts as MessageParserOptions),
    ]) {
      let err: unknown;
      try {
        make();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CtiOptionError);
      expect(err).toBeInstanceOf(TypeError);
      expect((err as CtiOptionError).option).toBe(option);
      expect((err as Error).message).toContain(option.split('.').pop());
    }
  });

  it.each([undefined, null, {}, { base_url: null, codegen: null, decode_limits: null }, { base_url: '' }, { decode_limits: { maxBytes: 0 } }, { decode_limits: { maxDepth: Infinity } }, { other: 1 }])(
    '%j is accepted (null/undefined = defaults; unknown keys ignored)',
    (opts) => {
      expect(() => createParserState(opts as MessageParserOptions)).not.toThrow();
      expect(() => createMessageParser(null, opts as MessageParserOptions)).not.toThrow();
    },
  );

  it('valid options still resolve avatars; null options parse frames with the defaults', () => {
    const got: unknown[] = [];
    const p = createMessageParser({ on_initial_info: (_e, d) => got.push(d) }, { base_url: 'http://x', codegen: false });
    p.handle_message(encodeEtf(tuple(atom('field_spec'), atom('user'), [atom('id'), atom('avatar')])));
    p.handle_message(encodeEtf(tuple(atom('initial_info'), atom('user'), [tuple(1, binary('a.png'))])));
    expect(got).toEqual([{ 1: { id: 1, avatar: 'http://x/basix/avatars/users/a.png' } }]);
    const q = createMessageParser({ on_initial_info: (_e, d) => got.push(d) }, null);
    q.handle_message(encodeEtf(tuple(atom('field_spec'), atom('user'), [atom('id'), atom('avatar')])));
    q.handle_message(encodeEtf(tuple(atom('initial_info'), atom('user'), [tuple(1, binary('a.png'))])));
    expect(got[1]).toEqual({ 1: { id: 1, avatar: 'a.png' } });
  });
});
