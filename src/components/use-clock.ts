import { useSyncExternalStore } from 'react';
import { useConsoleStore } from '../stores/console-store.ts';

// One shared 1 s ticker for every ticking time on the page, running only while something listens.
let nowMs = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    nowMs = Date.now();
    timer = setInterval(() => {
      nowMs = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}
// With no ticker running, the last value may be minutes old: refresh it (to the ms, at most once
// a second, so that React's repeated reads during one render see the same value).
const getNow = (): number => (timer === null && Date.now() - nowMs >= 1000 ? (nowMs = Date.now()) : nowMs);

/**
 * Browser time in ms of the shared clock's last tick (once a second; up to 1 s old). For a time
 * that is shown, use the time of rendering and this hook only to re-render on the tick, as
 * {@link usePbxNowUs} does.
 */
export function useNowMs(): number {
  return useSyncExternalStore(subscribe, getNow, getNow);
}

/**
 * "Now" on the PBX clock in µs for ticking displays (ring time, wait time, parked time).
 * While the connection is not live the value is frozen at the last update, so times stop
 * ticking instead of growing on stale data. The time is read when rendering — not the shared
 * clock's last tick, up to 1 s old, so a time that appears between ticks is not up to 1 s short —
 * and the caller re-renders on the shared 1 s tick.
 *
 * @returns `{ nowUs, live }`; `nowUs` = (browser ms + clock offset) × 1000.
 */
export function usePbxNowUs(): { nowUs: number; live: boolean } {
  useNowMs(); // re-render on the shared tick
  const now = Date.now();
  const live = useConsoleStore((s) => s.connection.status === 'live');
  const lastUpdateAt = useConsoleStore(lastUpdateWhileNotLive);
  const offset = useConsoleStore((s) => s.clockOffsetMs);
  const base = live || lastUpdateAt === null ? now : lastUpdateAt;
  return { nowUs: (base + offset) * 1000, live };
}

/**
 * `connection.lastUpdateAt` while NOT live, `null` while live. It changes with every batch, and
 * is only shown (STALE marks) or used (frozen times) while not live: selecting it as is
 * re-rendered every panel and every ticking time on each batch.
 */
const lastUpdateWhileNotLive = (s: ReturnType<typeof useConsoleStore.getState>): number | null =>
  s.connection.status === 'live' ? null : s.connection.lastUpdateAt;

/**
 * Whether the connection is live, and the browser ms of the last update for STALE marks
 * (`null` while live: see {@link lastUpdateWhileNotLive}).
 */
export function useLiveness(): { live: boolean; lastUpdateAt: number | null } {
  const live = useConsoleStore((s) => s.connection.status === 'live');
  const lastUpdateAt = useConsoleStore(lastUpdateWhileNotLive);
  return { live, lastUpdateAt };
}
