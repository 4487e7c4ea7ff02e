import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PanelErrorBoundary } from './error-boundary.tsx';
import { formatClock } from './time.ts';

interface PanelProps {
  /** Visible heading and the region's accessible name (e.g. "Ringing calls"). */
  title: string;
  /** Small text or badges after the heading (counts); not part of the accessible name. */
  meta?: ReactNode;
  /** Controls at the right of the header (filters, buttons). */
  actions?: ReactNode;
  /** Call data that may be out of date: shows the STALE note and dims the content. */
  stale?: boolean;
  /** Browser ms of the last update, for the STALE note. */
  lastUpdateAt?: number | null;
  className?: string;
  /** Classes of the body (scroll behaviour). Default: scrolls vertically. */
  bodyClassName?: string;
  children: ReactNode;
}

/**
 * A named region of the console (`<section aria-label=title>`) with a heading, an optional
 * STALE note ("Not live — last update 14:02:11") and its own error boundary, so a crash in
 * one panel shows a message in that panel only.
 */
export function Panel({ title, meta, actions, stale, lastUpdateAt, className = '', bodyClassName, children }: PanelProps) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    // contain: content (layout, paint, style) — a change inside one panel (a count, a new call)
    // does not make the browser repaint the others: under load Paint took half the time with it.
    <section
      aria-label={title}
      data-stale={stale ? 'true' : undefined}
      className={`flex min-h-0 min-w-0 flex-col overflow-hidden rounded-lg [contain:content] border border-slate-200 bg-white shadow-sm dark:border-slate-700 dark:bg-slate-900 ${className}`}
    >
      <header className="flex shrink-0 items-center gap-2 border-b border-slate-200 px-3 py-1.5 dark:border-slate-700">
        <h2 id={headingId} className="truncate text-sm font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-200">
          {title}
        </h2>
        {meta}
        <div className="ml-auto flex items-center gap-2">{actions}</div>
      </header>
      {stale && (
        <p className="shrink-0 border-b border-amber-300 bg-amber-100 px-3 py-1 text-xs font-semibold text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200">
          <span aria-hidden="true">⚠ </span>
          {t('stale.label')} — {lastUpdateAt ? t('stale.lastUpdate', { time: formatClock(lastUpdateAt) }) : t('stale.noData')}
        </p>
      )}
      <div className={`min-h-0 flex-1 ${stale ? 'opacity-55 grayscale' : ''} ${bodyClassName ?? 'overflow-y-auto'}`}>
        <PanelErrorBoundary
          label={title}
          fallback={(error, retry) => (
            <div role="alert" className="m-3 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
              <p className="font-semibold">{t('error.panel', { panel: title })}</p>
              <p className="mt-1 break-words font-mono text-xs">{error.message}</p>
              <button type="button" onClick={retry} className="btn mt-2">
                {t('error.retry')}
              </button>
            </div>
          )}
        >
          {children}
        </PanelErrorBoundary>
      </div>
    </section>
  );
}

/** A centred "nothing here" message for an empty panel. */
export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="flex h-full min-h-16 flex-col items-center justify-center p-4 text-center text-sm text-slate-500 dark:text-slate-400">{children}</p>;
}
