// Realistic, made-up ws_cti frames for the CTI benchmark, written with our encoder
// (fields as in the seed README's user and channel examples, PROTOCOL.md "Messages").
import { encodeEtf } from '../src/cti/etf/encode.ts';
import { atom, binary, tuple, type Term } from '../src/cti/etf/term.ts';

export const USER_FIELDS = [
  'id', 'name', 'fwd_always_status', 'do_not_disturb_status', 'language', 'main_extension', 'presence', 'role',
  'park_group', 'mwi_target', 'flags', 'followme', 'email', 'avatar', 'label', 'mwi',
];

export const CHANNEL_FIELDS = [
  'uuid', 'direction', 'peer_location', 'calling_name', 'calling_number', 'called_number', 'offer_timestamp',
  'answer_timestamp', 'hangup_timestamp', 'other_uuid', 'user_id', 'state', 'group_id', 'target', 'origination',
  'end_user', 'tags', 'last_bridged_user_id', 'last_event', 'other_info', 'call_id', 'last_event_data',
];

/** A deterministic pseudo-random generator (xorshift32), so every run benchmarks the same bytes. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const SURNAMES = ['山田', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '中村'];
const GIVEN = ['太郎', '花子', '一郎', '美咲', '健', '由美'];

function user(i: number, r: () => number): Term {
  const id = 10001000 + i;
  return tuple(
    id,
    binary(`user${i}`),
    r() < 0.1 ? 1 : 0,
    r() < 0.05 ? 1 : 0,
    0,
    binary(String(1000 + i)),
    Math.floor(r() * 4),
    r() < 0.02 ? 100 : 10,
    0,
    undefined,
    0,
    undefined,
    binary(`user${i}@test1.example`),
    r() < 0.5 ? binary(`u${i}.png`) : undefined,
    binary(`${SURNAMES[i % SURNAMES.length]}・${GIVEN[i % GIVEN.length]}・${id}`),
    r() < 0.3 ? binary(`${Math.floor(r() * 5)}/${Math.floor(r() * 20)}`) : binary(''),
  );
}

function uuid(r: () => number): string {
  const h = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${h(8)}-${h(4)}-4${h(3)}-8${h(3)}-${h(12)}`;
}

const urlPart = (text: string): string => encodeURIComponent(text).replace(/%20/g, '+');

/** Timestamps are µs since the epoch (~2^50), so Erlang sends them as SMALL_BIG_EXT. */
const T0 = 1_764_480_000_000_000;

function channel(i: number, r: () => number): Term {
  const inbound = r() < 0.6;
  const offer = T0 + Math.floor(r() * 3_600_000_000);
  const answered = r() < 0.5;
  const state = answered
    ? tuple(offer + 4_000_000, atom('bridged'))
    : tuple(offer + 11_054, atom('calling'), atom('int'), atom('group'), tuple(atom('ring'), 10001111, atom('x'), atom('y'), atom('group1')));
  // CRM data: `ID*NAME*ORGANIZATION*AVATAR*PREFECTURE`, each part URL-encoded with `+` for space (PROTOCOL.md "end_user")
  const endUser =
    inbound && r() < 0.5
      ? binary([`${900000 + i}`, `${SURNAMES[i % 8]} ${GIVEN[i % 6]}`, '株式会社テスト', `eu${i}.png`, '東京都'].map(urlPart).join('*'))
      : undefined;
  return tuple(
    binary(uuid(r)),
    atom(inbound ? 'inbound' : 'outbound'),
    atom(inbound ? 'external' : 'internal'),
    binary(inbound ? `${SURNAMES[i % 8]} ${GIVEN[i % 6]}` : `user${i % 5000}`),
    binary(`03${String(10000000 + Math.floor(r() * 89999999))}`),
    binary(inbound ? '10001111' : String(1000 + (i % 5000))),
    offer,
    answered ? offer + 4_000_000 : undefined,
    undefined,
    answered ? binary(uuid(r)) : undefined,
    inbound ? undefined : 10001000 + (i % 5000),
    state,
    inbound ? 10001111 : undefined,
    inbound ? tuple(atom('group'), 10001111, binary('group1'), binary('1111')) : undefined,
    undefined,
    endUser,
    r() < 0.2 ? binary('monitoring_required') : undefined,
    undefined,
    atom(answered ? 'CHANNEL_BRIDGE' : 'STATE_CHANGE'),
    undefined,
    binary(`${uuid(r)}@pbx.example`),
    undefined,
  );
}

