// The queue statistics' days in IndexedDB (issue 13), through `idb`, in a database of their own.
// One record per call keyed [day, uuid], so a batched write carries only the calls that changed,
// plus one record per day for the rest (since when, outages, waiting peaks, last seen live).
// Ours: no PBX rule is involved. One set of days per browser origin (a limited view's day says so).

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { fromStored, type StatsCall, type StatsDay } from './queue-stats.ts';

/** Database name. */
export const STATS_DB_NAME = 'basix-console-stats';
/** Days kept; older ones are deleted when the database is opened. */
export const STATS_KEEP_DAYS = 35;

interface DayMeta extends Omit<StatsDay, 'calls'> {
  /** PBX µs when this day was last seen live (a reload's gap starts there), or null */
  lastSeenUs: number | null;
}
interface StoredCall extends StatsCall {
  day: string;
}
interface StatsDb extends DBSchema {
  days: { key: string; value: DayMeta };
  calls: { key: [string, string]; value: StoredCall };
}

/** A storage failure (the browser refused, or IndexedDB is unavailable). */
export class QueueStatsStorageError extends Error {
  override readonly name = 'QueueStatsStorageError';
}

/** What the statistics need from storage (IndexedDB here). */
export interface QueueStatsBackend {
  /** the stored day `day` (`YYYY-MM-DD`) and when it was last seen live, or null if none */
  load(day: string): Promise<{ day: StatsDay; lastSeenUs: number | null } | null>;
  /**
   * Writes the day's other fields (when `meta` is given) and the `calls` in one transaction.
   * @throws QueueStatsStorageError
   */
  commit(day: string, meta: DayMeta | null, calls: readonly StatsCall[]): Promise<void>;
}

/**
 * Opens the IndexedDB backend; drops days older than {@link STATS_KEEP_DAYS} before `today`.
 * @throws QueueStatsStorageError when IndexedDB cannot be opened
 */
export async function openQueueStatsDb(today: string, name = STATS_DB_NAME): Promise<QueueStatsBackend> {
  let db: IDBPDatabase<StatsDb>;
  try {
    db = await openDB<StatsDb>(name, 1, {
      upgrade(d) {
        d.createObjectStore('days');
        d.createObjectStore('calls');
      },
    });
  } catch (e) {
    throw new QueueStatsStorageError(`cannot open ${name}: ${(e as Error)?.message ?? String(e)}`);
  }
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  const oldest = Number.isFinite(todayMs) ? new Date(todayMs - STATS_KEEP_DAYS * 86_400_000).toISOString().slice(0, 10) : null;
  if (oldest) try {
    const tx = db.transaction(['days', 'calls'], 'readwrite');
    await tx.objectStore('days').delete(IDBKeyRange.upperBound(oldest, true));
    await tx.objectStore('calls').delete(IDBKeyRange.upperBound([oldest], true));
    await tx.done;
  } catch {
    // retention is best effort: the figures do not depend on it
  }
  const dayRange = (day: string) => IDBKeyRange.bound([day], [day, []]);
  return {
    async load(day) {
      const meta = await db.get('days', day);
      if (!meta) return null;
      const calls = await db.getAll('calls', dayRange(day));
      const parsed = fromStored({ ...meta, calls });
      return parsed ? { day: parsed, lastSeenUs: typeof meta.lastSeenUs === 'number' ? meta.lastSeenUs : null } : null;
    },
    async commit(day, meta, calls) {
      try {
        const tx = db.transaction(['days', 'calls'], 'readwrite');
        const writes: Promise<unknown>[] = [];
        if (meta) writes.push(tx.objectStore('days').put(meta, day));
        for (const c of calls) writes.push(tx.objectStore('calls').put({ ...c, day }, [day, c.uuid]));
        await Promise.all([...writes, tx.done]);
      } catch (e) {
        throw new QueueStatsStorageError(`cannot save statistics of ${day}: ${(e as Error)?.message ?? String(e)}`);
      }
    },
  };
}

/** The day's meta record as stored. */
export function dayMeta(day: StatsDay, lastSeenUs: number | null): DayMeta {
  const { calls: _calls, ...rest } = day;
  return { ...rest, lastSeenUs };
}
