// Missed and abandoned calls: calls that ended without being answered, kept across page reloads.
// Rules: PROTOCOL.md "Field translations" (last_event_data `SIDE,CAUSE` on CHANNEL_HANGUP; a
// ringing call ending `recv_cancel,ORIGINATOR_CANCEL` is a caller who hung up before being
// answered) and the README's channel fields (answered ⇔ answer_timestamp present).

import type { Channel, EndUser } from '../stores/cti-types.ts';
import { wireUsToNumber } from './clock.ts';

/** How a call ended: `last_event_data` split into its two parts. */
export interface HangupDisposition {
  /** `recv_bye`, `send_bye`, `recv_cancel`, `send_cancel`, `recv_refuse`, `send_refuse`, or null */
  side: string | null;
  /** FreeSWITCH hangup cause, e.g. `ORIGINATOR_CANCEL`, `NO_ANSWER`; or null */
  cause: string | null;
  /** the raw `last_event_data`, or null if absent */
  raw: string | null;
}

/** One unanswered call, as kept in the list and in localStorage (JSON-safe: no bigint). */
export interface MissedCall {
  /** uuid of the caller's channel */
  uuid: string;
  callerNumber: string | null;
  callerName: string | null;
  /** CRM data of the caller (PROTOCOL.md `end_user`), or null */
  endUser: EndUser | null;
  /** what they called */
  called: { kind: 'group' | 'user' | 'other'; id: number | null; name: string | null; number: string | null };
  /** PBX µs when the call was offered (or first seen waiting), or null */
  offeredAtUs: number | null;
  /** PBX µs when it ended (hangup_timestamp, else the estimated PBX now) */
  endedAtUs: number;
  /** how long the caller waited, ms (ended − offered), or null if unknown */
  waitedMs: number | null;
  disposition: HangupDisposition;
  /** true when the caller gave up (hung up while ringing / queued: recv_cancel or ORIGINATOR_CANCEL) */
  abandoned: boolean;
  /** the caller's leg was internal (an extension), not an outside line */
  internal: boolean;
  /** the state the call was in when it ended (`calling`, `voicemail`, …), or null */
  endedIn: string | null;
  /**
   * `'outage'` for a {@link MissedCallsOutage} marker (calls may be missing in that span);
   * absent or `'call'` for a missed call
   */
  kind?: 'call' | 'outage';
  /** only on outage markers: PBX µs when the console stopped being live and when it was live again */
  outage?: { fromUs: number; toUs: number };
  /**
   * When the operator marked the caller as called back (issue 11), epoch ms of this browser's
   * clock; absent when not marked. Ours (no PBX data): kept with the list, see {@link withCalledBack}.
   */
  calledBackAt?: number;
}

/**
 * A marker in the missed-call list: the console was not live between `outage.fromUs` and
 * `outage.toUs` (PBX µs; a dropped socket, or the page closed / reloaded), so calls that ended
 * then are unknown: "Calls may be missing between 14:02 and 14:05". It is a `MissedCall` so it
 * sorts, persists and clears with the list: `uuid` `outage:<fromUs>`, `offeredAtUs` = from,
 * `endedAtUs` = to, caller/called/disposition empty. Panels must test `kind === 'outage'`.
 */
export interface MissedCallsOutage extends MissedCall {
  kind: 'outage';
  outage: { fromUs: number; toUs: number };
}

/** True for an outage marker of the missed-call list. */
export function isOutageMarker(c: MissedCall): c is MissedCallsOutage {
  return c.kind === 'outage' && !!c.outage;
}

/**
 * A span the console was not live counts as an outage (a marker in the list) from this long, ms.
 * Shorter ones — a reload, a quick reconnect — add none unless a call was seen to be lost in them
 * (a caller ringing when sight was lost was gone when it came back: src/features/missed/missed-outage.ts).
 * Ours (issue 9); a caller who rings and gives up within 10 s of a blind span is the accepted miss.
 */
