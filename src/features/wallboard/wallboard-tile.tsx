import { useTranslation } from 'react-i18next';
import { formatDuration } from '../../components/time.ts';
import { waitLevel, type WaitLevel } from '../queues/queues-panel.tsx';
import type { GroupFigures } from '../stats/use-group-figures.ts';
import type { GroupAgents } from './wallboard-agents.ts';

/** Service level below this share is amber, below {@link SL_RED} red (ours; a common call-centre target is 80 %). */
export const SL_AMBER = 0.8;
export const SL_RED = 0.6;

/** Colour and mark of a level: colour is never the only sign (▲ amber, ⚠ red). */
const LEVEL: Record<WaitLevel, { cls: string; mark: string }> = {
  ok: { cls: '', mark: '' },
  amber: { cls: 'wb-amber', mark: '▲ ' },
  red: { cls: 'wb-red', mark: '⚠ ' },
};

function slLevel(sl: number | null): WaitLevel {
  return sl === null ? 'ok' : sl < SL_RED ? 'red' : sl < SL_AMBER ? 'amber' : 'ok';
}

function Figure({ label, value, level = 'ok', big = false, wide = false, testId }: { label: string; value: string; level?: WaitLevel; big?: boolean; wide?: boolean; testId?: string }) {
  return (
    <div className={`wb-figure ${wide ? 'wb-wide' : ''} ${LEVEL[level].cls}`} data-testid={testId} data-level={level}>
      <div className="wb-label">{label}</div>
      <div className={big ? 'wb-big' : 'wb-mid'}>
        {LEVEL[level].mark && <span aria-hidden="true">{LEVEL[level].mark}</span>}
        {value}
      </div>
    </div>
  );
}

/**
 * One group on the wallboard: waiting now and the longest wait now (amber/red as the console's
 * queue thresholds), answered / abandoned today and the service level, and who is logged in.
 */
export function WallboardTile({ fig, agents, nowUs, amberSec, redSec }: { fig: GroupFigures; agents: GroupAgents | undefined; nowUs: number; amberSec: number; redSec: number }) {
  const { t } = useTranslation();
  const name = fig.name ?? t('wallboard.unknownGroup', { id: fig.groupId });
  const since = fig.queue?.longestWaitSinceUs ?? null;
  const waitSec = since === null ? null : Math.max(0, (nowUs - since) / 1_000_000);
  const level = waitSec === null ? 'ok' : waitLevel(waitSec, amberSec, redSec);
  const waiting = fig.queue?.waiting.length ?? 0;
  const sl = fig.stats.serviceLevel;
  return (
    <section aria-label={name} className="wb-tile">
      <h2 className="wb-name">{name}</h2>
      <div className="wb-row">
        <Figure label={t('wallboard.waiting')} value={String(waiting)} level={waiting > 0 ? level : 'ok'} big testId="wb-waiting" />
        <Figure label={t('wallboard.longest')} value={waitSec === null ? '—' : formatDuration(waitSec * 1000)} level={level} big testId="wb-longest" />
      </div>
      <div className="wb-row">
        <Figure label={t('wallboard.answered')} value={String(fig.stats.answered)} testId="wb-answered" />
        <Figure label={t('wallboard.abandoned')} value={String(fig.stats.abandoned)} testId="wb-abandoned" />
        <Figure label={`${t('wallboard.serviceLevel')} ≤ ${fig.stats.slSec} s`} value={sl === null ? '—' : `${Math.round(sl * 100)}%`} level={slLevel(sl)} wide testId="wb-sl" />
      </div>
      <p className="wb-agents" title={agents?.loggedIn.join(', ')}>
        <span className="wb-label">{t('wallboard.agents')} ({agents?.loggedIn.length ?? 0}): </span>
        {agents && agents.loggedIn.length > 0 ? agents.loggedIn.join(', ') : t('wallboard.agentsNone')}
        {agents && agents.unknown > 0 ? ` (+${agents.unknown} ?)` : ''}
      </p>
    </section>
  );
}
