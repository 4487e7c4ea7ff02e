import { memo, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel, EmptyState } from '../../components/panel.tsx';
import { Truncate } from '../../components/truncate.tsx';
import { useLiveness, usePbxNowUs } from '../../components/use-clock.ts';
import { elapsedSec, formatDuration } from '../../components/time.ts';
import { callerNumber, callerTitle, groupLabel } from '../../components/caller.ts';
import { useQueues } from '../../stores/console-hooks.ts';
import type { QueueView, WaitingCaller } from '../../stores/selectors.ts';
import { ShowMore, useBoundedList } from '../../components/show-more.tsx';

/** Busy groups rendered at first (and per "Show more"), and callers per group: bounded render cost. */
export const QUEUE_GROUP_STEP = 20;
export const QUEUE_CALLER_STEP = 5;
import { useSettings } from '../settings/settings-store.ts';
import { CountBadge } from '../ringing/ringing-panel.tsx';
import { LimitedViewNote, useLimitedView } from '../../components/limited-view.tsx';
import { NotVisible } from '../users/not-visible.tsx';
import { useRovingFocus } from '../park/use-roving-focus.ts';

/**
 * Busy groups ordered so the longest wait comes first (issue 11): by their longest waiter's start
 * (earliest first; an unknown start last), ties in the given (group id) order. A new array.
 */
export function byLongestWait(busy: readonly QueueView[]): QueueView[] {
  return busy
    .map((q, i) => ({ q, i }))
    .sort((a, b) => (a.q.longestWaitSinceUs ?? Infinity) - (b.q.longestWaitSinceUs ?? Infinity) || a.i - b.i)
    .map((x) => x.q);
}

/** Wait level against the configured thresholds. */
export type WaitLevel = 'ok' | 'amber' | 'red';

/** Classify a wait (s) against amber/red thresholds (s). */
export function waitLevel(sec: number, amberSec: number, redSec: number): WaitLevel {
  return sec >= redSec ? 'red' : sec >= amberSec ? 'amber' : 'ok';
}

const LEVEL_CLASS: Record<WaitLevel, string> = {
  ok: 'text-slate-700 dark:text-slate-200',
  amber: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
  red: 'bg-red-600 text-white dark:bg-red-700',
};
const LEVEL_ICON: Record<WaitLevel, string> = { ok: '', amber: '▲', red: '⚠' };

/**
 * "Queues" region: per group, the waiting callers in order (position, caller, live wait time)
 * and the longest wait; waits past the amber/red thresholds (settings) are coloured AND marked
 * with an icon and text ("long wait"), so colour is never the only signal.
 */
