/**
 * What a channel-like record means to a receptionist: a parked call (and in which slot), a caller
 * waiting in a group's queue, a parked call ringing back, or none of these. Pure functions of the
 * translated records (no DOM, no state): usable by library users as by the console.
 *
 * Rules: ../shared/PROTOCOL.md "Corrections of 2026-12-05" and "Queues":
 * - a record's kind is decided by its `state`, not by the map (`channel`, `channel_waiting`,
 *   `queued_channel`, `parked_channel`) it came in: `park` → a park slot (`data.slot`, parker
 *   `parker_id` / `parker_name`); `calling` a `group` → a caller waiting in that group's queue;
 * - a `channel` alone says the same: `calling` a `ring` group with a `group_queue_id` is a caller
 *   waiting in that group's queue (the seed README's `queued_channel` example has exactly that
 *   state) — used when the PBX sends no waiting records at all;
 * - a channel whose `called_number` starts with `RINGING_PARK` is a parked call ringing back; its
 *   state may be `ringing` (a state name the vendor documents nowhere else);
 * - park slot numbers: 901–996, three per `park_group` (a user field) from `901 + park_group × 3`,
 *   and 997–999 (the vendor's webphone).
 */
import type { Channel, ChannelState, ParkedChannel, QueuedChannel } from './types.ts';

/** Any channel-like record: `channel`, `channel_waiting`, `queued_channel`, `parked_channel`. */
export type ChannelLike = Channel | ParkedChannel | QueuedChannel;

