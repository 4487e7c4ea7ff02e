// How long the missed-call list keeps entries (issue 12: "keep at least the current day, by the
// PBX's date, and the previous working day, whatever their size"). Ours: the PBX protocol says
// nothing about it. Days are calendar days of the PBX clock (browser now + the estimated offset,
// src/lib/clock.ts) read in the browser's time zone: a reception PC sits in the PBX's office.

import { isOutageMarker, type MissedCall } from './missed-calls.ts';

/** Calls from before the previous working day kept at most (the newest of them); today's and the previous working day's are never counted. */
export const RETAIN_OLDER_MAX = 500;

/** Browser-local midnight starting the day of `ms` (epoch ms), as epoch ms. */
export function startOfDayMs(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Midnight of the day `days` calendar days before the day of `ms` (DST-safe: by date, not by 24 h). */
function dayBeforeMs(ms: number, days: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - days).getTime();
}

/**
 * Start (PBX µs) of the oldest day that is always kept: the previous working day. That is the
 * earlier of the last Monday–Friday before today and the last earlier day that has a missed
 * call, so Monday keeps Friday (and the weekend), and the day after a holiday keeps the last day
 * that had calls. Outage markers do not make a day a working day.
 * @param list newest first (as the store keeps it)
 * @param nowUs PBX now, µs
 */
export function retentionCutoffUs(list: readonly MissedCall[], nowUs: number): number {
  const nowMs = nowUs / 1000;
  const todayMs = startOfDayMs(nowMs);
  let weekday = 1;
  for (; weekday <= 7; weekday++) {
    const dow = new Date(dayBeforeMs(nowMs, weekday)).getDay();
    if (dow !== 0 && dow !== 6) break;
  }
  let cutoffMs = dayBeforeMs(nowMs, weekday);
  for (const c of list) {
    if (isOutageMarker(c) || c.endedAtUs / 1000 >= todayMs) continue;
    cutoffMs = Math.min(cutoffMs, startOfDayMs(c.endedAtUs / 1000));
    break; // newest first: the first earlier call is the latest earlier day with calls
  }
  return cutoffMs * 1000;
}

/** What {@link applyRetention} kept and dropped. */
export interface RetentionResult {
  /** the list to keep, newest first (the input array itself when nothing is dropped) */
  kept: MissedCall[];
  /** missed calls dropped (outage markers dropped with them are not listed), newest first */
  dropped: MissedCall[];
  /** PBX µs: everything ending at or after it was kept */
  cutoffUs: number;
}

/**
 * Applies the retention rule: every entry ending at or after {@link retentionCutoffUs} is kept
 * whatever the count; of the older calls the newest `olderMax` are kept; an older outage marker
 * is kept only while an older call after it is (markers never count against the limit).
 * @param list newest first
 * @param nowUs PBX now, µs
 * @param olderMax default {@link RETAIN_OLDER_MAX}
 */
export function applyRetention(list: readonly MissedCall[], nowUs: number, olderMax = RETAIN_OLDER_MAX): RetentionResult {
  const cutoffUs = retentionCutoffUs(list, nowUs);
  let older = 0;
  let oldestKeptUs = cutoffUs;
  const dropped: MissedCall[] = [];
  let changed = false;
  const kept: MissedCall[] = [];
  for (const c of list) {
    if (c.endedAtUs >= cutoffUs) {
      kept.push(c);
    } else if (isOutageMarker(c)) {
      // decided below, once the oldest kept call is known
      kept.push(c);
    } else if (older < olderMax) {
      older++;
      oldestKeptUs = c.endedAtUs;
      kept.push(c);
    } else {
      dropped.push(c);
      changed = true;
    }
  }
  const out = kept.filter((c) => {
    if (!isOutageMarker(c) || c.endedAtUs >= cutoffUs || c.outage.toUs >= oldestKeptUs) return true;
    changed = true;
    return false;
  });
  return { kept: changed ? out : (list as MissedCall[]), dropped, cutoffUs };
}
