import { useTranslation } from 'react-i18next';
import type { StatsDay } from '../../lib/queue-stats.ts';
import type { StatsStorageState } from './stats-feed.ts';
import { hhmm, outageSpans } from './use-group-figures.ts';

/**
 * What the figures can and cannot know, said plainly: since when they count, a limited view's
 * own calls only, every span without data ("no data 10:02–10:05"), and a storage failure.
 */
export function StatsNotes({ day, storage, limitedNow }: { day: StatsDay | null; storage: StatsStorageState; limitedNow: boolean }) {
  const { t } = useTranslation();
  if (!day) return <p className="text-sm">{t('stats.notYet')}</p>;
  const spans = outageSpans(day.outages);
  return (
    <div className="space-y-1 text-sm">
      <p data-testid="stats-since">{t('stats.since', { time: hhmm(day.sinceUs) })}</p>
      {(day.limited || limitedNow) && <p className="font-semibold text-amber-800 dark:text-amber-300">{t('stats.limited')}</p>}
      {spans.length > 0 && (
        <ul aria-label="outages" className="flex flex-wrap gap-2" data-testid="stats-outages">
          {spans.map((s) => (
            <li key={s.from} className="rounded bg-slate-200 px-2 py-0.5 dark:bg-slate-800">
              <span aria-hidden="true">⚠ </span>
              {s.to === null ? t('stats.noDataNow', { from: s.from }) : t('stats.noData', { from: s.from, to: s.to })}
            </li>
          ))}
        </ul>
      )}
      {storage === 'failed' && <p role="status">{t('stats.storageFailed')}</p>}
    </div>
  );
}
