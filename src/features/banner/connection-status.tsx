import { useTranslation } from 'react-i18next';
import { useNowMs } from '../../components/use-clock.ts';
import { formatClock } from '../../components/time.ts';
import { useConsoleStore } from '../../stores/console-store.ts';

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
  const now = useNowMs();
  const st = STYLE[c.status];
  let text: string;
  if (c.status === 'live') text = t('connection.live');
  else if (c.status === 'connecting') text = t('connection.connecting');
  else if (c.status === 'reconnecting') {
    const sec = c.retryAt === null ? null : Math.max(0, Math.ceil((c.retryAt - now) / 1000));
    text = sec === null || sec === 0 ? t('connection.reconnectingNow') : t('connection.reconnecting', { seconds: sec });
  } else text = t('connection.stopped');
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