/** A finite number from a wire value (number, bigint, numeric string), else null. */
function num(v: unknown): number | null {
  if (v === undefined || v === null || v === '' || typeof v === 'boolean') return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** `state.ts` (µs since epoch) as a number when positive, else null. */
function tsOf(st: ChannelState | undefined): number | null {
  const n = num(st?.ts);
  return n !== null && n > 0 ? n : null;
}

/** A parked call as its `park` state tells it. */
export interface ParkInfo {
  /** the park slot (901–999 on a Basix PBX), or null when the state names none */
  slot: number | null;
  /** the user who parked it (`parker_id`), or null */
  parkerId: number | null;
  /** the parker's login name as the PBX sends it (`parker_name`), or null */
  parkerName: string | null;
  /** PBX µs since epoch when it was parked (`state.ts`), or null */
  sinceUs: number | null;
}

/**
 * The park data of a record in state `park`, whatever map it came in; null for any other state.
 * @param rec a translated channel-like record (PROTOCOL.md "Field translations": `park`)
 */
export function parkInfoOf(rec: ChannelLike | null | undefined): ParkInfo | null {
  const st = rec?.state;
  if (!st || st.name !== 'park') return null;
  const d = st.data ?? {};
  return {
    slot: num(d.slot),
    parkerId: num(d.parker_id),
    parkerName: typeof d.parker_name === 'string' && d.parker_name !== '' ? d.parker_name : null,
    sinceUs: tsOf(st),
  };
}

/** A caller waiting in a group's queue, as its state tells it. */
export interface QueueInfo {
  /** the group whose queue it waits in */
  groupId: number;
  /** `ring` or `hunt` as sent (`group_type`), or null */
  groupType: string | null;
  /** the PBX's queue id (`group_queue_id`), or null */
  queueId: string | null;
  /** PBX µs since epoch when it entered this state, or null */
  sinceUs: number | null;
}

function callingGroup(st: ChannelState | undefined): QueueInfo | null {
  if (!st || st.name !== 'calling' || st.data?.target_type !== 'group') return null;
  const groupId = num(st.data.group_id);
  if (groupId === null) return null;
  const qid = st.data.group_queue_id;
  return {
    groupId,
    groupType: typeof st.data.group_type === 'string' ? st.data.group_type : null,
    queueId: qid === undefined || qid === null || qid === '' ? null : String(qid),
    sinceUs: tsOf(st),
  };
}

/**
 * The queue a WAITING record (`channel_waiting`, `queued_channel`, or a `parked_channel` whose
 * state says otherwise) waits in: its state `calling` a group (any group type: the PBX put it in
 * a waiting map). Null for a parked record, or a state that names no group.
 */
export function waitingQueueOf(rec: ChannelLike | null | undefined): QueueInfo | null {
  return callingGroup(rec?.state);
}

/**
 * The queue a `channel` waits in when the PBX sends no waiting records: state `calling` a `ring`
 * group with a `group_queue_id` (PROTOCOL.md "Queues"). A hunt group has no queue: a hunt-group
 * call rings one member after another, so it is a ringing call, never a queued one (ours: the
 * vendor documents no hunt-group queue). A hung-up channel waits nowhere.
 */
export function channelQueueOf(ch: Channel | null | undefined): QueueInfo | null {
  if (!ch || ch.last_event === 'CHANNEL_HANGUP' || isParkRingBack(ch)) return null;
  const q = callingGroup(ch.state);
  return q !== null && q.groupType === 'ring' && q.queueId !== null ? q : null;
}

/** The `called_number` prefix of a parked call ringing back (PROTOCOL.md Corrections). */
export const RINGING_PARK_PREFIX = 'RINGING_PARK';

/** True when the channel is a parked call ringing back (`called_number` starts with `RINGING_PARK`) and not hung up. */
export function isParkRingBack(ch: Channel | null | undefined): boolean {
  return (
    !!ch &&
    typeof ch.called_number === 'string' &&
    ch.called_number.startsWith(RINGING_PARK_PREFIX) &&
    ch.last_event !== 'CHANNEL_HANGUP'
  );
}

/** A parked call ringing back, as far as the channel tells. */
export interface ParkRingBack {
  /**
   * the slot it was parked in: the digits the PBX appends to `RINGING_PARK` if any (the format
   * after the prefix is not documented: `RINGING_PARK905`, `RINGING_PARK_905` and `RINGING_PARK/905`
   * are read alike), else null
   */
  slot: number | null;
  /** the user whose phone it rings (state `calling` a user, else the channel's `user_id`), or null */
  userId: number | null;
}

/**
 * The ring-back data of a channel that {@link isParkRingBack}, else null.
 * @param ch a translated `channel`
 */
export function parkRingBackOf(ch: Channel | null | undefined): ParkRingBack | null {
  if (!ch || !isParkRingBack(ch)) return null;
  const m = /^RINGING_PARK\D{0,3}(\d{1,6})/.exec(String(ch.called_number));
  const d = ch.state?.data;
  const target = ch.state?.name === 'calling' && d?.target_type === 'user' ? num(d.user_id) : null;
  return { slot: m ? Number(m[1]) : null, userId: target ?? num(ch.user_id) };
}

/** First slot of the park groups' numbering (slot of park group 0). */
export const PARK_SLOT_FIRST = 901;
/** Last slot numbered by park group (901 + 31 × 3 + 2). */
export const PARK_SLOT_LAST_GROUPED = 996;
/** Slots that belong to no park group (997–999). */
export const PARK_SLOTS_SHARED: readonly number[] = Object.freeze([997, 998, 999]);
/** Slots per park group. */
export const PARK_SLOTS_PER_GROUP = 3;

/**
 * The park slots of one `park_group`: `901 + g × 3` and the next two (vendor webphone numbering).
 * @param parkGroup the user's `park_group` (0, 1, …)
 * @returns three slot numbers, or `[]` for a group that is not a whole number ≥ 0 or whose slots
 *   would pass 996
 */
export function parkSlotsOfGroup(parkGroup: number): number[] {
  if (!Number.isInteger(parkGroup) || parkGroup < 0) return [];
  const first = PARK_SLOT_FIRST + parkGroup * PARK_SLOTS_PER_GROUP;
  if (first + PARK_SLOTS_PER_GROUP - 1 > PARK_SLOT_LAST_GROUPED) return [];
  return [first, first + 1, first + 2];
}

/** The `park_group` a slot number belongs to (901–996), or null (997–999 and anything else). */
export function parkGroupOfSlot(slot: number): number | null {
  if (!Number.isInteger(slot) || slot < PARK_SLOT_FIRST || slot > PARK_SLOT_LAST_GROUPED) return null;
  return Math.floor((slot - PARK_SLOT_FIRST) / PARK_SLOTS_PER_GROUP);
}

/** How one channel-like record is to be shown. */
export type WaitingClass =
  | ({ kind: 'parked' } & ParkInfo)
  | ({ kind: 'queued' } & QueueInfo)
  | ({ kind: 'park_ring_back' } & ParkRingBack)
  | { kind: 'none' };

/**
 * Classifies one record by its state (PROTOCOL.md Corrections): `park` → parked; a ring-back
 * (`RINGING_PARK`) → park ring-back; `calling` a group → queued — for a waiting record
 * (`waiting: true`: it came in `channel_waiting`, `queued_channel` or `parked_channel`) any group,
 * for a plain `channel` only a ring group with a `group_queue_id` ({@link channelQueueOf}; pass
 * `channelsQueue: false` when the PBX sends waiting records, which then are the queue's only
 * source). Never throws; any other record is `none`.
 * @param rec a translated record
 * @param opts `waiting`: the record came in a waiting map (default false); `channelsQueue`: a
 *   plain channel may be a queued caller (default true)
 */
export function classifyWaiting(
  rec: ChannelLike | null | undefined,
  opts: { waiting?: boolean; channelsQueue?: boolean } = {},
): WaitingClass {
  if (!rec || typeof rec !== 'object') return { kind: 'none' };
  const park = parkInfoOf(rec);
  if (park) return { kind: 'parked', ...park };
  const rb = parkRingBackOf(rec as Channel);
  if (rb) return { kind: 'park_ring_back', ...rb };
  const q = opts.waiting ? waitingQueueOf(rec) : opts.channelsQueue === false ? null : channelQueueOf(rec as Channel);
  return q ? { kind: 'queued', ...q } : { kind: 'none' };
}
