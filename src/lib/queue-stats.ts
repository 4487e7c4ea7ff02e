// Queue statistics of one PBX day (issue 13): the pure model and its figures. What a call did in a
// group's queue is learnt from the channel-like records the console sees (PROTOCOL.md "Queues"
// and "Corrections of 2026-12-05": a caller waits in state `calling` a group; the README's
// channel fields: answered ⇔ `answer_timestamp`, or the state `bridged`; state `voicemail`; a
// hang-up while waiting is classified by src/lib/missed-calls.ts from `last_event_data`).
// Feeding from the store is queue-stats-feed.ts; IndexedDB is queue-stats-db.ts.
//
// Known limits, said on screen: figures start when this console first connected that day, and a
// plain user's limited view sees only its own calls.

/** What became of a call offered to a group. `waiting`/`left` are open; the rest are final. */
export type CallOutcome =
  /** waits in the group's queue (or rings the group) */
  | 'waiting'
  /** no longer waiting, not yet answered (rings a user after a transfer, parked…) */
  | 'left'
  | 'answered'
  /** hung up while waiting or ringing (`recv_cancel` / `ORIGINATOR_CANCEL`) */
  | 'abandoned'
  | 'voicemail'
  /** ended otherwise unanswered (the operator hung up, a PBX timeout…): offered only */
  | 'ended'
  /** ended while the console was not live: what happened is not known */
  | 'unknown';

/** One call offered to a group today (JSON-safe: it is stored in IndexedDB). */
export interface StatsCall {
  /** uuid of the caller's channel */
  uuid: string;
  /** the group it was first offered to */
  groupId: number;
  /** PBX µs when it started waiting for the group (state ts), else when first seen */
  offeredAtUs: number;
  outcome: CallOutcome;
  /** PBX µs when the wait ended (answered, hung up, voicemail), or null while open / unknown */
  endedAtUs: number | null;
}

/** A span the console was not live (PBX µs); `toUs` null while it lasts. */
export interface StatsOutage {
  fromUs: number;
  toUs: number | null;
}

/** One PBX day of statistics. */
export interface StatsDay {
  /** the PBX's local date, `YYYY-MM-DD` */
  day: string;
  /** PBX µs when this console was first live that day: nothing before it is known */
  sinceUs: number;
  /** true once a limited view (one user's calls) fed this day */
  limited: boolean;
  outages: StatsOutage[];
  /** per group id → per 15-minute slot index (0–95) → most callers seen waiting at once */
  waitingPeak: Record<string, Record<string, number>>;
  calls: Map<string, StatsCall>;
}

/** Figures of one group for the day. Times in ms; null when there is nothing to average. */
export interface GroupStats {
  groupId: number;
  offered: number;
  answered: number;
  abandoned: number;
  voicemail: number;
  /** ended unanswered otherwise, or unknown (ended during an outage) */
  other: number;
  avgWaitAnsweredMs: number | null;
  longestWaitAnsweredMs: number | null;
  avgWaitAbandonedMs: number | null;
  /** share (0–1) of answered calls answered within `slSec`; null with no answered call */
  serviceLevel: number | null;
  /** the service-level target used, s */
  slSec: number;
}

/** One 15-minute slot of the day's chart. */
export interface StatsSlot {
  /** 0–95: minutes since local midnight ÷ 15 */
  index: number;
  /** most callers waiting at once in it (summed over the groups asked for), or null if not seen */
  waitingPeak: number | null;
  /** share answered within the target among calls answered in it, or null */
  serviceLevel: number | null;
}

/** Default service-level target, s (issue 13: "default 20 s"). */
export const DEFAULT_SL_SEC = 20;
/** Minutes per chart slot. */
export const SLOT_MINUTES = 15;

/** Thrown for input the statistics cannot use (a bad time zone, a non-finite time). */
export class QueueStatsError extends Error {
  override readonly name = 'QueueStatsError';
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch (e) {
      throw new QueueStatsError(`unknown time zone ${String(timeZone)}: ${(e as Error).message}`);
    }
    formatters.set(key, f);
  }
  return f;
}

/**
 * The local date and 15-minute slot of a PBX time.
 * @param us PBX µs since the epoch
 * @param timeZone IANA zone; default the browser's (the PBX's day is local midnight where it is used)
 * @throws QueueStatsError for a non-finite time or an unknown zone
 */
export function dayAndSlotOf(us: number, timeZone?: string): { day: string; slot: number } {
  if (!Number.isFinite(us)) throw new QueueStatsError(`not a time: ${us}`);
  const parts = formatter(timeZone).formatToParts(new Date(us / 1000));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '00';
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  return { day: `${get('year')}-${get('month')}-${get('day')}`, slot: Math.floor(minutes / SLOT_MINUTES) };
}

/** A new, empty day. */
export function newStatsDay(day: string, sinceUs: number, limited = false): StatsDay {
  return { day, sinceUs, limited, outages: [], waitingPeak: {}, calls: new Map() };
}

const isFinal = (o: CallOutcome): boolean => o !== 'waiting' && o !== 'left';

/** True when the call's outcome is final (it will not change any more). */
export function isFinalOutcome(o: CallOutcome): boolean {
  return isFinal(o);
}

/**
 * The day's figures per group, in group id order, for every group with an offered call (and
 * every id in `groupIds`, with zeros).
 * @param slSecOf the service-level target of a group, s (default {@link DEFAULT_SL_SEC})
 */