export const OUTAGE_MIN_MS = 10_000;

/**
 * Builds the outage marker for a span the console was not live (PBX µs).
 * @param opts.minMs shortest span that gives a marker, ms; default {@link OUTAGE_MIN_MS}
 * @returns the marker, or null if the span is shorter than `minMs`, empty or not finite
 */
export function outageMarker(fromUs: number, toUs: number, opts: { minMs?: number } = {}): MissedCallsOutage | null {
  if (!Number.isFinite(fromUs) || !Number.isFinite(toUs) || toUs <= fromUs) return null;
  if (toUs - fromUs < (opts.minMs ?? OUTAGE_MIN_MS) * 1000) return null;
  const from = Math.round(fromUs);
  const to = Math.round(toUs);
  return {
    kind: 'outage',
    outage: { fromUs: from, toUs: to },
    uuid: `outage:${from}`,
    callerNumber: null,
    callerName: null,
    endUser: null,
    called: { kind: 'other', id: null, name: null, number: null },
    offeredAtUs: from,
    endedAtUs: to,
    waitedMs: null,
    disposition: { side: null, cause: null, raw: null },
    abandoned: false,
    internal: false,
    endedIn: null,
  };
}

/**
 * Splits `last_event_data` (`SIDE,CAUSE`) — PROTOCOL.md "Field translations".
 * @param raw e.g. `recv_cancel,ORIGINATOR_CANCEL`; anything else gives nulls where parts are missing
 */
export function splitHangupDisposition(raw: unknown): HangupDisposition {
  if (typeof raw !== 'string' || raw === '') return { side: null, cause: null, raw: null };
  const comma = raw.indexOf(',');
  if (comma < 0) return { side: null, cause: raw.trim() || null, raw };
  return { side: raw.slice(0, comma).trim() || null, cause: raw.slice(comma + 1).trim() || null, raw };
}

