// Field translations of channel-like elements and avatars (../shared/PROTOCOL.md
// "Field translations", "user and group"). Inputs are values as `decodeEtfPlain` gives them:
// tuples and lists are arrays, atoms/binaries strings, atom `undefined` is `undefined`.

import type { ChannelState, ChannelTarget, EndUser, EndUserItem, OtherInfo } from './types.ts';

/** Text of a decoded value: strings as they are, `[]` (an empty Erlang string/NIL) as `''`, else undefined. */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 0) return '';
  return undefined;
}

const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

const hexAt = (run: string, i: number): number => Number.parseInt(run.slice(3 * i + 1, 3 * i + 3), 16);

/**
 * Bytes in a well-formed UTF-8 sequence starting at byte `i` of the escape run (`n` bytes), 0 if
 * none: the ranges of RFC 3629 §4 (Unicode's Table 3-7), the ones decodeURIComponent accepts — no
 * overlong forms, no surrogates, nothing past U+10FFFF.
 */
function utf8SeqLength(run: string, i: number, n: number): number {
  const b = hexAt(run, i);
  if (b < 0x80) return 1;
  let len: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) len = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    len = 3;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    len = 4;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + len > n) return 0;
  const b1 = hexAt(run, i + 1);
  if (b1 < lo || b1 > hi) return 0;
  for (let k = 2; k < len; k++) {
    const c = hexAt(run, i + k);
    if (c < 0x80 || c > 0xbf) return 0;
  }
  return len;
}

/** A run of `%XX` escapes with a malformed UTF-8 sequence in it: each well-formed sequence decoded, every other byte kept as its `%XX`. */
function decodeRun(run: string): string {
  const n = run.length / 3;
  let out = '';
  for (let i = 0; i < n; ) {
    const len = utf8SeqLength(run, i, n);
    if (len === 0) {
      out += run.slice(3 * i, 3 * i + 3);
      i++;
    } else {
      out += decodeURIComponent(run.slice(3 * i, 3 * (i + len)));
      i += len;
    }
  }
  return out;
}

/**
 * Decode one URL-encoded part of `end_user`/`origination`: `+` is a space, `%XX` UTF-8 escapes.
 * Never throws: a malformed escape (`%ZZ`, a cut UTF-8 sequence `%E3%81`, a byte that is no
 * UTF-8 such as `%FF`) is kept as it came, byte by byte, and every well-formed UTF-8 sequence
 * around it — in the same run of escapes too — is still decoded: `'%E5%B1%B1%E3%81'` → `'山%E3%81'`,
 * `'%41%FF%42'` → `'A%FFB'`. Where decodeURIComponent succeeds, the same result. (PROTOCOL.md "end_user")
 */
export function decodeUrlPart(s: string): string {
  if (s.indexOf('+') >= 0) s = s.replaceAll('+', ' ');
  return decodePercent(s);
}

/**
 * Decode the `%XX` UTF-8 escapes of one `origination` part, leaving a literal `+` as it is (the
 * vendor library's `decodeURIComponent`: a phone number `+81312345678` stays, `%2B` gives `+`).
 * Never throws: malformed escapes are kept as {@link decodeUrlPart} keeps them.
 * (PROTOCOL.md `origination`)
 */
export function decodePercent(s: string): string {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(ESCAPE_RUN, decodeRun);
  }
}

function joinBase(base: string, path: string): string {
  return base.endsWith('/') ? base + path : `${base}/${path}`;
}

/**
 * Resolve an avatar against the `base_url` option (PROTOCOL.md "user and group", `avatar`):
 * - no `baseUrl` (undefined or `''`) → the value unchanged;
 * - empty or absent (`undefined`, `''`) → `BASE/static/icons/user.png` (kind `user`) or
 *   `BASE/static/icons/end_user.png` (kind `end_user`);
 * - starting with `http://` or `https:` → unchanged;
 * - otherwise → `BASE/basix/avatars/users/AVATAR` or `BASE/basix/avatars/end_users/AVATAR`.
 * `BASE` gets one `/` appended unless it already ends with `/`.
 * @param avatar the field as decoded (non-strings other than `undefined` are returned unchanged)
 * @param baseUrl e.g. `https://pbx.example.jp` or `https://pbx.example.jp/`
 * @param kind whose avatar it is; default `user`
 */
