// Feeds a StatsDay from successive console states (issue 13). Called after each store update with
// the previous and the new state; cheap on the hot path: the channel-like maps are replaced when
// they change, so unchanged maps are skipped by reference, and in a changed `channel` map only
// records whose object changed are looked at. Rules: see queue-stats.ts.

import { classifyCalls } from '../stores/call-classes.ts';
import { waitingQueueOf } from '../cti/parser/classify.ts';
import type { Channel } from '../stores/cti-types.ts';
import type { ConsoleData } from '../stores/console-state.ts';
import { wireUsToNumber } from './clock.ts';
import { OUTAGE_MIN_MS } from './missed-calls.ts';
import { dayAndSlotOf, newStatsDay, type StatsCall, type StatsDay } from './queue-stats.ts';

/** The part of the console state the statistics read. */
export type StatsInput = Pick<
  ConsoleData,
  'channel' | 'channel_waiting' | 'queued_channel' | 'parked_channel' | 'kindsSent' | 'connection' | 'missedCalls' | 'limitedView' | 'group'
>;

/** The tracker's view of the connection: never live yet (this page), live, or down since live. */
type Link = 'never' | 'live' | 'down';

const MAPS = ['channel', 'channel_waiting', 'queued_channel', 'parked_channel'] as const;

/** Options of {@link QueueStatsTracker}. */
export interface TrackerOptions {
  /** IANA zone of the PBX's day; default the browser's */
  timeZone?: string;
  /** shortest not-live span shown as an outage, ms; default OUTAGE_MIN_MS (10 s) */
  outageMinMs?: number;
}

/**
 * The day's statistics, fed by {@link update}. Tracks open calls (waiting / left the queue) by
 * uuid and settles each once: a call already known is never counted again, whatever reloads,
 * reconnects and fresh snapshots bring.
 */
export class QueueStatsTracker {
  day: StatsDay | null = null;
  /** uuids changed since the last {@link takeDirty} (for batched writes) */
  private dirty = new Set<string>();
  private metaDirty = false;
  private link: Link = 'never';
  /** PBX µs until which a restored day was last seen live (a reload's gap becomes an outage) */
  private restoredSeenUs: number | null = null;
  private open = new Set<string>();
  private lastSlot = -1;
  /** increases with every change of the figures */
  version = 0;
  private readonly timeZone: string | undefined;
  private readonly outageMinUs: number;

  constructor(opts: TrackerOptions = {}) {
    this.timeZone = opts.timeZone;
    this.outageMinUs = (opts.outageMinMs ?? OUTAGE_MIN_MS) * 1000;
  }

  /**
   * Starts from a stored day (after a reload). Ignored when a day is already being fed.
   * @param lastSeenUs PBX µs when the stored day was last live (its gap to now is an outage)
   */
  restore(day: StatsDay, lastSeenUs: number | null): void {
    if (this.day) return;
    this.day = day;
    this.restoredSeenUs = lastSeenUs;
    for (const c of day.calls.values()) if (c.outcome === 'waiting' || c.outcome === 'left') this.open.add(c.uuid);
    this.version++;
  }

  /** The uuids written since last asked, and whether the day's other fields changed. */
  takeDirty(): { calls: StatsCall[]; meta: boolean } {
    const calls: StatsCall[] = [];
    if (this.day) for (const u of this.dirty) {
      const c = this.day.calls.get(u);
      if (c) calls.push(c);
    }
    const meta = this.metaDirty;
    this.dirty.clear();
    this.metaDirty = false;
    return { calls, meta };
  }

  private touch(uuid: string | null): void {
    if (uuid === null) this.metaDirty = true;
    else this.dirty.add(uuid);
    this.version++;
  }

  /**
   * Applies a state change.
   * @param prev the state before (null: look at everything)
   * @param next the state now
   * @param pbxNowUs the estimated PBX now, µs (browser now + clock offset)
   */
  update(prev: StatsInput | null, next: StatsInput, pbxNowUs: number): void {
    if (!Number.isFinite(pbxNowUs)) return;
    const { day: today, slot } = dayAndSlotOf(pbxNowUs, this.timeZone);
    if (this.day && this.day.day !== today) {
      // local midnight: a new day starts from what is seen now
      this.day = null;
      this.open.clear();
      this.restoredSeenUs = null;
      this.lastSlot = -1;
    }
    const live = next.connection.status === 'live';
    if (!live) {
      if (this.link === 'live' && this.day) {
        this.day.outages.push({ fromUs: pbxNowUs, toUs: null });
        this.touch(null);
      }
      if (this.link === 'live') this.link = 'down';
      return;
    }
    let full = prev === null;
    if (!this.day) {
      this.day = newStatsDay(today, pbxNowUs, next.limitedView);
      this.touch(null);
    }
    const day = this.day;
    if (this.link !== 'live') {
      this.closeOutage(pbxNowUs);
      full = true;
    }
    if (next.limitedView && !day.limited) {
      day.limited = true;
      this.touch(null);
    }
    const changed = full || MAPS.some((k) => prev![k] !== next[k]);
    if (!changed && slot === this.lastSlot) return;

    if (slot !== this.lastSlot) {
      // a new 15-minute slot while live: every group starts at 0 waiting, not "no data"
      for (const g of next.group.values()) this.peak(String((g as { id?: unknown }).id), slot, 0);
      this.lastSlot = slot;
    }
    if (!changed) return;

    const queued = classifyCalls(next).queued;
    const waitingNow = new Map<number, number>();
    for (const [uuid, q] of queued) {
      waitingNow.set(q.groupId, (waitingNow.get(q.groupId) ?? 0) + 1);
      if (!day.calls.has(uuid)) this.add(uuid, q.groupId, wireUsToNumber(q.sinceUs) ?? pbxNowUs, 'waiting', pbxNowUs);
    }
    for (const [gid, n] of waitingNow) this.peak(String(gid), slot, n);

    // Records that changed or went since the previous state: only open calls among them can have
    // settled (cheap: the maps are new objects on change, unchanged records keep their identity).
    const touched = full ? null : changedKeys(prev!, next);
    // channels ringing a group (a PBX that does not queue them), or reaching its voicemail
    const channels: Iterable<string> = touched ?? next.channel.keys();
    for (const uuid of channels) {
      if (day.calls.has(uuid)) continue;
      const rec = next.channel.get(uuid);
      const gid = rec ? groupCalled(rec) : null;
      if (gid !== null) this.add(uuid, gid, wireUsToNumber(rec!.state?.ts) ?? pbxNowUs, 'waiting', pbxNowUs);
    }

    // A fresh snapshot (after the console was not live, or a new socket's) does not show calls that
    // ended meanwhile: those ended unseen.
    const afterGap = full || prev!.connection.snapshotConnectionId !== next.connection.snapshotConnectionId;
    const candidates = afterGap || touched === null ? [...this.open] : [...touched].filter((u) => this.open.has(u));
    for (const uuid of candidates) if (!queued.has(uuid)) this.settle(uuid, next, pbxNowUs, afterGap);
  }

