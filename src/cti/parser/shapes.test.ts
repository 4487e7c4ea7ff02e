// Shapes the plain mapping cannot show (tuples and lists are both arrays): parseFrame reads them
// from the bytes (PROTOCOL.md "Messages", "Field translations"), on the compiled and generic paths.
import { describe, expect, it } from 'vitest';
import { encodeEtf } from '../etf/encode.ts';
import { atom, binary, tuple, type Term } from '../etf/term.ts';
import { CtiProtocolError } from './errors.ts';
import { createMessageParser } from './message-parser.ts';

const CH = ['uuid', 'state', 'target', 'end_user', 'origination', 'tags', 'other_info', 'last_event_data'];
const TS = 1_700_000_000_000_000;
const goodState = tuple(TS, atom('calling'), atom('int'), atom('user'), tuple(1001));
const goodOther = tuple(atom('end_user'), binary('1*A*B*C*D'), atom('inbound'), atom('external'), binary('0312345678'), TS, undefined, undefined);
const channel = (uuid: string, over: Partial<Record<string, Term>> = {}): Term => {
  const v: Record<string, Term> = {
    uuid: binary(uuid),
    state: goodState,
    target: tuple(atom('user'), 1001, binary('A'), binary('0312345678')),
    end_user: binary('***'),
    origination: binary('a*b'),
    tags: binary('x;y'),
    other_info: goodOther,
    last_event_data: undefined,
    ...over,
  };
  return tuple(...CH.map((f) => v[f]));
};

function run(codegen: boolean, frames: Term[]) {
  const log: string[] = [];
  const got: Record<string, unknown>[] = [];
  const errors: CtiProtocolError[] = [];
  const p = createMessageParser(
    {
      on_initial_info: (el, d) => {
        log.push(`initial:${el}:${Object.keys(d).join(',')}`);
        got.push(d);
      },
      on_info_event: (el, d, ev) => {
        log.push(`event:${el}:${ev}`);
        got.push(d);
      },
      on_field_spec: (el, f) => log.push(`spec:${el}:${f.join(',')}`),
      on_msg: (m) => log.push(`msg:${m}`),
      on_error: (e) => {
        errors.push(e as CtiProtocolError);
        log.push(`error:${(e as CtiProtocolError).code}${(e as CtiProtocolError).index === undefined ? '' : `@${(e as CtiProtocolError).index}`}`);
      },
    },
    { codegen },
  );
  p.handle_message(encodeEtf(tuple(atom('field_spec'), atom('user'), [atom('id'), atom('name')])));
  p.handle_message(encodeEtf(tuple(atom('field_spec'), atom('channel'), CH.map(atom))));
  log.length = 0;
  for (const f of frames) p.handle_message(encodeEtf(f));
  return { log, got, errors };
}

