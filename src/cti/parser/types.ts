// Types of parsed ws_cti messages and elements (../shared/PROTOCOL.md "Messages", "Elements",
// "Field translations"; field meanings: the seed README basix_ws_cti). Every element type keeps
// an index signature because servers add fields over time and unknown fields are passed on.


import type { DecodeOptions } from '../etf/decode.ts';
/**
 * A PBX timestamp: MICROSECONDS since the Unix epoch, PBX clock (PROTOCOL.md "Frame encoding").
 * About 2^50 today, so a `number`; a `bigint` only past 2^53 (never rounded).
 * Divide by 1000 for a JS `Date` (ms).
 */
export type TimestampUs = number | bigint;

/** An Erlang integer as decoded: `number`, or `bigint` past 2^53 − 1. */
export type ErlInt = number | bigint;

/** `state.data` of `calling` (PROTOCOL.md "Field translations"). */
export interface CallingStateData {
  /** `int` or `ext` */
  target_location?: string;
  /** `user`, `group`, `pstn`, `bridged_endpoint` (others kept as they come) */
  target_type?: string;
  /** target_type `user` */
  user_id?: ErlInt;
  /** target_type `group`: `ring` or `hunt` */
  group_type?: string;
  /** target_type `group` */
  group_id?: ErlInt;
  /** target_type `group` with group_type `ring` only: the ring queue's id */
  group_queue_id?: unknown;
  /** `pstn`: the number; `bridged_endpoint`: `USER@HOST` */
  address?: string;
  /** an unknown target_type: its TargetData tuple as an array, untranslated */
  target_data?: unknown;
}

/** `state.data` of `park`: `{Ts, park, Slot, _, ParkerId, ParkerName}`. */
export interface ParkStateData {
  slot?: ErlInt;
  parker_id?: ErlInt;
  parker_name?: string;
}

/** `state.data` of `voicemail`: `{Ts, voicemail, TargetType, TargetId, TargetName}`. */
export interface VoicemailStateData {
  /** `user` or `group` */
  target_type?: string;
  target_id?: ErlInt;
  target_name?: string;
}

/**
 * `state` of a channel-like element: the wire tuple `{Ts, Name, ...}` translated
 * (PROTOCOL.md "Field translations", `state`). Unknown names keep `ts`/`name` and `data: {}`.
 *
 * Data by name: `calling` {@link CallingStateData}; `park` {@link ParkStateData};
 * `voicemail` {@link VoicemailStateData}; `checking_voicemail` `{target_name}`;
 * `calling_siptermination` `{url}`; `ivr` `{ivr_id}`; `system_operation` `{operation}`;
 * `conference` `{room_id}`; `eavesdrop` `{uuid, eavesdrop_state}`; `bridged`, `xml_ivr` `{}`.
 */
export interface ChannelState {
  /** µs since epoch (PBX clock) when the channel entered this state */
  ts: TimestampUs;
  /** the state name: `calling`, `bridged`, `park`, … (unknown names kept as they come) */
  name: string;
  data: CallingStateData &
    ParkStateData &
    VoicemailStateData & {
      url?: string;
      ivr_id?: unknown;
      operation?: unknown;
      room_id?: unknown;
      uuid?: string;
      eavesdrop_state?: string;
      [k: string]: unknown;
    };
}

/** One end user from the CRM integration (PROTOCOL.md "end_user"); text URL-decoded. */
export interface EndUserItem {
  id: string;
  name: string;
  organization: string;
  /** resolved against `opts.base_url` when given (see `resolveAvatar`) */
  avatar: string;
  prefecture: string;
}

/** Translated `end_user`: `count` is the number of CRM matches (may exceed `items.length`). */
export interface EndUser {
  count: number;
  items: EndUserItem[];
}

/** Translated `target`: `{Type, Id, Name, Address}`. */
export interface ChannelTarget {
  /** `user` or `group` */
  type?: string;
  id?: ErlInt;
  name?: string;
  /** how the target was reached, usually the PSTN DID */
  address?: string;
}

/**
 * Translated `other_info` (summary of the related channel): from
 * `{Type, UserIdOrEndUser, Direction, PeerLocation, Address, OfferTimestamp, GroupId, WhosCall}`.
 * `type` `user` gives `user_id` and `group_id`; any other type gives `end_user`.
 */
export interface OtherInfo {
  /** `user` or `end_user` */
  type?: string;
  direction?: string;
  peer_location?: string;
  address?: string;
  /** µs; undefined while the other channel does not exist yet */
  offer_timestamp?: TimestampUs;
  whoscall?: unknown;
  user_id?: ErlInt;
  group_id?: ErlInt;
  /** translated end_user, `null` when there is none */
  end_user?: EndUser | null;
}

