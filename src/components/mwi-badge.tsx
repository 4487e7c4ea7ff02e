import { useTranslation } from 'react-i18next';

/** Voicemail counters of a box. */
export interface MwiCounts {
  newCount: number;
  savedCount: number;
  urgentNew: number;
  urgentSaved: number;
}

/**
 * Parse an `mwi` string (`NEW/SAVED` optionally followed by ` (URGENT_NEW/URGENT_SAVED)`,
 * ARCHITECTURE.md conventions) into counters; `''`, absent or malformed → `null` (no box).
 */
export function parseMwiText(mwi: unknown): MwiCounts | null {
  if (typeof mwi !== 'string') return null;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*(?:\(\s*(\d+)\s*\/\s*(\d+)\s*\))?\s*$/.exec(mwi);
  if (!m) return null;
  return { newCount: +m[1], savedCount: +m[2], urgentNew: m[3] ? +m[3] : 0, urgentSaved: m[4] ? +m[4] : 0 };
}

/** The text alternative of a badge, e.g. "3 new voicemail messages, 5 saved, 1 urgent". */
export function useMwiText(c: MwiCounts): string {
  const { t } = useTranslation();
  const parts = [t('mwi.new', { count: c.newCount }), t('mwi.saved', { count: c.savedCount })];
  if (c.urgentNew + c.urgentSaved > 0) parts.push(t('mwi.urgent', { count: c.urgentNew + c.urgentSaved }));
  return parts.join(t('mwi.separator'));
}

/**
 * Voicemail counters: an envelope with new/saved counts (urgent marked with "!"), highlighted
 * when there are new messages. The visible part is hidden from assistive technology; a text
 * alternative ("3 new voicemail messages, 5 saved, 1 urgent") is read instead and shown as tooltip.
 * Renders nothing for `null` (no voicemail box).
 */
export function MwiBadge({ counts }: { counts: MwiCounts | null }) {
  if (!counts) return null;
  return <MwiBadgeInner counts={counts} />;
}

function MwiBadgeInner({ counts }: { counts: MwiCounts }) {
  const text = useMwiText(counts);
  const urgent = counts.urgentNew + counts.urgentSaved;
  const hasNew = counts.newCount > 0;
  return (
    <span
      title={text}
      className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium tabular-nums ${
        hasNew
          ? 'bg-blue-100 text-blue-900 dark:bg-blue-900 dark:text-blue-100'
          : 'bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300'
      }`}
    >
      <span aria-hidden="true">
        ✉ {counts.newCount}/{counts.savedCount}
        {urgent > 0 && <strong className="ml-1 text-red-700 dark:text-red-300">!{urgent}</strong>}
      </span>
      <span className="sr-only">{text}</span>
    </span>
  );
}
