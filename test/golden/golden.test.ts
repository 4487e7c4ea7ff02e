// Golden frames written by a real Erlang (gen.escript) against our parser: the expected JSON
// was reviewed by hand against PROTOCOL.md; the seed README's examples are restated literally.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMessageParser, createParserState, CtiProtocolError, EtfDecodeError, message_parser, parseFrame, parseHangupDisposition } from '../../src/cti/index.ts';
import { expectedFor, GOLDEN_DIR, goldenFrame, goldenFrames } from './golden-util.ts';

const errorJson = (e: unknown) => {
  const err = e as CtiProtocolError;
  return {
    name: err.name,
    code: err.code,
    ...(err.element !== undefined ? { element: err.element } : {}),
    ...(err.index !== undefined ? { index: err.index } : {}),
  };
};

describe('golden frames from Erlang', () => {
  it('are what Erlang writes today (test/golden/check.sh regenerates them into a temp dir)', () => {
    const probe = spawnSync('escript', ['-h'], { encoding: 'utf8' });
    if (probe.error && (probe.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error("Erlang not found: install it with `apt-get install erlang-nox` (Debian) or your OS's erlang package");
    }
    const r = spawnSync('sh', [join(GOLDEN_DIR, 'check.sh')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/golden frames OK \(42 frames\)/);
    expect(r.status).toBe(0);
  });

  it('cover UTF-8 atoms, Latin-1 atoms and a compressed frame', () => {
    const tags = new Set<number>();
    for (const [, b] of goldenFrames()) {
      expect(b[0]).toBe(131);
      tags.add(b[1]);
      if (b[1] === 104) tags.add(b[2] === 4 || b[2] === 3 || b[2] === 2 ? b[3] : -1); // first atom's tag
    }
    expect(tags).toContain(80); // compressed
    expect(tags).toContain(119); // SMALL_ATOM_UTF8_EXT (minor_version 2)
    expect(tags).toContain(100); // ATOM_EXT (minor_version 1, Latin-1)
  });

  const frames = goldenFrames();
  it('has an expected JSON per frame, and 42 frames', () => {
    expect(frames.length).toBe(42);
    for (const [name] of frames) expect(() => expectedFor(name)).not.toThrow();
  });

  it.each([true, false])('parseFrame (codegen %s): each frame, in stream order on one state, gives the expected messages and errors', (codegen) => {
    const state = createParserState({ codegen });
    for (const [name, bytes] of frames) {
      const want = expectedFor(name);
      const errors: unknown[] = [];
      let messages: unknown[] = [];
      try {
        messages = parseFrame(bytes, state, (e) => errors.push(errorJson(e)));
      } catch (e) {
        errors.push(errorJson(e));
      }
      expect({ name, messages }).toStrictEqual({ name, messages: want.messages });
      expect({ name, errors }).toStrictEqual({ name, errors: want.errors });
    }
  });

  it('createMessageParser: the callbacks see the same stream, errors via on_error, and keep going', () => {
    const seen: unknown[] = [];
    const errors: unknown[] = [];
    const p = createMessageParser({
      on_field_spec: (element, fields) => seen.push({ type: 'field_spec', element, fields }),
      on_initial_info: (element, data) => seen.push({ type: 'initial_info', element, data }),
      on_info_event: (element, data, event) => seen.push({ type: 'info_event', element, data, event }),
      on_system_msg: (msg) => seen.push({ type: 'system_msg', msg }),
      on_msg: (msg) => seen.push({ type: 'msg', msg }),
      on_error: (e) => errors.push(errorJson(e)),
    });
    for (const [, bytes] of frames) expect(p.handle_message(Buffer.from(bytes))).toBeUndefined();
    const want = frames.map(([n]) => expectedFor(n));
    expect(seen).toStrictEqual(want.flatMap((w) => w.messages));
    expect(errors).toStrictEqual(want.flatMap((w) => w.errors));
    expect(errors.map((e) => (e as { code: string }).code)).toStrictEqual(['NO_FIELD_SPEC', 'ARITY_MISMATCH', 'UNKNOWN_MESSAGE']);
  });

  it('every state name of PROTOCOL.md is in the frames', () => {
    const names = new Set<string>();
    const targetTypes = new Set<string>();
    for (const [name] of frames) {
      for (const m of expectedFor(name).messages as Array<{ type: string; data: any }>) {
        const els = m.type === 'initial_info' ? Object.values(m.data) : m.type === 'info_event' ? [m.data] : [];
        for (const el of els as any[]) {
          if (el?.state?.name) names.add(el.state.name);
          if (el?.state?.name === 'calling') targetTypes.add(`${el.state.data.target_type}/${el.state.data.group_type ?? ''}`);
        }
      }
    }
    for (const s of ['calling', 'park', 'voicemail', 'checking_voicemail', 'calling_siptermination', 'ivr', 'system_operation', 'conference', 'eavesdrop', 'bridged', 'xml_ivr', 'music_on_hold', 'attente_café']) {
      expect(names).toContain(s);
    }
    for (const t of ['user/', 'group/ring', 'group/hunt', 'pstn/', 'bridged_endpoint/']) expect(targetTypes).toContain(t);
  });
});

describe("the seed README's examples, from Erlang frames", () => {
  // Restated literally from seed/basix_ws_cti-README.md (keys with undefined values present).
  const seedChannel = {
    uuid: '5714495a-b8a1-4fff-8420-78648863ecd1',
    direction: 'inbound',
    peer_location: 'external',
    calling_name: '0312341234',
    calling_number: '0312341234',
    called_number: '10001111',
    offer_timestamp: 1546839040024071,
    answer_timestamp: undefined,
    hangup_timestamp: undefined,
    other_uuid: undefined,
    user_id: undefined,
    state: {
      ts: 1546839040035125,
      name: 'calling',
      data: { target_location: 'int', target_type: 'group', group_type: 'ring', group_id: 10001111, group_queue_id: 'group1' },
    },
    group_id: undefined,
    target: undefined,
    origination: undefined,
    end_user: undefined,
    tags: undefined,
    last_bridged_user_id: undefined,
    last_event: 'STATE_CHANGE',
    other_info: undefined,
  };
  const seedParked = {
    uuid: '5714495a-b8a1-4fff-8420-78648863ecd1',
    state: { ts: 1546839050549316, name: 'park', data: { slot: 901, parker_id: 10001001, parker_name: 'user1' } },
    peer_number: '0312341234',
    end_user: undefined,
  };
  const seedQueued = {
    uuid: '5714495a-b8a1-4fff-8420-78648863ecd1',
    state: {
      ts: 1546839040035125,
      name: 'calling',
      data: { target_location: 'int', target_type: 'group', group_type: 'ring', group_id: 10001111, group_queue_id: 'group1' },
    },
    peer_number: '0312341234',
    end_user: undefined,
  };
  const seedUser = {
    id: 10001000,
    name: 'admin',
    fwd_always_status: 0,
    do_not_disturb_status: 0,
    language: 0,
    main_extension: '1000',
    presence: 0,
    role: 100,
    park_group: 0,
    mwi_target: undefined,
    flags: 0,
    followme: undefined,
    email: 'admin@test1.com',
    avatar: undefined,
    label: 'ユーザ・10001000',
    mwi: '',
  };
  const seedGroup = { id: 10001111, name: 'group1', type: 0, language: 0, main_extension: '1111', queue: 0, label: 'グループ・10001111', flags: 4, mwi: '' };
  const seedMember = { id: 110001001, group_id: 10001111, user_id: 10001001, priority: 0, login_status: 0, role: 0 };

  it('come out of message_parser exactly as the README shows them', () => {
    const got: Record<string, Record<string, unknown>> = {};
    message_parser.init({ on_initial_info: (element, data) => (got[element] = data) });
    for (const name of [
      '01-field_spec-channel-seed', '02-initial_info-channel-seed',
      '03-field_spec-parked_channel', '04-initial_info-parked_channel-seed',
      '05-field_spec-queued_channel', '06-initial_info-queued_channel-seed',
      '07-field_spec-user', '08-initial_info-user-seed',
      '09-field_spec-group', '10-initial_info-group-seed',
      '11-field_spec-group_member', '12-initial_info-group_member-seed',
    ]) {
      message_parser.handle_message(Buffer.from(goldenFrame(name)));
    }
    expect(got.channel).toStrictEqual({ '5714495a-b8a1-4fff-8420-78648863ecd1': seedChannel });
    expect(got.parked_channel).toStrictEqual({ '5714495a-b8a1-4fff-8420-78648863ecd1': seedParked });
    expect(got.queued_channel).toStrictEqual({ '5714495a-b8a1-4fff-8420-78648863ecd1': seedQueued });
    expect(got.user['10001000']).toStrictEqual(seedUser);
    expect(got.group['10001111']).toStrictEqual(seedGroup);
    expect(got.group_member['110001001']).toStrictEqual(seedMember);
  });

  it('with opts.base_url the absent avatar becomes the default icon (and nothing else changes)', () => {
    const got: Record<string, Record<string, unknown>> = {};
    message_parser.init({ on_initial_info: (element, data) => (got[element] = data) }, { base_url: 'https://xyz.com' });
    message_parser.handle_message(goldenFrame('07-field_spec-user'));
    message_parser.handle_message(goldenFrame('08-initial_info-user-seed'));
    expect(got.user['10001000']).toStrictEqual({ ...seedUser, avatar: 'https://xyz.com/static/icons/user.png' });
    expect((got.user['10001001'] as { avatar: string }).avatar).toBe('https://xyz.com/basix/avatars/users/yamada.png');
    expect((got.user['10001002'] as { avatar: string }).avatar).toBe('https://cdn.example.jp/a/u2.png');
  });

  it('a decode error is an EtfDecodeError and the singleton keeps working', () => {
    const errors: Error[] = [];
    const specs: string[] = [];
    message_parser.init({ on_error: (e) => errors.push(e), on_field_spec: (el) => specs.push(el) });
    message_parser.handle_message(goldenFrame('07-field_spec-user').subarray(0, 20));
    message_parser.handle_message(goldenFrame('07-field_spec-user'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(EtfDecodeError);
    expect((errors[0] as EtfDecodeError).code).toBe('TRUNCATED');
    expect(specs).toStrictEqual(['user']);
  });
});

describe('golden frames, restated by hand from PROTOCOL.md (independent of expected/*.json)', () => {
  function parseUpTo(last: string) {
    const state = createParserState();
    let out: ReturnType<typeof parseFrame> = [];
    for (const [name, bytes] of goldenFrames()) {
      try {
        out = parseFrame(bytes, state, () => {});
      } catch {
        out = [];
      }
      if (name === last) return out;
    }
    throw new Error(`no frame ${last}`);
  }

  it('every state tuple of gen.escript state_channels() translates per the PROTOCOL.md table', () => {
    const [m] = parseUpTo('21-initial_info-channel-every-state');
    if (m.type !== 'initial_info') throw new Error(m.type);
    const states = Object.values(m.data).map((c) => (c as { state: unknown }).state);
    const T = 1700000000000100;
    expect(states).toStrictEqual([
      { ts: T + 1, name: 'calling', data: { target_location: 'int', target_type: 'user', user_id: 10001001 } },
      { ts: T + 2, name: 'calling', data: { target_location: 'int', target_type: 'group', group_type: 'ring', group_id: 10001111, group_queue_id: 'group1' } },
      { ts: T + 3, name: 'calling', data: { target_location: 'ext', target_type: 'group', group_type: 'hunt', group_id: 10001112 } },
      { ts: T + 4, name: 'calling', data: { target_location: 'ext', target_type: 'pstn', address: '0312345678' } },
      { ts: T + 5, name: 'calling', data: { target_location: 'ext', target_type: 'bridged_endpoint', address: '1001@pbx.example.jp' } },
      { ts: T + 6, name: 'park', data: { slot: 902, parker_id: 10001001, parker_name: '山田 太郎' } },
      { ts: T + 7, name: 'voicemail', data: { target_type: 'group', target_id: 10001111, target_name: 'group1' } },
      { ts: T + 8, name: 'checking_voicemail', data: { target_name: '山田 太郎' } },
      { ts: T + 9, name: 'calling_siptermination', data: { url: 'sip:1001@pbx.example.jp' } },
      { ts: T + 10, name: 'ivr', data: { ivr_id: 3001 } },
      { ts: T + 11, name: 'system_operation', data: { operation: 'set_presence' } },
      { ts: T + 12, name: 'conference', data: { room_id: 'room-7' } },
      { ts: T + 13, name: 'eavesdrop', data: { uuid: 'c0000000-0000-4000-8000-000000000001', eavesdrop_state: 'listening' } },
      { ts: T + 14, name: 'bridged', data: {} },
      { ts: T + 15, name: 'xml_ivr', data: {} },
      { ts: T + 16, name: 'music_on_hold', data: {} },
      { ts: T + 17, name: 'calling', data: { target_location: 'int', target_type: 'operator_desk', target_data: [77] } },
    ]);
    const first = m.data['c0000000-0000-4000-8000-000000000001'] as Record<string, unknown>;
    expect(first.end_user).toStrictEqual({
      count: 1,
      items: [{ id: 'C-1001', name: '山田 太郎', organization: '株式会社テスト', avatar: 'yamada.png', prefecture: '東京都' }],
    });
    // origination is only percent-decoded, a literal + stays (PROTOCOL.md, as the vendor's decodeURIComponent); end_user's + is a space
    expect(first.origination).toStrictEqual(['api', 'click2call', '0312345678', '山田+太郎']);
    expect(first.tags).toStrictEqual(['monitoring_required']);
    expect(first.target).toStrictEqual({ type: 'user', id: 10001001, name: 'user1', address: '0312345678' });
    expect((m.data['c0000000-0000-4000-8000-000000000002'] as Record<string, unknown>).end_user).toBeNull();
    expect((m.data['c0000000-0000-4000-8000-000000000016'] as Record<string, unknown>).other_info).toStrictEqual({
      type: 'end_user', direction: 'inbound', peer_location: 'external', address: '0698765432', offer_timestamp: undefined, whoscall: undefined, end_user: null,
    });
  });

  it('the hangup frame: caller cancelled while ringing', () => {
    const [m] = parseUpTo('24-info_event-channel-hangup-caller-cancel');
    if (m.type !== 'info_event') throw new Error(m.type);
    expect(m.event).toBe('updated');
    const ch = m.data as Record<string, unknown>;
    expect(ch.last_event).toBe('CHANNEL_HANGUP');
    expect(parseHangupDisposition(ch.last_event_data)).toMatchObject({ side: 'recv_cancel', cause: 'ORIGINATOR_CANCEL', callerCancelled: true });
  });

  it('_MANY_ end users, tags with a trailing ;, and an extra field the spec added', () => {
    const [m] = parseUpTo('22-info_event-channel-added');
    const ch = (m as { data: Record<string, unknown> }).data;
    expect(ch.end_user).toMatchObject({ count: 3, items: [{ id: 'C-1002', name: '鈴木 花子' }, { id: 'C-1001', name: '山田 太郎' }] });
    expect(ch.tags).toStrictEqual(['monitoring_required', 'vip']);
    expect(ch.x_priority).toBe(5);
    expect(ch.call_id).toBe('abc@192.0.2.1');
  });

  it('numbers: ints, negatives, bignums as bigint past 2^53, floats; charlists as text', () => {
    const [m] = parseUpTo('36-initial_info-x_metrics-numbers');
    expect((m as { data: Record<string, unknown> }).data['1']).toStrictEqual({
      id: 1, small: 255, byte_edge: 256, int_min: -2147483648, neg_small: -1, neg_big_int: -1099511627776,
      ts: 1546839040024071, big_pos: 2n ** 64n, big_neg: -(2n ** 70n), huge: 2n ** 53n + 1n,
      float_pos: 3.25, float_neg: -0.5, float_big: 1e300, float_int: 2, text: '日本語テキスト', charlist: 'abc',
    });
  });

  it('a Latin-1 atom (minor_version 1) keeps its é', () => {
    const [m] = parseUpTo('26-info_event-channel-latin1-unknown-state');
    const ch = (m as { data: Record<string, unknown> }).data;
    expect(ch.state).toStrictEqual({ ts: 1700000030000000, name: 'attente_café', data: {} });
    expect(ch.last_event).toBe('ÉTAT');
  });
});
