import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel, EmptyState } from '../../components/panel.tsx';
import { clearMissedCalls, useConsoleStore } from '../../stores/console-store.ts';
import { useThrottledValue } from '../../components/use-throttled-value.ts';
import { isOutageMarker } from '../../lib/missed-calls.ts';
import { CountBadge } from '../ringing/ringing-panel.tsx';
import { LimitedViewNote } from '../../components/limited-view.tsx';
import { INSET_FOCUS } from './missed-item.tsx';
import { MissedList } from './missed-list.tsx';
import { MissedNotices } from './missed-notices.tsx';
import { MissedDetail } from './missed-detail.tsx';
import { filterMissed, groupIdsOf, type MissedScope } from './missed-filter.ts';
import { useOwnUserId } from '../actions/own-user.ts';

/**
 * "Missed calls" region: calls that ended unanswered (missed, or abandoned by the caller),
 * newest first, from the store's persisted `missedCalls` (the owner's list, missed-owner.ts);
 * what happened to its storage (missed-notices.tsx); a Clear button (with confirmation).
 * The list is virtualized (missed-list.tsx): a busy day is thousands of entries.
 *
 * Keyboard: the entries are one tab stop (roving tabindex); ↑/↓ move between them, Home/End to the
 * newest/oldest. Focus scrolls the panel, and each entry is named by what it shows.
 * Clear → confirmation (focus on its button; Escape or Cancel go back to Clear; after clearing,
 * focus lands on the empty list instead of being lost with the buttons).
 */
/** The missed-call list is redrawn at most this often (ms). */
const MISSED_REDRAW_MS = 1_000;

export function MissedPanel() {
  const { t } = useTranslation();
  // Redrawn at most once a second: under load a missed call ends in nearly every batch, and each
  // new entry shifts every visible row (their positions and measurements) — bench:ui's long tasks.
  // A cleared list shows at once (the operator's own action).
  const raw = useConsoleStore((s) => s.missedCalls);
  const throttled = useThrottledValue(raw, MISSED_REDRAW_MS);
  const all = raw.length === 0 ? raw : throttled;
  // the list is hidden (not lost) while the PBX refuses the socket as for a lost login (missed-owner.ts)
  const hidden = useConsoleStore((s) => s.connection.loginRequired && s.connection.status !== 'live');
  const [confirm, setConfirm] = useState(false);
  const [scope, setScope] = useState<MissedScope>('everyone');
  const [openUuid, setOpenUuid] = useState<string | null>(null);
  const ownId = useOwnUserId();
  const members = useConsoleStore((s) => s.group_member);
  const myGroups = useMemo(() => (ownId === null ? new Set<string>() : groupIdsOf(members, ownId)), [members, ownId]);
  const calls = useMemo(() => filterMissed(all, scope, ownId, myGroups), [all, scope, ownId, myGroups]);
  const count = useMemo(() => calls.reduce((n, c) => (isOutageMarker(c) ? n : n + 1), 0), [calls]);
  const filterHintId = useId();
  const hintId = useId();
  const clearRef = useRef<HTMLButtonElement>(null);
  const emptyRef = useRef<HTMLDivElement>(null);
  const focusNext = useRef<'clear' | 'empty' | null>(null);
  useEffect(() => {
    const target = focusNext.current === 'clear' ? clearRef.current : focusNext.current === 'empty' ? emptyRef.current : null;
    focusNext.current = null;
    target?.focus();
  }, [confirm, all.length]);
  const cancel = () => {
    focusNext.current = 'clear';
    setConfirm(false);
  };
  return (
    <Panel
      title={t('panels.missed')}
      bodyClassName="flex flex-col overflow-hidden"
      meta={<CountBadge n={count} label={t('count.calls', { count })} />}
      actions={
        <>
          <label className="sr-only" htmlFor={`${filterHintId}-scope`}>
            {t('missed.filter')}
          </label>
          <select
            id={`${filterHintId}-scope`}
            className="input min-w-16 max-w-36 shrink py-0 text-xs"
            value={scope}
            onChange={(e) => setScope(e.target.value as MissedScope)}
            aria-describedby={ownId === null && scope === 'mine' ? filterHintId : undefined}
          >
            <option value="everyone">{t('missed.filterEveryone')}</option>
            <option value="mine">{t('missed.filterMine')}</option>
          </select>
          {all.length > 0 &&
        (confirm ? (
          <span
            className="flex items-center gap-1 text-xs"
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                cancel();
              }
            }}
          >
            <span>{t('missed.clearConfirm')}</span>
            <button
              type="button"
              className="btn btn-danger py-0 text-xs"
              autoFocus
              onClick={() => {
                focusNext.current = 'empty';
                clearMissedCalls();
                setConfirm(false);
              }}
            >
              {t('missed.clear')}
            </button>
            <button type="button" className="btn py-0 text-xs" onClick={cancel}>
              {t('actions.cancel')}
            </button>
          </span>
        ) : (
          <button ref={clearRef} type="button" className="btn py-0 text-xs" onClick={() => setConfirm(true)}>
            {t('missed.clear')}
          </button>
        ))}
        </>
      }
    >
      <MissedNotices />
      {ownId === null && scope === 'mine' && (
        <p id={filterHintId} className="px-3 py-1 text-xs text-amber-900 dark:text-amber-200">
          {t('missed.filterNoUser')}
        </p>
      )}
      {openUuid !== null && <MissedDetail uuid={openUuid} onClose={() => setOpenUuid(null)} />}
      {calls.length === 0 ? (
        <div ref={emptyRef} tabIndex={-1} className="min-h-0 flex-1" style={INSET_FOCUS}>
          <EmptyState>
            {all.length > 0 ? t('missed.filterNone') : hidden ? t('missed.hiddenLoggedOut') : t('missed.empty')}
            <LimitedViewNote />
          </EmptyState>
        </div>
      ) : (
        <>
          <p id={hintId} className="sr-only">
            {t('missed.hint')}
          </p>
          <MissedList calls={calls} describedBy={hintId} onOpen={setOpenUuid} />
        </>
      )}
    </Panel>
  );
}