  /** Ends the outage in progress, or the gap since a restored day was last seen (a reload). */
  private closeOutage(nowUs: number): void {
    const day = this.day!;
    const last = day.outages[day.outages.length - 1];
    if (this.link === 'down' && last && last.toUs === null) {
      if (nowUs - last.fromUs >= this.outageMinUs) last.toUs = nowUs;
      else day.outages.pop();
      this.touch(null);
    } else if (this.link === 'never' && this.restoredSeenUs !== null && nowUs - this.restoredSeenUs >= this.outageMinUs) {
      day.outages.push({ fromUs: this.restoredSeenUs, toUs: nowUs });
      this.touch(null);
    }
    this.restoredSeenUs = null;
    this.link = 'live';
  }

  private peak(gid: string, slot: number, n: number): void {
    const per = (this.day!.waitingPeak[gid] ??= {});
    if ((per[slot] ?? -1) < n) {
      per[slot] = n;
      this.touch(null);
    }
  }

  private add(uuid: string, groupId: number, offeredAtUs: number, outcome: StatsCall['outcome'], nowUs: number): void {
    const day = this.day!;
    const call: StatsCall = { uuid, groupId, offeredAtUs: Math.min(offeredAtUs, nowUs), outcome, endedAtUs: null };
    if (outcome === 'voicemail') call.endedAtUs = nowUs;
    day.calls.set(uuid, call);
    if (outcome === 'waiting') this.open.add(uuid);
    this.touch(uuid);
  }

  /**
   * An open call that is not waiting any more: answered, voicemail, left (still in the maps), or
   * ended. `afterGap`: the maps are a fresh snapshot after the console was not live, so a call gone
   * from them ended unseen ('unknown').
   */
  private settle(uuid: string, s: StatsInput, nowUs: number, afterGap: boolean): void {
    const call = this.day!.calls.get(uuid);
    if (!call) {
      this.open.delete(uuid);
      return;
    }
    const rec = (s.channel.get(uuid) ?? s.channel_waiting.get(uuid) ?? s.queued_channel.get(uuid) ?? s.parked_channel.get(uuid)) as Channel | undefined;
    let outcome: StatsCall['outcome'];
    let endedAtUs: number | null = null;
    if (rec) {
      const answeredAt = wireUsToNumber(rec.answer_timestamp);
      if (answeredAt !== null || rec.state?.name === 'bridged') {
        outcome = 'answered';
        endedAtUs = answeredAt ?? wireUsToNumber(rec.state?.ts) ?? nowUs;
      } else if (rec.state?.name === 'voicemail') {
        outcome = 'voicemail';
        endedAtUs = wireUsToNumber(rec.state.ts) ?? nowUs;
      } else if (groupCalled(rec) !== null) {
        return; // still ringing the group
      } else {
        outcome = 'left';
      }
    } else if (afterGap) {
      outcome = 'unknown';
    } else {
      const missed = s.missedCalls.find((m) => m.uuid === uuid);
      endedAtUs = missed?.endedAtUs ?? nowUs;
      outcome = missed?.abandoned ? 'abandoned' : missed?.endedIn === 'voicemail' ? 'voicemail' : 'ended';
    }
    if (outcome === call.outcome) return;
    this.day!.calls.set(uuid, { ...call, outcome, endedAtUs: endedAtUs ?? call.endedAtUs });
    if (outcome !== 'left') this.open.delete(uuid);
    this.touch(uuid);
  }
}

/** Keys of the channel-like maps whose record changed, was added or was removed between two states. */
function changedKeys(prev: StatsInput, next: StatsInput): Set<string> {
  const out = new Set<string>();
  for (const k of MAPS) {
    const a = prev[k] as ReadonlyMap<string, unknown>;
    const b = next[k] as ReadonlyMap<string, unknown>;
    if (a === b) continue;
    for (const [u, r] of b) if (a.get(u) !== r) out.add(u);
    for (const u of a.keys()) if (!b.has(u)) out.add(u);
  }
  return out;
}

/** The group a channel calls (state `calling` a group, or its voicemail), or null. */
function groupCalled(rec: Channel): number | null {
  const q = waitingQueueOf(rec);
  if (q) return q.groupId;
  const d = rec.state?.name === 'voicemail' ? rec.state.data : undefined;
  return d && d.target_type === 'group' && d.target_id !== undefined && Number.isFinite(Number(d.target_id)) ? Number(d.target_id) : null;
}