/** Element kinds whose records are calls (PROTOCOL.md "Elements"). */
export const CHANNEL_KINDS = ['channel', 'channel_waiting', 'queued_channel', 'parked_channel'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Names for what was called, from the console's user/group maps. */
export interface MissedCallLookup {
  userName(id: number): string | null;
  groupName(id: number): string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function calledOf(rec: Channel, prev: Channel | undefined, lookup: MissedCallLookup): MissedCall['called'] | null {
  for (const c of [rec, prev]) {
    const st = c?.state;
    if (st?.name === 'calling' && st.data) {
      if (st.data.target_type === 'group' && st.data.group_id !== undefined) {
        const id = Number(st.data.group_id);
        return { kind: 'group', id, name: lookup.groupName(id), number: c?.called_number ?? null };
      }
      if (st.data.target_type === 'user' && st.data.user_id !== undefined) {
        const id = Number(st.data.user_id);
        return { kind: 'user', id, name: lookup.userName(id), number: c?.called_number ?? null };
      }
    }
  }
  for (const c of [rec, prev]) {
    const st = c?.state;
    if (st?.name === 'voicemail' && st.data && st.data.target_id !== undefined && (st.data.target_type === 'group' || st.data.target_type === 'user')) {
      const id = Number(st.data.target_id);
      const name = st.data.target_type === 'group' ? lookup.groupName(id) : lookup.userName(id);
      return { kind: st.data.target_type, id, name: name ?? st.data.target_name ?? null, number: c?.called_number ?? null };
    }
  }
  for (const c of [rec, prev]) {
    const t = c?.target;
    if (t && (t.type === 'group' || t.type === 'user') && t.id !== undefined) {
      const id = Number(t.id);
      const name = t.type === 'group' ? lookup.groupName(id) : lookup.userName(id);
      return { kind: t.type, id, name: name ?? t.name ?? null, number: t.address ?? c?.called_number ?? null };
    }
  }
  return null;
}

/**
 * Decides whether a channel-like record that just ended is a missed call, and if so builds it.
 * A missed call: the record's `last_event` is `CHANNEL_HANGUP`; it is the caller's leg
 * (`direction` `inbound`, or a waiting/queued record, which is always the caller); it has no
 * `answer_timestamp` (now or before); and it was calling a group or a user (state `calling`, a
 * `target`, or it waited in a queue). Legs the PBX created to ring phones (`outbound`) are not
 * calls of their own: they end `LOSE_RACE` / `NO_ANSWER` whenever another member answers.
 * @param kind element kind of the record
 * @param rec the record as received with the hangup
 * @param prev the record as known before (carries the state before hangup), if any
 * @param lookup names of users and groups
 * @param pbxNowUs PBX now, µs, used when the record has no hangup_timestamp
 * @returns the missed call, or null if this is not one
 */
export function detectMissedCall(
  kind: string,
  rec: Channel,
  prev: Channel | undefined,
  lookup: MissedCallLookup,
  pbxNowUs: number,
): MissedCall | null {
  if (!(CHANNEL_KINDS as readonly string[]).includes(kind) || kind === 'parked_channel') return null;
  if (rec.last_event !== 'CHANNEL_HANGUP') return null;
  const waitingKind = kind === 'channel_waiting' || kind === 'queued_channel';
  const direction = rec.direction ?? prev?.direction;
  if (waitingKind ? direction === 'outbound' : direction !== 'inbound') return null;
  if (wireUsToNumber(rec.answer_timestamp) !== null || wireUsToNumber(prev?.answer_timestamp) !== null) return null;
  const called = calledOf(rec, prev, lookup) ?? (waitingKind ? { kind: 'other' as const, id: null, name: null, number: rec.called_number ?? null } : null);
  if (!called) return null;

  const disposition = splitHangupDisposition(rec.last_event_data);
  const offeredAtUs =
    wireUsToNumber(rec.offer_timestamp) ?? wireUsToNumber(prev?.offer_timestamp) ?? wireUsToNumber(prev?.state?.ts) ?? null;
  const endedAtUs = wireUsToNumber(rec.hangup_timestamp) ?? pbxNowUs;
  const abandoned = disposition.side === 'recv_cancel' || disposition.cause === 'ORIGINATOR_CANCEL';
  const peerLocation = rec.peer_location ?? prev?.peer_location;
  return {
    uuid: String(rec.uuid),
    callerNumber: str(rec.calling_number) ?? str(rec.peer_number) ?? str(prev?.calling_number) ?? str(prev?.peer_number),
    callerName: rec.calling_name ?? prev?.calling_name ?? null,
    endUser: rec.end_user ?? prev?.end_user ?? null,
    called,
    offeredAtUs,
    endedAtUs,
    waitedMs: offeredAtUs === null ? null : Math.max(0, (endedAtUs - offeredAtUs) / 1000),
    disposition,
    abandoned,
    internal: peerLocation === 'internal',
    endedIn: prev?.state?.name ?? rec.state?.name ?? null,
  };
}

/**
 * Most missed calls {@link addMissedCalls} keeps when no limit is given: none. The list holds a
 * whole busy day and more (issue 12); what is kept over days is src/lib/missed-calls-retention.ts.
 */
export const MAX_MISSED_CALLS = Infinity;
/**
 * localStorage key prefix of the lists of consoles before IndexedDB (`v1`): each owner's under
 * `<prefix>:<domain>:<username>` ({@link missedCallsStorageKey}); the bare prefix is where an even
 * older console kept the one list of the browser. Both are moved into IndexedDB once
 * (src/lib/missed-calls-persister.ts) and then removed.
 */
export const MISSED_CALLS_STORAGE_KEY = 'basix-console.missed-calls.v1';

/** The uuids of a list made by {@link addMissedCalls}, until it is extended (then they move to the new list). */
const uuidSets = new WeakMap<readonly MissedCall[], Set<string>>();

/**
 * Adds calls to a list: newest first (by `endedAtUs`), one entry per uuid (the existing one
 * wins: a call is recorded once even if both its `channel` and `channel_waiting` hang up).
 * With `max`, at most that many missed calls are kept (the oldest dropped); outage markers never
 * count against it, and a marker older than every kept call goes with them.
 * @param max default {@link MAX_MISSED_CALLS} (no limit)
 * @returns a new array (the input is not changed), or the same one if nothing was added
 */
export function addMissedCalls(list: readonly MissedCall[], calls: readonly MissedCall[], max = MAX_MISSED_CALLS): MissedCall[] {
  // The uuid set of the list is handed from each list to the next one made from it (the store
  // adds to the newest list on every batch with a hang-up: a day's thousands of entries are not
  // re-read each time); a list used again after that (an older one) gets its set rebuilt.
  let seen = uuidSets.get(list);
  uuidSets.delete(list);
  if (!seen) {
    seen = new Set<string>();
    for (const c of list) seen.add(c.uuid);
  }
  const set = seen;
  const fresh = calls.filter((c) => {
    if (set.has(c.uuid)) return false;
    set.add(c.uuid);
    return true;
  });
  if (fresh.length === 0) {
    uuidSets.set(list, set); // nothing was added to it
    return list as MissedCall[];
  }
  const merged = mergeNewestFirst(list, fresh);
  if (!(max < merged.length)) {
    uuidSets.set(merged, set);
    return merged;
  }
  let kept = 0;
  let dropped = false;
  let oldestKeptUs = Infinity;
  const out: MissedCall[] = [];
  for (const c of merged) {
    if (isOutageMarker(c)) out.push(c);
    else if (kept < max) {
      kept++;
      oldestKeptUs = c.endedAtUs;
      out.push(c);
    } else dropped = true;
  }
  return dropped ? out.filter((c) => !isOutageMarker(c) || c.outage.toUs >= oldestKeptUs) : out;
}

/**
 * `list` (newest first by `endedAtUs`, as kept) with `fresh` (any order) merged in: one pass over
 * the list. A list that is not sorted (hand-made) is sorted as a whole instead. Ties: fresh first.
 */
function mergeNewestFirst(list: readonly MissedCall[], fresh: MissedCall[]): MissedCall[] {
  const byNewest = (a: MissedCall, b: MissedCall) => b.endedAtUs - a.endedAtUs;
  fresh.sort(byNewest);
  const out: MissedCall[] = new Array(list.length + fresh.length);
  let i = 0;
  let j = 0;
  let k = 0;
  let prev = Infinity;
  while (i < list.length || j < fresh.length) {
    if (i < list.length && list[i].endedAtUs > prev) return [...fresh, ...list].sort(byNewest); // not sorted
    if (j < fresh.length && (i >= list.length || fresh[j].endedAtUs >= list[i].endedAtUs)) out[k++] = fresh[j++];
    else {
      prev = list[i].endedAtUs;
      out[k++] = list[i++];
    }
  }
  return out;
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** localStorage key prefix of the browser ms until which the console was last known live (for reloads), per owner like the list. */
export const LIVE_UNTIL_STORAGE_KEY = 'basix-console.live-until.v1';
/** localStorage key prefix of the callers being watched when the console was last live (`<prefix>:<owner id>`; src/features/missed/missed-outage.ts). */
export const WATCH_STORAGE_KEY = 'basix-console.missed-watch.v1';

// ---- whose list --------------------------------------------------------------------------------

/**
 * A logged-in PBX user and their domain, as `GET /basix/api/session` answers (`username`,
 * `domain`; that endpoint is ours and optional). A reception PC is shared: each operator has their own list.
 */
export interface MissedCallsUser {
  username: string;
  /** null when the PBX does not say (single-domain PBX) */
  domain: string | null;
}

/**
 * The browser's own list on one PBX, when the console cannot tell who is logged in (a real PBX
 * has no session endpoint, issue 9): keyed by the origin the console talks to; cleared on log-out.
 */
export interface MissedCallsBrowser {
  /** e.g. `https://pbx.example.jp` (`location.origin`) */
  origin: string;
}

/** Whose missed-call list: a known user, or this browser on this PBX. */
export type MissedCallsOwner = MissedCallsUser | MissedCallsBrowser;

/** True for the browser-wide owner (user unknown). */
export function isBrowserOwner(o: MissedCallsOwner | null): o is MissedCallsBrowser {
  return !!o && typeof (o as MissedCallsBrowser).origin === 'string';
}

/** The owner whose list is loaded and saved; null before it is known and after a logout. */
let currentOwner: MissedCallsOwner | null = null;

/**
 * A string naming the owner, used in every storage key: `<domain>:<username>` (URI-encoded parts,
 * as the v1 localStorage keys had them) or `origin=<origin>` (encoded: no bare `:`, so it never
 * equals a user's id).
 */
export function missedCallsOwnerId(o: MissedCallsOwner): string {
  if (isBrowserOwner(o)) return `origin=${encodeURIComponent(o.origin)}`;
  return `${encodeURIComponent(o.domain ?? '')}:${encodeURIComponent(o.username)}`;
}

/** The v1 localStorage key of a user's list (`basix-console.missed-calls.v1:<domain>:<username>`): read once for the move into IndexedDB. */
export function missedCallsStorageKey(owner: MissedCallsOwner): string {
  return `${MISSED_CALLS_STORAGE_KEY}:${missedCallsOwnerId(owner)}`;
}

/** The localStorage key of `owner`'s live-until mark. */
export function liveUntilStorageKey(owner: MissedCallsOwner): string {
  return `${LIVE_UNTIL_STORAGE_KEY}:${missedCallsOwnerId(owner)}`;
}

/** True when both name the same owner (or both are null). */
export function sameOwner(a: MissedCallsOwner | null, b: MissedCallsOwner | null): boolean {
  return a === b || (!!a && !!b && missedCallsOwnerId(a) === missedCallsOwnerId(b));
}

/** The owner the list is kept for now, or null (nothing is loaded or saved then). */
export function getMissedCallsOwner(): MissedCallsOwner | null {
  return currentOwner;
}

/**
 * Where the list is saved: set by src/features/missed/missed-owner.ts (IndexedDB, batched,
 * src/lib/missed-calls-persister.ts). Null: nothing is saved (Node, tests).
 */
export interface MissedCallsSink {
  /** the current owner's whole list, newest first; the sink writes what changed, later */
  save(list: readonly MissedCall[]): void;
}

let sink: MissedCallsSink | null = null;

/** Registers where {@link saveMissedCalls} writes (null: nowhere). */
export function setMissedCallsSink(s: MissedCallsSink | null): void {
  sink = s;
}

/**
 * Switches whose list {@link saveMissedCalls} and the live-until mark use. With `null` (before
 * the owner is known, after a logout) nothing is saved, so one operator's calls never show
 * under another's login. Loading is asynchronous (IndexedDB): src/features/missed/missed-owner.ts.
 * A caller with a pending throttled save must flush it before switching (it would go to the new owner).
 */
export function setMissedCallsOwner(owner: MissedCallsOwner | null): void {
  currentOwner = !owner ? null : isBrowserOwner(owner) ? { origin: owner.origin } : { username: owner.username, domain: owner.domain ?? null };
}

// ---- persistence (for the current owner) -------------------------------------------------------

/**
 * Remembers that the console was live at browser ms `atMs` (so that the next page load knows
 * since when calls may be missing), for the current owner; nothing without one. A storage error
 * only loses the mark (the next load then adds no marker for the gap); it is not thrown.
 */
export function saveLiveUntil(atMs: number, storage: StorageLike | null = defaultStorage()): void {
  if (!storage || !currentOwner || !Number.isFinite(atMs)) return;
  try {
    storage.setItem(liveUntilStorageKey(currentOwner), String(Math.round(atMs)));
  } catch {
    /* quota exceeded / storage disabled: a marker-less reload, nothing else */
  }
}

/** The current owner's browser ms saved by {@link saveLiveUntil}, or null (none, no owner, corrupt, no storage). */
export function loadLiveUntil(storage: StorageLike | null = defaultStorage()): number | null {
  if (!storage || !currentOwner) return null;
  try {
    const raw = storage.getItem(liveUntilStorageKey(currentOwner));
    const n = raw === null ? NaN : Number(raw);
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** `localStorage`, or null where there is none (Node) or it is disabled. */
export function defaultStorage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // e.g. storage disabled by the browser's privacy settings
  }
}

/**
 * True for a stored value of the {@link MissedCall} shape (fills `endedIn` stored before it
 * existed); corrupt or foreign values are false and get dropped by the readers.
 */
export function isMissedCall(v: unknown): v is MissedCall {
  if (!v || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  if (!(typeof c.uuid === 'string' && typeof c.endedAtUs === 'number' && Number.isFinite(c.endedAtUs) && !!c.called && typeof c.called === 'object' && !!c.disposition)) return false;
  if (c.endedIn === undefined) c.endedIn = null; // stored before the field existed
  if (c.calledBackAt !== undefined && !(typeof c.calledBackAt === 'number' && Number.isFinite(c.calledBackAt))) delete c.calledBackAt;
  if (c.kind === 'outage') {
    const o = c.outage as { fromUs?: unknown; toUs?: unknown } | undefined;
    return !!o && typeof o.fromUs === 'number' && typeof o.toUs === 'number';
  }
  return true;
}

/** Parses a JSON list as the v1 localStorage kept it: valid entries, newest first; `[]` for anything else. */
export function readListText(raw: string | null): MissedCall[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? addMissedCalls([], parsed.filter(isMissedCall)) : [];
  } catch {
    return [];
  }
}

/**
 * The list as known synchronously at start-up: always `[]` (it is in IndexedDB, read
 * asynchronously once the owner is known: src/features/missed/missed-owner.ts). Kept for the store.
 */
export function loadMissedCalls(): MissedCall[] {
  return [];
}

/**
 * Hands the current owner's list to the sink (IndexedDB, written in batches); without an owner
 * or a sink nothing is written. Storage errors are not swallowed: the sink reports them, and the
 * missed-call panel says what was not kept.
 */
export function saveMissedCalls(list: readonly MissedCall[]): void {
  if (!currentOwner || !sink) return;
  sink.save(list);
}

/**
 * `list` with the entry `uuid` marked as called back at `atMs` (epoch ms), or unmarked with
 * `null`. Entries are never changed in place: the marked one is a new object (the persister
 * writes an entry again when its object changed, missed-calls-persister.ts). The same array when
 * there is no such call (or an outage marker) or nothing changes.
 */
export function withCalledBack(list: readonly MissedCall[], uuid: string, atMs: number | null): MissedCall[] {
  const i = list.findIndex((c) => c.uuid === uuid);
  const c = list[i];
  if (!c || isOutageMarker(c) || (atMs === null ? c.calledBackAt === undefined : c.calledBackAt === atMs)) return list as MissedCall[];
  const next: MissedCall = { ...c };
  if (atMs === null) delete next.calledBackAt;
  else next.calledBackAt = atMs;
  const out = list.slice();
  out[i] = next;
  return out;
}

/** `list` without the outage marker `uuid` (the operator dismissed it); the same array if there is none. */
export function withoutOutage(list: readonly MissedCall[], uuid: string): MissedCall[] {
  const i = list.findIndex((c) => c.uuid === uuid && isOutageMarker(c));
  if (i < 0) return list as MissedCall[];
  return list.slice(0, i).concat(list.slice(i + 1));
}
