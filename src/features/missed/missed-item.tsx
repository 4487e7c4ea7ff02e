// One entry of the missed-call list: a missed call, or an outage marker ("calls may be missing").
import { memo, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { Truncate } from '../../components/truncate.tsx';
import { formatClock, formatDateTime, formatDuration } from '../../components/time.ts';
import { formatPhone } from '../../lib/phone.ts';
import { cleanText } from '../../components/text.tsx';
import type { MissedCall } from '../../lib/missed-calls.ts';
import { dismissOutage } from './missed-marks.ts';

/**
 * One entry; memoized (entries do not change once listed; only the tab stop moves), so a new
 * missed call renders one item. Focusable for the list's roving focus; its accessible name is
 * what it shows, in order (a focused list item is not named by its content otherwise); its
 * place in the whole list (`aria-posinset`/`aria-setsize`): the list is virtualized.
 */
export interface MissedItemProps {
  c: MissedCall;
  tabIndex: 0 | -1;
  /** 0-based place in the whole list (`data-index` for the virtualizer's measuring) */
  index: number;
  /** the whole list's length */
  setSize: number;
  /** the virtualizer's measuring ref */
  measureRef?: (el: Element | null) => void;
  /** position in the virtual list (absolute, translateY) */
  style?: CSSProperties;
  /** opens the call's detail (click, Enter or Space on a call entry; issue 11) */
  onOpen?: (uuid: string) => void;
}

export const MissedItem = memo(function MissedItem({ c, tabIndex, index, setSize, measureRef, style, onOpen }: MissedItemProps) {
  const { t } = useTranslation();
  const outage = outageOf(c);
  if (outage) {
    const from = whenText(outage.fromUs / 1000);
    const to = whenText(outage.toUs / 1000);
    return (
      <li
        data-kind="outage"
        data-roving-index={c.uuid}
        tabIndex={tabIndex}
        aria-posinset={index + 1}
        aria-setsize={setSize}
        data-index={index}
        ref={measureRef}
        aria-label={t('missed.outage', { from, to })}
        className="flex items-center gap-2 bg-amber-50 px-3 py-1.5 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100"
        style={{ ...style, ...INSET_FOCUS }}
      >
        <span aria-hidden="true">⚠</span>
        <span className="min-w-0 flex-1 font-medium">{t('missed.outage', { from, to })}</span>
        <button type="button" className="btn shrink-0 px-1.5 py-0 text-xs" tabIndex={tabIndex} aria-label={t('missed.dismissOutage')} title={t('missed.dismissOutage')} onClick={() => dismissOutage(c.uuid)}>
          <span aria-hidden="true">✕</span>
        </button>
      </li>
    );
  }
  const crm = c.endUser && c.endUser.count === 1 ? c.endUser.items[0]?.name : undefined;
  const number = formatPhone(c.callerNumber ?? '');
  // A caller "name" that is just the number again is not a name (0523103347 | 052-310-3347).
  const name = sameDigits(c.callerName, c.callerNumber) ? '' : (c.callerName ?? '');
  const who = crm || name || number || t('call.unknownCaller');
  const target = c.called.name ?? (c.called.number ? formatPhone(c.called.number) : '');
  const kind = c.abandoned ? t('missed.abandoned') : c.endedIn === 'voicemail' ? t('missed.voicemail') : t('missed.missed');
  const waited = c.waitedMs !== null ? t('missed.waited', { time: formatDuration(c.waitedMs) }) : '';
  const clock = whenText(c.endedAtUs / 1000);
  const calledBack = c.calledBackAt !== undefined;
  const label = [kind, cleanText(who), number !== who ? number : '', target ? t('missed.to', { target: cleanText(target) }) : '', waited, clock, calledBack ? t('missed.calledBack') : ''].filter(Boolean).join(', ');
  return (
    <li
      data-roving-index={c.uuid}
      tabIndex={tabIndex}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      data-index={index}
      ref={measureRef}
      aria-label={label}
      aria-haspopup="dialog"
      data-called-back={calledBack || undefined}
      onClick={() => onOpen?.(c.uuid)}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
        e.preventDefault();
        onOpen?.(c.uuid);
      }}
      className={`flex cursor-pointer items-start gap-2 px-3 py-1.5 text-sm hover:bg-slate-50 focus-visible:bg-blue-50 dark:hover:bg-slate-800/60 dark:focus-visible:bg-slate-800 ${calledBack ? 'opacity-70' : ''}`}
      style={{ ...style, ...INSET_FOCUS }}
    >
      <span
        className={`mt-0.5 shrink-0 rounded px-1 text-xs font-semibold ${
          c.abandoned ? 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100' : 'bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100'
        }`}
      >
        <span aria-hidden="true">{c.abandoned ? '↩ ' : c.endedIn === 'voicemail' ? '✉ ' : '✖ '}</span>
        {kind}
      </span>
      <span className="min-w-0 flex-1">
        <span className="flex min-w-0 items-center gap-2">
          <Truncate text={who} className="min-w-0 font-medium" />
          {calledBack && (
            <span className="shrink-0 rounded bg-green-100 px-1 text-xs font-semibold text-green-900 dark:bg-green-900 dark:text-green-100">
              <span aria-hidden="true">✔ </span>
              {t('missed.calledBack')}
            </span>
          )}
        </span>
        {/* The number and the wait never break or shrink; the target truncates, and when less than
            about 8 characters would be left for it (large text, narrow panel) it takes a line of its own. */}
        <span className="flex flex-wrap gap-x-2 text-xs text-slate-600 dark:text-slate-400">
          {number && number !== who && <span className="shrink-0 whitespace-nowrap font-mono">{number}</span>}
          {target && <Truncate text={t('missed.to', { target })} className="grow basis-[8em]" />}
          {waited && <span className="shrink-0 whitespace-nowrap">{waited}</span>}
        </span>
      </span>
      <time
        className="shrink-0 font-mono text-xs tabular-nums text-slate-500 dark:text-slate-400"
        dateTime={new Date(c.endedAtUs / 1000).toISOString()}
        title={formatDateTime(c.endedAtUs / 1000)}
      >
        {clock}
      </time>
    </li>
  );
});

/**
 * When an entry happened: `16:36:08` today, `11/29 16:36:08` on another day (the list is kept
 * across days; a time alone would make yesterday's caller look like this afternoon's).
 * @param ms epoch ms
 * @param nowMs default now
 */
export function whenText(ms: number, nowMs: number = Date.now()): string {
  const d = new Date(ms);
  const now = new Date(nowMs);
  const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? formatClock(ms) : `${d.getMonth() + 1}/${d.getDate()} ${formatClock(ms)}`;
}

/**
 * The focus ring drawn inside the entry: the global `:focus-visible` ring sits 2 px outside
 * (unlayered CSS, stronger than a Tailwind utility), where the panel's scroll box cuts it off.
 */
export const INSET_FOCUS = { outlineOffset: '-2px' } as const;

/** The not-live span of an outage marker entry ("calls may be missing"), or null for a call. */
export function outageOf(c: object): { fromUs: number; toUs: number } | null {
  const o = c as { kind?: string; outage?: { fromUs: number; toUs: number } };
  return o.kind === 'outage' && o.outage ? o.outage : null;
}

/** True when `name` is only the number's digits again (PBXes often send the number as the name). */
function sameDigits(name: string | null, number: string | null): boolean {
  if (!name || !number) return false;
  const digits = (s: string) => s.normalize('NFKC').replace(/[^0-9+]/g, '');
  return !/[^0-9+\-\s()\uFF10-\uFF19]/.test(name.trim()) && digits(name) !== '' && digits(name) === digits(number);
}
