import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { usePbxNowUs } from '../../components/use-clock.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import { selectLimitedView } from '../../stores/selectors.ts';
import { LoginRequiredBanner } from '../banner/login-required-banner.tsx';
import { useSettings } from '../settings/settings-store.ts';
import { useQueueStats } from '../stats/stats-feed.ts';
import { hhmm, outageSpans, useGroupFigures } from '../stats/use-group-figures.ts';
import { selectGroupAgents } from './wallboard-agents.ts';
import { WallboardParked } from './wallboard-parked.tsx';
import { gridOf, pagesOf, parseWallboardOptions } from './wallboard-route.ts';
import { WallboardTile } from './wallboard-tile.tsx';
import './wallboard.css';

/**
 * The wall screen (`/wallboard`, issue 13): per group big numbers, the parked calls and who is
 * logged in; no interaction needed. Groups come from `?groups=1,2` (all known groups without it);
 * up to 8 fit one screen, more rotate in pages every `?page_seconds=` (15). It says plainly when
 * it is not live; the connection recovers by itself from outages and PBX restarts.
 */
export function WallboardPage() {
  const { t } = useTranslation();
  const opts = useMemo(() => parseWallboardOptions(window.location.search), []);
  const figs = useGroupFigures(opts.groups);
  const agents = useConsoleStore(selectGroupAgents);
  const status = useConsoleStore((s) => s.connection.status);
  const limited = useConsoleStore(selectLimitedView);
  const day = useQueueStats((s) => s.day);
  useQueueStats((s) => s.version); // outages are updated in place
  const { nowUs } = usePbxNowUs();
  const amberSec = useSettings((s) => s.queueAmberSec);
  const redSec = useSettings((s) => s.queueRedSec);
  const parkWarnSec = useSettings((s) => s.parkWarnSec);
  const pages = pagesOf(figs);
  const [page, setPage] = useState(0);

  useEffect(() => {
    document.title = t('wallboard.title');
  }, [t]);
  useEffect(() => {
    if (pages.length <= 1) return;
    const id = setInterval(() => setPage((p) => p + 1), opts.pageSeconds * 1000);
    return () => clearInterval(id);
  }, [pages.length, opts.pageSeconds]);

  const shown = pages[page % pages.length] ?? [];
  const { cols, rows } = gridOf(shown.length);
  const gridStyle = {
    gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`,
    gridTemplateRows: `repeat(${rows}, minmax(0, 1fr))`,
    '--u': `min(calc(100vw / ${cols} / 27), calc(78vh / ${rows} / 14))`,
  } as CSSProperties;
  const spans = day ? outageSpans(day.outages) : [];

  return (
    <div className={`wb-root ${opts.theme === 'light' ? 'wb-light' : ''}`} data-testid="wallboard">
      <header className="wb-head">
        <h1>{t('wallboard.title')}</h1>
        {day && <span className="wb-small">{t('stats.since', { time: hhmm(day.sinceUs) })}</span>}
        {spans.map((s) => (
          <span key={s.from} className="wb-small" data-testid="wb-outage">
            ⚠ {s.to === null ? t('stats.noDataNow', { from: s.from }) : t('stats.noData', { from: s.from, to: s.to })}
          </span>
        ))}
        {pages.length > 1 && <span className="wb-page">{t('wallboard.page', { page: (page % pages.length) + 1, pages: pages.length })}</span>}
        <span className="wb-clock">{hhmm(nowUs)}</span>
      </header>
      {status !== 'live' && (
        <div role="alert" className="wb-notlive" data-testid="wb-notlive">
          ⚠ {t('wallboard.notLive')}
        </div>
      )}
      <LoginRequiredBanner />
      {limited && <div className="wb-small px-[2vmin]">{t('stats.limited')}</div>}
      {shown.length === 0 ? (
        <p className="wb-grid wb-big">{t('wallboard.noGroups')}</p>
      ) : (
        <main className="wb-grid" style={gridStyle}>
          {shown.map((f) => (
            <WallboardTile key={f.groupId} fig={f} agents={agents.get(f.groupId)} nowUs={nowUs} amberSec={amberSec} redSec={redSec} />
          ))}
        </main>
      )}
      <WallboardParked nowUs={nowUs} warnSec={parkWarnSec} />
    </div>
  );
}
