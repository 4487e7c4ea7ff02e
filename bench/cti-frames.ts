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

export interface BenchFrames {
  userSpec: Uint8Array;
  users: Uint8Array;
  channelSpec: Uint8Array;
  channels: Uint8Array;
  events: Uint8Array[];
}

/** Build the frames: 5,000 users, 1,000 channels, 10,000 single-channel `info_event`s (UTF-8 atoms, OTP 26+ style). */
export function buildFrames(): BenchFrames {
  const r = rng(42);
  const spec = (el: string, fields: string[]): Uint8Array =>
    encodeEtf(tuple(atom('field_spec'), atom(el), fields.map(atom)));
  return {
    userSpec: spec('user', USER_FIELDS),
    users: encodeEtf(tuple(atom('initial_info'), atom('user'), Array.from({ length: 5000 }, (_, i) => user(i, r)))),
    channelSpec: spec('channel', CHANNEL_FIELDS),
    channels: encodeEtf(tuple(atom('initial_info'), atom('channel'), Array.from({ length: 1000 }, (_, i) => channel(i, r)))),
    events: Array.from({ length: 10_000 }, (_, i) =>
      encodeEtf(tuple(atom('info_event'), atom('channel'), channel(i, r), atom('updated'))),
    ),
  };
}
