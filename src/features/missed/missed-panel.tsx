import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel, EmptyState } from '../../components/panel.tsx';
import { clearMissedCalls, useConsoleStore } from '../../stores/console-store.ts';
import { isOutageMarker } from '../../lib/missed-calls.ts';
import { CountBadge } from '../ringing/ringing-panel.tsx';
import { LimitedViewNote } from '../../components/limited-view.tsx';
import { INSET_FOCUS } from './missed-item.tsx';
import { MissedList } from './missed-list.tsx';
import { MissedNotices } from './missed-notices.tsx';

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
export function MissedPanel() {
  const { t } = useTranslation();
  const calls = useConsoleStore((s) => s.missedCalls);
  const [confirm, setConfirm] = useState(false);
  const count = useMemo(() => calls.reduce((n, c) => (isOutageMarker(c) ? n : n + 1), 0), [calls]);
  const hintId = useId();
  const clearRef = useRef<HTMLButtonElement>(null);
  const emptyRef = useRef<HTMLDivElement>(null);
  const focusNext = useRef<'clear' | 'empty' | null>(null);
  useEffect(() => {
    const target = focusNext.current === 'clear' ? clearRef.current : focusNext.current === 'empty' ? emptyRef.current : null;
    focusNext.current = null;
    target?.focus();
  }, [confirm, calls.length]);
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
        calls.length > 0 &&
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
        ))
      }
    >
      <MissedNotices />
      {calls.length === 0 ? (
        <div ref={emptyRef} tabIndex={-1} className="min-h-0 flex-1" style={INSET_FOCUS}>
          <EmptyState>
            {t('missed.empty')}
            <LimitedViewNote />
          </EmptyState>
        </div>
      ) : (
        <>
          <p id={hintId} className="sr-only">
            {t('missed.hint')}
          </p>
          <MissedList calls={calls} describedBy={hintId} />
        </>
      )}
    </Panel>
  );
}
