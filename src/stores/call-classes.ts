// Which calls are parked, queued, or parked calls ringing back: one pass over the four
// channel-like maps per change, shared by the ringing, queue and park selectors (selectors.ts),
// so that one call is shown in one place only. Rules: PROTOCOL.md "Corrections of 2026-12-05"
// and "Queues", applied by the library's src/cti/parser/classify.ts; docs/console-store.md
// "Which panel shows a call" says the same for readers.

// Straight from the library file, not its entry: the UI bundle must not carry the decoder.
import { channelQueueOf, isParkRingBack, parkInfoOf, parkRingBackOf, waitingQueueOf, type ParkRingBack } from '../cti/parser/classify.ts';
import type { Channel } from './cti-types.ts';
import type { ConsoleData } from './console-state.ts';

type Maps = Pick<ConsoleData, 'channel' | 'channel_waiting' | 'queued_channel' | 'parked_channel' | 'kindsSent'>;

/** Where a parked or queued call was learnt from. */
export type WaitingSource = 'channel' | 'channel_waiting' | 'queued_channel' | 'parked_channel';

/** A parked call in a slot. */
export interface ParkedCall {
  /** the parked call: the waiting record merged with its `channel` when both are known */
  channel: Channel;
  slot: number;
  /** PBX µs since when it is parked (state ts) */
  sinceUs: number | null;
  parkerId: number | null;
  /** the parker's login name as the PBX sends it */
  parkerName: string | null;
  /** a leg of this call ringing back (`RINGING_PARK`), or null */
  ringingBack: Channel | null;
  source: WaitingSource;
}

/** A parked call ringing back, as listed among the ringing calls. */
export interface RingBack extends ParkRingBack {
  /** the channel listed (the caller's, when known) */
  channel: Channel;
  /** the `RINGING_PARK…` leg */
  leg: Channel;
}

/** A caller waiting in a group's queue. */
export interface QueuedCall {
  /** the waiting record merged with its `channel` (richer) when both are known */
  channel: Channel;
  groupId: number;
  /** PBX µs since when it waits (state ts), or null */
  sinceUs: number | null;
  source: WaitingSource;
}

export interface CallClasses {
  /** parked calls by slot (the first record seen for a slot wins) */
  bySlot: Map<number, ParkedCall>;
  /** uuids of parked calls, slot known or not: never shown as ringing or queued */
  parkedUuids: Set<string>;
  /** queued callers by uuid (one entry per call, whatever maps it came in) */
  queued: Map<string, QueuedCall>;
  /**
   * parked calls ringing back whose call is no longer in a slot, one per call, keyed by the uuid
   * of the channel to list: the caller's channel (the ring-back leg's `other_uuid`, as the PBX
   * rings the parker through a leg of its own), else the ring-back leg itself; with the slot
   * and the user it rings (from the `RINGING_PARK…` leg) and that leg
   */
  ringBacks: Map<string, RingBack>;
  /** true when the PBX sends no waiting records, so channels alone say who is queued */
  channelsQueue: boolean;
}