// ---------------------------------------------------------------------------------------------
// info_event traffic as a PBX sends it (the pattern of src/pbx-sim/model.ts): every call is a few
// channels (the caller's root leg, one leg per ringing user), each sent several times — added,
// updated as its state changes, removed on hangup — and the events of ~CONCURRENT live calls
// interleave. A call's channels all carry the caller's CRM `end_user` string (the user legs also in
// `other_info`); callers match one CRM record, several (`_MANY_`), or none (`***`), as
// src/pbx-sim/directory.ts `randomCaller`; outbound calls carry none.

const ORGS = ['株式会社さくら商事', '山田工業株式会社', 'ABC Trading', '有限会社みなと', '東西物産', 'Example Holdings'];
const PREFS = ['東京都', '大阪府', '神奈川県', '愛知県', '福岡県', '北海道'];
const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)];

function crmItem(r: () => number, name: string): string {
  const id = `C${1000 + Math.floor(r() * 9000)}`;
  const a = r();
  const avatar = a < 0.4 ? '' : a < 0.7 ? `${id}.png` : `https://crm.example.jp/basix/avatars/end_users/${id}.png`;
  return [id, name, pick(r, ORGS), avatar, pick(r, PREFS)].map(urlPart).join('*');
}

/** A caller's CRM string: about half one match, a sixth several (`_MANY_`), the rest none (`***`). */
function crmString(r: () => number, name: string): string {
  const x = r();
  if (x < 0.5) return crmItem(r, name);
  if (x < 0.67) {
    const n = 2 + Math.floor(r() * 2);
    const items = Array.from({ length: n }, () => crmItem(r, `${pick(r, SURNAMES)} ${pick(r, GIVEN)}`));
    return `_MANY_:${n}|${items.join('|')}`;
  }
  return '***';
}

/** One channel as the simulator keeps it; {@link chanTerm} encodes it in CHANNEL_FIELDS order. */
interface Chan {
  uuid: string;
  inbound: boolean;
  external: boolean;
  callingName: string;
  callingNumber: string;
  calledNumber: string;
  offer: number;
  answer?: number;
  hangup?: number;
  otherUuid?: string;
  userId?: number;
  state: Term;
  groupId?: number;
  target?: Term;
  endUser?: string;
  tags?: string;
  lastBridgedUserId?: number;
  lastEvent: string;
  otherInfo?: Term;
  callId: string;
  lastEventData?: string;
}

const opt = (v: string | undefined): Term => (v === undefined ? undefined : binary(v));

function chanTerm(c: Chan): Term {
  return tuple(
    binary(c.uuid), atom(c.inbound ? 'inbound' : 'outbound'), atom(c.external ? 'external' : 'internal'),
    binary(c.callingName), binary(c.callingNumber), binary(c.calledNumber), c.offer, c.answer, c.hangup,
    opt(c.otherUuid), c.userId, c.state, c.groupId, c.target, undefined, opt(c.endUser), opt(c.tags),
    c.lastBridgedUserId, atom(c.lastEvent), c.otherInfo, binary(c.callId), opt(c.lastEventData),
  );
}

type Step = [chan: Chan, event: 'added' | 'updated' | 'removed', change: (c: Chan) => void];