describe.each([true, false])('shapes from the bytes (codegen %s)', (codegen) => {
  it('a malformed initial_info Records is BAD_MESSAGE and nothing is delivered (it would wipe the element)', () => {
    const ii = (recs: Term) => tuple(atom('initial_info'), atom('user'), recs);
    const { log } = run(codegen, [ii(tuple(atom('bert'), atom('true'))), ii(tuple(tuple(1, binary('a')))), ii(atom('nil')), ii(undefined), ii(binary('x'))]);
    expect(log).toStrictEqual(Array(5).fill('error:BAD_MESSAGE'));
    // the valid empty forms
    expect(run(codegen, [ii([]), ii(tuple(atom('bert'), atom('nil'))), ii([tuple(1, binary('a'))])]).log).toStrictEqual(['initial:user:', 'initial:user:', 'initial:user:1']);
  });

  it('a record must be a tuple: a list is BAD_RECORD whatever its encoding', () => {
    const { log } = run(codegen, [
      tuple(atom('info_event'), atom('user'), [1, binary('a')], atom('added')),
      tuple(atom('info_event'), atom('user'), [1, 2], atom('added')),
      tuple(atom('initial_info'), atom('user'), [[1, binary('a')], tuple(2, binary('b'))]),
    ]);
    expect(log).toStrictEqual(['error:BAD_RECORD@0', 'error:BAD_RECORD@0', 'error:BAD_RECORD@0', 'initial:user:2']);
  });

  it("a field_spec's fields must be a list of atoms; [] is an element without fields", () => {
    const fs = (f: Term) => tuple(atom('field_spec'), atom('group'), f);
    const { log } = run(codegen, [fs(tuple(atom('bert'), atom('nil'))), fs([binary('id')]), fs(tuple(atom('id'))), fs([atom('id'), 5]), fs([])]);
    expect(log).toStrictEqual(['error:BAD_MESSAGE', 'error:BAD_MESSAGE', 'error:BAD_MESSAGE', 'error:BAD_MESSAGE', 'spec:group:']);
    expect(run(codegen, [fs([]), tuple(atom('initial_info'), atom('group'), [tuple(), tuple()])]).log).toStrictEqual(['spec:group:', 'initial:group:0,1']);
  });

  it('the Element of a record message must be an atom', () => {
    const { log } = run(codegen, [tuple(atom('info_event'), binary('user'), tuple(1, binary('a')), atom('added')), tuple(atom('initial_info'), binary('user'), [])]);
    expect(log).toStrictEqual(['error:BAD_MESSAGE', 'error:BAD_MESSAGE']);
  });

  it('a channel field of the wrong shape is BAD_FIELD: the record is still delivered, without that field', () => {
    const bad: Array<[string, Term]> = [
      ['state', binary('calling')],
      ['state', 7],
      ['state', [TS, atom('calling'), atom('int'), atom('user'), tuple(1001)]], // a list, not a tuple
      ['state', tuple(TS, atom('calling'), atom('int'), atom('user'), 5)], // TargetData not a tuple
      ['state', tuple(TS, atom('calling'), atom('int'), atom('user'), [1001])], // TargetData a list
      ['state', tuple(binary('x'), atom('bridged'))], // Ts not an integer
      ['state', tuple(TS, atom('park'), 1)], // too short for park
      ['target', binary('x')],
      ['target', [atom('user'), 1, binary('A'), binary('B')]],
      ['target', tuple(atom('user'), 1)],
      ['end_user', 42],
      ['end_user', tuple(binary('a'))],
      ['origination', 5],
      ['tags', tuple(binary('a'))],
      ['other_info', binary('x')],
      ['other_info', tuple(atom('user'), 1)],
      ['other_info', tuple(atom('end_user'), 42, atom('inbound'), atom('external'), binary('0'), TS, undefined, undefined)],
      ['last_event_data', 5],
    ];
    const recs = [channel('good-1'), ...bad.map(([f, v], i) => channel(`bad-${i}`, { [f]: v })), channel('good-2')];
    const { log, got, errors } = run(codegen, [tuple(atom('initial_info'), atom('channel'), recs)]);
    const keys = ['good-1', ...bad.map((_, i) => `bad-${i}`), 'good-2'];
    expect(log).toStrictEqual([...bad.map((_, i) => `error:BAD_FIELD@${i + 1}`), `initial:channel:${keys.join(',')}`]);
    expect(errors.map((e) => [e.field, e.element])).toStrictEqual(bad.map(([f]) => [f, 'channel']));
    const d = got[0] as Record<string, Record<string, unknown>>;
    const good = d['good-1'];
    expect(good.state).toStrictEqual({ ts: TS, name: 'calling', data: { target_location: 'int', target_type: 'user', user_id: 1001 } });
    expect(good.end_user).toBeNull();
    bad.forEach(([f], i) => {
      const rec = d[`bad-${i}`];
      expect(rec[f]).toBeUndefined();
      // every other field as in the good record
      for (const k of CH) if (k !== f && k !== 'uuid') expect(rec[k]).toStrictEqual(good[k]);
    });
    // an info_event with such a record is delivered too, with the error
    const ev = run(codegen, [tuple(atom('info_event'), atom('channel'), channel('u', { state: 7 }), atom('updated'))]);
    expect(ev.log).toStrictEqual(['error:BAD_FIELD@0', 'event:channel:updated']);
    expect((ev.got[0] as Record<string, unknown>).state).toBeUndefined();
    expect((ev.got[0] as Record<string, unknown>).uuid).toBe('u');
  });

  it('user and group text fields of the wrong shape are BAD_FIELD; the user is still delivered', () => {
    const fs = (el: string, f: string[]) => tuple(atom('field_spec'), atom(el), f.map(atom));
    const { log, got, errors } = run(codegen, [
      fs('user', ['id', 'label', 'mwi', 'avatar']),
      tuple(atom('initial_info'), atom('user'), [tuple(1, binary('受付'), binary('1/2'), binary('a.png')), tuple(2, 5, tuple(1, 2), 7)]),
    ]);
    expect(log).toStrictEqual(['spec:user:id,label,mwi,avatar', 'error:BAD_FIELD@1', 'error:BAD_FIELD@1', 'error:BAD_FIELD@1', 'initial:user:1,2']);
    expect(errors.map((e) => e.field)).toStrictEqual(['label', 'mwi', 'avatar']);
    const users = got[0] as Record<string, Record<string, unknown>>;
    expect(users['1']).toStrictEqual({ id: 1, label: '受付', mwi: '1/2', avatar: 'a.png' });
    expect(users['2']).toStrictEqual({ id: 2, label: undefined, mwi: undefined, avatar: undefined });
  });

  it('tuples with more values than PROTOCOL.md lists pass (servers add values over time)', () => {
    const longer = channel('x', {
      target: tuple(atom('user'), 1001, binary('A'), binary('0312345678'), binary('new')),
      other_info: tuple(atom('user'), 1001, atom('outbound'), atom('internal'), binary('1001'), TS, 7, undefined, binary('new')),
    });
    const { log, got } = run(codegen, [tuple(atom('info_event'), atom('channel'), longer, atom('added'))]);
    expect(log).toStrictEqual(['event:channel:added']);
    const ch = got[0] as Record<string, unknown>;
    expect(ch.target).toStrictEqual({ type: 'user', id: 1001, name: 'A', address: '0312345678' });
    expect(ch.other_info).toMatchObject({ type: 'user', user_id: 1001, group_id: 7, offer_timestamp: TS });
  });

  it('unknown state names and target types, undefined fields and the empty string still pass', () => {
    const recs = [
      channel('a', { state: tuple(TS, atom('brand_new_state'), binary('x'), [1, 2]) }),
      channel('b', { state: tuple(TS, atom('calling'), atom('ext'), atom('new_type'), binary('raw')) }),
      channel('c', { state: undefined, target: undefined, end_user: undefined, origination: undefined, tags: undefined, other_info: undefined }),
      channel('d', { end_user: [], origination: [], tags: [], last_event_data: binary('recv_cancel,ORIGINATOR_CANCEL') }),
      channel('e', { state: tuple(BigInt(TS), atom('bridged')) }),
    ];
    const { log, got } = run(codegen, [tuple(atom('initial_info'), atom('channel'), recs)]);
    expect(log).toStrictEqual(['initial:channel:a,b,c,d,e']);
    const d = got[0] as Record<string, Record<string, unknown>>;
    expect(d.a.state).toStrictEqual({ ts: TS, name: 'brand_new_state', data: {} });
    expect(d.b.state).toMatchObject({ data: { target_type: 'new_type', target_data: 'raw' } });
    expect(d.c.state).toBeUndefined();
    expect([d.d.end_user, d.d.origination, d.d.tags, d.d.last_event_data]).toStrictEqual([null, [], [], 'recv_cancel,ORIGINATOR_CANCEL']);
  });
});
