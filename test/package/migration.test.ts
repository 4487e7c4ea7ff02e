// MIGRATION.md's main rows, checked: the same frames fed to the vendor's basix_ws_cti 1.4.0
// (../shared/seed, loaded as its users load it) and to our message_parser.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeEtf } from '../../src/cti/etf/encode.ts';
import { atom, binary, tuple, type Term } from '../../src/cti/etf/term.ts';
import { createMessageParser, type MessageParserCallbacks } from '../../src/cti/parser/message-parser.ts';

const VENDOR = join(import.meta.dirname, '..', '..', '..', 'shared', 'seed', 'basix_ws_cti-1.4.0', 'lib', 'message_parser.js');
type Parser = { init(cbs: MessageParserCallbacks, opts: object): void; handle_message(m: unknown): unknown };

/** What the callbacks got, and what was thrown, for each frame. */
function feed(p: Parser, frames: Term[]): unknown[] {
  const out: unknown[] = [];
  p.init(
    {
      on_initial_info: (e, d) => out.push(['initial_info', e, d]),
      on_info_event: (e, d, ev) => out.push(['info_event', e, d, ev]),
      on_system_msg: (m) => out.push(['system_msg', m]),
      on_msg: (m) => out.push(['msg', m]),
    },
    { base_url: 'https://pbx.example.jp' },
  );
  for (const t of frames) {
    try {
      p.handle_message(Buffer.from(encodeEtf(t, { atomEncoding: 'latin1' })));
    } catch (e) {
      out.push(['threw', (e as Error).name]);
    }
  }
  return out;
}

const frames: Term[] = [
  tuple(atom('field_spec'), atom('user'), [atom('id'), atom('label'), atom('avatar'), atom('name')]),
  tuple(atom('initial_info'), atom('user'), [tuple(1, binary('山田'), binary('a.png'), binary('鈴木')), tuple(2, binary('b'), atom('undefined'), binary('x'))]),
  tuple(atom('field_spec'), atom('channel'), [atom('uuid'), atom('origination'), atom('tags'), atom('state')]),
  tuple(atom('info_event'), atom('channel'), tuple(binary('u1'), binary('api*+81312345678*%2B81'), binary('a;;b'), tuple(5, atom('park'), 901, atom('undefined'), 7, binary('op'))), atom('added')),
  tuple(atom('system_msg'), atom('logout')),
  tuple(atom('msg'), binary('保守')),
  tuple(atom('info_event'), atom('terminal'), tuple(1), atom('added')),
  tuple(atom('system_msg'), atom('connection_replaced')),
];

let vendor: unknown[];
let ours: unknown[];
beforeAll(() => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  vendor = feed(createRequire(import.meta.url)(VENDOR) as Parser, frames);
  expect(log).toHaveBeenCalled(); // 1.4.0 logs every frame
  log.mockClear();
  const p = { parser: createMessageParser(), init(cbs: MessageParserCallbacks, opts: object) { this.parser = createMessageParser(cbs, opts); }, handle_message(m: unknown) { return this.parser.handle_message(m as Uint8Array); } };
  ours = feed(p, frames);
  expect(log).not.toHaveBeenCalled(); // nothing logged for good frames
  expect(warn).toHaveBeenCalledTimes(1); // the terminal record before its field_spec
});
afterAll(() => {
  vi.restoreAllMocks();
});

const nameOf = (v: unknown): unknown => (typeof v === 'object' && v !== null ? (v as { value: unknown }).value : v);

describe('basix_ws_cti 1.4.0 → basix-cti, as MIGRATION.md says', () => {
  it('element names and system_msg are atom objects there, strings here (fix)', () => {
    expect(typeof (vendor[0] as unknown[])[1]).toBe('object');
    expect(nameOf((vendor[0] as unknown[])[1])).toBe('user');
    expect((ours[0] as unknown[])[1]).toBe('user');
    expect(typeof (vendor.find((r) => (r as unknown[])[0] === 'system_msg') as unknown[])[1]).toBe('object');
    expect(ours.filter((r) => (r as unknown[])[0] === 'system_msg')).toStrictEqual([['system_msg', 'logout'], ['system_msg', 'connection_replaced']]);
  });

  it('initial_info keys: "undefined" there (one user survives), ids here; UTF-8 everywhere; avatar base_url gets its slash (fixes)', () => {
    const v = (vendor[0] as unknown[])[2] as Record<string, Record<string, unknown>>;
    expect(Object.keys(v)).toStrictEqual(['undefined']);
    expect(v.undefined.avatar).toBe('https://pbx.example.jpstatic/icons/user.png');
    const o = (ours[0] as unknown[])[2] as Record<string, Record<string, unknown>>;
    expect(Object.keys(o)).toStrictEqual(['1', '2']);
    expect(o['1']).toStrictEqual({ id: 1, label: '山田', avatar: 'https://pbx.example.jp/basix/avatars/users/a.png', name: '鈴木' });
    expect(o['2'].avatar).toBe('https://pbx.example.jp/static/icons/user.png');
  });

  it('channel state/origination/tags untranslated there, translated here; origination keeps its +', () => {
    const v = (vendor[1] as unknown[])[2] as Record<string, unknown>;
    expect(v.state).toStrictEqual([5, 'park', 901, undefined, 7, 'op']);
    expect(v.origination).toBe('api*+81312345678*%2B81');
    const o = (ours[1] as unknown[])[2] as Record<string, unknown>;
    expect(o.state).toStrictEqual({ ts: 5, name: 'park', data: { slot: 901, parker_id: 7, parker_name: 'op' } });
    expect(o.origination).toStrictEqual(['api', '+81312345678', '+81']);
    expect(o.tags).toStrictEqual(['a', 'b']);
    expect((ours[1] as unknown[])[3]).toBe('added');
  });

  it('msg: undecoded Binary object there, UTF-8 string here; a record before its field_spec threw there, is warned here and the next frame arrives', () => {
    expect(nameOf((vendor.find((r) => (r as unknown[])[0] === 'msg') as unknown[])[1])).not.toBe('保守');
    expect(ours).toContainEqual(['msg', '保守']);
    expect(vendor).toContainEqual(['threw', 'TypeError']);
    expect(ours.some((r) => (r as unknown[])[0] === 'threw')).toBe(false);
    expect(ours.at(-1)).toStrictEqual(['system_msg', 'connection_replaced']);
  });
});