export function resolveAvatar(avatar: unknown, baseUrl: string | undefined, kind: 'user' | 'end_user' = 'user'): unknown {
  if (!baseUrl) return avatar;
  if (avatar === undefined || avatar === '' || (Array.isArray(avatar) && avatar.length === 0)) {
    return joinBase(baseUrl, kind === 'user' ? 'static/icons/user.png' : 'static/icons/end_user.png');
  }
  if (typeof avatar !== 'string') return avatar;
  if (avatar.startsWith('http://') || avatar.startsWith('https:')) return avatar;
  return joinBase(baseUrl, (kind === 'user' ? 'basix/avatars/users/' : 'basix/avatars/end_users/') + avatar);
}

function parseEndUserItem(item: string, baseUrl: string | undefined): EndUserItem {
  const p = item.split('*');
  const avatar = decodeUrlPart(p[3] ?? '');
  return {
    id: decodeUrlPart(p[0] ?? ''),
    name: decodeUrlPart(p[1] ?? ''),
    organization: decodeUrlPart(p[2] ?? ''),
    avatar: (baseUrl ? resolveAvatar(avatar, baseUrl, 'end_user') : avatar) as string,
    prefecture: decodeUrlPart(p[4] ?? ''),
  };
}

/**
 * Translate the CRM `end_user` string (PROTOCOL.md "Field translations", `end_user`):
 * - `ID*NAME*ORGANIZATION*AVATAR*PREFECTURE` (parts URL-encoded, `+` = space) →
 *   `{count: 1, items: [{id, name, organization, avatar, prefecture}]}` (missing parts `''`);
 * - `_MANY_:N|ITEM|ITEM…` → `{count: N, items}` (`count` falls back to `items.length` when N is not a number);
 * - only `*` characters (`***`), or `''` → `null` (no CRM data);
 * - `undefined` (field absent) → `undefined`; any other non-text value is returned unchanged.
 * Item avatars are resolved with {@link resolveAvatar} (kind `end_user`) when `baseUrl` is given.
 * Parsed strings are cached (a call's updates repeat its CRM string); every call still returns
 * new objects, never shared with another call's result. Never throws.
 */
export function parseEndUser(value: string, baseUrl?: string): EndUser | null;
export function parseEndUser(value: unknown, baseUrl?: string): EndUser | null | undefined | unknown;
export function parseEndUser(value: unknown, baseUrl?: string): unknown {
  const s = textOf(value);
  if (s === undefined) return value;
  let allStars = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) !== 42 /* * */) {
      allStars = false;
      break;
    }
  }
  if (allStars) return null;
  if (baseUrl !== endUserBase) {
    endUserKeys.fill(undefined);
    endUserBase = baseUrl;
  }
  const slot = slotOf(s);
  if (endUserKeys[slot] === s) return copyEndUser(endUserValues[slot]);
  const eu = parseEndUserText(s, baseUrl);
  endUserKeys[slot] = s;
  endUserValues[slot] = eu;
  return copyEndUser(eu);
}

/**
 * Entries of each translation cache. A call's every update (root leg, user legs, their
 * `other_info`) repeats the same CRM string, so a few hundred cover the live calls of a busy PBX;
 * a full cache is simply emptied (cheaper than LRU bookkeeping, and refilled within one update
 * round of the live calls).
 */
const CACHE_SIZE = 256;

/**
 * Parsed `end_user` strings (never `null`: all-`*` is answered before the lookup) for the base URL
 * `endUserBase`; a call with another base empties it. Direct-mapped: a string's slot comes from a
 * sampled hash ({@link slotOf}) and a hit is confirmed by comparing the strings, so a lookup does
 * not hash the whole string as a Map would (CRM strings run to hundreds of characters); a colliding
 * string just replaces the entry. The cached objects are never handed out: callers get fresh copies
 * ({@link copyEndUser}), so one event's objects can be mutated without touching another's. Copying
 * 2 + N small objects costs a fraction of split + 5 URL decodes per item.
 */
const endUserKeys: Array<string | undefined> = new Array(CACHE_SIZE).fill(undefined);
const endUserValues: EndUser[] = new Array(CACHE_SIZE);
let endUserBase: string | undefined;