export function groupStats(day: StatsDay, slSecOf: (groupId: number) => number = () => DEFAULT_SL_SEC, groupIds: readonly number[] = []): GroupStats[] {
  const acc = new Map<number, { s: GroupStats; waitSum: number; abSum: number; abN: number; within: number }>();
  const get = (gid: number) => {
    let a = acc.get(gid);
    if (!a) {
      const s: GroupStats = { groupId: gid, offered: 0, answered: 0, abandoned: 0, voicemail: 0, other: 0, avgWaitAnsweredMs: null, longestWaitAnsweredMs: null, avgWaitAbandonedMs: null, serviceLevel: null, slSec: slSecOf(gid) };
      acc.set(gid, (a = { s, waitSum: 0, abSum: 0, abN: 0, within: 0 }));
    }
    return a;
  };
  for (const gid of groupIds) get(gid);
  for (const c of day.calls.values()) {
    const a = get(c.groupId);
    a.s.offered++;
    const wait = c.endedAtUs === null ? null : Math.max(0, (c.endedAtUs - c.offeredAtUs) / 1000);
    switch (c.outcome) {
      case 'answered':
        a.s.answered++;
        if (wait !== null) {
          a.waitSum += wait;
          a.s.longestWaitAnsweredMs = Math.max(a.s.longestWaitAnsweredMs ?? 0, wait);
          if (wait <= a.s.slSec * 1000) a.within++;
        }
        break;
      case 'abandoned':
        a.s.abandoned++;
        if (wait !== null) {
          a.abSum += wait;
          a.abN++;
        }
        break;
      case 'voicemail':
        a.s.voicemail++;
        break;
      case 'ended':
      case 'unknown':
        a.s.other++;
        break;
      default:
        break; // still open: offered only
    }
  }
  return [...acc.values()]
    .map(({ s, waitSum, abSum, abN, within }) => ({
      ...s,
      avgWaitAnsweredMs: s.answered > 0 ? waitSum / s.answered : null,
      avgWaitAbandonedMs: abN > 0 ? abSum / abN : null,
      serviceLevel: s.answered > 0 ? within / s.answered : null,
    }))
    .sort((x, y) => x.groupId - y.groupId);
}

/**
 * The day's 96 chart slots: callers waiting (peak) and service level per 15 minutes.
 * @param groupIds the groups to sum; empty = all
 * @param slSecOf service-level target per group, s
 * @param timeZone as {@link dayAndSlotOf}
 */
export function daySlots(day: StatsDay, groupIds: readonly number[], slSecOf: (groupId: number) => number = () => DEFAULT_SL_SEC, timeZone?: string): StatsSlot[] {
  const want = (gid: number | string): boolean => groupIds.length === 0 || groupIds.includes(Number(gid));
  const slots: StatsSlot[] = Array.from({ length: (24 * 60) / SLOT_MINUTES }, (_, index) => ({ index, waitingPeak: null, serviceLevel: null }));
  for (const [gid, perSlot] of Object.entries(day.waitingPeak)) {
    if (!want(gid)) continue;
    for (const [i, n] of Object.entries(perSlot)) {
      const s = slots[Number(i)];
      if (s) s.waitingPeak = (s.waitingPeak ?? 0) + n;
    }
  }
  const answered = new Map<number, { n: number; within: number }>();
  for (const c of day.calls.values()) {
    if (c.outcome !== 'answered' || c.endedAtUs === null || !want(c.groupId)) continue;
    const { slot } = dayAndSlotOf(c.endedAtUs, timeZone);
    const a = answered.get(slot) ?? { n: 0, within: 0 };
    a.n++;
    if (c.endedAtUs - c.offeredAtUs <= slSecOf(c.groupId) * 1_000_000) a.within++;
    answered.set(slot, a);
  }
  for (const [i, a] of answered) if (slots[i]) slots[i].serviceLevel = a.within / a.n;
  return slots;
}

/** A serialisable copy of a day (calls as an array), for IndexedDB and tests. */
export interface StoredStatsDay extends Omit<StatsDay, 'calls'> {
  calls: StatsCall[];
}

export function toStored(day: StatsDay): StoredStatsDay {
  return { ...day, calls: [...day.calls.values()] };
}

/**
 * Back from storage, checking the shape: a record that is not a day gives null (never throws),
 * bad calls are left out.
 */
export function fromStored(v: unknown): StatsDay | null {
  if (!v || typeof v !== 'object') return null;
  const r = v as Partial<StoredStatsDay>;
  if (typeof r.day !== 'string' || typeof r.sinceUs !== 'number' || !Array.isArray(r.calls)) return null;
  const calls = new Map<string, StatsCall>();
  for (const c of r.calls) {
    if (c && typeof c.uuid === 'string' && typeof c.groupId === 'number' && typeof c.offeredAtUs === 'number' && typeof c.outcome === 'string') calls.set(c.uuid, c);
  }
  const outages = Array.isArray(r.outages) ? r.outages.filter((o) => o && typeof o.fromUs === 'number') : [];
  return { day: r.day, sinceUs: r.sinceUs, limited: r.limited === true, outages, waitingPeak: r.waitingPeak && typeof r.waitingPeak === 'object' ? r.waitingPeak : {}, calls };
}