/** The events of one call, in order: each step changes its channel, then sends it. */
function call(i: number, r: () => number, now: () => number): Step[] {
  const t = now();
  const user = (): number => 10001000 + Math.floor(r() * 5000);
  const ext = (u: number): string => String(1000 + (u - 10001000));
  const pstn = `0${3 + Math.floor(r() * 6)}${String(10000000 + Math.floor(r() * 89999999))}`;
  const tags = r() < 0.2 ? 'monitoring_required' : undefined;
  const steps: Step[] = [];
  const hang = (c: Chan, cause: string): Step => [c, 'removed', (x) => { x.hangup = now(); x.lastEvent = 'CHANNEL_HANGUP'; x.lastEventData = cause; }];
  const bridge = (c: Chan): Step => [c, 'updated', (x) => { x.answer = now(); x.state = tuple(x.answer, atom('bridged')); x.lastEvent = 'CHANNEL_BRIDGE'; }];
  if (r() < 0.6) {
    // inbound to a ring group: root rings the group, 1–3 members' legs ring; one answers or the caller gives up
    const name = `${pick(r, SURNAMES)} ${pick(r, GIVEN)}`;
    const endUser = crmString(r, name);
    const gid = 10001111 + Math.floor(r() * 20);
    const root: Chan = {
      uuid: uuid(r), inbound: true, external: true, callingName: endUser === '***' ? pstn : name, callingNumber: pstn,
      calledNumber: String(gid), offer: t, groupId: gid, endUser, tags, lastEvent: 'CHANNEL_CREATE', callId: `${uuid(r)}@pbx.example`,
      state: tuple(t, atom('calling'), atom('int'), atom('group'), tuple(atom('ring'), gid, undefined, undefined, binary(`group${gid - 10001111}`))),
      target: tuple(atom('group'), gid, binary(`group${gid - 10001111}`), binary('0312345678')),
    };
    steps.push([root, 'added', () => {}]);
    const legs = Array.from({ length: 1 + Math.floor(r() * 3) }, (): Chan => {
      const u = user();
      const ts = now();
      return {
        uuid: uuid(r), inbound: false, external: false, callingName: root.callingName, callingNumber: pstn, calledNumber: ext(u),
        offer: ts, otherUuid: root.uuid, userId: u, groupId: gid, endUser, tags, lastEvent: 'CHANNEL_CREATE', callId: `${uuid(r)}@pbx.example`,
        state: tuple(ts, atom('calling'), atom('int'), atom('user'), tuple(u)),
        otherInfo: tuple(atom('end_user'), binary(endUser), atom('inbound'), atom('external'), binary(pstn), t, gid, undefined),
      };
    });
    for (const l of legs) steps.push([l, 'added', () => {}]);
    if (r() < 0.85) {
      const [taker, ...others] = legs;
      steps.push(bridge(taker));
      for (const l of others) steps.push(hang(l, 'send_cancel,LOSE_RACE'));
      steps.push([root, 'updated', (x) => {
        x.answer = now(); x.state = tuple(x.answer, atom('bridged')); x.lastEvent = 'CHANNEL_BRIDGE';
        x.otherUuid = taker.uuid; x.lastBridgedUserId = taker.userId;
        x.otherInfo = tuple(atom('user'), taker.userId!, atom('outbound'), atom('internal'), binary(taker.calledNumber), taker.offer, gid, undefined);
      }]);
      const byCaller = r() < 0.5;
      steps.push(hang(byCaller ? root : taker, byCaller ? 'recv_bye,NORMAL_CLEARING' : 'send_bye,NORMAL_CLEARING'));
      steps.push(hang(byCaller ? taker : root, byCaller ? 'send_bye,NORMAL_CLEARING' : 'recv_bye,NORMAL_CLEARING'));
    } else {
      for (const l of legs) steps.push(hang(l, 'send_cancel,ORIGINATOR_CANCEL'));
      steps.push(hang(root, 'recv_cancel,ORIGINATOR_CANCEL'));
    }
  } else {
    // outbound: the user's leg and the external root, bridged when the far end answers
    const u = user();
    const label = `${SURNAMES[i % 8]}・${GIVEN[i % 6]}`;
    const ringing = tuple(t, atom('calling'), atom('ext'), atom('pstn'), tuple(binary(pstn)));
    const leg: Chan = {
      uuid: uuid(r), inbound: true, external: false, callingName: label, callingNumber: ext(u), calledNumber: pstn, offer: t,
      userId: u, state: ringing, tags, lastEvent: 'CHANNEL_CREATE', callId: `${uuid(r)}@pbx.example`,
      otherInfo: tuple(atom('end_user'), undefined, atom('outbound'), atom('external'), binary(pstn), t, undefined, undefined),
    };
    const root: Chan = {
      uuid: uuid(r), inbound: false, external: true, callingName: label, callingNumber: '0312345678', calledNumber: pstn, offer: t,
      otherUuid: leg.uuid, state: ringing, tags, lastBridgedUserId: u, lastEvent: 'CHANNEL_CREATE', callId: `${uuid(r)}@pbx.example`,
      otherInfo: tuple(atom('user'), u, atom('inbound'), atom('internal'), binary(ext(u)), t, undefined, undefined),
    };
    leg.otherUuid = root.uuid;
    steps.push([leg, 'added', () => {}], [root, 'added', () => {}]);
    if (r() < 0.7) {
      steps.push(bridge(leg), bridge(root), hang(leg, 'recv_bye,NORMAL_CLEARING'), hang(root, 'send_bye,NORMAL_CLEARING'));
    } else {
      steps.push(hang(root, 'recv_refuse,NO_ANSWER'), hang(leg, 'send_refuse,NO_ANSWER'));
    }
  }
  return steps;
}