/**
 * Slot of `s` in a cache of CACHE_SIZE (a power of 2): length, the first 16 characters (CRM ids,
 * `_MANY_:N|` and the first id) and four more spread over the string.
 */
function slotOf(s: string): number {
  const n = s.length;
  let h = Math.imul(n, 0x9e3779b1);
  const m = n < 16 ? n : 16;
  for (let i = 0; i < m; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  if (n > 16) {
    h = Math.imul(h ^ s.charCodeAt(n >> 2), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(n >> 1), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(n - (n >> 2)), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(n - 1), 0x01000193);
  }
  return (h ^ (h >>> 15)) & (CACHE_SIZE - 1);
}

function copyEndUser(e: EndUser): EndUser {
  const src = e.items;
  const items: EndUserItem[] = new Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const it = src[i];
    items[i] = { id: it.id, name: it.name, organization: it.organization, avatar: it.avatar, prefecture: it.prefecture };
  }
  return { count: e.count, items };
}

function parseEndUserText(s: string, baseUrl: string | undefined): EndUser {
  if (s.startsWith('_MANY_:')) {
    const parts = s.split('|');
    const items: EndUserItem[] = [];
    for (let i = 1; i < parts.length; i++) if (parts[i] !== '') items.push(parseEndUserItem(parts[i], baseUrl));
    const n = Number.parseInt(parts[0].slice(7), 10);
    return { count: Number.isFinite(n) ? n : items.length, items };
  }
  return { count: 1, items: [parseEndUserItem(s, baseUrl)] };
}

/**
 * Translate `origination`: `*`-separated percent-encoded parts → `string[]`, each part only
 * percent-decoded ({@link decodePercent}: a literal `+` stays `+`, unlike `end_user`); positions
 * kept, so empty parts stay `''` (`'a**b'` → `['a', '', 'b']`, `'*'` → `['', '']`); `''` → `[]`
 * (1.4.0 gave `undefined` for `''`: it skipped falsy values); `undefined` → `undefined`.
 * (PROTOCOL.md `origination`) Cached like {@link parseEndUser}; every call returns a new array.
 */
export function parseOrigination(value: unknown): string[] | unknown {
  const s = textOf(value);
  if (s === undefined) return value;
  if (s === '') return [];
  const hit = originations.get(s);
  if (hit !== undefined) return hit.slice();
  const parts = s.split('*');
  for (let i = 0; i < parts.length; i++) parts[i] = decodePercent(parts[i]);
  if (originations.size >= CACHE_SIZE) originations.clear();
  originations.set(s, parts);
  return parts.slice();
}

/** Parsed `origination` strings, handed out as copies (as {@link endUsers}). */
const originations = new Map<string, string[]>();

/**
 * Translate `tags`: `;`-separated → `string[]`, empty parts dropped (`'a;b;'` → `['a','b']`,
 * `''` → `[]`); `undefined` → `undefined`. (PROTOCOL.md `tags`)
 */
export function parseTags(value: unknown): string[] | unknown {
  const s = textOf(value);
  if (s === undefined) return value;
  // most channels carry one tag or none: no split
  if (s.indexOf(';') < 0) return s === '' ? [] : [s];
  const out: string[] = [];
  for (const t of s.split(';')) if (t !== '') out.push(t);
  return out;
}

/**
 * Translate `target` `{Type, Id, Name, Address}` → `{type, id, name, address}`; a non-tuple
 * (e.g. `undefined`) is returned unchanged. (PROTOCOL.md `target`)
 */
export function parseTarget(value: unknown): ChannelTarget | unknown {
  if (!Array.isArray(value)) return value;
  return { type: value[0], id: value[1], name: value[2], address: value[3] };
}

/**
 * Translate `other_info` `{Type, UserIdOrEndUser, Direction, PeerLocation, Address,
 * OfferTimestamp (µs), GroupId, WhosCall}` → `{type, direction, peer_location, address,
 * offer_timestamp, whoscall}` plus `user_id` and `group_id` for type `user`, else `end_user`
 * (translated, `null` when absent or all `*`). A non-tuple is returned unchanged.
 * (PROTOCOL.md `other_info`)
 */
