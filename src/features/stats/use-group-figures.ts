// The figures of each group for the statistics view and the wallboard: the day's counts
// (queue-stats.ts) joined with who waits now (the store's queues, selectors.ts selectQueues).

import { useMemo } from 'react';
import { useQueues } from '../../stores/console-hooks.ts';
import type { QueueView } from '../../stores/selectors.ts';
import { groupStats, type GroupStats, type StatsDay, type StatsOutage } from '../../lib/queue-stats.ts';
import { formatClock } from '../../components/time.ts';
import { useQueueStats } from './stats-feed.ts';
import { slSecOf, useStatsSettings } from './stats-settings.ts';

/** One group's row. */
export interface GroupFigures {
  groupId: number;
  /** the group's label or name, or null when the group is not known (yet) */
  name: string | null;
  stats: GroupStats;
  /** the live queue (callers waiting now, members), or null when the group is not known */
  queue: QueueView | null;
}

/**
 * Rows for every known group and every group with calls today, in id order; only `only` when given.
 * Re-renders when the queues change and at most once a second for the day's figures.
 */
export function useGroupFigures(only?: readonly number[]): GroupFigures[] {
  const queues = useQueues();
  const day = useQueueStats((s) => s.day);
  const version = useQueueStats((s) => s.version);
  const settings = useStatsSettings();
  return useMemo(() => {
    const byId = new Map<number, QueueView>();
    for (const q of queues) byId.set(Number(q.group.id), q);
    const ids = only && only.length > 0 ? [...only] : [...byId.keys()];
    const stats = groupStats(day ?? EMPTY_DAY, (g) => slSecOf(settings, g), ids);
    return stats
      .filter((s) => !only || only.length === 0 || only.includes(s.groupId))
      .map((s) => {
        const q = byId.get(s.groupId) ?? null;
        return { groupId: s.groupId, name: q ? String(q.group.label || q.group.name || q.group.id) : null, stats: s, queue: q };
      });
    // version: the day is updated in place
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queues, day, version, settings, only?.join(',')]);
}

/** No day yet (never written to). */
const EMPTY_DAY: StatsDay = { day: '', sinceUs: 0, limited: false, outages: [], waitingPeak: {}, calls: new Map() };

/** `HH:MM` of a PBX µs time, in the browser's zone. */
export const hhmm = (us: number): string => formatClock(us / 1000).slice(0, 5);

/** The day's outages as `{from, to}` clock texts (`to` null while it lasts). */
export function outageSpans(outages: readonly StatsOutage[]): Array<{ from: string; to: string | null }> {
  return outages.map((o) => ({ from: hhmm(o.fromUs), to: o.toUs === null ? null : hhmm(o.toUs) }));
}
