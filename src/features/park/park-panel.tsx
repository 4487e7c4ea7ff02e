import { useCallback, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel } from '../../components/panel.tsx';
import { useLiveness, usePbxNowUs } from '../../components/use-clock.ts';
import { elapsedSec, formatDuration } from '../../components/time.ts';
import { callerNumber, callerTitle } from '../../components/caller.ts';
import { cleanText } from '../../components/text.tsx';
import { useParkSlots } from './use-park-slots.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import type { ParkSlotView } from '../../stores/selectors.ts';
import { useSettings } from '../settings/settings-store.ts';
import { CountBadge } from '../ringing/ringing-panel.tsx';
import { LimitedViewNote, useLimitedView } from '../../components/limited-view.tsx';
import { useRovingFocus } from './use-roving-focus.ts';
import { useFitCompact, type CompactLevel } from './use-fit-compact.ts';

type Slot = ParkSlotView;

/**
 * "Park slots" region: a grid of the park slots the operator works with (their park group's three,
 * 997–999, any configured in Settings) and every occupied slot, whatever its number
 * (selectors.ts `selectParkSlots`). A parked call ringing back says so on its slot. Each slot is a button whose accessible
 * name is exactly "Park slot N"; its state (free, or caller / parker / time) is visible text and
 * its accessible description. An occupied slot past the park warning time (settings) turns red
 * with a ⚠ and "Waiting too long". Clicking an occupied slot opens the call detail.
 *
 * Keyboard (WAI-ARIA APG layout grid): the slots are one tab stop (roving tabindex); ←/→ move in
 * reading order, ↑/↓ to the slot above/below (the columns follow the panel's width), Home/End to
 * the row's first/last, Ctrl+Home/Ctrl+End to the first/last slot; Enter or Space opens a parked
 * call. Free slots stay focusable (aria-disabled), so the geometry does not jump.
 *
 * When the grid does not fit its panel (several occupied slots at 1366×768), slots get compact
 * (use-fit-compact.ts): the caller's number, then the words "Waiting too long", leave the view
 * (not the description or the tooltip), so every slot — 910 too — stays visible.
 */
export function ParkPanel({ onOpenCall }: { onOpenCall: (uuid: string) => void }) {
  const { t } = useTranslation();
  const slots = useParkSlots();
  const { live, lastUpdateAt } = useLiveness();
  const occupied = slots.filter((s) => s.call).length;
  const limitedView = useLimitedView();
  const hintId = useId();
  const roving = useRovingFocus(slots.map((s) => String(s.slot)), 'grid');
  const fit = useFitCompact(occupied);
  const rovingRef = roving.containerProps.ref;
  const fitRef = fit.ref;
  const listRef = useCallback(
    (el: HTMLElement | null) => {
      rovingRef(el);
      fitRef(el);
    },
    [rovingRef, fitRef],
  );
  return (
    <Panel
      title={t('panels.park')}
      stale={!live}
      lastUpdateAt={lastUpdateAt}
      meta={
        <CountBadge
          n={occupied}
          // limited view: only our own parked calls are known, never "0/10 occupied"
          label={limitedView ? t('count.ownParked', { count: occupied }) : t('count.occupied', { occupied, total: slots.length })}
        />
      }
    >
      <p id={hintId} className="sr-only">
        {t('park.hint')}
      </p>
      {/* Auto rows stretch to the panel's height: on a wall screen the slots fill the box instead of a small grid at its top. */}
      {/* Above the grid, where it is seen: a plain user's login does not see who else has parked calls. */}
      <p className="px-2 pt-1 empty:hidden">
        <LimitedViewNote />
      </p>
      <ul
        className="grid min-h-full grid-cols-[repeat(auto-fill,minmax(6.75rem,1fr))] gap-1 p-1.5"
        aria-describedby={hintId}
        data-compact={fit.level || undefined}
        {...roving.containerProps}
        ref={listRef}
      >
        {slots.map((s) => (
          <li key={s.slot}>
            <ParkSlotButton slot={s} onOpenCall={onOpenCall} roving={roving.itemProps(String(s.slot))} compact={fit.level} />
          </li>
        ))}
      </ul>
    </Panel>
  );
}

/**
 * One park slot (exported for tests). `roving`: its tabindex in the panel's roving focus;
 * `compact`: 1 the caller's number, 2 also "Waiting too long" are left out of view (they stay in
 * the description and the tooltip); 3 also a free slot takes one line and no slot a minimum height.
 */