export function parseOtherInfo(value: unknown, baseUrl?: string): OtherInfo | unknown {
  if (!Array.isArray(value)) return value;
  const o: OtherInfo = {
    type: value[0],
    direction: value[2],
    peer_location: value[3],
    address: value[4],
    offer_timestamp: value[5],
    whoscall: value[7],
  };
  if (value[0] === 'user') {
    o.user_id = value[1];
    o.group_id = value[6];
  } else {
    const eu = parseEndUser(value[1], baseUrl);
    o.end_user = eu === undefined ? null : (eu as EndUser | null);
  }
  return o;
}

const NO_TARGET_DATA: readonly unknown[] = [];

// One object literal per target type (keys in the same order as before), not a base object grown
// key by key: no hidden-class transitions per state.
function callingData(a: unknown[]): ChannelState['data'] {
  const loc = a[2] as string;
  const targetType = a[3] as string;
  const td = a[4];
  const t = Array.isArray(td) ? td : NO_TARGET_DATA;
  switch (targetType) {
    case 'user':
      return { target_location: loc, target_type: targetType, user_id: t[0] };
    case 'group':
      return t[0] === 'ring'
        ? { target_location: loc, target_type: targetType, group_type: t[0], group_id: t[1], group_queue_id: t[4] }
        : { target_location: loc, target_type: targetType, group_type: t[0], group_id: t[1] };
    case 'pstn':
      return { target_location: loc, target_type: targetType, address: t[0] };
    case 'bridged_endpoint':
      return { target_location: loc, target_type: targetType, address: `${String(t[0])}@${String(t[1])}` };
    default:
      return { target_location: loc, target_type: targetType, target_data: td };
  }
}

/**
 * Translate `state` `{Ts, Name, ...}` → `{ts, name, data}` (PROTOCOL.md `state`; `ts` in µs):
 * - `calling` `{Ts, calling, Loc, Type, TargetData}` → `target_location`, `target_type` and by type:
 *   `user` `{UserId}` → `user_id`; `group` `{GroupType, GroupId, _, _, QueueId}` → `group_type`,
 *   `group_id`, plus `group_queue_id` for `ring`; `pstn` `{Address}` → `address`;
 *   `bridged_endpoint` `{User, Host}` → `address` `User@Host`; another type → `target_data` (raw);
 * - `park` `{Ts, park, Slot, _, ParkerId, ParkerName}` → `slot`, `parker_id`, `parker_name`;
 * - `voicemail` `{Ts, voicemail, Type, Id, Name}` → `target_type`, `target_id`, `target_name`;
 * - `checking_voicemail` `{Ts, checking_voicemail, Name}` → `target_name`;
 * - `calling_siptermination` → `url`, `ivr` → `ivr_id`, `system_operation` → `operation`,
 *   `conference` → `room_id`: the tuple's LAST element, whatever the length (PROTOCOL.md writes
 *   them `{Ts, .., X}`); every other name reads fixed positions and ignores values past them;
 * - `eavesdrop` `{Ts, eavesdrop, Uuid, EavesdropState}` → `uuid`, `eavesdrop_state`;
 * - `bridged`, `xml_ivr`, and any unknown name → `data: {}`.
 * A non-tuple (e.g. `undefined`) is returned unchanged.
 */
export function parseState(value: unknown): ChannelState | unknown {
  if (!Array.isArray(value)) return value;
  const name = value[1] as string;
  let data: ChannelState['data'];
  switch (name) {
    case 'calling':
      data = callingData(value);
      break;
    case 'park':
      data = { slot: value[2], parker_id: value[4], parker_name: value[5] };
      break;
    case 'voicemail':
      data = { target_type: value[2], target_id: value[3], target_name: value[4] };
      break;
    case 'checking_voicemail':
      data = { target_name: value[2] };
      break;
    case 'calling_siptermination':
      data = { url: value.length > 2 ? value[value.length - 1] : undefined };
      break;
    case 'ivr':
      data = { ivr_id: value.length > 2 ? value[value.length - 1] : undefined };
      break;
    case 'system_operation':
      data = { operation: value.length > 2 ? value[value.length - 1] : undefined };
      break;
    case 'conference':
      data = { room_id: value.length > 2 ? value[value.length - 1] : undefined };
      break;
    case 'eavesdrop':
      data = { uuid: value[2], eavesdrop_state: value[3] };
      break;
    default:
      data = {};
  }
  return { ts: value[0], name, data };
}
