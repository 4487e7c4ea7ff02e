// Outage markers in the missed-call list (issue 9): "Calls may be missing between 14:02 and
// 14:05" once per real outage, none for a reload or a quick reconnect in which no call was lost.
//
// The rule (ours): a span the console could not see calls — from the last moment it was live (in
// this page, or saved by the previous page: a reload, a closed tab, a PC switched off) to the
// moment it is live again — gets a marker when it lasted OUTAGE_MIN_MS (10 s) or more, or when a
// caller who was ringing or waiting when sight was lost is gone when it comes back (that call
// ended unseen: it may have been missed). The live-until mark is kept fresh every 2 s while live,
// and on page hide, so a reload measures only the reload. The store adds markers for the long
// spans itself (console-store.ts, `goLive`); this adds the short ones with a lost call and those
// of a reload whose owner became known only when going live, never a second marker for one span.

import {
  OUTAGE_MIN_MS,
  WATCH_STORAGE_KEY,
  addMissedCalls,
  defaultStorage,
  getMissedCallsOwner,
  isOutageMarker,
  loadLiveUntil,
  missedCallsOwnerId,
  outageMarker,
  saveLiveUntil,
  type MissedCall,
} from '../../lib/missed-calls.ts';
import { wireUsToNumber } from '../../lib/clock.ts';
import { useConsoleStore } from '../../stores/console-store.ts';

type ConsoleState = ReturnType<typeof useConsoleStore.getState>;
type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** How often the live-until mark and the watched callers are saved while live, ms. */
export const LIVE_MARK_EVERY_MS = 2_000;
/** Most callers watched (the ones a marker is about; a big PBX rings hundreds at once). */
const MAX_WATCHED = 300;

const WATCH_KINDS = ['channel', 'channel_waiting', 'queued_channel'] as const;

/**
 * Callers who could still become missed calls: unanswered caller legs (`inbound` channels,
 * waiting/queued records) in the state's channel maps. Their uuids, at most 300.
 */
export function watchedCallers(s: Pick<ConsoleState, (typeof WATCH_KINDS)[number]>): string[] {
  const out: string[] = [];
  for (const kind of WATCH_KINDS) {
    for (const [uuid, rec] of s[kind] as Map<string, { direction?: string; answer_timestamp?: unknown }>) {
      if (out.length >= MAX_WATCHED) return out;
      if (kind === 'channel' && rec.direction !== 'inbound') continue;
      if (wireUsToNumber(rec.answer_timestamp as number | undefined) !== null) continue;
      out.push(uuid);
    }
  }
  return out;
}

function present(s: ConsoleState, uuid: string): boolean {
  return WATCH_KINDS.some((k) => (s[k] as Map<string, unknown>).has(uuid));
}

/** Options of {@link bindOutageMarkers} (tests inject clocks and storage). */
export interface OutageDeps {
  /** browser ms; default Date.now */
  now?: () => number;
  /** default localStorage */
  storage?: StorageLike | null;
}

/**
 * Watches the store's connection: remembers when sight was lost and who was waiting then, keeps
 * the live-until mark fresh while live, and on going live adds an outage marker by the rule in
 * the file comment.
 * @returns a function that stops watching
 */
export function bindOutageMarkers(store: typeof useConsoleStore = useConsoleStore, deps: OutageDeps = {}): () => void {
  const now = deps.now ?? (() => Date.now());
  const storage = deps.storage === undefined ? defaultStorage() : deps.storage;
  /** browser ms sight was lost in this page, and who was waiting then */
  let lost: { atMs: number; watched: string[] } | null = null;
  let liveBefore = false;
  let lastWatchJson = '';

  const watchKey = () => {
    const o = getMissedCallsOwner();
    return o ? `${WATCH_STORAGE_KEY}:${missedCallsOwnerId(o)}` : null;
  };
  const saveMark = () => {
    const s = store.getState();
    if (s.connection.status !== 'live') return;
    saveLiveUntil(now(), storage);
    const key = watchKey();
    if (!key || !storage) return;
    const json = JSON.stringify(watchedCallers(s));
    if (json === lastWatchJson) return;
    try {
      storage.setItem(key, json);
      lastWatchJson = json;
    } catch {
      /* storage full: a reload then relies on the time rule alone */
    }
  };
  const loadWatched = (): string[] => {
    const key = watchKey();
    try {
      const v = key && storage ? (JSON.parse(storage.getItem(key) ?? '[]') as unknown) : [];
      return Array.isArray(v) ? v.filter((u): u is string => typeof u === 'string') : [];
    } catch {
      return [];
    }
  };

  const onChange = (s: ConsoleState, prev: ConsoleState) => {
    const was = prev.connection.status;
    const is = s.connection.status;
    if (was === 'live' && is !== 'live') {
      lost = { atMs: now(), watched: watchedCallers(prev) };
      return;
    }
    if (is !== 'live' || was === 'live') return;
    const since = lost ?? (liveBefore ? null : reloadMark());
    lost = null;
    liveBefore = true;
    lastWatchJson = '';
    if (since) addMarker(s, since);
    saveMark();
  };
  const reloadMark = () => {
    const atMs = loadLiveUntil(storage);
    return atMs === null ? null : { atMs, watched: loadWatched() };
  };
  const addMarker = (s: ConsoleState, since: { atMs: number; watched: string[] }) => {
    const backMs = s.connection.lastUpdateAt ?? now();
    const gone = since.watched.some((u) => !present(s, u));
    if (backMs - since.atMs < OUTAGE_MIN_MS && !gone) return;
    const offsetMs = s.clockOffsetMs;
    const marker = outageMarker((since.atMs + offsetMs) * 1000, (backMs + offsetMs) * 1000, { minMs: 0 });
    // Read the list now, not from `s`: another listener may have replaced it in this same update.
    const current = store.getState().missedCalls;
    if (!marker || overlapsMarker(current, marker)) return;
    const list = addMissedCalls(current, [marker]);
    if (list !== current) store.setState({ missedCalls: list });
  };

  const unsubscribe = store.subscribe(onChange);
  const timer = setInterval(saveMark, LIVE_MARK_EVERY_MS);
  const onHide = () => saveMark();
  const win = typeof window !== 'undefined' && typeof window.addEventListener === 'function' ? window : null;
  win?.addEventListener('pagehide', onHide);
  return () => {
    unsubscribe();
    clearInterval(timer);
    win?.removeEventListener('pagehide', onHide);
  };
}

/** True when the list already has a marker whose span overlaps `m`'s (the store made one for it). */
function overlapsMarker(list: readonly MissedCall[], m: MissedCall & { outage: { fromUs: number; toUs: number } }): boolean {
  return list.some((c) => isOutageMarker(c) && c.outage.fromUs < m.outage.toUs && m.outage.fromUs < c.outage.toUs);
}