/**
 * `channel` (seed README "channel"). Also the shape of `channel_waiting`. Translated fields:
 * `state`, `target`, `end_user`, `origination`, `tags`, `other_info`. Values absent on the wire
 * (atom `undefined`) are `undefined` with the key present.
 */
export interface Channel {
  uuid: string;
  /** `inbound` (offered to the PBX) or `outbound` */
  direction?: string;
  /** `internal` or `external` */
  peer_location?: string;
  calling_name?: string;
  calling_number?: string;
  called_number?: string;
  /** µs since epoch */
  offer_timestamp?: TimestampUs;
  /** µs since epoch; present iff answered */
  answer_timestamp?: TimestampUs;
  /** µs since epoch */
  hangup_timestamp?: TimestampUs;
  other_uuid?: string;
  user_id?: ErlInt;
  state?: ChannelState;
  group_id?: ErlInt;
  target?: ChannelTarget;
  /** `*`-separated URL-encoded parts of the API call that made the channel */
  origination?: string[];
  /** `null` when the CRM sent only `*`s */
  end_user?: EndUser | null;
  /** e.g. `['monitoring_required']` */
  tags?: string[];
  last_bridged_user_id?: ErlInt;
  /** `STATE_CHANGE`, `CHANNEL_HANGUP`, … */
  last_event?: string;
  /** `SIDE,CAUSE` on `CHANNEL_HANGUP` — see `parseHangupDisposition` */
  last_event_data?: string;
  other_info?: OtherInfo;
  /** SIP Call-ID (newer servers) */
  call_id?: string;
  [field: string]: unknown;
}

/** `channel_waiting`: a channel waiting in a ring queue (newer servers). */
export type ChannelWaiting = Channel;

/** `parked_channel` (older servers; seed README "parked_channel"). */
export interface ParkedChannel {
  uuid: string;
  state?: ChannelState;
  peer_number?: string;
  end_user?: EndUser | null;
  [field: string]: unknown;
}

/** `queued_channel` (older servers; seed README "queued_channel"). */
export interface QueuedChannel {
  uuid: string;
  state?: ChannelState;
  peer_number?: string;
  end_user?: EndUser | null;
  [field: string]: unknown;
}

/** `user` (seed README "user"). `avatar` resolved against `opts.base_url` when given. */
export interface User {
  id: ErlInt;
  name?: string;
  /** 1 on, 0 off */
  fwd_always_status?: number;
  /** 1 on, 0 off */
  do_not_disturb_status?: number;
  language?: number;
  main_extension?: string;
  /** 0 available, 1 away, 2 busy, 3 offline (ARCHITECTURE.md conventions) */
  presence?: number;
  role?: number;
  park_group?: number;
  mwi_target?: unknown;
  flags?: number;
  followme?: unknown;
  email?: string;
  avatar?: string;
  /** UTF-8 text, often Japanese */
  label?: string;
  /** `''` or `NEW/SAVED` optionally ` (URGENT_NEW/URGENT_SAVED)` — see `parseMwi` */
  mwi?: string;
  [field: string]: unknown;
}

/** `group` (seed README "group_info"). */
export interface Group {
  id: ErlInt;
  name?: string;
  /** 0 ring, 1 hunt */
  type?: number;
  language?: number;
  main_extension?: string;
  queue?: number;
  label?: string;
  flags?: number;
  check_login_status?: unknown;
  /** see `parseMwi` */
  mwi?: string;
  [field: string]: unknown;
}

/** `group_member` (seed README "group_member"). */
export interface GroupMember {
  id: ErlInt;
  group_id?: ErlInt;
  user_id?: ErlInt;
  priority?: number;
  /** 1 logged in, 0 logged out */
  login_status?: number;
  role?: number;
  [field: string]: unknown;
}

/** `terminal` (seed README "terminal"). */
export interface Terminal {
  id: ErlInt;
  name?: string;
  assoc_user_id?: ErlInt;
  type?: unknown;
  user_agent?: string;
  registered?: boolean;
  [field: string]: unknown;
}

/** `domain` (ARCHITECTURE.md conventions): one record. */
export interface Domain {
  id: ErlInt;
  name?: string;
  label?: string;
  park_slot_start?: number;
  park_slot_end?: number;
  [field: string]: unknown;
}