export function QueuesPanel({ onOpenCall }: { onOpenCall: (uuid: string) => void }) {
  const { t } = useTranslation();
  const queues = useQueues();
  const { live, lastUpdateAt } = useLiveness();
  const total = queues.reduce((n, q) => n + q.waiting.length, 0);
  // Busy queues first, the longest wait first; idle groups after, compact.
  const busy = useMemo(() => byLongestWait(queues.filter((q) => q.waiting.length > 0)), [queues]);
  const idle = queues.filter((q) => q.waiting.length === 0);
  const groups = useBoundedList(busy, QUEUE_GROUP_STEP);
  // Limited view: other people's queued callers are not sent, so an idle-looking group's count is unknown.
  const limited = useLimitedView();
  // Callers rendered per busy group ("Show more" adds QUEUE_CALLER_STEP), kept here so that the
  // callers of every queue are ONE tab stop (roving tabindex, as in Ringing calls): ↑/↓ move
  // through them in order, across groups; Enter opens the call.
  const [callerLimit, setCallerLimit] = useState<Record<string, number>>({});
  const shownOf = (q: Queue): readonly WaitingCaller[] => {
    const n = callerLimit[String(q.group.id)] ?? QUEUE_CALLER_STEP;
    return q.waiting.length > n ? q.waiting.slice(0, n) : q.waiting;
  };
  const roving = useRovingFocus(groups.shown.flatMap((q) => shownOf(q).map((w) => w.channel.uuid)), 'list');
  const hintId = useId();
  return (
    <Panel
      title={t('panels.queues')}
      stale={!live}
      lastUpdateAt={lastUpdateAt}
      meta={<CountBadge n={total} label={t('count.waiting', { count: total })} urgent={total > 0} />}
    >
      {queues.length === 0 ? (
        <EmptyState>
          {t('queues.empty')}
          <LimitedViewNote />
        </EmptyState>
      ) : (
        <div className="flex flex-col" {...roving.containerProps}>
          <p id={hintId} className="sr-only">
            {t('queues.hint')}
          </p>
          {busy.length === 0 && (
            <EmptyState>
              {t('queues.noneWaiting')}
              <LimitedViewNote />
            </EmptyState>
          )}
          {groups.shown.map((q) => (
            <QueueGroup
              key={q.group.id}
              queue={q}
              shown={shownOf(q)}
              onMore={() => setCallerLimit((m) => ({ ...m, [String(q.group.id)]: (m[String(q.group.id)] ?? QUEUE_CALLER_STEP) + QUEUE_CALLER_STEP }))}
              tabIndexOf={(uuid) => roving.itemProps(uuid).tabIndex}
              hintId={hintId}
              onOpenCall={onOpenCall}
            />
          ))}
          <ShowMore hidden={groups.hidden} onMore={groups.more} />
          {idle.length > 0 && (
            <ul className="flex flex-wrap gap-1 border-t border-slate-100 p-2 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400">
              {idle.map((q) => (
                <li key={q.group.id} className="rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-800">
                  <span className="inline-block max-w-40 truncate align-bottom" title={groupLabel(q.group)}>
                    {groupLabel(q.group)}
                  </span>{' '}
                  {limited ? <NotVisible t={t} /> : <span className="tabular-nums">0</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Panel>
  );
}

type Queue = QueueView;

function QueueGroup({
  queue,
  shown,
  onMore,
  tabIndexOf,
  hintId,
  onOpenCall,
}: {
  queue: Queue;
  /** the first callers, rendered (the rest behind "Show more") */
  shown: readonly WaitingCaller[];
  onMore: () => void;
  /** the roving tabindex of a caller's button */
  tabIndexOf: (uuid: string) => 0 | -1;
  hintId: string;
  onOpenCall: (uuid: string) => void;
}) {
  const { t } = useTranslation();
  const amber = useSettings((s) => s.queueAmberSec);
  const red = useSettings((s) => s.queueRedSec);
  const label = groupLabel(queue.group);
  const headingId = `queue-${queue.group.id}`;
  return (
    <section aria-labelledby={headingId} className="@container border-b border-slate-100 px-3 py-2 dark:border-slate-800">
      {/* Wraps rather than squeezing the group name to one character at large text sizes. */}
      <div className="flex flex-wrap items-baseline gap-x-2">
        <h3 id={headingId} className="min-w-[6em] max-w-full flex-1 truncate font-semibold" title={label}>
          {label}
        </h3>
        <span className="shrink-0 text-xs text-slate-500 dark:text-slate-400">{t('count.waiting', { count: queue.waiting.length })}</span>
        <LongestWait sinceUs={queue.longestWaitSinceUs} amber={amber} red={red} />
      </div>
      <ol className="mt-1 flex flex-col gap-0.5" aria-describedby={hintId}>
        {shown.map((w) => (
          <QueueItem key={w.channel.uuid} w={w} amber={amber} red={red} tabIndex={tabIndexOf(w.channel.uuid)} onOpenCall={onOpenCall} />
        ))}
      </ol>
      <ShowMore hidden={queue.waiting.length - shown.length} onMore={onMore} className="px-1" />
    </section>
  );
}

/** "Longest wait m:ss", ticking on the shared clock (only this span re-renders each second). */
function LongestWait({ sinceUs, amber, red }: { sinceUs: number | null; amber: number; red: number }) {
  const { t } = useTranslation();
  const { nowUs } = usePbxNowUs();
  const longest = elapsedSec(sinceUs, nowUs);
  if (longest === null) return null;
  const level = waitLevel(longest, amber, red);
  return (
    <span className={`shrink-0 rounded px-1.5 text-sm font-semibold tabular-nums ${LEVEL_CLASS[level]}`}>
      {LEVEL_ICON[level] && <span aria-hidden="true">{LEVEL_ICON[level]} </span>}
      {t('queues.longest', { time: formatDuration(longest * 1000) })}
    </span>
  );
}

/** A caller's wait m:ss with its level; the only part of a queued caller that ticks each second. */
function WaitTime({ sinceUs, amber, red }: { sinceUs: number | null; amber: number; red: number }) {
  const { t } = useTranslation();
  const { nowUs } = usePbxNowUs();
  const sec = elapsedSec(sinceUs, nowUs);
  if (sec === null) return null;
  const level = waitLevel(sec, amber, red);
  return (
    <span className={`shrink-0 rounded px-1.5 font-mono tabular-nums ${LEVEL_CLASS[level]}`} title={t('queues.waited', { time: formatDuration(sec * 1000) })}>
      {LEVEL_ICON[level] && <span aria-hidden="true">{LEVEL_ICON[level]} </span>}
      {formatDuration(sec * 1000)}
      {level !== 'ok' && <span className="sr-only"> ({t(level === 'red' ? 'queues.red' : 'queues.amber')})</span>}
    </span>
  );
}

interface QueueItemProps {
  w: WaitingCaller;
  amber: number;
  red: number;
  /** roving tabindex: 0 on the one caller of all queues that Tab stops at */
  tabIndex: 0 | -1;
  onOpenCall: (uuid: string) => void;
}

/**
 * One waiting caller. Memoized on what it shows (the selector builds new `WaitingCaller`
 * wrappers on each change, but keeps the channel objects): a batch re-renders only the callers
 * it changed, and the shared 1 s clock re-renders only each item's {@link WaitTime}.
 */
const QueueItem = memo(
  function QueueItem({ w, amber, red, tabIndex, onOpenCall }: QueueItemProps) {
    const { t } = useTranslation();
    const title = callerTitle(w.channel, t('call.unknownCaller'));
    const number = callerNumber(w.channel);
    return (
      <li>
        <button
          type="button"
          data-call={w.channel.uuid}
          data-roving-index={w.channel.uuid}
          tabIndex={tabIndex}
          onClick={() => onOpenCall(w.channel.uuid)}
          className="flex w-full items-center gap-2 rounded px-1 py-0.5 text-left text-sm hover:bg-slate-50 dark:hover:bg-slate-800"
        >
          <span className="w-6 shrink-0 text-right font-mono text-xs text-slate-500" title={t('queues.position', { position: w.position })}>
            <span aria-hidden="true">{w.position}.</span>
            <span className="sr-only">{t('queues.position', { position: w.position })}</span>
          </span>
          <Truncate text={title} className="flex-1 font-medium" />
          {/* In a narrow panel (large text) the name keeps the room; the number is in the call detail. */}
          {number && number !== title && <span className="hidden shrink-0 font-mono text-xs tabular-nums text-slate-600 @[22rem]:inline dark:text-slate-400">{number}</span>}
          <WaitTime sinceUs={w.sinceUs} amber={amber} red={red} />
        </button>
      </li>
    );
  },
  (a, b) =>
    a.w.channel === b.w.channel && a.w.position === b.w.position && a.w.sinceUs === b.w.sinceUs && a.amber === b.amber && a.red === b.red && a.tabIndex === b.tabIndex && a.onOpenCall === b.onOpenCall,
);
