import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';

import { parseMwi, type MwiCounts } from '../cti/index.ts';

export type { MwiCounts };

/**
 * Counters of an `mwi` value (src/cti `parseMwi`: `NEW/SAVED (URGENT_NEW/URGENT_SAVED)`), or
 * `null` when there is nothing to show (`''`, absent, all zero).
 */
export function mwiOf(value: unknown): MwiCounts | null {
  // Called for every user on each rebuild of the users' rows and per render of a badge: the same
  // few strings ('0/0', '2/5'…) recur, so remember the result per string (bounded). The cached
  // object is shared: never mutate it. Same string → same object, which also keeps memo'd cells.
  if (typeof value !== 'string') return countsOrNull(parseMwi(value));
  const hit = mwiCache.get(value);
  if (hit !== undefined) return hit;
  const out = countsOrNull(parseMwi(value));
  if (mwiCache.size >= MWI_CACHE_MAX) mwiCache.delete(mwiCache.keys().next().value as string);
  mwiCache.set(value, out);
  return out;
}

const MWI_CACHE_MAX = 1000;
const mwiCache = new Map<string, MwiCounts | null>();
const countsOrNull = (c: MwiCounts): MwiCounts | null => (c.new + c.saved + c.urgentNew + c.urgentSaved === 0 ? null : c);

/** The text alternative of a badge, e.g. "3 new voicemail messages, 5 saved, 1 urgent". */
export function useMwiText(c: MwiCounts): string {
  const { t } = useTranslation();
  return mwiText(c, t);
}

/** {@link useMwiText} with a given `t`. */
export function mwiText(c: MwiCounts, t: TFunction): string {
  const parts = [t('mwi.new', { count: c.new }), t('mwi.saved', { count: c.saved })];
  if (c.urgentNew + c.urgentSaved > 0) parts.push(t('mwi.urgent', { count: c.urgentNew + c.urgentSaved }));
  return parts.join(t('mwi.separator'));
}

/**
 * Voicemail counters: an envelope with new/saved counts (urgent marked with "!"), highlighted
 * when there are new messages. The visible part is hidden from assistive technology; a text
 * alternative ("3 new voicemail messages, 5 saved, 1 urgent") is read instead and shown as tooltip.
 * Renders nothing for `null` (no voicemail box).
 */
export function MwiBadge({ counts, t }: { counts: MwiCounts | null; /** the translation function, when the caller has one (saves a subscription per badge: table rows mount all the time) */ t?: TFunction }) {
  if (!counts) return null;
  return t ? <MwiBadgeView counts={counts} text={mwiText(counts, t)} /> : <MwiBadgeInner counts={counts} />;
}

function MwiBadgeInner({ counts }: { counts: MwiCounts }) {
  return <MwiBadgeView counts={counts} text={useMwiText(counts)} />;
}

function MwiBadgeView({ counts, text }: { counts: MwiCounts; text: string }) {
  const urgent = counts.urgentNew + counts.urgentSaved;
  const hasNew = counts.new > 0;
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
        ✉ {counts.new}/{counts.saved}
        {urgent > 0 && <strong className="ml-1 text-red-700 dark:text-red-300">!{urgent}</strong>}
      </span>
      <span className="sr-only">{text}</span>
    </span>
  );
}