/** Any parsed element; unknown element kinds are plain objects keyed by their field_spec. */
export type CtiElement =
  | Channel
  | ParkedChannel
  | QueuedChannel
  | User
  | Group
  | GroupMember
  | Terminal
  | Domain
  | Record<string, unknown>;

/** Element kinds whose records are keyed by `uuid` and get the channel field translations. */
export const CHANNEL_ELEMENTS = ['channel', 'channel_waiting', 'queued_channel', 'parked_channel'] as const;

/** The `info_event` events of PROTOCOL.md (others passed through as strings). */
export type InfoEventName = 'added' | 'updated' | 'removed';

/**
 * A parsed message (docs/ARCHITECTURE.md "Parsed message union"): what the console's worker posts
 * to the UI. `initial_info.data` is keyed by `String(uuid)` for channel kinds, `String(id)`
 * for the others (by record index when a spec has neither field).
 */
export type CtiMessage =
  | { type: 'field_spec'; element: string; fields: string[] }
  | { type: 'initial_info'; element: string; data: Record<string, CtiElement> }
  | { type: 'info_event'; element: string; data: CtiElement; event: InfoEventName | string }
  | { type: 'system_msg'; msg: 'connection_limit_reached' | 'connection_replaced' | 'logout' | string }
  | { type: 'msg'; msg: string };

/** The `type`s of {@link CtiMessage}, for switch tables shared by worker and UI. */
export type CtiMessageType = CtiMessage['type'];

/** Options of the parser (`createMessageParser`, `message_parser.init`, `createParserState`). */
export interface MessageParserOptions {
  /**
   * Base URL that relative avatars are resolved against (PROTOCOL.md "user and group").
   * A `/` is added when it does not end with one: `https://pbx.example.jp` and
   * `https://pbx.example.jp/` both give `https://pbx.example.jp/basix/avatars/users/x.png`.
   * Default: none — avatars are left as they came (also for null and `''`; anything else not a
   * string is a `CtiOptionError` when the parser is made).
   */
  base_url?: string;
  /**
   * Compile one record builder per field_spec with `new Function` (the field names are embedded as
   * JSON string literals). Falls back to a generic loop by itself where a CSP forbids it.
   * Default: true (also for null; a value that is not a boolean is a `CtiOptionError` when the parser is made).
   */
  codegen?: boolean;
  /**
   * Limits of the ETF decoder for every frame (src/cti/etf `DecodeOptions`), e.g.
   * `{ maxInflatedBytes: 1 << 20 }` to refuse a compressed frame (tag 80) that declares more than
   * 1 MiB uncompressed. A frame over a limit is dropped with `EtfDecodeError` code `LIMIT`
   * (to `on_error`, or thrown). Fields and defaults: `maxBytes` — input size in bytes, 16 MiB;
   * `maxInflatedBytes` — declared uncompressed size in bytes, checked before inflating (and the
   * inflate stopped past it), 16 MiB; `maxElements` — tuple/list/map elements per frame, checked
   * at each header before allocating, 1,000,000 (10,000 users ≈ 170,000; docs/cti-codec.md
   * "Limits"); `maxDepth` — nesting levels of tuples/lists/maps, 256; `maxAtomLength` — characters, 255;
   * `maxBigBytes` — bytes of a bignum's magnitude, 1024. Each an integer ≥ 0 or Infinity, checked
   * when the parser is made (else `CtiOptionError`, option e.g. `decode_limits.maxDepth`).
   * Default: the decoder's defaults (also for null).
   */
  decode_limits?: DecodeOptions;
  /**
   * `createMessageParser` / `message_parser` only. Without `on_error`: `false` reports a bad frame,
   * record or field through a rate-limited `console.warn` and goes on (the drop-in behaviour of
   * basix_ws_cti 1.4.0's users, whose `ws` handler must not throw); `true` throws it from
   * `handle_message` (bytes) or rejects its promise (Blob). With `on_error` it changes nothing.
   * Default: false (also for null; a value that is not a boolean is a `CtiOptionError`).
   */
  strict?: boolean;
  /**
   * `createMessageParser` / `message_parser` only. How integers past 2^53 − 1 (the ETF decoder's
   * `bigint`s, e.g. a PBX id or a timestamp far in the future) reach the callbacks: `'bigint'` as
   * they are (exact; `JSON.stringify` throws on them); `'string'` their decimal text (exact, JSON-safe);
   * `'number'` the nearest double (JSON-safe, may lose the last digits). Smaller integers are
   * always numbers. Default: `'bigint'` (also for null; another value is a `CtiOptionError`).
   */
  big_integers?: 'bigint' | 'string' | 'number';
}