/** Live calls at any time of the event stream (a busy PBX). */
export const CONCURRENT_CALLS = 150;

/** `count` info_events of calls as a PBX sends them, CONCURRENT_CALLS calls in progress at a time. */
function callEvents(count: number, r: () => number): { frames: Uint8Array[]; calls: number; channels: number } {
  let clock = T0;
  const now = (): number => (clock += 1 + Math.floor(r() * 2_000_000));
  const live: Step[][] = [];
  let calls = 0;
  let channels = 0;
  const start = (): void => {
    const steps = call(calls++, r, now);
    channels += steps.filter((s) => s[1] === 'added').length;
    live.push(steps);
  };
  for (let i = 0; i < CONCURRENT_CALLS; i++) start();
  const frames: Uint8Array[] = [];
  while (frames.length < count) {
    const k = Math.floor(r() * live.length);
    const [chan, event, change] = live[k].shift()!;
    change(chan);
    frames.push(encodeEtf(tuple(atom('info_event'), atom('channel'), chanTerm(chan), atom(event))));
    if (live[k].length === 0) {
      live.splice(k, 1);
      start();
    }
  }
  return { frames, calls, channels };
}

export interface BenchFrames {
  userSpec: Uint8Array;
  users: Uint8Array;
  channelSpec: Uint8Array;
  channels: Uint8Array;
  /** 10,000 info_events of calls in progress (see {@link callEvents}) */
  events: Uint8Array[];
  /** calls and channels those events belong to */
  eventCalls: number;
  eventChannels: number;
  /** 10,000 info_events each of a new channel with its own CRM string: no real PBX sends this; the worst case */
  uniqueEvents: Uint8Array[];
}

/**
 * Build the frames: 5,000 users, 1,000 channels, 10,000 single-channel `info_event`s of live calls,
 * and 10,000 `info_event`s each of a new random channel (UTF-8 atoms, OTP 26+ style).
 */
export function buildFrames(): BenchFrames {
  const r = rng(42);
  const spec = (el: string, fields: string[]): Uint8Array =>
    encodeEtf(tuple(atom('field_spec'), atom(el), fields.map(atom)));
  const userSpec = spec('user', USER_FIELDS);
  const users = encodeEtf(tuple(atom('initial_info'), atom('user'), Array.from({ length: 5000 }, (_, i) => user(i, r))));
  const channelSpec = spec('channel', CHANNEL_FIELDS);
  const channels = encodeEtf(tuple(atom('initial_info'), atom('channel'), Array.from({ length: 1000 }, (_, i) => channel(i, r))));
  // the same random stream as before for the frames above and the unique events (their bytes are unchanged)
  const uniqueEvents = Array.from({ length: 10_000 }, (_, i) =>
    encodeEtf(tuple(atom('info_event'), atom('channel'), channel(i, r), atom('updated'))),
  );
  const ev = callEvents(10_000, rng(7));
  return { userSpec, users, channelSpec, channels, events: ev.frames, eventCalls: ev.calls, eventChannels: ev.channels, uniqueEvents };
}
