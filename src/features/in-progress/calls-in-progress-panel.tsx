import { memo, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Panel, EmptyState } from '../../components/panel.tsx';
import { Elapsed } from '../../components/elapsed.tsx';
import { Truncate } from '../../components/truncate.tsx';
import { useLiveness } from '../../components/use-clock.ts';
import { callerTitle, endUserOf, userLabel } from '../../components/caller.ts';
import { formatPhone } from '../../lib/phone.ts';
import { cleanText } from '../../components/text.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';
import type { User } from '../../stores/cti-types.ts';
import { selectCallsInProgress, type CallInProgress, type CallParty } from '../../stores/calls-in-progress.ts';
import { useRovingFocus } from '../park/use-roving-focus.ts';
import { CountBadge } from '../ringing/ringing-panel.tsx';
import { useThrottledValue } from '../../components/use-throttled-value.ts';
import { useOwnUserId } from '../actions/own-user.ts';

/**
 * The store's calls in progress, recomputed at most every {@link IN_PROGRESS_REDRAW_MS}: under
 * load (2,000 channels) the channel map changes with every batch, and walking it to pair the legs
 * each time cost a share of bench:ui's long tasks; a conversation's start needs no 30 ms latency.
 * The previous result is kept so unchanged rows keep their identity.
 */
function useCallsInProgress(ownUserId: number | null): readonly CallInProgress[] {
  const channels = useThrottledValue(
    useConsoleStore((s) => s.channel),
    IN_PROGRESS_REDRAW_MS,
  );
  const prev = useRef<readonly CallInProgress[]>([]);
  return useMemo(() => (prev.current = selectCallsInProgress(channels, ownUserId, prev.current)), [channels, ownUserId]);
}

/** Calls in progress are recomputed at most this often (ms). */
const IN_PROGRESS_REDRAW_MS = 250;

/** The text naming one side of a call: a user's label, the caller (CRM name, name, number), or a dialled number. */
export function partyText(p: CallParty | null, users: ReadonlyMap<string, User>, unknown: string): string {
  if (!p) return unknown;
  if (p.kind === 'user') return userLabel(users.get(String(p.userId)), p.userId);
  if (p.kind === 'caller') return callerTitle(p.leg, unknown);
  return formatPhone(p.number) || unknown;
}

/**
 * "Calls in progress" region (issue 11): every answered call, a bridged pair once — who ↔ who,
 * direction, the conversation's duration on the PBX clock, the CRM name — the operator's own call
 * first and marked "My call". Each is a button (`data-call` = the leg actions act on, the external
 * party's) that opens the same call dialog as a ringing call. One tab stop; ↑/↓/Home/End move.
 */
export function CallsInProgressPanel({ onOpenCall }: { onOpenCall: (uuid: string) => void }) {
  const { t } = useTranslation();
  const own = useOwnUserId();
  const calls = useCallsInProgress(own);
  const { live, lastUpdateAt } = useLiveness();
  const roving = useRovingFocus(calls.map((c) => c.actUuid), 'list');
  return (
    <Panel
      title={t('inProgress.title')}
      stale={!live}
      lastUpdateAt={lastUpdateAt}
      className="in-progress-panel"
      meta={<CountBadge n={calls.length} label={t('inProgress.count', { count: calls.length })} />}
    >
      {calls.length === 0 ? (
        <EmptyState>{t('inProgress.empty')}</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" {...roving.containerProps}>
          {calls.map((c) => (
            <InProgressItem key={c.key} call={c} onOpen={onOpenCall} tabIndex={roving.itemProps(c.actUuid).tabIndex} t={t} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

const INSET_FOCUS = { outlineOffset: '-2px' } as const;

const InProgressItem = memo(function InProgressItem({ call, onOpen, tabIndex, t }: { call: CallInProgress; onOpen: (uuid: string) => void; tabIndex: 0 | -1; t: TFunction }) {
  // Only the labels of this call's users: other users' changes do not re-render the row.
  const names = useConsoleStore((s) => {
    const unknown = t('inProgress.unknownParty');
    return `${partyText(call.from, s.user, unknown)}\u0000${partyText(call.to, s.user, unknown)}`;
  });
  const [from, to] = names.split('\u0000') as [string, string];
  const caller = call.legs.find((l) => l.user_id == null);
  const eu = caller ? endUserOf(caller) : null;
  const org = eu?.count === 1 ? cleanText(eu.items[0]?.organization) : '';
  const direction = t(`inProgress.direction.${call.direction}`);
  return (
    <li>
      <button
        type="button"
        data-call={call.actUuid}
        data-roving-index={call.actUuid}
        data-own={call.own ? 'true' : undefined}
        tabIndex={tabIndex}
        onClick={() => onOpen(call.actUuid)}
        style={INSET_FOCUS}
        title={[from, to].join(' ↔ ') + ` — ${direction}${org ? ` — ${org}` : ''}`}
        className={`flex w-full min-w-0 items-baseline gap-1.5 px-3 py-1.5 text-left hover:bg-slate-50 focus-visible:bg-blue-50 dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800 ${call.own ? 'border-l-4 border-blue-600 bg-blue-50/60 dark:border-blue-400 dark:bg-blue-950/40' : ''}`}
      >
        {/* One line per call: the arrow shows the direction, the words are read out. */}
        <span aria-hidden="true" className="shrink-0 text-sm" title={direction}>
          {call.direction === 'outgoing' ? '↗' : call.direction === 'incoming' ? '↘' : '⇄'}
        </span>
        <span className="sr-only">{direction}: </span>
        {call.own && <span className="shrink-0 self-center rounded bg-blue-600 px-1.5 text-xs font-semibold text-white dark:bg-blue-500">{t('inProgress.mine')}</span>}
        <Truncate text={from} className="font-semibold" />
        <span aria-hidden="true" className="shrink-0 text-slate-500">↔</span>
        <Truncate text={to} className="font-semibold" />
        {org && <Truncate text={org} className="text-xs text-slate-600 dark:text-slate-400" />}
        <Elapsed
          sinceUs={call.sinceUs}
          render={(_s, text) => <span className="ml-auto shrink-0 pl-2 font-mono text-sm tabular-nums text-slate-600 dark:text-slate-300">{text}</span>}
        />
      </button>
    </li>
  );
});