export function ParkSlotButton({
  slot,
  onOpenCall,
  roving,
  compact = 0,
}: {
  slot: Slot;
  onOpenCall: (uuid: string) => void;
  roving?: ReturnType<ReturnType<typeof useRovingFocus>['itemProps']>;
  compact?: CompactLevel;
}) {
  const { t } = useTranslation();
  const { nowUs } = usePbxNowUs();
  const warnSec = useSettings((s) => s.parkWarnSec);
  const descId = useId();
  // Limited view: a slot with no call of ours may hold someone else's call; never say "Free".
  const limited = useLimitedView();
  const call = slot.call;
  // The PBX's parker_name is the parker's login name (user3); the receptionist knows people by
  // their label. One string per slot, so a slot re-renders only when its parker's label changes.
  const parkerLabel = useConsoleStore((s) => {
    const id = call?.parkerId;
    if (id === null || id === undefined) return null;
    const u = s.user.get(String(id));
    return u ? cleanText(u.label) || cleanText(u.name) || null : null;
  });
  // Whom a ring-back of this slot's call rings (a user's leg: its user_id, or the user it calls).
  const ringBackUser = useConsoleStore((s) => {
    const rb = call?.ringingBack;
    if (!rb) return null;
    const d = rb.state?.name === 'calling' ? rb.state.data : undefined;
    const id = d?.target_type === 'user' && d.user_id != null ? d.user_id : rb.user_id;
    if (id === undefined || id === null) return null;
    const u = s.user.get(String(id));
    return u ? cleanText(u.label) || cleanText(u.name) || null : null;
  });
  const name = t('park.slot', { slot: slot.slot });
  if (!call) {
    return (
      <button
        type="button"
        aria-label={name}
        aria-describedby={descId}
        aria-disabled="true"
        {...roving}
        className={`flex h-full w-full rounded-md border border-dashed border-slate-300 px-1.5 py-0.5 text-left text-slate-500 dark:border-slate-700 dark:text-slate-400 ${
          compact === 3 ? 'flex-row items-baseline gap-1.5' : 'min-h-12 flex-col'
        }`}
      >
        <span className="font-mono text-sm font-semibold wall:text-lg">{slot.slot}</span>
        <span id={descId} className="text-xs wall:text-sm" title={limited ? t('limited.unknown') : undefined}>
          {limited ? (
            <>
              <span aria-hidden="true">—</span>
              <span className="sr-only">{t('limited.unknown')}</span>
            </>
          ) : (
            t('park.free')
          )}
        </span>
      </button>
    );
  }
  const sec = elapsedSec(call.sinceUs, nowUs);
  const time = sec === null ? '' : formatDuration(sec * 1000);
  const warn = sec !== null && sec >= warnSec;
  const caller = callerTitle(call.channel, t('call.unknownCaller'));
  const number = callerNumber(call.channel);
  const parker = parkerLabel ?? cleanText(call.parkerName);
  const ringBackText = !call.ringingBack ? '' : ringBackUser ? t('park.ringingBackTo', { name: ringBackUser }) : t('park.ringingBack');
  return (
    <button
      type="button"
      aria-label={name}
      aria-describedby={descId}
      data-warning={warn ? 'true' : undefined}
      data-call={call.channel.uuid}
      {...roving}
      onClick={() => onOpenCall(call.channel.uuid)}
      className={`flex h-full w-full flex-col rounded-md border px-1.5 py-0.5 text-left shadow-sm ${compact === 3 ? '' : 'min-h-12'} ${
        warn
          ? 'animate-[pulse_2s_ease-in-out_infinite] border-red-700 bg-red-600 text-white'
          : 'border-blue-300 bg-blue-50 text-slate-900 hover:bg-blue-100 dark:border-blue-700 dark:bg-blue-950 dark:text-slate-100 dark:hover:bg-blue-900'
      }`}
    >
      <span className="flex w-full items-baseline gap-1">
        <span className="font-mono text-sm font-semibold wall:text-lg">{slot.slot}</span>
        <span className="ml-auto font-mono text-sm tabular-nums wall:text-lg">
          <span aria-hidden="true">{warn ? '⚠ ' : '‖ '}</span>
          {time}
        </span>
      </span>
      <span id={descId} className="flex w-full min-w-0 flex-col text-xs wall:text-sm">
        <span className="sr-only">{t('park.occupied')}: </span>
        <span className="truncate text-[0.8rem] font-medium leading-tight [unicode-bidi:isolate] wall:text-base wall:whitespace-normal wall:break-words" title={[caller, compact && number !== caller ? number : '', compact === 2 && warn ? t('park.forgotten') : ''].filter(Boolean).join(' ')}>
          {caller}
        </span>
        {number && number !== caller && <span className={compact ? 'sr-only' : 'truncate font-mono'}>{number}</span>}
        {parker && (
          // Up to two lines, not cut at one: at 1920×1080 four slots a row left "Parked by 佐藤…" in every occupied slot (issue 11).
          <span className="line-clamp-2 break-words leading-tight wall:line-clamp-none" title={t('park.parkedBy', { name: parker })}>
            {t('park.parkedBy', { name: parker })}
          </span>
        )}
        {call.ringingBack && (
          <span className="truncate font-semibold" title={ringBackText}>
            <span aria-hidden="true">☎ </span>
            {ringBackText}
          </span>
        )}
        {warn && <strong className={compact === 2 ? 'sr-only' : 'leading-tight'}>{t('park.forgotten')}</strong>}
        <span className="sr-only">{t('park.parkedFor', { time })}</span>
      </span>
    </button>
  );
}
