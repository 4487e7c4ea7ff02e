// Runs the queue statistics beside the store (issue 13): subscribes to the zustand store outside
// React and hands each change to the tracker (cheap: unchanged maps are skipped by reference), so
// neither the worker nor the store changes. The stored day is loaded when the console is first
// live (the PBX clock is known then, so the day is the PBX's); writes are batched every 2 s and
// when the page is hidden. The view re-renders at most once a second ({@link useQueueStats}).

import { create } from 'zustand';
import { useConsoleStore } from '../../stores/console-store.ts';
import type { ConsoleData } from '../../stores/console-state.ts';
import { dayAndSlotOf, type StatsDay } from '../../lib/queue-stats.ts';
import { QueueStatsTracker } from '../../lib/queue-stats-tracker.ts';
import { dayMeta, openQueueStatsDb, type QueueStatsBackend } from '../../lib/queue-stats-db.ts';

/** Loading the stored day: not yet (waiting for the first live state), loading, ready; storage failed (figures kept in memory only). */
export type StatsStorageState = 'idle' | 'loading' | 'ready' | 'failed';

export interface QueueStatsView {
  /** the day being counted, or null before the console was first live */
  day: StatsDay | null;
  /** changes whenever the figures do (the day object is updated in place) */
  version: number;
  storage: StatsStorageState;
}

/** The statistics for React, published at most once a second. */
export const useQueueStats = create<QueueStatsView>()(() => ({ day: null, version: 0, storage: 'idle' }));

/** Options of {@link startQueueStats}. */
export interface StatsFeedOptions {
  /** IANA zone of the PBX's day; default the browser's */
  timeZone?: string;
  /** storage; default IndexedDB `basix-console-stats` */
  openBackend?: (today: string) => Promise<QueueStatsBackend>;
  /** ms between batched writes and view updates; default 1000 (view) / 2000 (writes) */
  publishMs?: number;
  flushMs?: number;
  /** the store to follow; default the console's */
  store?: typeof useConsoleStore;
}

const pbxNowUs = (s: Pick<ConsoleData, 'clockOffsetMs'>): number => (Date.now() + s.clockOffsetMs) * 1000;

/**
 * Starts following the store. Never throws: a storage failure leaves the figures in memory
 * (`storage: 'failed'`).
 * @returns stop (unsubscribes, flushes)
 */
export function startQueueStats(opts: StatsFeedOptions = {}): () => void {
  const store = opts.store ?? useConsoleStore;
  const tracker = new QueueStatsTracker({ timeZone: opts.timeZone });
  let backend: QueueStatsBackend | null = null;
  let storage: StatsStorageState = 'idle';
  let published = -1;
  let writing = false;

  const setStorage = (s: StatsStorageState) => {
    storage = s;
    useQueueStats.setState({ storage: s });
  };

  const publish = () => {
    if (tracker.version === published) return;
    published = tracker.version;
    useQueueStats.setState({ day: tracker.day, version: tracker.version });
  };

  const flush = async () => {
    if (!backend || writing || !tracker.day) return;
    const day = tracker.day;
    const { calls } = tracker.takeDirty();
    const live = store.getState().connection.status === 'live';
    writing = true;
    try {
      await backend.commit(day.day, dayMeta(day, live ? pbxNowUs(store.getState()) : null), calls);
    } catch (e) {
      console.warn('queue statistics not saved:', (e as Error).message);
    } finally {
      writing = false;
    }
  };

  const load = async (s: ConsoleData) => {
    setStorage('loading');
    const today = dayAndSlotOf(pbxNowUs(s), opts.timeZone).day;
    try {
      backend = await (opts.openBackend ?? openQueueStatsDb)(today);
      const stored = await backend.load(today);
      if (stored) tracker.restore(stored.day, stored.lastSeenUs);
      setStorage('ready');
    } catch (e) {
      console.warn('queue statistics storage unavailable:', (e as Error).message);
      backend = null;
      setStorage('failed');
    }
    const now = store.getState();
    tracker.update(null, now, pbxNowUs(now));
    publish();
  };

  const unsubscribe = store.subscribe((next, prev) => {
    if (storage === 'idle') {
      if (next.connection.status === 'live') void load(next);
      return;
    }
    if (storage === 'loading') return; // the load ends with a full look at the state
    try {
      tracker.update(prev, next, pbxNowUs(next));
    } catch (e) {
      console.warn('queue statistics:', (e as Error).message);
    }
  });
  const tick = setInterval(() => {
    if (storage !== 'ready' && storage !== 'failed') return;
    const s = store.getState();
    tracker.update(s, s, pbxNowUs(s)); // midnight and new 15-minute slots on a quiet PBX
    publish();
  }, opts.publishMs ?? 1000);
  const flushTimer = setInterval(() => void flush(), opts.flushMs ?? 2000);
  const onHide = () => {
    if (document.visibilityState === 'hidden') void flush();
  };
  const onPageHide = () => void flush();
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onHide);
  if (typeof window !== 'undefined') window.addEventListener('pagehide', onPageHide);
  if (store.getState().connection.status === 'live') void load(store.getState());

  return () => {
    unsubscribe();
    clearInterval(tick);
    clearInterval(flushTimer);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onHide);
    if (typeof window !== 'undefined') window.removeEventListener('pagehide', onPageHide);
    void flush();
  };
}