const num = (v: unknown): number | null => {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** `{...rec, ...ch}` (a waiting record merged with its channel), one object per (rec, ch) pair. */
const mergedCache = new WeakMap<object, { ch: Channel; merged: Channel }>();
export function mergedWith(rec: Channel, ch: Channel | undefined): Channel {
  if (!ch) return rec;
  const hit = mergedCache.get(rec);
  if (hit && hit.ch === ch) return hit.merged;
  const merged = { ...rec, ...ch };
  mergedCache.set(rec, { ch, merged });
  return merged;
}

/**
 * The record whose state is the call's current one: the channel's when it is newer (by state
 * ts) than the waiting record's — a call answered from the queue before the PBX removed its
 * waiting record is no longer waiting — else the waiting record's.
 */
function current(rec: Channel, ch: Channel | undefined): { rec: Channel; fromChannel: boolean } {
  if (!ch?.state) return { rec, fromChannel: false };
  if (!rec.state) return { rec: ch, fromChannel: true };
  return (num(ch.state.ts) ?? 0) > (num(rec.state.ts) ?? 0) ? { rec: ch, fromChannel: true } : { rec, fromChannel: false };
}

/** The group a waiting record names outside its state (`group_id`, `target`), for records whose state names none. */
function fieldGroupId(rec: Channel): number | null {
  return num(rec.group_id) ?? (rec.target?.type === 'group' ? num(rec.target.id) : null);
}

let last: { inputs: unknown[]; out: CallClasses } | null = null;

/**
 * Classifies every call of the four channel-like maps (memoized on their identity and
 * `kindsSent`):
 * - waiting records (`channel_waiting`, `queued_channel`, `parked_channel`) by state — merged with
 *   the `channel` of the same uuid, whose state wins when newer: `park` → a slot; `calling` a group
 *   → that group's queue; a `channel_waiting` / `queued_channel` whose state names no group falls
 *   back to its `group_id` / `target` (it is in a waiting map after all);
 * - then channels: `park` → a slot; a parked call ringing back (`RINGING_PARK`) → a ring-back
 *   (attached to its slot while its call — the channel or its `other_uuid` — is still parked);
 *   `calling` a ring group with a `group_queue_id` → queued, only when the PBX sends no waiting
 *   records ({@link CallClasses.channelsQueue}: it sent no `channel_waiting` / `queued_channel`
 *   kind since the snapshot and none is held).
 * A uuid is parked, else queued, else neither: never two of them.
 */
export function classifyCalls(s: Maps): CallClasses {
  const inputs = [s.channel, s.channel_waiting, s.queued_channel, s.parked_channel, s.kindsSent];
  if (last && inputs.every((v, i) => v === last!.inputs[i])) return last.out;
  const channelsQueue =
    !s.kindsSent.has('channel_waiting') && !s.kindsSent.has('queued_channel') && s.channel_waiting.size === 0 && s.queued_channel.size === 0;
  const bySlot = new Map<number, ParkedCall>();
  const parkedUuids = new Set<string>();
  const queued = new Map<string, QueuedCall>();

  const park = (rec: Channel, merged: Channel, source: WaitingSource): boolean => {
    const p = parkInfoOf(rec);
    if (!p) return false;
    const uuid = String(merged.uuid);
    parkedUuids.add(uuid);
    if (p.slot !== null && !bySlot.has(p.slot)) {
      bySlot.set(p.slot, { channel: merged, slot: p.slot, sinceUs: p.sinceUs, parkerId: p.parkerId, parkerName: p.parkerName, ringingBack: null, source });
    }
    return true;
  };

  for (const [source, map] of [
    ['channel_waiting', s.channel_waiting],
    ['queued_channel', s.queued_channel],
    ['parked_channel', s.parked_channel],
  ] as const) {
    for (const raw of map.values()) {
      const rec = raw as Channel;
      const uuid = String(rec.uuid);
      if (parkedUuids.has(uuid) || queued.has(uuid)) continue;
      const ch = s.channel.get(uuid);
      const merged = mergedWith(rec, ch);
      const cur = current(rec, ch);
      if (park(cur.rec, merged, source)) continue;
      const q = waitingQueueOf(cur.rec);
      const gid = q?.groupId ?? (cur.fromChannel || source === 'parked_channel' ? null : fieldGroupId(rec));
      if (gid !== null) queued.set(uuid, { channel: merged, groupId: gid, sinceUs: q?.sinceUs ?? num(rec.state?.ts) ?? num(ch?.state?.ts), source });
    }
  }

  const ringing: Channel[] = [];
  for (const ch of s.channel.values()) {
    const uuid = String(ch.uuid);
    if (parkedUuids.has(uuid) || queued.has(uuid) || ch.last_event === 'CHANNEL_HANGUP') continue;
    if (park(ch, ch, 'channel')) continue;
    if (isParkRingBack(ch)) {
      ringing.push(ch);
      continue;
    }
    if (!channelsQueue) continue;
    const q = channelQueueOf(ch);
    if (q) queued.set(uuid, { channel: ch, groupId: q.groupId, sinceUs: q.sinceUs, source: 'channel' });
  }

  // One entry per ring-back call, listed as the caller's channel: an inbound ring-back leg is the
  // caller's own; another leg stands for its `other_uuid` when that channel is known. A call still
  // in a slot shows the ring-back there instead.
  const ringBacks = new Map<string, RingBack>();
  for (const leg of ringing) {
    const other = leg.other_uuid == null ? null : String(leg.other_uuid);
    if (other !== null && parkedUuids.has(other)) {
      const slotted = [...bySlot.values()].find((p) => String(p.channel.uuid) === other);
      if (slotted && slotted.ringingBack === null) bySlot.set(slotted.slot, { ...slotted, ringingBack: leg });
      continue;
    }
    const caller = leg.direction !== 'inbound' && other !== null ? s.channel.get(other) : undefined;
    const shown = caller && caller.last_event !== 'CHANNEL_HANGUP' ? caller : leg;
    const key = String(shown.uuid);
    const info = parkRingBackOf(leg)!;
    const prev = ringBacks.get(key);
    // the caller's own RINGING_PARK leg, or the first leg seen, tells the slot
    if (!prev || (prev.slot === null && info.slot !== null)) ringBacks.set(key, { ...info, userId: info.userId ?? prev?.userId ?? null, channel: shown, leg });
  }

  const out: CallClasses = { bySlot, parkedUuids, queued, ringBacks, channelsQueue };
  last = { inputs, out };
  return out;
}
