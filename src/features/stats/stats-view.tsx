import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useConsoleStore } from '../../stores/console-store.ts';
import { selectLimitedView } from '../../stores/selectors.ts';
import { useQueueStats } from './stats-feed.ts';
import { slSecOf, useStatsSettings } from './stats-settings.ts';
import { StatsChart } from './stats-chart.tsx';
import { StatsNotes } from './stats-notes.tsx';
import { StatsTable } from './stats-table.tsx';
import { useGroupFigures } from './use-group-figures.ts';

/**
 * The "Queue statistics" region: today's figures per group, what they cannot know, and the
 * chart per 15 minutes (issue 13).
 */
export function StatsView() {
  const { t } = useTranslation();
  const day = useQueueStats((s) => s.day);
  const version = useQueueStats((s) => s.version);
  const storage = useQueueStats((s) => s.storage);
  const limitedNow = useConsoleStore(selectLimitedView);
  const rows = useGroupFigures();
  const settings = useStatsSettings();
  const slOf = useCallback((g: number) => slSecOf(settings, g), [settings]);
  const groupIds = useMemo(() => [] as number[], []);
  return (
    <section aria-label={t('stats.title')} className="space-y-2">
      <StatsNotes day={day} storage={storage} limitedNow={limitedNow} />
      <StatsTable rows={rows} />
      {day && <StatsChart day={day} version={version} groupIds={groupIds} slSecOf={slOf} />}
    </section>
  );
}
