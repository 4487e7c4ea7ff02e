import { useTranslation } from 'react-i18next';
import { usePbxNowUs } from '../../components/use-clock.ts';
import { formatDuration } from '../../components/time.ts';
import { SL_MAX_SEC, SL_MIN_SEC, setSlSec } from './stats-settings.ts';
import type { GroupFigures } from './use-group-figures.ts';

/** A share 0–1 as `87 %`, or — */
export const pct = (v: number | null): string => (v === null ? '—' : `${Math.round(v * 100)} %`);
const dur = (ms: number | null): string => (ms === null ? '—' : formatDuration(ms));

/**
 * The day's figures per group (one row each) with who waits now; the service-level target of
 * each group is edited in its row.
 */
export function StatsTable({ rows }: { rows: GroupFigures[] }) {
  const { t } = useTranslation();
  const { nowUs } = usePbxNowUs();
  const th = 'px-2 py-1 text-right align-bottom text-xs font-semibold';
  const td = 'px-2 py-1 text-right tabular-nums whitespace-nowrap';
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <thead className="border-b border-slate-300 dark:border-slate-700">
          <tr>
            <th scope="col" className="px-2 py-1 text-left font-semibold">{t('stats.group')}</th>
            <th scope="col" className={th}>{t('stats.waitingNow')}</th>
            <th scope="col" className={th}>{t('stats.longestNow')}</th>
            <th scope="col" className={th}>{t('stats.offered')}</th>
            <th scope="col" className={th}>{t('stats.answered')}</th>
            <th scope="col" className={th}>{t('stats.abandoned')}</th>
            <th scope="col" className={th}>{t('stats.voicemail')}</th>
            <th scope="col" className={th}>{t('stats.avgWait')}</th>
            <th scope="col" className={th}>{t('stats.longestWait')}</th>
            <th scope="col" className={th}>{t('stats.avgAbandon')}</th>
            <th scope="col" className={th}>{t('stats.serviceLevel')}</th>
            <th scope="col" className={th}>{t('stats.slTarget')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const name = r.name ?? t('wallboard.unknownGroup', { id: r.groupId });
            const since = r.queue?.longestWaitSinceUs ?? null;
            return (
              <tr key={r.groupId} className="border-b border-slate-200 dark:border-slate-800">
                <th scope="row" className="px-2 py-1 text-left font-medium whitespace-nowrap">{name}</th>
                <td className={td}>{r.queue ? r.queue.waiting.length : '—'}</td>
                <td className={td}>{since === null ? '—' : formatDuration((nowUs - since) / 1000)}</td>
                <td className={td}>{r.stats.offered}</td>
                <td className={td}>{r.stats.answered}</td>
                <td className={td}>{r.stats.abandoned}</td>
                <td className={td}>{r.stats.voicemail}</td>
                <td className={td}>{dur(r.stats.avgWaitAnsweredMs)}</td>
                <td className={td}>{dur(r.stats.longestWaitAnsweredMs)}</td>
                <td className={td}>{dur(r.stats.avgWaitAbandonedMs)}</td>
                <td className={td}>{pct(r.stats.serviceLevel)}</td>
                <td className={td}>
                  <input
                    type="number"
                    min={SL_MIN_SEC}
                    max={SL_MAX_SEC}
                    className="input w-16 text-right"
                    aria-label={t('stats.slTargetOf', { group: name })}
                    defaultValue={r.stats.slSec}
                    onChange={(e) => setSlSec(r.groupId, Number(e.currentTarget.value))}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
