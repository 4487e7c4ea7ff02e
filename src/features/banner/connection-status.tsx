import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNowMs } from '../../components/use-clock.ts';
import { formatClock } from '../../components/time.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import type { ConnectionStatus as Status } from '../../stores/console-state.ts';

/** The i18n key naming each connection status (`reconnecting` without its countdown). */
export const STATUS_LABEL_KEY: Record<Status, string> = {
  connecting: 'connection.connecting',
  live: 'connection.live',
  reconnecting: 'connection.reconnectingNow',
  stopped: 'connection.stopped',
};

const STYLE = {
  live: { icon: '●', cls: 'bg-green-100 text-green-900 border-green-300 dark:bg-green-950 dark:text-green-200 dark:border-green-800' },
  connecting: { icon: '◌', cls: 'bg-slate-100 text-slate-800 border-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:border-slate-600' },
  reconnecting: { icon: '↻', cls: 'bg-amber-100 text-amber-900 border-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:border-amber-800' },
  stopped: { icon: '■', cls: 'bg-red-100 text-red-900 border-red-300 dark:bg-red-950 dark:text-red-200 dark:border-red-800' },
} as const;

/**
 * The connection indicator (role status, named "Connection status"): Live / Connecting… /
 * Reconnecting in N s / Stopped, with an icon and the time of the last update when not live.
 */
export function ConnectionStatus() {
  const { t } = useTranslation();
  const c = useConsoleStore((s) => s.connection);
  // Re-render on the shared 1 s clock as before (this always-mounted indicator is what keeps
  // that clock running); the countdown itself does not use its value, see useSecondsUntil.
  useNowMs();
  const sec = useSecondsUntil(c.status === 'reconnecting' ? c.retryAt : null);
  const st = STYLE[c.status];
  const text = c.status === 'reconnecting' && sec !== null && sec !== 0 ? t('connection.reconnecting', { seconds: sec }) : t(STATUS_LABEL_KEY[c.status]);
  return (
    <div
      role="status"
      aria-label={t('connection.name')}
      data-status={c.status}
      title={c.detail ?? undefined}
      className={`flex items-center gap-2 rounded-full border px-3 py-0.5 text-sm font-semibold ${st.cls}`}
    >
      <span aria-hidden="true" className={c.status === 'live' ? 'text-green-600' : ''}>
        {st.icon}
      </span>
      <span>{text}</span>
      {c.status !== 'live' && c.lastUpdateAt !== null && (
        <span className="font-normal">· {t('connection.lastUpdate', { time: formatClock(c.lastUpdateAt) })}</span>
      )}
    </div>
  );
}

/**
 * Whole seconds left until `atMs` (browser ms), rounded up and never below 0, or null without a
 * time. Read from the clock when rendering — not from the shared 1 s clock, whose value is the
 * time of its last tick (up to 1 s old, so "6 s" when 4.2 s were left) — and re-rendered exactly
 * when the number changes (a timer to the next whole second of the time left), not up to 1 s
 * after. So the number shown is never above the real remaining time rounded up.
 */
function useSecondsUntil(atMs: number | null): number | null {
  const [tick, setTick] = useState(0);
  const secondsLeft = (nowMs: number) => (atMs === null ? null : Math.max(0, Math.ceil((atMs - nowMs) / 1000)));
  const sec = secondsLeft(Date.now());
  useEffect(() => {
    if (atMs === null) return;
    const now = Date.now();
    // a second boundary passed between rendering and now (a busy machine): show it at once
    if (secondsLeft(now) !== sec) return setTick((n) => n + 1);
    const left = atMs - now;
    if (left <= 0) return;
    // the number drops when the time left reaches the whole second below it
    const id = setTimeout(() => setTick((n) => n + 1), left - (Math.ceil(left / 1000) - 1) * 1000);
    return () => clearTimeout(id);
    // (secondsLeft depends only on atMs; `tick` re-arms the timer after one that fired early)
  }, [atMs, sec, tick]);
  return sec;
}
